"""Reporting health against a plain restatement of its definition: random reports on the
`issued` list (drafts, submissions either side of the due date, returns, accepted reports
corrected into a second revision, evidence, lead units that are or are not also
responsible, a narrowed task, a change of frequency), then every figure of every row of
`reporting_health_for` compared with the same figures counted slot by slot in Python.

This guards the grouped SQL of planwatch/reports/health.py: any change to it that changes a
result fails here."""

from __future__ import annotations

import io
import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import DateField, Value
from django.utils import timezone

from planwatch.accounts.choices import Role
from planwatch.orgunits.models import OrgUnit
from planwatch.reports.choices import ReportStatus
from planwatch.reports.evidence import evidence_add
from planwatch.reports.health import _PeriodDue, reporting_health_for
from planwatch.reports.models import ProgressReport
from planwatch.reports.periods import Period, periods_between, periods_for
from planwatch.reports.services import (
    progress_report_accept,
    progress_report_approve,
    progress_report_correct,
    progress_report_return,
    progress_report_start,
    progress_report_submit,
    progress_report_update,
)
from planwatch.tasks.models import AnnualList, Task
from planwatch.tasks.permissions import reporting_units
from planwatch.tasks.services import (
    annual_list_issue,
    annual_list_reopen,
    annual_list_set_frequency,
)
from tests.factories.implementation import Units
from tests.factories.personas import make_user

PDF = b"%PDF-1.4\n%%EOF\n"
Figures = tuple[int, int, int, int, int, int, int]


def _expected(today: date, periods: int) -> dict[int, Figures]:
    """(pairs, due, on time, late, missing, without evidence, unchanged) per unit, counted
    slot by slot from the definition in the module docstring of reports.health."""
    table: dict[int, list[int]] = {}
    tasks = Task.objects.filter(
        status__in=("active", "completed"), annual_list__issued_number__gte=1
    )
    for task in tasks.select_related("annual_list", "lead_unit"):
        slots = periods_between(task.year, task.annual_list.frequency, task.start, task.deadline)
        for unit in reporting_units(task):
            row = table.setdefault(unit.pk, [0] * 7)
            row[0] += 1
            for p in (p for p in slots if p.due < today):
                _count_slot(row, task, unit, p)
            row[6] += _stuck(task, unit, slots, periods)
    for row in table.values():
        row[4] = row[1] - row[2] - row[3]
    return {unit: (r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for unit, r in table.items()}


def _count_slot(row: list[int], task: Task, unit: OrgUnit, p: Period) -> None:
    row[1] += 1
    revisions = ProgressReport.objects.filter(task=task, unit=unit, period_start=p.start)
    current = revisions.filter(is_current=True).first()
    if current is None:
        return
    firsts = [r.first_submitted_at for r in revisions if r.first_submitted_at is not None]
    if not firsts:
        return
    day = timezone.localtime(min(firsts)).date()
    row[2 if day <= p.due else 3] += 1
    row[5] += not current.evidence.exists()


def _stuck(task: Task, unit: OrgUnit, slots: list[Period], periods: int) -> int:
    starts = {p.start for p in slots}
    submitted = ProgressReport.objects.filter(
        task=task, unit=unit, is_current=True, status__in=ReportStatus.REPORTED
    ).order_by("-period_start")
    tail = [r.completion for r in submitted if r.period_start in starts][:periods]
    return int(
        periods >= 2
        and len(tail) == periods
        and None not in tail
        and len(set(tail)) == 1
        and tail[0] is not None
        and tail[0] < Decimal(100)
    )


def _actual(chuannan_planner_user: Any, today: date, periods: int) -> dict[int, Figures]:
    rows = reporting_health_for(user=chuannan_planner_user, today=today, unchanged_periods=periods)
    return {
        h.unit.pk: (h.pairs, h.due, h.on_time, h.late, h.missing, h.without_evidence, h.unchanged)
        for h in rows
    }


def _around(due: date, rng: random.Random) -> datetime:
    """A submission time near a due date: days either side, and late evening in Beijing
    (which is still the due day there but the next day in UTC, or the reverse)."""
    day = due + timedelta(days=rng.choice((-10, -1, 0, 0, 1, 3)))
    hour = rng.choice((1, 15, 16, 23))  # UTC hours: 15:00 UTC is 23:00 in Beijing
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


class World:
    def __init__(self, units: Units, chuannan_planner_user: Any) -> None:
        self.planner = chuannan_planner_user
        self.reporters: dict[int, Any] = {}
        self.reviewers: dict[int, Any] = {}
        for u in (units.yibin, units.luzhou, units.transport, units.ecology, units.ndrc):
            self.reporters[u.pk] = make_user(f"rep_{u.code}", (u, Role.REPORTER))
            self.reviewers[u.pk] = make_user(f"rev_{u.code}", (u, Role.UNIT_REVIEWER))

    def report(self, task: Task, unit: OrgUnit, p: Period, rng: random.Random) -> None:
        """One slot's story, chosen at random (often nothing at all)."""
        fate = rng.choice(("none", "none", "draft", "sent", "sent", "returned", "corrected"))
        if fate == "none":
            return
        reporter, reviewer = self.reporters[unit.pk], self.reviewers[unit.pk]
        r = progress_report_start(task=task, unit=unit, period_start=p.start, actor=reporter)
        completion = rng.choice((20, 20, 50, 100))
        progress_report_update(
            report=r,
            actor=reporter,
            version=r.version,
            completion=completion,
            progress_status="in_progress",
            narrative="推进中",
        )
        if rng.random() < 0.4:
            evidence_add(report=r, actor=reporter, name="证明.pdf", content=io.BytesIO(PDF))
        if fate == "draft":
            return
        progress_report_submit(report=r, actor=reporter, now=_around(p.due, rng))
        if fate == "returned":
            progress_report_return(report=r, actor=reviewer, reason="补充材料")
        elif fate == "corrected":
            progress_report_approve(report=r, actor=reviewer)
            progress_report_accept(report=r, actor=self.planner)
            new = progress_report_correct(report=r, actor=self.planner, reason="更正")
            if rng.random() < 0.5:
                progress_report_submit(report=new, actor=reporter, now=_around(p.due, rng))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_health_matches_its_definition_slot_by_slot(
    seed: int, issued: AnnualList, units: Units, chuannan_planner_user: Any
) -> None:
    rng = random.Random(seed)
    tasks = list(issued.tasks.order_by("seq"))
    # One lead unit that is also a responsible unit (its slots are counted once) and one
    # task that starts late (fewer slots).
    Task.objects.filter(pk=tasks[0].pk).update(lead_unit=units.yibin)
    Task.objects.filter(pk=tasks[1].pk).update(start=date(2024, 4, 1))
    world = World(units, chuannan_planner_user)
    for task in Task.objects.filter(annual_list=issued).select_related("lead_unit", "annual_list"):
        for unit in reporting_units(task):
            for p in periods_between(2024, "quarterly", task.start, task.deadline):
                world.report(task, unit, p, rng)
    assert ProgressReport.objects.count() > 10

    for today in (date(2024, 4, 5), date(2024, 4, 6), date(2024, 10, 20), date(2025, 2, 1)):
        for periods in (2, 3):
            assert _actual(chuannan_planner_user, today, periods) == _expected(today, periods)

    # Monthly from now on: the quarterly reports fill the first month of each quarter.
    annual_list_reopen(annual_list=issued, actor=chuannan_planner_user, reason="改为按月报送")
    annual_list_set_frequency(annual_list=issued, actor=chuannan_planner_user, frequency="monthly")
    annual_list_issue(annual_list=issued, actor=chuannan_planner_user)
    for today in (date(2024, 7, 20), date(2025, 2, 1)):
        assert _actual(chuannan_planner_user, today, 2) == _expected(today, 2)


@pytest.mark.parametrize("frequency", ["monthly", "quarterly"])
def test_due_dates_computed_in_sql_are_the_periods_due_dates(frequency: str, units: Units) -> None:
    """The health query computes each slot's due date in SQL (`_PeriodDue`); it must give the
    due date of reports.periods for every period, leap years and year ends included."""
    months = 1 if frequency == "monthly" else 3
    for year in (2023, 2024, 2025):
        for p in periods_for(year, frequency):
            due = _PeriodDue(Value(p.start, output_field=DateField()), Value(months))
            got = OrgUnit.objects.filter(pk=units.yibin.pk).annotate(due=due).get().due
            assert got == p.due, p
