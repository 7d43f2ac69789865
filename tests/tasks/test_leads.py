"""The suggested lead department of a drafted task: the clause matched against each
department's functions (tasks/leads.py), and the names of drafts from 专栏 items."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from planwatch.orgunits.services import DEPARTMENTS_CSV, orgunits_load_reference
from planwatch.plans.models import Node
from planwatch.tasks.leads import (
    ClauseText,
    FunctionLeadSuggester,
    department_functions,
    score_departments,
)
from planwatch.tasks.suggest import TITLE_PROJECTS_CHARS, draft_title

SAMPLE = Path(__file__).resolve().parents[2] / "scripts" / "data" / "lead_sample.csv"
SERVICES = "协同塑造产业竞争新优势"
PUBLIC = "协同提升公共服务水平"

# Items the old chapter-keyword rule gave to the wrong department (issue 9, item 7), with
# their text from the 川南 plan (shortened) and the department whose functions they are.
CASES = [
    (
        "医疗卫生",
        "公共服务重点项目",
        PUBLIC,
        "自贡市第四人民医院南湖总院（川南区域医疗中心）、自贡市公共卫生临床中心、川南妇女儿童医院等。",
        "省卫生健康委",
    ),
    (
        "就业创业",
        "公共服务重点项目",
        PUBLIC,
        "川渝（自贡）创新创业孵化园、泸州就业创业孵化基地、宜宾市创新创业孵化基地等。",
        "省人力资源社会保障厅",
    ),
    (
        "增强应急管理处置能力",
        "共建和谐稳定社会环境",
        PUBLIC,
        "联合制定重大突发事件应急预案，定期开展联合应急演练。强化应急队伍能力建设和装备配置，"
        "建设区域专业应急救援基地。完善应急物资城际间快速支援机制。",
        "省应急管理厅",
    ),
    (
        "现代金融",
        "服务业重点项目",
        SERVICES,
        "自贡盐业交易中心、泸州区域性金融服务中心、内江新华国金中心、宜宾区域金融中心等。",
        "省地方金融监管局",
    ),
    (
        "人力资源",
        "服务业重点项目",
        SERVICES,
        "四川（自贡、内江、宜宾）人力资源服务产业园、泸州人力资源服务中心等。",
        "省人力资源社会保障厅",
    ),
    (
        "文化旅游",
        "服务业重点项目",
        SERVICES,
        "中华彩灯大世界、青龙湖国际旅游度假区、中国酒城·长江生态旅游带、世界酒文化公园等。",
        "省文化和旅游厅",
    ),
    (
        "医疗康养",
        "服务业重点项目",
        SERVICES,
        "自贡市中医医院卧龙湖康疗中心、自贡智慧健康城、泸州长江经济开发区医疗健康园区等。",
        "省卫生健康委",
    ),
    (
        "铁路",
        "交通基础设施重点项目",
        "协同提升基础设施内联外畅水平",
        "建成成自宜高铁、川南城际铁路内自泸段，加快建设渝昆高铁。",
        "省交通运输厅",
    ),
]


@pytest.mark.parametrize(("title", "context", "chapter", "text", "expected"), CASES)
def test_clause_matched_against_functions(
    title: str, context: str, chapter: str, text: str, expected: str
) -> None:
    ranked = score_departments(ClauseText(title, text, context, chapter))
    assert ranked[0][1].department == expected


@pytest.fixture
def reference(db: None) -> None:
    orgunits_load_reference(actor=None)


def test_suggester_names_unit_words_and_functions(reference: None) -> None:
    title, context, chapter, text, expected = CASES[0]
    found = FunctionLeadSuggester().suggest(ClauseText(title, text, context, chapter))
    assert found.unit is not None and found.unit.short_name == expected
    assert "“医疗”" in found.reason or "“医院”" in found.reason
    assert "医疗卫生服务体系" in found.reason  # the department's functions, from the file
    assert len(found.reason) <= 255


def test_suggester_defaults_to_ndrc_when_nothing_matches(reference: None) -> None:
    found = FunctionLeadSuggester().suggest(
        ClauseText("健全协作机制", "建立联席会议制度。", "", "")
    )
    assert found.unit is not None and found.unit.short_name == "省发展改革委"
    assert "默认" in found.reason


def test_functions_file_covers_the_departments() -> None:
    with DEPARTMENTS_CSV.open(encoding="utf-8", newline="") as fh:
        known = {row["short_name"] for row in csv.DictReader(fh)}
    table = department_functions()
    assert len(table) >= 38
    assert all(d.department in known for d in table)
    assert len({d.department for d in table}) == len(table)
    assert all(d.functions and len(d.terms) >= 1 for d in table)


def test_hand_checked_sample_is_large_and_names_known_departments() -> None:
    with SAMPLE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    names = {d.department for d in department_functions()}
    assert len(rows) >= 100
    assert {r["set"] for r in rows} == {"dev", "held-out"}
    assert sum(r["set"] == "held-out" for r in rows) >= 90
    for row in rows:
        assert row["lead"] in names
        assert all(x in names for x in row["also_right"].split("、") if x)


def _box(label: str, title: str) -> Node:
    return Node(pk=1, kind="box", label=label, title=title)


def test_box_item_title_names_box_item_and_projects() -> None:
    box = _box("专栏 5", "交通基础设施重点项目")
    projects = [
        "成自宜高铁",
        "川南城际铁路内自泸段",
        "渝昆高铁",
        "连乐铁路",
        "隆黄铁路叙永至毕节段",
        "绵阳至遂宁至内江铁路",
    ]
    item = Node(pk=2, kind="box_item", parent_id=1, title="铁路", text="建成…", projects=projects)
    title = draft_title(item, {1: box})
    assert title.startswith("专栏5 交通基础设施重点项目 — 铁路：成自宜高铁、川南城际铁路内自泸段")
    assert title.endswith("等")
    assert len(title.split("：", 1)[1]) <= TITLE_PROJECTS_CHARS + 1


def test_box_item_without_projects_shows_start_of_text() -> None:
    box = _box("专栏 5", "交通基础设施重点项目")
    text = (
        "加快推进岷江龙溪口至宜宾段航道整治、沱江内江至自贡至泸州段航道等级提升、"
        "长江泸渝段生态航道整治等。"
    )
    item = Node(pk=2, kind="box_item", parent_id=1, title="航运", text=text, projects=[])
    title = draft_title(item, {1: box})
    assert title.startswith("专栏5 交通基础设施重点项目 — 航运：加快推进岷江龙溪口")
    assert title.endswith("…")


def test_provision_keeps_its_own_title() -> None:
    node = Node(pk=3, kind="provision", title="打造世界级优质白酒产业集群", text="依托…")
    assert draft_title(node, {}) == "打造世界级优质白酒产业集群"
