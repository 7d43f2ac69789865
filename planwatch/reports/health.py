"""Reporting health (填报健康度) per responsible unit — the commonest failure of plan
trackers is owners who never report, so it is counted and scored:

- due: report slots (task × responsible unit × period) whose due date has passed;
- on time / late: first submitted on or before / after the due date (Asia/Shanghai days;
  a report later returned still counts as submitted when it first was);
- missing: due and never submitted;
- without evidence: submitted, and the current revision has no evidence file;
- unchanged: task × unit pairs whose last `unchanged_periods` submitted reports all give
  the same completion below 100 %.

score = 100 × (on_time + ½·late) / due − 20 × without_evidence / submitted
        − 20 × unchanged / pairs, floored at 0; None when nothing is due yet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateField,
    DateTimeField,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.reports.choices import ReportStatus
from planwatch.reports.models import Evidence, ProgressReport
from planwatch.reports.periods import periods_between, periods_for
from planwatch.tasks.choices import ReportingFrequency, TaskStatus
from planwatch.tasks.models import Task
from planwatch.tasks.permissions import visible_tasks_q

SUBMITTED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.UNIT_APPROVED, ReportStatus.ACCEPTED)


@dataclass
class UnitHealth:
    unit: OrgUnit
    pairs: int = 0
    due: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    without_evidence: int = 0
    unchanged: int = 0

    @property
    def submitted(self) -> int:
        return self.on_time + self.late

    @property
    def score(self) -> float | None:
        if not self.due:
            return None
        value = (self.on_time + 0.5 * self.late) / self.due
        value -= 0.2 * self.without_evidence / max(self.submitted, 1)
        value -= 0.2 * self.unchanged / max(self.pairs, 1)
        return round(max(0.0, 100 * value), 1)


def _health_task_ids(user: Any, plan: Plan | None) -> QuerySet[Task, Any] | None:
    """The tasks whose reporting is scored, as a subquery (None: the user sees no table)."""
    if not (has_role(user, Role.PLANNER) or has_role(user, Role.LEADER)):
        return None
    qs = Task.objects.filter(
        visible_tasks_q(user),
        annual_list__issued_number__gte=1,
        status__in=(TaskStatus.ACTIVE, TaskStatus.COMPLETED),
    )
    if plan is not None:
        qs = qs.filter(plan=plan)
    return qs.order_by().values("pk").distinct()


def _count_slots(
    table: dict[int, UnitHealth], task_ids: QuerySet[Task, Any], today: date
) -> set[tuple[int, str]]:
    """Pairs and due slots per unit: the task × unit pairs are grouped by what fixes their
    periods (year, frequency, start, deadline), so the periods are listed once per group.
    Returns the (year, frequency) pairs met."""
    through = Task.responsible_units.through
    groups = (
        through.objects.filter(task__in=task_ids)
        .values(
            "orgunit_id",
            "task__year",
            "task__annual_list__frequency",
            "task__start",
            "task__deadline",
        )
        .annotate(n=Count("*"))
        .order_by()
    )
    rows = list(groups)
    units = OrgUnit.objects.in_bulk({g["orgunit_id"] for g in rows})
    due_per_shape: dict[tuple[int, str, date | None, date | None], int] = {}
    for g in rows:
        shape = (
            g["task__year"],
            g["task__annual_list__frequency"],
            g["task__start"],
            g["task__deadline"],
        )
        if shape not in due_per_shape:
            due_per_shape[shape] = sum(p.due < today for p in periods_between(*shape))
        h = table.setdefault(g["orgunit_id"], UnitHealth(units[g["orgunit_id"]]))
        h.pairs += g["n"]
        h.due += g["n"] * due_per_shape[shape]
    return {(year, frequency) for year, frequency, _start, _deadline in due_per_shape}


def _period_due(calendars: set[tuple[int, str]], today: date) -> Case:
    """A report's due date as its list's frequency now fixes it (not the date stored with the
    report, which a later change of frequency leaves behind); NULL unless already past."""
    return Case(
        *(
            When(task__annual_list__frequency=frequency, period_start=p.start, then=Value(p.due))
            for year, frequency in sorted(calendars)
            for p in periods_for(year, frequency)
            if p.due < today
        ),
        default=None,
        output_field=DateField(),
    )


def _slot_reports(task_ids: QuerySet[Task, Any]) -> QuerySet[ProgressReport]:
    """Reports that fill a slot: a task scored, a unit responsible for it, a period of the
    task's year and frequency overlapping its start..deadline."""
    through = Task.responsible_units.through
    responsible = through.objects.filter(
        task_id=OuterRef("task_id"), orgunit_id=OuterRef("unit_id")
    )
    return ProgressReport.objects.filter(
        Exists(responsible),
        Q(task__annual_list__frequency=ReportingFrequency.MONTHLY)
        | Q(period_start__month__in=(1, 4, 7, 10)),
        Q(task__deadline__isnull=True) | Q(period_start__lte=F("task__deadline")),
        Q(task__start__isnull=True) | Q(period_end__gte=F("task__start")),
        task__in=task_ids,
        period_start__year=F("task__year"),
    ).order_by()


def _count_submissions(
    table: dict[int, UnitHealth], task_ids: QuerySet[Task, Any], due: Case
) -> None:
    """On time, late and without evidence per unit, one row per slot that is due: its current
    revision, with the first submission of any revision of the slot."""
    first = (
        ProgressReport.objects.filter(
            task_id=OuterRef("task_id"),
            unit_id=OuterRef("unit_id"),
            period_start=OuterRef("period_start"),
        )
        .order_by()
        .values("task_id")
        .annotate(first=Min("first_submitted_at"))
        .values("first")
    )
    local = timezone.get_current_timezone()
    rows = (
        _slot_reports(task_ids)
        .annotate(period_due=due)
        .filter(is_current=True, period_due__isnull=False)
        .annotate(
            # A first revision is its slot's only one: no need to look for earlier ones.
            first=Case(
                When(revision=1, then=F("first_submitted_at")),
                default=Subquery(first, output_field=DateTimeField()),
            ),
            has_evidence=Exists(Evidence.objects.filter(report_id=OuterRef("pk"))),
        )
        .annotate(first_day=TruncDate("first", tzinfo=local))
        .values("unit_id")
        .annotate(
            on_time=Count("pk", filter=Q(first_day__lte=F("period_due"))),
            submitted=Count("first"),
            without_evidence=Count("pk", filter=Q(first__isnull=False, has_evidence=False)),
        )
        .order_by()
    )
    for r in rows:
        h = table.get(r["unit_id"])
        if h is None:
            continue
        h.on_time, h.late = r["on_time"], r["submitted"] - r["on_time"]
        h.without_evidence = r["without_evidence"]
    for h in table.values():
        h.missing = h.due - h.on_time - h.late


def _count_unchanged(
    table: dict[int, UnitHealth], task_ids: QuerySet[Task, Any], periods: int
) -> None:
    """Pairs whose last `periods` submitted current reports give one completion below 100 %:
    the reports are numbered newest first per pair (a window), the newest `periods` grouped
    per pair, and the stuck pairs counted per unit. The ORM groups a window-filtered query
    inside the window's subquery, so the two outer levels are written in SQL around it."""
    if periods < 2:
        return
    numbered = Window(
        RowNumber(), partition_by=[F("task_id"), F("unit_id")], order_by=F("period_start").desc()
    )
    ranked = (
        _slot_reports(task_ids)
        .filter(is_current=True, status__in=SUBMITTED_STATUSES)
        .annotate(newest=numbered)
        .values("task_id", "unit_id", "completion", "newest")
    )
    inner, params = ranked.query.sql_with_params()
    sql = f"""
        SELECT unit_id, COUNT(*) FROM (
            SELECT task_id, unit_id, COUNT(*) AS n, COUNT(completion) AS valued,
                   MIN(completion) AS low, MAX(completion) AS high
            FROM ({inner}) ranked WHERE newest <= %s GROUP BY task_id, unit_id
        ) tails
        WHERE n = %s AND valued = %s AND low = high AND high < 100
        GROUP BY unit_id"""
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, periods, periods, periods))
        for unit_id, stuck in cursor.fetchall():
            if unit_id in table:
                table[unit_id].unchanged = stuck


def reporting_health_for(
    *, user: Any, today: date, plan: Plan | None = None, unchanged_periods: int = 3
) -> list[UnitHealth]:
    """The health table for the units responsible for tasks `user` may see — planners and
    leaders only (anyone else gets an empty table) — worst score first."""
    task_ids = _health_task_ids(user, plan)
    if task_ids is None:
        return []
    table: dict[int, UnitHealth] = {}
    calendars = _count_slots(table, task_ids, today)
    if any(h.due for h in table.values()):
        _count_submissions(table, task_ids, _period_due(calendars, today))
    _count_unchanged(table, task_ids, unchanged_periods)
    rows = [h for h in table.values() if _in_scope(user, h.unit)]
    return sorted(rows, key=lambda h: (h.score is None, h.score or 0, h.unit.path))


def _in_scope(user: Any, unit: OrgUnit) -> bool:
    """A unit's row is shown to planners and leaders whose scope covers it (a zone covers its
    cities); departments sit beside the zones, so their rows go to whoever sees the tasks."""
    return (
        unit.kind == OrgUnitKind.DEPARTMENT
        or has_role(user, Role.PLANNER, unit)
        or has_role(user, Role.LEADER, unit)
    )
