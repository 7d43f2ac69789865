"""Reads of the summaries: a dashboard's trend and 数据截至, and the report counts of the
reporting-health table. Each is one GROUP BY over a few thousand summary rows, whatever the
number of reports."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Max, Q, Sum

from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.rollups.models import HealthRollup, TrendRollup, UnchangedRollup

# period end → (sum of completion, reports, latest acceptance)
TrendSums = dict[date, tuple[Decimal, int, datetime | None]]


def trend_sums(
    *, year: int, unit: OrgUnit | None = None, plan: Plan | None = None, zone: OrgUnit | None = None
) -> TrendSums:
    """The current, submitted reports of the issued tasks of `year` per period end, in the
    scope of `unit` (its own path scope), of `plan`, of the plans of `zone`, or of every plan
    (none given)."""
    q = Q(year=year, period_end__year=year)
    if unit is not None:
        q &= Q(unit=unit)
    else:
        q &= Q(unit__isnull=True)
        if plan is not None:
            q &= Q(plan=plan)
        elif zone is not None:
            q &= Q(plan__org_unit=zone)
    rows = (
        TrendRollup.objects.filter(q)
        .order_by()
        .values_list("period_end")
        .annotate(total=Sum("completion_sum"), n=Sum("reports"), last=Max("last_accepted"))
    )
    return {end: (total or Decimal(0), int(n or 0), last) for end, total, n, last in rows}


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
