"""The implementation core on the real thing: the five plans of 川府发〔2021〕7 号 as ingested
(tests/factories/plans.py) and the full reference tree of units."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable
from datetime import date

import pytest
from openpyxl import load_workbook

from planwatch.accounts.choices import Role
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Node, Plan, Quantity
from planwatch.supervision.jobs import supervise_run
from planwatch.tasks.models import Task
from planwatch.tasks.services import annual_list_check, annual_list_issue, task_drafts_generate
from planwatch.tasks.xlsx import annual_list_export, annual_list_import
from tests.factories.personas import make_user
from tests.factories.plans import ensure_bundled

pytestmark = pytest.mark.django_db


@pytest.fixture
def south() -> Plan:
    ensure_bundled()
    return Plan.objects.get(title__startswith="川南经济区")


def test_drafts_from_the_south_sichuan_plan(south: Plan) -> None:
    zone = south.org_unit
    assert zone is not None
    planner = make_user("real_planner", (zone, Role.PLANNER))
    result = task_drafts_generate(plan=south, year=2024, actor=planner)
    version = south.current_version
    assert version is not None
    sources = version.nodes.filter(kind__in=("provision", "box_item")).count()
    # 135 provisions and 专栏 items, of which 23 frame the plan (发展基础 6, 发展环境 2,
    # 基本原则 5, 发展定位 4, 发展目标 6): 112 actions.
    assert (sources, len(result.created)) == (135, 112)
    cities = set(zone.children.values_list("name", flat=True))
    assert cities == {"自贡市", "泸州市", "内江市", "宜宾市"}
    responsible = {u.name for t in result.created for u in t.responsible_units.all()}
    assert responsible <= cities  # never 成都 or 重庆, however often the plan names them
    leads = Counter(t.lead_unit.short_name for t in result.created if t.lead_unit)
    assert sum(leads.values()) == len(result.created)  # every draft has a suggested lead
    assert leads["省交通运输厅"] > 0 and leads["省生态环境厅"] > 0 and leads["省发展改革委"] > 0
    # Nothing is complete yet: every task lacks its criterion.
    failures = annual_list_check(annual_list=result.annual_list)
    assert {f.field for f in failures} == {"criterion"} and len(failures) == len(result.created)


def _sections_of(node_ids: Iterable[int]) -> dict[int, str]:
    """The title of the section (else chapter) each node sits in."""
    nodes = {n.pk: n for n in Node.objects.filter(pk__in=list(node_ids)).select_related("parent")}
    return {pk: n.parent.title if n.parent else "" for pk, n in nodes.items()}


# Drafts per plan once the frame (background, 总体要求, implementation chapter) is left out;
# before, every provision and 专栏 item was drafted: 134, 135, 128, 113, 115.
EXPECTED_DRAFTS = {
    "成都平原经济区": 112,
    "川南经济区": 112,
    "川东北经济区": 107,
    "攀西经济区": 93,
    "川西北生态示范区": 95,
}
FRAME_SECTIONS = {
    "发展目标",
    "基本原则",
    "发展定位",
    "战略定位",
    "发展基础",
    "机遇挑战",
    "发展环境",
}


def test_goal_provisions_of_the_five_plans_are_not_drafted() -> None:
    ensure_bundled()
    province = OrgUnit.objects.get(code="510000")
    planner = make_user("real_planner", (province, Role.PLANNER))
    counts = {}
    for plan in Plan.objects.filter(current_version__isnull=False):
        version = plan.current_version
        assert version is not None
        created = task_drafts_generate(plan=plan, year=2024, actor=planner).created
        counts[plan.title.split("“")[0]] = len(created)
        drafted = {t.clause_id for t in created}
        goals = version.nodes.filter(kind="provision", parent__title="发展目标")
        assert goals.count() >= 5  # each plan states its 2025 goals as provisions
        assert not drafted & set(goals.values_list("pk", flat=True))
        # The goals are where the plan's targets are: they stay monitorable as indicators.
        assert Quantity.objects.filter(node__in=goals, role="target").exists()
        assert not set(_sections_of(drafted).values()) & FRAME_SECTIONS
        # Every 专栏 item (projects) is an action, and so are the provisions of action chapters.
        boxed = set(version.nodes.filter(kind="box_item").values_list("pk", flat=True))
        assert boxed and boxed <= drafted
    assert counts == EXPECTED_DRAFTS


def test_action_provisions_of_the_south_plan_are_still_drafted(south: Plan) -> None:
    zone = south.org_unit
    assert zone is not None
    planner = make_user("real_planner", (zone, Role.PLANNER))
    created = task_drafts_generate(plan=south, year=2024, actor=planner).created
    titles = {t.title for t in created}
    assert {"打造世界级优质白酒产业集群", "畅通长江上游黄金水道", "推进跨界水体污染防治"} <= titles
    assert not titles & {"经济总量迈上万亿级台阶", "区域协同、一体发展", "经济综合实力实现新跨越"}


def test_xlsx_round_trip_issue_and_supervise_at_scale(south: Plan) -> None:
    zone = south.org_unit
    assert zone is not None
    planner = make_user("real_planner", (zone, Role.PLANNER))
    alist = task_drafts_generate(plan=south, year=2024, actor=planner).annual_list
    wb = load_workbook(io.BytesIO(annual_list_export(annual_list=alist)))
    ws = wb.active
    for row in range(3, ws.max_row + 1):
        ws.cell(row=row, column=9, value="按年度计划完成")
    out = io.BytesIO()
    wb.save(out)
    result = annual_list_import(annual_list=alist, actor=planner, data=out.getvalue())
    assert result.created == 0 and result.updated == alist.tasks.count()
    annual_list_issue(annual_list=alist, actor=planner)
    summary = supervise_run(today=date(2024, 7, 1), now=alist.created_at)
    # Half the year gone and nothing reported: every task is behind.
    assert summary.lights == {"yellow": Task.objects.filter(annual_list=alist).count()}
    assert summary.cases_opened == summary.lights["yellow"]
    assert OrgUnit.objects.filter(kind="prefecture").count() == 21
