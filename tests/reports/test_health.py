"""Reporting health per unit: due, on time, late, missing, without evidence, unchanged, score."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from typing import Any

from planwatch.reports.evidence import evidence_add
from planwatch.reports.health import UnitHealth, reporting_health_for
from planwatch.tasks.models import AnnualList, Task
from tests.factories.implementation import Units, report_filed

PDF = b"%PDF-1.4\n%%EOF\n"


def _report(
    task: Task,
    unit: Any,
    actor: Any,
    start: date,
    completion: int,
    submitted: datetime | None,
    evidence: bool = False,
) -> None:
    report_filed(
        task,
        unit,
        actor,
        completion,
        start=start,
        narrative="推进中",
        evidence=PDF if evidence else None,
        submit=submitted is not None,
        submitted_at=submitted,
    )


def _cities(units: Units) -> set[Any]:
    """The responsible units of every task of the `issued` list."""
    return {units.yibin, units.luzhou}


def _leads(units: Units) -> set[Any]:
    """The lead units the drafting suggested for the `issued` list's four tasks."""
    return {units.transport, units.ecology, units.ndrc}


def _row(table: list[UnitHealth], unit: Any) -> UnitHealth:
    return next(h for h in table if h.unit == unit)


def test_health_table_counts_and_scores(
    issued: AnnualList, units: Units, yibin_reporter_user: Any, chuannan_planner_user: Any
) -> None:
    rail = issued.tasks.get(seq=1)
    other = issued.tasks.get(seq=2)
    q1, q2, q3 = date(2024, 1, 1), date(2024, 4, 1), date(2024, 7, 1)
    # Q1 due 4月5日, Q2 due 7月5日. Times are UTC; 4月5日 23:00 Beijing is still on time.
    _report(
        rail, units.yibin, yibin_reporter_user, q1, 30, datetime(2024, 4, 5, 15, tzinfo=UTC), True
    )
    _report(rail, units.yibin, yibin_reporter_user, q2, 30, datetime(2024, 7, 9, 2, tzinfo=UTC))
    _report(other, units.yibin, yibin_reporter_user, q1, 10, datetime(2024, 4, 1, 2, tzinfo=UTC))
    _report(other, units.yibin, yibin_reporter_user, q2, 20, None)  # a draft is not a report
    _report(rail, units.yibin, yibin_reporter_user, q3, 30, datetime(2024, 7, 15, 2, tzinfo=UTC))

    table = reporting_health_for(
        user=chuannan_planner_user, today=date(2024, 7, 20), unchanged_periods=3
    )

    yb, lz = _row(table, units.yibin), _row(table, units.luzhou)
    assert (yb.pairs, yb.due, yb.on_time, yb.late, yb.missing) == (4, 8, 2, 1, 5)
    assert yb.without_evidence == 2  # Q2 and the other task's Q1; Q3 is not due yet
    assert yb.unchanged == 1  # rail stuck at 30 % for three periods
    assert (lz.due, lz.missing, lz.score) == (8, 8, 0.0)
    # 100 × ((2 + 0.5) / 8 − 0.2 × 2/3 − 0.2 × 1/4) = 12.9
    assert yb.score == 12.9
    cities = [h.unit for h in table if h.unit in (units.luzhou, units.yibin)]
    assert cities == [units.luzhou, units.yibin]  # worst first
    # The lead units report too (one slot per task they lead): none has reported yet.
    leads = {h.unit: (h.pairs, h.due, h.missing, h.score) for h in table if h.unit not in cities}
    assert leads == {
        units.transport: (1, 2, 2, 0.0),
        units.ecology: (2, 4, 4, 0.0),
        units.ndrc: (1, 2, 2, 0.0),
    }


def test_health_before_anything_is_due(
    issued: AnnualList, chuannan_planner_user: Any, units: Units
) -> None:
    table = reporting_health_for(user=chuannan_planner_user, today=date(2024, 3, 1))
    assert {h.unit for h in table} == {*_cities(units), *_leads(units)}
    assert all(h.due == 0 and h.score is None for h in table)


def test_health_visible_to_planners_and_leaders_only(
    issued: AnnualList,
    units: Units,
    chuannan_planner_user: Any,
    chuannan_leader_user: Any,
    panxi_planner_user: Any,
    yibin_reporter_user: Any,
    yibin_reviewer_user: Any,
) -> None:
    today = date(2024, 7, 20)
    rows = {*_cities(units), *_leads(units)}
    assert {h.unit for h in reporting_health_for(user=chuannan_leader_user, today=today)} == rows
    assert {
        h.unit
        for h in reporting_health_for(user=chuannan_planner_user, today=today, plan=issued.plan)
    } == (rows)
    assert reporting_health_for(user=panxi_planner_user, today=today) == []
    assert reporting_health_for(user=yibin_reporter_user, today=today) == []
    assert reporting_health_for(user=yibin_reviewer_user, today=today) == []


def test_a_city_leader_sees_only_their_city(issued: AnnualList, units: Units) -> None:
    from planwatch.accounts.choices import Role
    from tests.factories.personas import make_user

    yibin_leader = make_user("yb_leader", (units.yibin, Role.LEADER))
    table = reporting_health_for(user=yibin_leader, today=date(2024, 7, 20))
    # Not 泸州; the lead departments of 宜宾's tasks sit beside the zones and are shown.
    assert {h.unit for h in table} == {units.yibin, *_leads(units)}


def test_health_counts_the_current_revision_within_the_tasks_periods(
    issued: AnnualList,
    units: Units,
    yibin_reporter_user: Any,
    yibin_reviewer_user: Any,
    chuannan_planner_user: Any,
) -> None:
    """A corrected period keeps its first submission but is judged on the evidence of its
    current revision; a report left outside the task's start..deadline no longer counts."""
    from planwatch.reports.models import ProgressReport
    from planwatch.reports.services import (
        progress_report_accept,
        progress_report_approve,
        progress_report_correct,
    )

    rail = issued.tasks.get(seq=1)
    q1, q2 = date(2024, 1, 1), date(2024, 4, 1)
    _report(rail, units.yibin, yibin_reporter_user, q1, 30, datetime(2024, 4, 1, 2, tzinfo=UTC))
    _report(rail, units.yibin, yibin_reporter_user, q2, 30, datetime(2024, 7, 1, 2, tzinfo=UTC))
    before = _row(
        reporting_health_for(user=chuannan_planner_user, today=date(2024, 7, 20)), units.yibin
    )
    assert (before.due, before.on_time, before.without_evidence) == (8, 2, 2)

    first = ProgressReport.objects.get(task=rail, unit=units.yibin, period_start=q1)
    progress_report_approve(report=first, actor=yibin_reviewer_user)
    progress_report_accept(report=first, actor=chuannan_planner_user)
    second = progress_report_correct(report=first, actor=chuannan_planner_user, reason="补充佐证")
    evidence_add(report=second, actor=yibin_reporter_user, name="证明.pdf", content=io.BytesIO(PDF))
    Task.objects.filter(pk=rail.pk).update(deadline=date(2024, 3, 31))

    yb = _row(
        reporting_health_for(user=chuannan_planner_user, today=date(2024, 7, 20)), units.yibin
    )
    assert (yb.pairs, yb.due, yb.on_time, yb.late, yb.missing) == (4, 7, 1, 0, 6)
    assert yb.without_evidence == 0


def test_health_follows_a_change_of_reporting_frequency(
    issued: AnnualList, units: Units, yibin_reporter_user: Any, chuannan_planner_user: Any
) -> None:
    """A report filed for a quarter is judged against the period its list now has (here the
    month of January, due 2月5日), as every slot is."""
    from planwatch.tasks.services import (
        annual_list_issue,
        annual_list_reopen,
        annual_list_set_frequency,
    )

    rail = issued.tasks.get(seq=1)
    _report(
        rail,
        units.yibin,
        yibin_reporter_user,
        date(2024, 1, 1),
        30,
        datetime(2024, 4, 1, tzinfo=UTC),
    )
    today = date(2024, 7, 20)
    quarterly = _row(reporting_health_for(user=chuannan_planner_user, today=today), units.yibin)
    assert (quarterly.due, quarterly.on_time, quarterly.late) == (8, 1, 0)

    annual_list_reopen(annual_list=issued, actor=chuannan_planner_user, reason="改为按月报送")
    annual_list_set_frequency(annual_list=issued, actor=chuannan_planner_user, frequency="monthly")
    annual_list_issue(annual_list=issued, actor=chuannan_planner_user)
    monthly = _row(reporting_health_for(user=chuannan_planner_user, today=today), units.yibin)
    assert (monthly.due, monthly.on_time, monthly.late) == (24, 0, 1)
