"""Targets wherever they are stated (planwatch.parsing.quantities.actions, decision 0016):
action paragraphs, 主要预期目标 lists, 目标任务 sections; the added Quantity fields; and the
precision/recall on the hand-checked sample (tests/parsing/fixtures/targets-sample.csv)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planwatch.parsing import parse_bytes, parse_file
from planwatch.parsing.model import Node, Plan, Quantity
from planwatch.parsing.quantities.accuracy import Row, Score, found_rows, read_sample, score
from planwatch.parsing.render import to_json
from planwatch.parsing.targets import extract_action_targets, extract_targets

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _para(text: str, line: int) -> Node:
    return Node("paragraph", None, None, "", text, 3, line, line, None, spans=[(0, line, None)])


def _heading(title: str, line: int, children: list[Node]) -> Node:
    return Node("heading", None, None, title, "", 1, line, line, None, children)


def _plan(*nodes: Node, title: str = "某市国民经济和社会发展第十四个五年规划") -> Plan:
    return Plan(title, 1, None, [], list(nodes))


def _actions(*texts: str, title: str = "某市国民经济和社会发展第十四个五年规划") -> list[Quantity]:
    paragraphs = [_para(text, 10 + i) for i, text in enumerate(texts)]
    return extract_action_targets(_plan(_heading("三、重点任务", 9, paragraphs), title=title))


def _one(text: str) -> Quantity:
    found = _actions(text)
    assert len(found) == 1, found
    return found[0]


# ---------------------------------------------------------------- comparators and units


@pytest.mark.parametrize(
    ("text", "comparator", "words"),
    [
        ("城镇新增就业85万人以上", ">=", "以上"),
        ("城镇登记失业率控制在4.5%以下", "<=", "控制在…以下"),
        ("城镇调查失业率5.5%左右", "~", "左右"),
        ("森林覆盖率不低于40.5%", ">=", "不低于"),
        ("县域内就诊率不超过90%", "<=", "不超过"),
        ("果园规模控制在12万亩以内", "<=", "控制在…以内"),
        ("粮食产量稳定在700亿斤", "=", "稳定在"),
        ("新增电力装机规模突破800万千瓦", ">", "突破"),
        ("农村劳动力转移就业超过2500万人", ">", "超过"),
        ("单位地区生产总值能耗下降2.5%以上", ">=", "下降…以上"),
        ("地区生产总值增长7%左右", "~", "增长…左右"),
        ("清洁能源装机比重达到85%", ">=", "达到"),
    ],
)
def test_comparator_and_its_words(text: str, comparator: str, words: str) -> None:
    q = _one(text)
    assert (q.comparator, q.comparator_text) == (comparator, words)


def test_no_comparator_when_the_text_states_none() -> None:
    q = _one("新建高标准农田450万亩")
    assert (q.comparator, q.comparator_text, q.value, q.unit) == (None, None, 450.0, "万亩")


@pytest.mark.parametrize(
    ("text", "value_text", "normalised"),
    [
        ("地区生产总值达到1.1万亿元", "1.1万亿元", (1.1e12, "元")),
        ("年度计划投资1700亿元", "1700亿元", (1.7e11, "元")),
        ("城镇新增就业1100万人以上", "1100万人", (1.1e7, "人")),
        ("粮食播种面积稳定在52万亩以上", "52万亩", (5.2e5, "亩")),
        ("粮食产量保持在1.3万亿斤以上", "1.3万亿斤", (1.3e12, "斤")),
        ("煤炭消费总量控制在7000万吨以内", "7000万吨", (7e7, "吨")),
        ("清洁能源装机达到2750万千瓦", "2750万千瓦", (2.75e7, "千瓦")),
        ("新增光伏装机20千瓦", "20千瓦", (20.0, "千瓦")),
        ("新改建农村公路1万公里", "1万公里", (1e4, "公里")),
        ("清洁能源装机比重达到85%", "85%", (85.0, "%")),
    ],
)
def test_value_as_printed_and_normalised(
    text: str, value_text: str, normalised: tuple[float, str]
) -> None:
    q = _one(text)
    assert q.value_text == value_text
    assert (q.normalised_value, q.normalised_unit) == pytest.approx(normalised)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("地区生产总值增长7%左右", "growth"),
        ("居民消费价格涨幅3%左右", "growth"),
        ("数字经济核心产业增加值占地区生产总值比重达到8%", "share"),
        ("常住人口城镇化率达到55%", "level"),
        ("化肥使用量较2020年下降5%以上", "reduction"),
    ],
)
def test_kind_hint(text: str, kind: str) -> None:
    assert _one(text).kind == kind


def test_years_as_a_duration() -> None:
    q = _one("劳动年龄人口平均受教育年限提高到11.3年")
    assert (q.indicator, q.value, q.unit, q.comparator) == (
        "劳动年龄人口平均受教育年限",
        11.3,
        "年",
        ">=",
    )
    assert _actions("用3年时间建成示范区。", "到2025年建成示范区。") == []


def test_per_unit_prefix_shared_by_listed_indicators() -> None:
    found = _actions("单位地区生产总值能耗和二氧化碳排放分别下降14%、19.5%。")
    assert [(q.indicator, q.value, q.kind) for q in found] == [
        ("单位地区生产总值能耗", 14.0, "reduction"),
        ("单位地区生产总值二氧化碳排放", 19.5, "reduction"),
    ]


def test_from_to_with_the_measure_named_after_from() -> None:
    q = _one("将小规模纳税人增值税起征点从月销售额10万元提高到15万元。")
    assert (q.indicator, q.value, q.base_value, q.unit) == (
        "小规模纳税人增值税起征点",
        15.0,
        10.0,
        "万元",
    )


# ---------------------------------------------------------------- what an action target is


@pytest.mark.parametrize(
    "text",
    [
        "2020年全县已建成村级物流站120个。",  # a fact: dated in the base year, and 已
        "全省已建成高标准农田4900万亩。",  # a fact: 已
        "对年产值5000万元以上的企业给予用地保障。",  # a qualifier: N…的
        "禁止在长江干支流岸线1公里范围内新建化工项目。",  # a qualifier: N范围内
        "重点项目:城北20万亩高标准农田建设项目、河东10万千瓦光伏电站。",  # project sizes
    ],
)
def test_not_action_targets(text: str) -> None:
    assert _actions(text) == []


def test_counted_thing_after_an_action_verb_is_a_target() -> None:
    q = _one("建成内自主城区之间3个“半小时”交通圈。")
    assert (q.indicator, q.value, q.unit, q.kind) == ("“半小时”交通圈", 3.0, "个", "count")


def test_action_years_horizon_and_stated() -> None:
    found = _actions("到2023年,新建城镇污水管网60公里。", "建成农村公路350公里。")
    assert [(q.year, q.year_stated, q.origin) for q in found] == [
        (2023, True, "action"),
        (2025, False, "action"),
    ]


# ---------------------------------------------------------------- a report's lists


REPORT = (
    "政府工作报告\n"
    "——2022年1月20日在某省第十三届人民代表大会第六次会议上\n"
    "一、2021年工作回顾\n"
    "全省地区生产总值增长8.2%，城镇新增就业86万人。\n"
    "二、“十四五”时期主要目标任务\n"
    "今后五年，全省地区生产总值年均增长6%左右，常住人口城镇化率达到60%。\n"
    "（一）建设现代产业体系。\n"
    "建成高标准农田600万亩。\n"
    "三、今年工作安排\n"
    "今年全省经济社会发展的主要预期目标是：地区生产总值增长7%左右；规模以上工业增加值增长\n"
    "8%左右、全社会固定资产投资增长8%、社会消费品零售总额增长9%以上；城镇调查失业率\n"
    "5.5%左右；单位地区生产总值能耗完成国家下达任务。\n"
    "全年新增5G基站4万个。\n"
)


def _report() -> Plan:
    (plan,) = parse_bytes(REPORT.encode(), name="report.txt").plans
    return plan


def test_report_target_list_items_named_and_grounded_each() -> None:
    plan = _report()
    listed = [
        (q.indicator, q.value, q.comparator, q.kind, q.year, q.line)
        for q in plan.targets
        if q.origin == "target-list" and q.value is not None
    ]
    assert listed == [
        ("地区生产总值", 7.0, "~", "growth", 2022, 10),
        ("规模以上工业增加值", 8.0, "~", "growth", 2022, 10),
        ("全社会固定资产投资", 8.0, None, "growth", 2022, 11),
        ("社会消费品零售总额", 9.0, ">=", "growth", 2022, 11),
        ("城镇调查失业率", 5.5, "~", "level", 2022, 11),
    ]
    qualitative = [q.indicator for q in plan.targets if q.kind == "qualitative"]
    assert qualitative == ["单位地区生产总值能耗"]


def test_report_goal_and_task_section_and_review() -> None:
    plan = _report()
    goals = [
        (q.indicator, q.value, q.year, q.origin) for q in plan.targets if q.origin == "goal-section"
    ]
    assert goals == [
        ("地区生产总值", 6.0, 2025, "goal-section"),
        ("常住人口城镇化率", 60.0, 2025, "goal-section"),
    ]
    # The tasks under the 目标任务 section date to the period's end, the rest to the report's
    # year; the review (工作回顾) gives none.
    assert [(q.indicator, q.value, q.year, q.line) for q in plan.action_targets] == [
        ("高标准农田", 600.0, 2025, 8),
        ("新增5G基站", 4.0, 2022, 13),
    ]


def test_contract_json_has_action_targets_and_the_added_fields() -> None:
    plan_json = json.loads(to_json(parse_bytes(REPORT.encode(), name="report.txt")))["plans"][0]
    assert [q["indicator"] for q in plan_json["action_targets"]] == ["高标准农田", "新增5G基站"]
    first = plan_json["targets"][0]
    for field in ("text", "indicator", "value", "unit", "year", "comparator", "kind", "line"):
        assert field in first  # the contract's fields are unchanged
    added = {k: first[k] for k in ("origin", "value_text", "normalised_value", "normalised_unit")}
    assert added == {
        "origin": "goal-section",
        "value_text": "6%",
        "normalised_value": 6.0,
        "normalised_unit": "%",
    }
    assert (first["comparator_text"], first["year_stated"]) == ("年均增长…左右", False)


def test_goal_sections_of_the_seed_keep_their_origin() -> None:
    targets, baselines = extract_targets(
        _plan(
            _heading("发展基础", 2, [_para("2020年全市常住人口达到2093.8万人。", 3)]),
            _heading("发展目标", 4, [_para("到2025年,常住人口城镇化率超过70%。", 5)]),
        )
    )
    assert [(q.origin, q.value) for q in targets] == [("goal-section", 70.0)]
    assert [(q.origin, q.value) for q in baselines] == [("baseline", 2093.8)]


# ---------------------------------------------------------------- the hand-checked sample

# The figures reached (scripts/targets_accuracy.py prints them). Whole sample: 134 targets,
# 134 found, all located, 129 exact. Held-out part (two files written and labelled after the
# rules were frozen): 28 targets, all located, 24 exact. A change that lowers them fails here.
LOCATED_PRECISION = 1.0
LOCATED_RECALL = 1.0
EXACT_PRECISION = 0.96
EXACT_RECALL = 0.96
HELD_OUT_EXACT = 0.85


def _sample_score(subset: str | None) -> tuple[Score, list[Row], list[Row]]:
    expected = [
        r for r in read_sample(FIXTURES / "targets-sample.csv") if subset is None or r.set == subset
    ]
    files = list(dict.fromkeys(row.file for row in expected))
    found = [r for f in files for r in found_rows(f, parse_file(ROOT / f).plans)]
    return score(expected, found)


def test_precision_and_recall_on_the_hand_checked_sample() -> None:
    result, extra, missed = _sample_score(None)
    assert result.expected >= 60
    assert result.precision >= LOCATED_PRECISION, extra
    assert result.recall >= LOCATED_RECALL, missed
    assert result.exact_precision >= EXACT_PRECISION
    assert result.exact_recall >= EXACT_RECALL


def test_precision_and_recall_on_the_held_out_files() -> None:
    result, extra, missed = _sample_score("held-out")
    assert result.expected >= 25
    assert (extra, missed) == ([], [])
    assert result.exact_precision >= HELD_OUT_EXACT
    assert result.exact_recall >= HELD_OUT_EXACT


def test_bundled_plans_action_targets_all_found() -> None:
    """The bundled plans' part of the sample: every hand-checked action target is found,
    and nothing else."""
    bundled = "data/plans/sichuan-2021-five-regional-plans.txt"
    expected = [r for r in read_sample(FIXTURES / "targets-sample.csv") if r.file == bundled]
    result, extra, missed = score(expected, found_rows(bundled, parse_file(ROOT / bundled).plans))
    assert (extra, missed) == ([], [])
    assert result.exact >= result.expected - 1  # 每个县(市)至少1个州级园区 names the county
