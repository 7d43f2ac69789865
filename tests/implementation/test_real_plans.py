"""The implementation core on the real thing: the five plans of 川府发〔2021〕7 号 as ingested
(tests/web/fixtures_data.py) and the full reference tree of units."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date

import pytest
from openpyxl import load_workbook

from planwatch.accounts.choices import Role
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.supervision.jobs import supervise_run
from planwatch.tasks.models import Task
from planwatch.tasks.services import annual_list_check, annual_list_issue, task_drafts_generate
from planwatch.tasks.xlsx import annual_list_export, annual_list_import
from tests.implementation.factories import make_user
from tests.web.fixtures_data import ensure_bundled

pytestmark = pytest.mark.django_db


@pytest.fixture
def south() -> Plan:
    ensure_bundled()
    return Plan.objects.get(title__startswith="川南经济区")


def test_drafts_from_the_south_sichuan_plan(south: Plan) -> None:
    zone = south.org_unit
    assert zone is not None
    planner = make_user("real_planner", Role.PLANNER, zone)
    result = task_drafts_generate(plan=south, year=2024, actor=planner)
    version = south.current_version
    assert version is not None
    sources = version.nodes.filter(kind__in=("provision", "box_item")).count()
    assert len(result.created) == sources > 100
    cities = set(zone.children.values_list("name", flat=True))
    assert cities == {"自贡市", "泸州市", "内江市", "宜宾市"}
    responsible = {u.name for t in result.created for u in t.responsible_units.all()}
    assert responsible <= cities  # never 成都 or 重庆, however often the plan names them
    leads = Counter(t.lead_unit.short_name for t in result.created if t.lead_unit)
    assert sum(leads.values()) == len(result.created)  # every draft has a suggested lead
    assert leads["省交通运输厅"] > 0 and leads["省生态环境厅"] > 0 and leads["省发展改革委"] > 0
    # Nothing is complete yet: every task lacks its criterion.
    failures = annual_list_check(annual_list=result.annual_list)
    assert {f.field for f in failures} == {"criterion"} and len(failures) == sources


def test_xlsx_round_trip_issue_and_supervise_at_scale(south: Plan) -> None:
    zone = south.org_unit
    assert zone is not None
    planner = make_user("real_planner", Role.PLANNER, zone)
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
