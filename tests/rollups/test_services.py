"""The summaries stay equal to a recomputation from the raw rows after every kind of write:
reports created, edited, submitted, withdrawn, returned, approved, accepted and corrected,
evidence added and removed, tasks completed, edited on a reopened list, a list's frequency
changed, a list imported from xlsx; and `rollup check` names a tampered row. The dashboards'
trend and the health table read from them equal the same figures counted from the reports."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from planwatch.dashboards.selectors import (
    Scope,
    _light_list,
    _rollup_scope,
    _trend_and_as_of,
    figures_from_groups,
    figures_from_tasks,
    rollup_completion,
    rollup_light_lists,
    rollup_trend,
    scope_tasks,
    unit_completion,
)
from planwatch.orgunits.models import OrgUnit
from planwatch.reports.evidence import evidence_add, evidence_remove
from planwatch.reports.health import (
    UnitHealth,
    _count_reports,
    _count_slots,
    _Scored,
    _slot_groups,
    reporting_health_for,
)
from planwatch.reports.models import ProgressReport
from planwatch.reports.services import (
    progress_report_accept,
    progress_report_approve,
    progress_report_correct,
    progress_report_return,
    progress_report_submit,
    progress_report_update,
    progress_report_withdraw,
)
from planwatch.rollups.models import HealthRollup, LightRollup, TrendRollup, UnchangedRollup
from planwatch.rollups.selectors import task_groups, task_groups_by_year
from planwatch.rollups.services import rollup_check, rollup_rebuild
from planwatch.supervision.choices import Light
from planwatch.supervision.jobs import lights_recompute, supervised_tasks
from planwatch.tasks.models import AnnualList, Task
from planwatch.tasks.services import annual_list_reopen, annual_list_set_frequency, task_update
from planwatch.tasks.xlsx import annual_list_export, annual_list_import
from tests.factories.implementation import Units, report_filed

PDF = b"%PDF-1.4\n%%EOF\n"
TODAY = date(2024, 12, 20)
Q1, Q2, Q3 = date(2024, 1, 1), date(2024, 4, 1), date(2024, 7, 1)


def _stamp(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, tzinfo=UTC)


def _scopes(units: Units, alist: AnnualList) -> list[Scope]:
    return [
        Scope("province", "四川省", unit=units.province),
        Scope("zone", "川南", unit=units.chuannan),
        Scope("prefecture", "宜宾", unit=units.yibin),
        Scope("prefecture", "泸州", unit=units.luzhou),
        Scope("county", "翠屏", unit=units.cuiping),
        Scope("department", "发改委", unit=units.ndrc),
        Scope("plan", "川南规划", plan=alist.plan),
    ]


def _raw_health(today: date) -> dict[int, tuple[int, ...]]:
    """The health table's counts from the reports themselves (reports.health's own path)."""
    table: dict[int, UnitHealth] = {}
    scored = _Scored(None, None)
    _count_slots(table, _slot_groups(scored), today)
    _count_reports(table, scored, today, 3)
    return {u: _figures(h) for u, h in table.items()}


def _figures(h: UnitHealth) -> tuple[int, ...]:
    return (h.pairs, h.due, h.on_time, h.late, h.missing, h.without_evidence, h.unchanged)


def assert_consistent(units: Units, alist: AnnualList, viewer: User) -> None:
    """No difference between the summaries and the raw rows, and every dashboard figure read
    from them equals the one counted from the reports."""
    checked, problems = rollup_check()
    assert problems == [] and checked >= 1
    superuser = User(is_superuser=True)
    for scope in _scopes(units, alist):
        tasks = scope_tasks(user=superuser, scope=scope, year=alist.year)
        raw = figures_from_tasks(tasks)
        where = _rollup_scope(scope)
        groups = task_groups(year=alist.year, **where)
        assert sorted(task_groups_by_year(**where).get(alist.year, []), key=str) == sorted(
            groups, key=str
        ), scope.title
        summarised = figures_from_groups(groups)
        assert sorted(summarised.spans) == sorted(raw.spans), scope.title
        assert replace(summarised, spans=[]) == replace(raw, spans=[]), scope.title
        freq = raw.frequency
        trend = _trend_and_as_of(tasks, year=alist.year, frequency=freq)
        summed = rollup_trend(scope, raw.spans, year=alist.year, frequency=freq)
        assert summed == trend, scope.title
        areas = list(OrgUnit.objects.exclude(kind__in=("province", "zone")))
        by_rollup = rollup_completion(scope, alist.year, areas)
        assert by_rollup == unit_completion(tasks, areas), scope.title
        lists = rollup_light_lists(scope, alist.year)
        for light in (Light.RED, Light.YELLOW):
            assert lists[light] == _light_list(tasks, light), (scope.title, light)
    for day in (date(2024, 4, 6), date(2024, 7, 6), TODAY):
        summarised = {h.unit.pk: _figures(h) for h in reporting_health_for(user=viewer, today=day)}
        raw_rows = _raw_health(day)
        assert summarised == {u: raw_rows[u] for u in summarised}


@pytest.fixture
def people(
    yibin_reporter_user: User,
    yibin_reviewer_user: User,
    luzhou_reporter_user: User,
    luzhou_reviewer_user: User,
    chuannan_planner_user: User,
    planner_user: User,
) -> dict[str, User]:
    return {
        "yb": yibin_reporter_user,
        "ybr": yibin_reviewer_user,
        "lz": luzhou_reporter_user,
        "lzr": luzhou_reviewer_user,
        "planner": chuannan_planner_user,
        "province": planner_user,
    }


def test_report_workflow_keeps_summaries_current(
    issued: AnnualList, units: Units, people: dict[str, User]
) -> None:
    rail, other = issued.tasks.order_by("seq")[:2]
    viewer = people["province"]
    a = report_filed(rail, units.yibin, people["yb"], 40, start=Q1, submitted_at=_stamp(Q2))
    assert TrendRollup.objects.filter(reports__gt=0).exists()
    assert HealthRollup.objects.filter(submitted=1).exists()
    assert_consistent(units, issued, viewer)
    progress_report_approve(report=a, actor=people["ybr"])
    progress_report_accept(report=a, actor=people["planner"])
    b = report_filed(rail, units.luzhou, people["lz"], 60, start=Q1, evidence=PDF)
    c = report_filed(other, units.yibin, people["yb"], 30, start=Q2, submit=False)
    assert_consistent(units, issued, viewer)
    progress_report_return(report=b, actor=people["lzr"], reason="请补充材料")
    evidence_remove(evidence=b.evidence.get(), actor=people["lz"])
    assert_consistent(units, issued, viewer)
    # editing a returned report changes no figure until it is submitted again
    b.refresh_from_db()
    progress_report_update(
        report=b,
        actor=people["lz"],
        version=b.version,
        completion=65,
        progress_status="in_progress",
        narrative="补充后",
    )
    assert_consistent(units, issued, viewer)
    evidence_add(report=b, actor=people["lz"], name="证明.pdf", content=io.BytesIO(PDF))
    progress_report_submit(report=b, actor=people["lz"])
    progress_report_submit(report=c, actor=people["yb"])
    progress_report_withdraw(report=c, actor=people["yb"])
    assert_consistent(units, issued, viewer)
    fixed = progress_report_correct(report=a, actor=people["planner"], reason="数据有误")
    assert_consistent(units, issued, viewer)
    progress_report_update(
        report=fixed,
        actor=people["yb"],
        version=fixed.version,
        completion=45,
        progress_status="in_progress",
        narrative="更正后",
    )
    progress_report_submit(report=fixed, actor=people["yb"])
    assert_consistent(units, issued, viewer)


def test_unchanged_pairs_and_a_completed_task(
    issued: AnnualList, units: Units, people: dict[str, User]
) -> None:
    rail = issued.tasks.order_by("seq").first()
    assert rail is not None
    for start in (Q1, Q2, Q3):
        report_filed(rail, units.luzhou, people["lz"], 50, start=start, submitted_at=_stamp(start))
    assert UnchangedRollup.objects.filter(unit=units.luzhou, pairs=1).exists()
    assert_consistent(units, issued, people["province"])
    # every responsible unit's latest accepted report at 100 % completes the task
    for unit, reporter, reviewer in ((units.yibin, "yb", "ybr"), (units.luzhou, "lz", "lzr")):
        r = report_filed(rail, unit, people[reporter], 100, start=date(2024, 10, 1))
        progress_report_approve(report=r, actor=people[reviewer])
        progress_report_accept(report=r, actor=people["planner"])
    rail.refresh_from_db()
    assert rail.status == "completed"
    assert_consistent(units, issued, people["province"])


def test_task_and_list_changes(
    issued: AnnualList, units: Units, people: dict[str, User], tmp_path: Any
) -> None:
    rail, other = issued.tasks.order_by("seq")[:2]
    report_filed(rail, units.yibin, people["yb"], 40, start=Q1, submitted_at=_stamp(Q2))
    report_filed(other, units.luzhou, people["lz"], 20, start=Q1, submitted_at=_stamp(Q2))
    annual_list_reopen(annual_list=issued, actor=people["planner"], reason="调整责任单位")
    issued.refresh_from_db()
    # 泸州 leaves task 2: its report no longer counts for 泸州's dashboard
    task_update(task=other, actor=people["planner"], changes={"responsible_units": [units.yibin]})
    assert_consistent(units, issued, people["province"])
    # the list imported from xlsx (task_update_many's executemany UPDATEs): 泸州 is back, and
    # task 1's deadline moves so that its Q3 and Q4 slots are no longer due
    path = tmp_path / "list.xlsx"
    path.write_bytes(annual_list_export(annual_list=issued, progress={}))
    wb = load_workbook(path)
    ws = wb.active
    ws["E4"] = "宜宾市、泸州市"
    ws["F3"] = "2024-06-30"
    wb.save(path)
    result = annual_list_import(annual_list=issued, actor=people["planner"], data=path.read_bytes())
    assert result.updated >= 1
    assert_consistent(units, issued, people["province"])
    annual_list_set_frequency(annual_list=issued, actor=people["planner"], frequency="monthly")
    issued.refresh_from_db()
    assert_consistent(units, issued, people["province"])


def _lights(today: date) -> None:
    lights_recompute(
        tasks=supervised_tasks(), today=today, warning_days=30, tolerance=Decimal("10")
    )


def test_light_lists_follow_lights_deadlines_and_units(
    issued: AnnualList, units: Units, people: dict[str, User], monkeypatch: Any
) -> None:
    """The red and yellow lists read through the light-list summaries equal the lists
    counted from the tasks (cut at 2 here, so that the order and the cut matter) after the
    light job, a deadline moved, a unit changed and a task completed."""
    monkeypatch.setattr("planwatch.dashboards.selectors.LIST_LIMIT", 2)
    viewer = people["province"]
    _lights(date(2024, 12, 20))  # near the deadline, nothing reported: behind time
    assert LightRollup.objects.exists()
    assert_consistent(units, issued, viewer)
    _lights(date(2025, 1, 5))  # past the deadline: red
    assert LightRollup.objects.filter(light=Light.RED).count() >= 3
    assert_consistent(units, issued, viewer)
    rail, other, third = issued.tasks.order_by("seq")[:3]
    annual_list_reopen(annual_list=issued, actor=people["planner"], reason="调整时限")
    issued.refresh_from_db()
    task_update(task=third, actor=people["planner"], changes={"deadline": date(2024, 3, 31)})
    task_update(task=other, actor=people["planner"], changes={"responsible_units": [units.yibin]})
    assert_consistent(units, issued, viewer)
    for unit, reporter, reviewer in ((units.yibin, "yb", "ybr"), (units.luzhou, "lz", "lzr")):
        r = report_filed(rail, unit, people[reporter], 100, start=date(2024, 10, 1))
        progress_report_approve(report=r, actor=people[reviewer])
        progress_report_accept(report=r, actor=people["planner"])
    _lights(date(2025, 1, 6))  # the completed task leaves the red list
    assert not LightRollup.objects.filter(task=rail).exists()
    assert_consistent(units, issued, viewer)


def test_check_names_a_tampered_row_and_rebuild_repairs_it(
    issued: AnnualList, units: Units, people: dict[str, User]
) -> None:
    rail = issued.tasks.order_by("seq").first()
    assert rail is not None
    report_filed(rail, units.yibin, people["yb"], 40, start=Q1, submitted_at=_stamp(Q2))
    out = StringIO()
    call_command("rollup", "check", stdout=out)
    assert ": OK" in out.getvalue()
    row = TrendRollup.objects.get(unit=units.yibin, period_start=Q1)
    TrendRollup.objects.filter(pk=row.pk).update(reports=row.reports + 1)
    HealthRollup.objects.filter(unit=units.yibin, period_start=Q1).delete()
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("rollup", "check", stdout=out)
    assert raised.value.returncode == 1
    text = out.getvalue()
    assert "2 difference(s)" in text
    assert f"trend: plan {issued.plan_id} year 2024 unit 511500 2024-01-01 2024-03-31" in text
    assert f"health: plan {issued.plan_id} year 2024 unit 511500 2024-01-01" in text
    assert rollup_rebuild() >= 1
    assert rollup_check()[1] == []


def test_rows_written_past_the_services_show_until_rebuilt(
    issued: AnnualList, units: Units, people: dict[str, User]
) -> None:
    """A bulk write that bypasses the services (as the demo and the benchmark do) is found by
    the check, and the rebuild they call afterwards makes the summaries whole again."""
    rail = issued.tasks.order_by("seq").first()
    assert rail is not None
    report_filed(rail, units.yibin, people["yb"], 40, start=Q1, submitted_at=_stamp(Q2))
    Task.objects.filter(pk=rail.pk).update(status="completed")
    ProgressReport.objects.filter(task=rail).update(completion=90)
    assert rollup_check()[1] != []
    rollup_rebuild()
    assert_consistent(units, issued, people["province"])
