"""Reads of the summaries: a dashboard's trend and 数据截至, and the report counts of the
reporting-health table. Each is one GROUP BY over a few thousand summary rows, whatever the
number of reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q, QuerySet, Sum

from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.rollups.models import (
    HealthRollup,
    LightRollup,
    MapRollup,
    SlotRollup,
    TaskRollup,
    TrendRollup,
    UnchangedRollup,
)

# period end → (sum of completion, reports, latest acceptance)
TrendSums = dict[date, tuple[Decimal, int, datetime | None]]


def trend_sums(
    *, year: int, unit: OrgUnit | None = None, plan: Plan | None = None, zone: OrgUnit | None = None
) -> TrendSums:
    """The current, submitted reports of the issued tasks of `year` per period end, in the
    scope of `unit` (its own path scope), of `plan`, of the plans of `zone`, or of every plan
    (none given)."""
    q = Q(year=year, period_end__year=year) & _scope_q(unit=unit, plan=plan, zone=zone)
    rows = (
        TrendRollup.objects.filter(q)
        .order_by()
        .values_list("period_end")
        .annotate(total=Sum("completion_sum"), n=Sum("reports"), last=Max("last_accepted"))
    )
    return {end: (total or Decimal(0), int(n or 0), last) for end, total, n, last in rows}


def _scope_q(*, unit: OrgUnit | None, plan: Plan | None, zone: OrgUnit | None) -> Q:
    """The summary rows of a dashboard's scope: a unit's own rows, or the every-task rows of
    a plan, of a zone's plans or of every plan."""
    if unit is not None:
        return Q(unit=unit)
    if plan is not None:
        return Q(unit__isnull=True, plan=plan)
    if zone is not None:
        return Q(unit__isnull=True, plan__org_unit=zone)
    return Q(unit__isnull=True)


def task_years(
    *, unit: OrgUnit | None = None, plan: Plan | None = None, zone: OrgUnit | None = None
) -> list[int]:
    """The years that have issued tasks in the scope, latest first."""
    rows = TaskRollup.objects.filter(_scope_q(unit=unit, plan=plan, zone=zone))
    return sorted(set(rows.order_by().values_list("year", flat=True).distinct()), reverse=True)


@dataclass(frozen=True)
class TaskGroup:
    """Issued tasks of a scope and year alike in status, light, frequency, start, deadline."""

    status: str
    light: str  # "" when none was computed yet
    frequency: str
    start: date | None
    deadline: date | None
    tasks: int
    actual_sum: Decimal
    actual_n: int
    lights_on: date | None


def task_groups(
    *,
    year: int,
    unit: OrgUnit | None = None,
    plan: Plan | None = None,
    zone: OrgUnit | None = None,
) -> list[TaskGroup]:
    """The scope's issued tasks of `year`, grouped (one GROUP BY over the summary rows)."""
    rows = (
        TaskRollup.objects.filter(_scope_q(unit=unit, plan=plan, zone=zone), year=year)
        .order_by()
        .values_list("status", "light", "frequency", "start", "deadline")
        .annotate(Sum("tasks"), Sum("actual_sum"), Sum("actual_n"), Max("lights_on"))
    )
    return [
        TaskGroup(status, light, freq, start, end, int(n), total or Decimal(0), int(k), on)
        for status, light, freq, start, end, n, total, k, on in rows
    ]


def task_groups_by_year(
    *, unit: OrgUnit | None = None, plan: Plan | None = None, zone: OrgUnit | None = None
) -> dict[int, list[TaskGroup]]:
    """`task_groups` of every year of the scope in one GROUP BY: its keys are `task_years`
    (a dashboard needs both, and a few hundred summary rows cost less than a second query)."""
    rows = (
        TaskRollup.objects.filter(_scope_q(unit=unit, plan=plan, zone=zone))
        .order_by()
        .values_list("year", "status", "light", "frequency", "start", "deadline")
        .annotate(Sum("tasks"), Sum("actual_sum"), Sum("actual_n"), Max("lights_on"))
    )
    years: dict[int, list[TaskGroup]] = {}
    for year, status, light, freq, start, end, n, total, k, on in rows:
        years.setdefault(year, []).append(
            TaskGroup(status, light, freq, start, end, int(n), total or Decimal(0), int(k), on)
        )
    return years


def area_counts(
    *,
    year: int,
    areas: list[OrgUnit],
    unit: OrgUnit | None = None,
    plan: Plan | None = None,
    zone: OrgUnit | None = None,
) -> dict[int, tuple[int, int]]:
    """Per area (a prefecture or county of the map): the scope's issued tasks of `year` that
    name it or a unit below it as responsible, and how many are completed."""
    rows = (
        MapRollup.objects.filter(
            _scope_q(unit=unit, plan=plan, zone=zone), year=year, area__in=areas
        )
        .order_by()
        .values_list("area_id")
        .annotate(Sum("tasks"), Sum("completed"))
    )
    return {area: (int(n), int(done)) for area, n, done in rows}


def health_counts(*, plan: Plan | None, today: date) -> dict[int, tuple[int, int, int, int]]:
    """Per reporting unit of `plan`'s (or every plan's) issued tasks: on time, submitted and
    without evidence over the slots due before `today`, and unchanged pairs."""
    scope = Q(plan=plan) if plan is not None else Q()
    slots = (
        HealthRollup.objects.filter(scope, due__lt=today)
        .order_by()
        .values_list("unit_id")
        .annotate(Sum("on_time"), Sum("submitted"), Sum("without_evidence"))
    )
    counts = {u: (int(a), int(b), int(c), 0) for u, a, b, c in slots}
    stuck = (
        UnchangedRollup.objects.filter(scope)
        .order_by()
        .values_list("unit_id")
        .annotate(Sum("pairs"))
    )
    for unit_id, pairs in stuck:
        on_time, submitted, bare, _ = counts.get(unit_id, (0, 0, 0, 0))
        counts[unit_id] = (on_time, submitted, bare, int(pairs))
    return counts


def slot_groups(
    *, plan: Plan | None
) -> list[tuple[int, tuple[int, str, date | None, date | None], int]]:
    """reports.health's slot groups — (unit, (year, frequency, start, deadline), pairs) — of
    `plan`'s (or every plan's) scored tasks."""
    scope = Q(plan=plan) if plan is not None else Q()
    rows = (
        SlotRollup.objects.filter(scope)
        .order_by()
        .values_list("unit_id", "year", "frequency", "start", "deadline")
        .annotate(Sum("pairs"))
    )
    return [(unit, (year, freq, start, end), int(n)) for unit, year, freq, start, end, n in rows]


def scope_plan_ids(
    *, unit: OrgUnit | None = None, plan: Plan | None = None, zone: OrgUnit | None = None
) -> list[int]:
    """The plans that hold issued tasks of the scope."""
    rows = TaskRollup.objects.filter(_scope_q(unit=unit, plan=plan, zone=zone))
    return sorted(set(rows.order_by().values_list("plan_id", flat=True).distinct()))


def light_list_ids(
    *,
    year: int,
    light: str,
    limit: int,
    unit: OrgUnit | None = None,
    plan: Plan | None = None,
    zone: OrgUnit | None = None,
) -> QuerySet[LightRollup, Any]:
    """The ids of the scope's first `limit` issued tasks of `year` with `light` (red or
    yellow), earliest deadline first, then by id — a subquery, limited before any join."""
    rows = LightRollup.objects.filter(_scope_q(unit=unit, plan=plan, zone=zone), year=year)
    return rows.filter(light=light).order_by("deadline", "task_id").values("task_id")[:limit]
