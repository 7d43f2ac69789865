"""Reads of progress reports, always starting from what the viewer may see."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import units_for
from planwatch.orgunits.models import OrgUnit
from planwatch.reports.choices import ReportStatus
from planwatch.reports.models import ProgressReport
from planwatch.reports.periods import Period, periods_between
from planwatch.tasks.models import Task
from planwatch.tasks.permissions import can_manage_plan, reporting_units, visible_tasks_q


def visible_reports_q(user: Any) -> Q:
    """Reports of the viewer's units (reporter, reviewer, leader) and of the tasks of plans
    the viewer plans or leads."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    query = Q(pk__in=[])
    for role in (Role.REPORTER, Role.UNIT_REVIEWER, Role.LEADER):
        query |= Q(unit__in=units_for(user, role))
    for role in (Role.PLANNER, Role.LEADER):
        query |= Q(task__plan__org_unit__in=units_for(user, role))
    return query


def report_list_for(
    *, user: Any, task: Task | None = None, status: str | None = None
) -> QuerySet[ProgressReport]:
    """Current reports the viewer may see, newest period first."""
    qs = ProgressReport.objects.filter(visible_reports_q(user), is_current=True)
    if task is not None:
        qs = qs.filter(task=task)
    if status is not None:
        qs = qs.filter(status=status)
    return qs.select_related("task", "unit").order_by("-period_start", "unit__path", "task_id")


def review_queue_for(*, user: Any) -> QuerySet[ProgressReport]:
    """Reports waiting for this viewer: submitted ones of units they review, unit-approved
    ones of plans they plan."""
    reviewer_units = units_for(user, Role.UNIT_REVIEWER)
    qs = ProgressReport.objects.filter(
        Q(status=ReportStatus.SUBMITTED, unit__in=reviewer_units)
        | Q(
            status=ReportStatus.UNIT_APPROVED,
            task__plan__org_unit__in=units_for(user, Role.PLANNER),
        ),
        is_current=True,
    )
    return qs.select_related("task", "unit").order_by("due", "pk")


@dataclass(frozen=True)
class ReportSlot:
    """A period a unit owes a report for, with the report if it has been started.
    `is_lead`: the unit is the task's lead unit, whose report is the summary (汇总)."""

    unit: OrgUnit
    period: Period
    report: ProgressReport | None
    can_start: bool
    is_lead: bool = False


def task_report_slots(*, user: Any, task: Task) -> list[ReportSlot]:
    """Every (reporting unit, period) of the task whose reports the viewer may see: the lead
    unit's first, then each responsible unit's (see tasks.permissions.reporting_units)."""
    if not Task.objects.filter(visible_tasks_q(user), pk=task.pk).exists():
        return []
    reports = {(r.unit_id, r.period_start): r for r in report_list_for(user=user, task=task)}
    reporter_units = set(units_for(user, Role.REPORTER).values_list("pk", flat=True))
    units = reporting_units(task)
    if not _sees_all_units(user, task):
        unit_scope = OrgUnit.objects.none()
        for role in (Role.REPORTER, Role.UNIT_REVIEWER, Role.LEADER):
            unit_scope = unit_scope | units_for(user, role)
        mine = set(unit_scope.filter(pk__in=[u.pk for u in units]).values_list("pk", flat=True))
        units = [u for u in units if u.pk in mine]
    periods = periods_between(task.year, task.annual_list.frequency, task.start, task.deadline)
    return [
        ReportSlot(
            u,
            p,
            reports.get((u.pk, p.start)),
            u.pk in reporter_units,
            is_lead=u.pk == task.lead_unit_id,
        )
        for u in units
        for p in periods
    ]


def _sees_all_units(user: Any, task: Task) -> bool:
    zone = task.plan.org_unit
    return can_manage_plan(user, task.plan) or (
        zone is not None and units_for(user, Role.LEADER).filter(pk=zone.pk).exists()
    )


def task_progress_texts(tasks: Iterable[Task]) -> dict[int, str]:
    """进展情况 per task for the xlsx export: each unit's latest accepted report,
    "宜宾市（2024Q2，35%）：…；泸州市（…）：…"."""
    latest: dict[tuple[int, int], ProgressReport] = {}
    # A queryset of tasks (the export's) is read as a subquery, not as thousands of objects.
    wanted: Any = tasks.order_by().values("pk") if isinstance(tasks, QuerySet) else list(tasks)
    rows = (
        ProgressReport.objects.filter(
            task__in=wanted, status=ReportStatus.ACCEPTED, is_current=True
        )
        .select_related("unit")
        .order_by("period_start")
    )
    for r in rows:
        latest[(r.task_id, r.unit_id)] = r
    texts: dict[int, list[str]] = {}
    for (task_id, _unit), r in sorted(latest.items(), key=lambda kv: kv[1].unit.path):
        texts.setdefault(task_id, []).append(
            f"{r.unit.name}（{r.period_label}，{r.completion}%）：{r.narrative}"
        )
    return {task_id: "；".join(parts) for task_id, parts in texts.items()}
