"""Place mentions and covered cities: on snippets, on plans built from the bundled file's
cleaned paragraphs (independent of the structure builder), and on the real parse."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from planwatch.parsing import parse_file
from planwatch.parsing.model import Node, Place, Plan
from planwatch.parsing.places import covered_cities, find_place_mentions, find_places

SEED = Path(__file__).parents[2] / "data" / "plans" / "sichuan-2021-five-regional-plans.txt"
# First and last line of each plan's body (seed-format.md §1).
PLAN_LINES = [(588, 2523), (2524, 4409), (4410, 6039), (6040, 7496), (7497, 8963)]
FOOTER = re.compile(r"^—\d+—$")
HEADING = re.compile(r"^(第[一二三四五六七八九十]+[章节]|专栏 \d+|\d{1,2}\u3000|图 \d)")


def _clean(line: str) -> str:
    line = line.strip().replace("\u3000 ", "").replace("\u3000", "")
    return re.sub(r"(\d)． (\d)", r"\1.\2", line)


def _paragraphs(lines: list[str]) -> list[str]:
    """Join wrapped lines into paragraphs: a heading stands alone, a paragraph ends at 。."""
    out: list[str] = []
    current: list[str] = []
    for raw in lines:
        text = raw.strip()
        if not text or FOOTER.match(text):
            continue
        if HEADING.match(text) and current:
            out.append("".join(current))
            current = []
        current.append(_clean(text))
        if HEADING.match(text) or text.endswith("。"):
            out.append("".join(current))
            current = []
    return [*out, "".join(current)] if current else out


@cache
def seed_plans() -> tuple[Plan, ...]:
    """The five plans as flat lists of paragraph nodes, title = the plan's title line."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    plans = []
    for first, last in PLAN_LINES:
        body = _paragraphs(lines[first:last])  # the first line is the plan's title
        nodes = [Node("paragraph", None, None, "", text, 1, 0, 0, None) for text in body]
        plans.append(Plan(lines[first - 1].strip(), first, None, [], nodes))
    return tuple(plans)


@cache
def real_plans() -> tuple[Plan, ...]:
    return tuple(parse_file(SEED).plans)


def _names(text: str) -> list[str]:
    return [m.key.name for m in find_place_mentions(text)]


def _count(places: list[Place], name: str) -> int:
    return next((p.count for p in places if p.name == name), 0)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("加快整治嘉陵江航道", []),
        ("南充市嘉陵区", ["南充", "嘉陵区"]),
        ("建设康定新都桥、松潘川主寺", ["康定市", "松潘县"]),
        ("成都市新都区", ["成都", "新都区"]),
        ("打造通江达海黄金水道", []),
        ("苍溪猕猴桃、通江银耳", ["苍溪县", "通江县"]),
        ("推进成德眉资同城化", ["成都", "德阳", "眉山", "资阳"]),
        ("成为四川南向开放主战场", ["四川"]),
        ("峨眉山国家现代农业产业园", ["峨眉山市"]),
        ("成都平原经济区联席会议", ["成都平原经济区"]),
        ("推进内自同城化发展", ["内江", "自贡"]),
        ("加快内自主城区之间", ["内江", "自贡"]),
        ("保护区内自然资源", []),
        ("实施南充、广元机场改扩建工程,建成南充机场", ["南充", "广元", "南充"]),
        ("G42 成南扩容", ["成都", "南充"]),
        ("共建成德临港经济", ["成都", "德阳"]),
        ("形成资源共享", []),
        ("建成华西医院分院;成华区", ["成华区"]),
        ("提高县城综合承载能力", []),
        ("宜宾燃面、高县土火锅", ["宜宾", "高县"]),
        ("内江市市中区大自然康养城", ["市中区"]),
        ("叙州区南部新区", ["叙州区"]),
        ("原宜宾县", ["叙州区"]),
        ("中国联通川东北数据中心", ["川东北经济区"]),
        ("结合川南经济区发展实际", ["川南经济区"]),
        ("协同共建川南渝西融合发展试验区", ["川南经济区", "渝西"]),
        ("重特大安全事故", []),
        ("多达万余人;达万铁路", ["达州", "万州区"]),
        ("构建万达开“互联互通”", ["万州区", "达州", "开州区"]),
        ("建设美丽攀西;攀西经济区", ["攀枝花", "凉山", "攀西经济区"]),
        ("长江安全", []),
        ("繁荣昌盛;荣昌—泸州生猪一体化", ["荣昌区", "泸州"]),
        ("种植白玉兰;协会理事;树木里", []),
    ],
)
def test_mentions_in_snippets(text: str, names: list[str]) -> None:
    assert _names(text) == names


def test_composite_members_share_the_span() -> None:
    spans = {(m.start, m.end) for m in find_place_mentions("推进成德眉资同城化")}
    assert spans == {(2, 6)}


def test_seed_plans_most_mentioned_places() -> None:
    p1, p2, p3, p4, p5 = (find_places(plan) for plan in seed_plans())
    assert [(p.name, p.count) for p in p1[:3]] == [("成都", 163), ("德阳", 51), ("眉山", 44)]
    assert [(p.name, p.count) for p in p2[:3]] == [("宜宾", 102), ("自贡", 96), ("泸州", 92)]
    assert [(p.name, p.count) for p in p3[:2]] == [("南充", 44), ("达州", 43)]
    assert [(p.name, p.count) for p in p4[:3]] == [("攀枝花", 79), ("凉山", 60), ("西昌市", 28)]
    assert (p5[2].name, p5[2].adcode, p5[2].level) == ("阿坝", "513200", "prefecture")


def test_seed_distinct_counties_and_prefectures_per_plan() -> None:
    figures = []
    for plan in seed_plans():
        places = [p for p in find_places(plan) if (p.adcode or "").startswith("51")]
        prefectures = sum(p.level == "prefecture" for p in places)
        figures.append((prefectures, sum(p.level == "county" for p in places)))
    assert figures == [(18, 53), (10, 32), (9, 19), (6, 19), (8, 22)]


def test_seed_plans_covered_cities() -> None:
    assert [covered_cities(plan) for plan in seed_plans()] == [
        ["成都", "德阳", "绵阳", "遂宁", "乐山", "雅安", "眉山", "资阳"],
        ["自贡", "泸州", "内江", "宜宾"],
        ["广元", "南充", "广安", "达州", "巴中"],
        ["攀枝花", "凉山"],
        ["阿坝", "甘孜"],
    ]


def _plan(title: str, *texts: str) -> Plan:
    nodes = [Node("paragraph", None, None, "", text, 1, 0, 0, None) for text in texts]
    return Plan(title, 1, None, [], nodes)


def test_covered_cities_reads_enumerations_not_mentions() -> None:
    # Responsibility and scope statements name the covered prefectures …
    assert covered_cities(_plan("某规划", "攀枝花、凉山是推进经济区转型升级发展的责任主体。")) == [
        "攀枝花",
        "凉山",
    ]
    assert covered_cities(_plan("某规划", "阿坝、甘孜两州切实担负起主体责任。")) == ["阿坝", "甘孜"]
    scope = "规划范围包括成都市、德阳市、眉山市和资阳市,面积 3.31 万平方公里。"
    assert covered_cities(_plan("某规划", scope)) == ["成都", "德阳", "眉山", "资阳"]
    zone = "经济区包括成都、德阳、眉山和资阳 4 市。"
    assert covered_cities(_plan("某规划", zone)) == ["成都", "德阳", "眉山", "资阳"]
    # … but an enumeration that is neither says nothing about the plan's scope,
    assert covered_cities(_plan("某规划", "重点城市包括成都、德阳。")) == []
    assert covered_cities(_plan("某规划", "自贡、内江两市公共服务同城化成果在川南全域推广。")) == []
    # a count that disagrees with the enumeration is not taken,
    assert covered_cities(_plan("某规划", "阿坝、甘孜三州切实担负起主体责任。")) == []
    # and a zone's name without a matching count is not enough.
    assert covered_cities(_plan("川南经济区规划", "支持宜宾、泸州建设枢纽。")) == []
    assert covered_cities(_plan("川南经济区规划", "实现川南 4 市全覆盖。")) == [
        "自贡",
        "泸州",
        "内江",
        "宜宾",
    ]
    assert covered_cities(_plan("川南经济区规划", "统筹两个市场。")) == []


# --- the real parse of the bundled file -----------------------------------------------------


def test_real_parse_covered_cities() -> None:
    assert [plan.cities for plan in real_plans()] == [covered_cities(plan) for plan in seed_plans()]


def test_real_parse_yibin_in_several_plans() -> None:
    # 川南 (its own zone), 成都平原 (成宜高速, 成自宜高铁 …) and 攀西 (宜攀高速, 宜宾至西昌 …).
    counts = [_count(find_places(plan), "宜宾") for plan in real_plans()]
    assert counts == [5, 102, 0, 5, 0]


def test_real_parse_counties_match_the_paragraph_build() -> None:
    def counties(plans: tuple[Plan, ...]) -> set[str]:
        return {
            place.adcode or ""
            for plan in plans
            for place in find_places(plan)
            if place.level == "county" and (place.adcode or "").startswith("51")
        }

    real = counties(real_plans())
    assert len(real) == len(counties(seed_plans())) == 122
    # 嘉陵江, 新都桥 and 通江达海 contain county names but are no county.
    assert "511304" not in real  # 嘉陵区
    assert "510114" not in real  # 新都区
    assert sum(_count(find_places(plan), "通江县") for plan in real_plans()) == 3


def test_real_parse_counts_equal_the_paragraph_build() -> None:
    # Two independent ways to clean the same text give the same mentions: 680, 783, 412, 316
    # and 168 per plan.
    seed = [find_places(plan) for plan in seed_plans()]
    assert [find_places(plan) for plan in real_plans()] == seed
    assert [sum(place.count for place in places) for places in seed] == [680, 783, 412, 316, 168]
