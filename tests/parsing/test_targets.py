"""Targets and baselines (planwatch.parsing.targets): rules on single sentences, hand-built
nodes from the bundled plan text, a 主要指标 table, and the real parse of the bundled file."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planwatch.parsing.model import Node, ParseResult, Plan, Quantity
from planwatch.parsing.targets import extract_quantities, extract_targets

SEED = (
    Path(__file__).resolve().parents[2] / "data" / "plans" / "sichuan-2021-five-regional-plans.txt"
)
RAW = SEED.read_text(encoding="utf-8").split("\n")


# ---------------------------------------------------------------- helpers


def _clean_line(line: str) -> str:
    """The contract's cleaning of one raw line: `N． M` → `N.M`, artificial spaces dropped."""
    line = re.sub(r"(?<=\d)． ?(?=\d)", ".", line.replace("\u3000", " "))
    return re.sub(r"(?<![A-Za-z0-9]) +| +(?![A-Za-z0-9])", "", line)


def _node(first: int, last: int, *, kind: str = "paragraph", title: str = "") -> Node:
    """A node whose text is raw lines first..last joined and cleaned, with true spans."""
    text, spans = "", []
    for number in range(first, last + 1):
        raw = RAW[number - 1]
        if not raw.strip() or re.fullmatch(r"—\d+—", raw.strip()):
            continue
        spans.append((len(text), number, None))
        text += _clean_line(raw)
    return Node(kind, None, None, title, text, 3, first, last, None, spans=spans)  # type: ignore[arg-type]


def _section(title: str, children: list[Node]) -> Node:
    line = children[0].line - 2
    return Node("section", None, None, title, "", 2, line, children[-1].end_line, None, children)


def _plan(*sections: Node, title: str = "成都平原经济区“十四五”一体化发展规划") -> Plan:
    chapter = Node("chapter", 1, None, "总体", "", 1, 600, 9000, None, list(sections))
    return Plan(title, 588, 17, [], [chapter])


def _one(text: str, *, goal: bool = False, year: int = 2020) -> Quantity:
    found = extract_quantities(
        text, spans=[], default_line=1, default_page=None, year_default=year, goal=goal
    )
    assert len(found) == 1, found
    return found[0]


def _brief(q: Quantity) -> tuple[object, ...]:
    return (q.indicator, q.value, q.unit, q.year, q.comparator, q.kind)


# ---------------------------------------------------------------- single sentences


@pytest.mark.parametrize(
    ("text", "goal", "comparator"),
    [
        ("常住人口城镇化率超过70%", True, ">"),
        ("经济总量力争突破4万亿元", True, ">"),
        ("城镇化率达到42%以上", True, ">="),
        ("粮食产量不低于3500万吨", True, ">="),
        ("森林覆盖率力争达到40%", True, ">="),
        ("县城污水处理率达到90%", True, ">="),
        ("县城污水处理率达到90%", False, "="),
        ("服务业增加值占比达57.6%", False, "="),
        ("经济年均增长6%左右", True, "~"),
        ("人口约120万人", False, "~"),
        ("城镇调查失业率控制在5.5%以内", True, "<="),
        ("城镇登记失业率控制在4%以下", False, "<="),
        ("单位能耗不超过0.5吨标准煤", True, "<="),
        ("贫困发生率低于3%", True, "<"),
        ("33万余名农村建档立卡贫困人口脱贫", False, ">"),
        ("高新技术企业7225家", False, None),
    ],
)
def test_comparators(text: str, goal: bool, comparator: str | None) -> None:
    assert _one(text, goal=goal).comparator == comparator


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("城乡居民人均可支配收入年均增长9.0%", ("城乡居民人均可支配收入", 9.0, "%", "growth")),
        ("优良天数率达87.5%", ("优良天数率", 87.5, "%", "level")),
        ("服务业增加值占比达57.6%", ("服务业增加值占比", 57.6, "%", "share")),
        ("8市城际铁路日开行动车增至268对", ("8市城际铁路日开行动车", 268.0, "对", "count")),
        ("高新技术企业7225家", ("高新技术企业", 7225.0, "家", "count")),
        ("新增造林面积706万亩", ("新增造林面积", 706.0, "万亩", "level")),
        ("城乡居民收入比缩小至2.4:1", ("城乡居民收入比", 2.4, ":1", "level")),
        ("主要污染物排放总量下降10%", ("主要污染物排放总量", 10.0, "%", "reduction")),
        ("非化石能源占比提高三个百分点", ("非化石能源占比", 3.0, "个百分点", "growth")),
        ("研发经费支出占比达到百分之二", ("研发经费支出占比", 2.0, "%", "share")),
        ("5G网络覆盖率达到90%", ("5G网络覆盖率", 90.0, "%", "level")),
        ("PM2.5浓度下降10%", ("PM2.5浓度", 10.0, "%", "reduction")),
        (
            "细颗粒物(PM2.5)平均浓度为39微克/立方米",
            ("细颗粒物(PM2.5)平均浓度", 39.0, "微克/立方米", "level"),
        ),
    ],
)
def test_indicator_value_unit_kind(text: str, expected: tuple[object, ...]) -> None:
    q = _one(text)
    assert (q.indicator, q.value, q.unit, q.kind) == expected


def test_leftover_pdf_spacing_is_read_like_clean_text() -> None:
    """`1． 91 万亿元`, `60% 。` and a letter-spaced line read as if cleaned."""
    found = extract_quantities(
        "地区生产总值由“十二五”末的 1． 91 万亿元增加至 2． 95 万亿元,占全省比重超过 60% 。"
        " 按 可 比 价 格 计 算 年 均 增 长 7． 5% ,增速居首位。",
        spans=[],
        default_line=1,
        default_page=None,
        year_default=2020,
    )
    assert [(q.indicator, q.value, q.base_value, q.base_year, q.kind) for q in found] == [
        ("地区生产总值", 2.95, 1.91, 2015, "level"),
        ("地区生产总值占全省比重", 60.0, None, None, "share"),
        ("地区生产总值", 7.5, None, None, "growth"),
    ]
    assert found[0].text == "地区生产总值由“十二五”末的 1． 91 万亿元增加至 2． 95 万亿元"


@pytest.mark.parametrize(
    "text",
    [
        "细颗粒物(PM2.5)平均浓度总体达标",
        "基本实现5G全覆盖",
        "G317/G318改造",
        "2环10射轨道交通网、3环15射高速公路网加快构建",
        "打造“1小时”通勤圈",
        "经济区内2小时交通圈基本建成",
        "总量位居五大经济区第3位",
        "到2025年,规划期至2035年",
        "建设3000吨级航道",
        "实施《教育信息化2.0行动计划》",
        "公共就业创业服务管理系统V2.0实现川南4市全覆盖",
        "成功创建5A级景区",
        "“十四五”时期",
    ],
)
def test_false_numbers_are_not_quantities(text: str) -> None:
    assert (
        extract_quantities(text, spans=[], default_line=1, default_page=None, year_default=2020)
        == []
    )


def test_respectively_pairs_names_and_groups() -> None:
    found = extract_quantities(
        "城乡居民人均可支配收入分别年均增长7.7%和10.6%、达到36777元和14597元。"
        "森林覆盖率和草原综合植被覆盖度分别达到30.3%和86%。",
        spans=[],
        default_line=1,
        default_page=None,
        year_default=2025,
        goal=True,
    )
    assert [(q.indicator, q.value, q.unit, q.kind, q.comparator) for q in found] == [
        ("城镇居民人均可支配收入", 7.7, "%", "growth", None),
        ("农村居民人均可支配收入", 10.6, "%", "growth", None),
        ("城镇居民人均可支配收入", 36777.0, "元", "level", ">="),
        ("农村居民人均可支配收入", 14597.0, "元", "level", ">="),
        ("森林覆盖率", 30.3, "%", "level", ">="),
        ("草原综合植被覆盖度", 86.0, "%", "level", ">="),
    ]


def test_counted_noun_after_the_number_names_it() -> None:
    found = extract_quantities(
        "拥有1个国家级口岸,新设1个临时口岸、4个综合保税区。现行标准下区域内2083个贫困村、"
        "110万贫困人口全部实现脱贫。",
        spans=[],
        default_line=1,
        default_page=None,
        year_default=2020,
    )
    assert [(q.indicator, q.value, q.unit, q.kind) for q in found] == [
        ("国家级口岸", 1.0, "个", "count"),
        ("临时口岸", 1.0, "个", "count"),
        ("综合保税区", 4.0, "个", "count"),
        ("贫困村", 2083.0, "个", "count"),
        ("贫困人口", 110.0, "万", "count"),
    ]


def test_three_sector_structure_becomes_three_shares() -> None:
    found = extract_quantities(
        "三次产业结构由2015年的20.9:40.5:38.6调整为2020年的18.9:35.0:46.1。",
        spans=[],
        default_line=1,
        default_page=None,
        year_default=2020,
    )
    assert [(q.indicator, q.value, q.base_value, q.base_year, q.year) for q in found] == [
        ("第一产业增加值比重", 18.9, 20.9, 2015, 2020),
        ("第二产业增加值比重", 35.0, 40.5, 2015, 2020),
        ("第三产业增加值比重", 46.1, 38.6, 2015, 2020),
    ]


def test_years_from_sentence_and_comparison() -> None:
    found = extract_quantities(
        "“十三五”期间地区生产总值年均增长5.9%,2019年达到822.4亿元。"
        "细颗粒物平均浓度较“十二五”末下降28.3%,是2015年的1.6倍。",
        spans=[],
        default_line=1,
        default_page=None,
        year_default=2020,
    )
    assert [(q.indicator, q.year, q.base_year) for q in found] == [
        ("地区生产总值", 2020, 2015),
        ("地区生产总值", 2019, None),
        ("细颗粒物平均浓度", 2020, 2015),
        ("细颗粒物平均浓度", 2020, 2015),
    ]


def test_step_without_digits_is_a_floor() -> None:
    q = _one("经济总量迈上万亿级台阶", goal=True, year=2025)
    assert _brief(q) == ("经济总量", 1.0, "万亿元", 2025, ">=", "level")


def test_grounding_uses_spans_of_the_clause_start() -> None:
    text = "现代城镇体系更加完善,常住人口城镇化率超过70%。"
    spans: list[tuple[int, int, int | None]] = [(0, 909, 24), (20, 911, 25)]
    q = extract_quantities(
        text, spans=spans, default_line=900, default_page=24, year_default=2025, goal=True
    )[0]
    assert (q.line, q.page, q.text) == (909, 24, "常住人口城镇化率超过70%")


# ---------------------------------------------------------------- hand-built nodes


def test_p1_development_base_hand_built() -> None:
    """P1 第一节 发展基础 (lines 618–716) as one paragraph node per provision."""
    paragraphs = [(618, 631), (633, 649), (651, 669), (671, 686), (688, 702), (704, 716)]
    section = _section("发展基础", [_node(a, b) for a, b in paragraphs])
    targets, baselines = extract_targets(_plan(section))
    assert targets == []
    assert len(baselines) == 28
    by_name = {q.indicator: q for q in baselines}
    gdp = by_name["地区生产总值"]
    assert (gdp.value, gdp.unit, gdp.year, gdp.base_value, gdp.base_year, gdp.line) == (
        2.95,
        "万亿元",
        2020,
        1.91,
        2015,
        618,
    )
    assert _brief(by_name["地区生产总值占全省比重"]) == (
        "地区生产总值占全省比重",
        60.0,
        "%",
        2020,
        ">",
        "share",
    )
    assert _brief(by_name["城乡居民收入比"]) == ("城乡居民收入比", 2.4, ":1", 2020, "=", "level")
    assert [(q.indicator, q.value) for q in baselines if q.line == 639 and q.unit == "个"] == [
        ("国家重大科技基础设施", 4.0),
        ("国家重点实验室", 15.0),
        ("国家工程研究中心(工程实验室)", 7.0),
        ("国家地方联合工程研究中心(工程实验室)", 40.0),
    ]
    forest = by_name["森林覆盖率"]
    assert (forest.value, forest.base_value, forest.base_year, forest.year) == (
        47.4,
        42.2,
        2015,
        2020,
    )
    assert by_name["高新技术企业"].value == 7225.0


def test_p1_goals_hand_built() -> None:
    """P1 第四节 发展目标 (lines 846–920): two numeric targets, the rest qualitative."""
    paragraphs = [
        (846, 852),
        (854, 862),
        (864, 870),
        (872, 879),
        (881, 889),
        (891, 901),
        (903, 911),
        (913, 920),
    ]
    section = _section("发展目标", [_node(a, b) for a, b in paragraphs])
    targets, baselines = extract_targets(_plan(section))
    assert baselines == []
    numeric = [(*_brief(q), q.line) for q in targets if q.kind != "qualitative"]
    assert numeric == [
        ("经济总量", 4.0, "万亿元", 2025, ">", "level", 856),
        ("常住人口城镇化率", 70.0, "%", 2025, ">", "level", 909),
    ]
    qualitative = {q.text: q for q in targets if q.kind == "qualitative"}
    assert qualitative["跻身全国科技创新第一方阵"].year == 2025
    assert qualitative["现代产业体系基本形成"].year == 2035
    assert qualitative["城乡居民人均可支配收入增幅高于全国"].comparator == ">"
    shared = [q.indicator for q in targets if q.line == 897]
    assert shared == [
        "地级及以上城市空气质量优良天数比率",
        "国、省考核断面水质优良率",
        "劣V类断面比率",
        "二氧化碳排放强度下降",
        "主要污染物总量减排",
    ]
    assert all(q.value is None for q in qualitative.values())
    assert not any(q.text.startswith("展望") and not q.indicator for q in targets)


def test_baseline_section_after_goals_is_ignored() -> None:
    """A later `夯实…发展基础` section is no baseline section; only titles before the goals."""
    base = _section("发展基础", [_node(618, 631)])
    goals = _section("发展目标", [_node(854, 860)])
    later = _section("发展基础", [_node(651, 669)])
    targets, baselines = extract_targets(_plan(base, goals, later))
    assert {q.line for q in baselines} <= set(range(618, 632))
    assert [q.value for q in targets if q.value is not None] == [4.0]


# ---------------------------------------------------------------- 主要指标 table


def test_indicator_table_rows_become_targets() -> None:
    rows = [
        ["类别", "指标", "单位", "2020年", "2025年", "年均增长", "属性"],
        ["经济发展", "经济发展", "经济发展", "经济发展", "经济发展", "经济发展", "经济发展"],
        ["经济发展", "地区生产总值", "亿元", "29500", "40000", "6左右", "预期性"],
        ["经济发展", "常住人口城镇化率(%)", "", "63", ">70", "", "预期性"],
        ["生态环境", "单位地区生产总值能源消耗降低", "%", "", "", "〔13.5〕", "约束性"],
        ["民生福祉", "城镇调查失业率", "%", "", "<5.5", "", "预期性"],
        ["民生福祉", "基本公共服务", "", "", "达到全国平均水平", "", "预期性"],
    ]
    table = Node("table", None, None, "", "", 3, 40, 60, 3, rows=rows)
    targets, _ = extract_targets(_plan(_section("发展目标", [_node(854, 860), table])))
    rows_out = [
        (
            q.indicator,
            q.value,
            q.unit,
            q.year,
            q.comparator,
            q.kind,
            q.attribute,
            q.base_value,
            q.base_year,
        )
        for q in targets
        if q.line == 40
    ]
    assert rows_out == [
        ("地区生产总值", 40000.0, "亿元", 2025, None, "level", "预期性", 29500.0, 2020),
        ("常住人口城镇化率", 70.0, "%", 2025, ">", "level", "预期性", 63.0, 2020),
        ("单位地区生产总值能源消耗降低", 13.5, "%", 2025, None, "reduction", "约束性", None, None),
        ("城镇调查失业率", 5.5, "%", 2025, "<", "level", "预期性", None, None),
        ("基本公共服务", None, None, 2025, None, "qualitative", "预期性", None, None),
    ]


def test_indicator_table_outside_goal_section_counts() -> None:
    rows = [["指标", "基期", "目标", "属性"], ["森林覆盖率(%)", "40", "42以上", "约束性"]]
    table = Node("table", None, None, "", "", 2, 70, 72, None, rows=rows)
    plan = _plan(_section("主要指标", [table]), title="某市国民经济和社会发展第十四个五年规划")
    targets, _ = extract_targets(plan)
    assert [(*_brief(q), q.attribute, q.base_value) for q in targets] == [
        ("森林覆盖率", 42.0, "%", 2025, ">=", "level", "约束性", 40.0)
    ]


def test_other_tables_are_ignored() -> None:
    rows = [["项目", "地点"], ["成自宜高铁", "自贡"]]
    table = Node("table", None, None, "", "", 2, 70, 72, None, rows=rows)
    assert extract_targets(_plan(_section("发展目标", [table]))) == ([], [])


# ---------------------------------------------------------------- the real parse


@cache
def _parsed() -> ParseResult:
    from planwatch.parsing import parse_file

    return parse_file(SEED)


def _real_plans() -> list[Plan]:
    try:
        result = _parsed()
    except Exception as exc:  # the structure builder is another module; report, don't mask
        pytest.skip(f"parse_file not usable yet: {exc}")
    return result.plans


NUMERIC_TARGETS = [
    [
        ("经济总量", 4.0, "万亿元", 2025, ">", "level"),
        ("常住人口城镇化率", 70.0, "%", 2025, ">", "level"),
    ],
    [
        ("经济总量", 1.0, "万亿元", 2025, ">=", "level"),
        ("地区生产总值", 1.1, "万亿元", 2025, ">=", "level"),
    ],
    [
        ("经济总量", 1.0, "万亿元", 2025, ">=", "level"),
        ("主要江河水环境质量国省考核断面优良比例", 90.0, "%", 2025, ">=", "level"),
    ],
    [("地区生产总值", 3800.0, "亿元", 2025, ">", "level")],
    [
        ("森林覆盖率", 30.3, "%", 2025, ">=", "level"),
        ("草原综合植被覆盖度", 86.0, "%", 2025, ">=", "level"),
        ("重点河湖生态流量保障目标满足程度", 90.0, "%", 2025, ">", "level"),
        ("县城污水处理率", 90.0, "%", 2025, ">=", "level"),
        ("清洁能源装机", 2750.0, "万千瓦", 2025, ">=", "level"),
        ("城镇化率", 42.0, "%", 2025, ">=", "level"),
    ],
]
BASELINE_COUNTS = [28, 14, 12, 14, 25]


@pytest.mark.parametrize("index", range(5))
def test_real_numeric_targets(index: int) -> None:
    plan = _real_plans()[index]
    numeric = [_brief(q) for q in plan.targets if q.kind != "qualitative"]
    assert numeric == NUMERIC_TARGETS[index]


@pytest.mark.parametrize("index", range(5))
def test_real_qualitative_targets(index: int) -> None:
    plan = _real_plans()[index]
    qualitative = [q for q in plan.targets if q.kind == "qualitative"]
    assert len(qualitative) >= 35
    assert {q.year for q in qualitative} == {2025, 2035}
    assert all(q.value is None and q.indicator for q in qualitative)


@pytest.mark.parametrize("index", range(5))
def test_real_baseline_counts(index: int) -> None:
    plan = _real_plans()[index]
    assert len(plan.baselines) == BASELINE_COUNTS[index]
    assert all(q.year == 2020 and q.value is not None for q in plan.baselines)


def test_real_baseline_spot_checks() -> None:
    plans = _real_plans()

    def find(index: int, indicator: str, value: float) -> Quantity:
        return next(
            q for q in plans[index].baselines if q.indicator == indicator and q.value == value
        )

    q = find(1, "地区生产总值", 7884.0)
    assert (q.base_value, q.base_year, q.unit, q.line) == (4828.0, 2015, "亿元", 2561)
    q = find(1, "地区生产总值占全省比重", 16.2)
    assert (q.base_value, q.kind) == (15.9, "share")
    q = find(2, "第三产业增加值比重", 46.1)  # the structure split by a page footer (4452–4457)
    assert (q.base_value, q.base_year, q.line) == (38.6, 2015, 4452)
    q = find(3, "城镇登记失业率", 4.0)
    assert q.comparator == "<="
    q = find(4, "农村居民人均可支配收入", 14597.0)
    assert (q.unit, q.kind, q.line) == ("元", "level", 7545)


def _raw_window(line: int, size: int = 8) -> str:
    return "".join(_clean_line(raw) for raw in RAW[line - 1 : line - 1 + size])


def _number_text(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def test_real_quantities_are_grounded_on_their_clause() -> None:
    """Each numeric target/baseline line is where its clause starts in the raw file: the raw
    text from that line on begins the clause's first words and holds the number."""
    for plan in _real_plans():
        for q in plan.targets + plan.baselines:
            if q.value is None or (q.unit in ("万亿元",) and "台阶" in q.text):
                continue
            window = _raw_window(q.line)
            head = re.sub(r"\s", "", q.text)[:2]
            assert head in _raw_window(q.line, 3), (q, head)
            assert _number_text(q.value) in window, (q, window)


def test_markdown_shaped_tree_with_dated_headings() -> None:
    """A goal heading with dated sub-headings (as Markdown/HTML give them): the 2035 heading
    dates its paragraphs; numbers and qualitative goals come from plain paragraph nodes."""

    def para(text: str, line: int) -> Node:
        return Node("paragraph", None, None, "", text, 3, line, line, None, spans=[(0, line, None)])

    def heading(title: str, line: int, children: list[Node]) -> Node:
        return Node("heading", None, None, title, "", 2, line, line, None, children)

    goals = heading(
        "三、主要目标",
        10,
        [
            heading(
                "（一）2025年目标", 11, [para("地区生产总值年均增长6%左右,跻身全国前列。", 12)]
            ),
            heading(
                "（二）2035年远景目标", 13, [para("人均地区生产总值达到中等发达国家水平。", 14)]
            ),
        ],
    )
    base = heading("一、发展基础", 2, [para("2020年全市常住人口达到2093.8万人。", 3)])
    plan = Plan(
        "某市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要", 1, None, [], [base, goals]
    )
    targets, baselines = extract_targets(plan)
    assert [
        (q.indicator, q.value, q.unit, q.year, q.comparator, q.kind, q.line) for q in targets
    ] == [
        ("地区生产总值", 6.0, "%", 2025, "~", "growth", 12),
        ("跻身全国前列", None, None, 2025, None, "qualitative", 12),
        ("人均地区生产总值", None, None, 2035, None, "qualitative", 14),
    ]
    assert [(q.indicator, q.value, q.unit, q.year, q.kind) for q in baselines] == [
        ("常住人口", 2093.8, "万人", 2020, "count")
    ]


_ALPHABET = (
    "0123456789．.:：%％,，。;、 　\n万亿元个家对比重占达到超过以上左右约不低于"
    "年均增长下降由至从年末“”()《》PMG第级千伏小时圈分别和城乡地区生产总值率"
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=60))
def test_any_text_gives_grounded_quantities(text: str) -> None:
    """Whatever the text, extraction does not fail, each quantity quotes a stretch of the
    input, and its line comes from the spans."""
    spans: list[tuple[int, int, int | None]] = [(0, 10, 1), (len(text) // 2, 11, 2)]
    for q in extract_quantities(
        text, spans=spans, default_line=9, default_page=None, year_default=2020, goal=True
    ):
        assert q.text in text
        assert q.line in (10, 11)
        assert q.value is None or q.value >= 0


def test_goal_from_to_and_stated_attribute() -> None:
    """A goal's unstated start year is the plan's base year; (约束性) marks the attribute."""
    node = Node(
        "paragraph",
        None,
        None,
        "",
        "到2025年,常住人口城镇化率由63%提高到70%,单位地区生产总值能源消耗降低13.5%(约束性)。",
        3,
        5,
        5,
        None,
    )
    targets, _ = extract_targets(_plan(_section("发展目标", [node])))
    assert [
        (q.indicator, q.value, q.base_value, q.base_year, q.year, q.kind, q.attribute)
        for q in targets
    ] == [
        ("常住人口城镇化率", 70.0, 63.0, 2020, 2025, "level", None),
        ("单位地区生产总值能源消耗", 13.5, None, None, 2025, "reduction", "约束性"),
    ]


def test_uncleaned_wrapped_lines_read_like_clean_text() -> None:
    """Raw PDF lines (wraps, blank lines, a page-join space, `N． M`) give the same figures."""
    raw = "\n".join(RAW[617:631])  # lines 618–631
    found = extract_quantities(raw, spans=[], default_line=618, default_page=18, year_default=2020)
    assert [(q.indicator, q.value, q.unit) for q in found] == [
        ("地区生产总值", 2.95, "万亿元"),
        ("地区生产总值占全省比重", 60.0, "%"),
        ("服务业增加值占比", 57.6, "%"),
        ("国家和省级现代农业园区", 87.0, "个"),
        ("城乡居民人均可支配收入", 9.0, "%"),
        ("城乡居民收入比", 2.4, ":1"),
    ]


FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_markdown_fixture_goal_text_and_box_table() -> None:
    """The Markdown fixture: one numeric goal in prose, the 专栏 table's five rows with base
    values and attribute; the box caption is not a goal."""
    from planwatch.parsing import parse_file

    plan = parse_file(FIXTURES / "digital-economy-14th-plan.md").plans[0]
    numeric = [
        (q.indicator, q.value, q.unit, q.base_value, q.attribute)
        for q in plan.targets
        if q.value is not None
    ]
    assert numeric == [
        ("数字经济核心产业增加值占GDP比重", 10.0, "%", None, None),
        ("数字经济核心产业增加值占GDP比重", 10.0, "%", 7.8, "预期性"),
        ("IPv6活跃用户数", 8.0, "亿户", 4.6, "预期性"),
        ("千兆宽带用户数", 6000.0, "万户", 640.0, "预期性"),
        ("软件和信息技术服务业规模", 14.0, "万亿元", 8.16, "预期性"),
        ("工业互联网平台应用普及率", 45.0, "%", 14.7, "预期性"),
    ]
    assert not any("主要指标" in q.indicator for q in plan.targets)


def test_html_fixture_two_row_table_header() -> None:
    """The HTML fixture's 主要指标 table has a two-row header (指标值 over 2020年/2025年)."""
    from planwatch.parsing import parse_file

    plan = parse_file(FIXTURES / "transport-14th-plan.html").plans[0]
    rows = [
        (q.indicator, q.value, q.comparator, q.kind, q.attribute, q.base_value)
        for q in plan.targets
        if q.attribute
    ]
    assert rows == [
        ("铁路营业里程", 16.5, None, "level", "预期性", 14.6),
        ("高速铁路营业里程", 5.0, None, "level", "预期性", 3.8),
        ("公路通车里程", 550.0, None, "level", "预期性", 519.8),
        ("民用运输机场数", 270.0, ">", "count", "预期性", 241.0),
        ("城市新能源公交车辆占比", 72.0, None, "share", "预期性", 66.2),
        ("营运车辆单位运输周转量二氧化碳排放较2020年下降", 5.0, None, "reduction", "约束性", None),
    ]
