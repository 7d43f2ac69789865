"""Reads for indicators, each starting from what the viewer may see: public visitors see
confirmed indicators and verified observations only; signed-in users with a role see
unverified values too; planners see their plans' drafts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import FilteredRelation, Q, QuerySet

from planwatch.indicators import methods as m
from planwatch.indicators.choices import IndicatorStatus, Kind
from planwatch.indicators.models import ComputedStatus, Indicator, Observation
from planwatch.indicators.permissions import can_manage_indicator, is_insider
from planwatch.indicators.services import current_method
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.choices import QuantityRole
from planwatch.plans.models import Plan


def indicators_for(*, user: Any, plan_ids: list[int] | None = None) -> QuerySet[Indicator]:
    """Confirmed indicators (and, for a plan's planners, its drafts — checked per row by the
    caller through `can_manage_indicator`; this query returns confirmed ones only)."""
    qs = Indicator.objects.filter(status=IndicatorStatus.CONFIRMED).select_related("plan", "place")
    if plan_ids is not None:
        qs = qs.filter(plan_id__in=plan_ids)
    return qs.order_by("plan__sort_order", "id")


def drafts_for(*, user: Any, plan: Any) -> list[Indicator]:
    rows = list(
        Indicator.objects.filter(plan=plan).exclude(status=IndicatorStatus.MERGED).order_by("id")
    )
    return [i for i in rows if can_manage_indicator(user, i)]


def action_targets_offered(plan: Any) -> int:
    """How many numeric goals of the plan's action paragraphs (任务目标) are not drafted yet."""
    version = plan.current_version
    if version is None:
        return 0
    done = {
        d.get("target_value", {}).get("quantity")
        for d in Indicator.objects.filter(plan=plan).values_list("drafted_from", flat=True)
    }
    ids = version.quantities.filter(
        role=QuantityRole.ACTION_TARGET, value__isnull=False
    ).values_list("pk", flat=True)
    return sum(1 for pk in ids if pk not in done)


def observations_for(*, user: Any, indicator: Indicator) -> QuerySet[Observation]:
    """Current observations of the indicator the viewer may see."""
    qs = Observation.objects.filter(indicator=indicator, is_current=True)
    if not is_insider(user):
        qs = qs.filter(verified_at__isnull=False)
    return qs.select_related("place", "entered_by", "verified_by").order_by("place__path", "year")


def history_for(*, user: Any, indicator: Indicator) -> QuerySet[Observation]:
    """Every value ever entered (revisions included), for insiders; verified ones for others."""
    qs = Observation.objects.filter(indicator=indicator)
    if not is_insider(user):
        qs = qs.filter(verified_at__isnull=False)
    return qs.select_related("place", "entered_by", "verified_by").order_by(
        "place__path", "year", "id"
    )


def plans_of_place(unit: OrgUnit) -> list[int]:
    """Plans watched for a zone (its own) or a prefecture/county (its zone's)."""
    q = Q(org_unit=unit)
    if unit.kind != OrgUnitKind.ZONE:
        q |= Q(org_unit__kind=OrgUnitKind.ZONE, org_unit__path__in=_ancestor_paths(unit.path))
    return list(Plan.objects.filter(q).values_list("pk", flat=True))


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts))]


@dataclass
class Cell:
    value: float
    status: str
    stage: str
    verified: bool
    observation_id: int


@dataclass
class MatrixRow:
    indicator: Indicator
    cells: list[Cell | None] = field(default_factory=list)


@dataclass
class Matrix:
    place: OrgUnit
    years: list[int]
    rows: list[MatrixRow]
    method_version: str


def matrix_for(*, user: Any, place: OrgUnit, years: list[int] | None = None) -> Matrix:
    """Indicator × year for one place: each cell the current value with its status under the
    method in force. A fixed number of queries whatever the size (the indicators; the
    observations joined to their statuses in one query, filtered by subqueries rather than long
    lists of ids)."""
    # The matrix shows the indicator's own fields only: no plan or place objects to build.
    confirmed = indicators_for(user=user, plan_ids=plans_of_place(place)).select_related(None)
    indicators = list(confirmed)
    version = current_method().version
    obs = Observation.objects.filter(
        indicator__in=confirmed.values("pk"), place=place, is_current=True
    )
    if not is_insider(user):
        obs = obs.filter(verified_at__isnull=False)
    values = list(
        obs.annotate(
            in_force=FilteredRelation("statuses", condition=Q(statuses__method_version=version))
        )
        .order_by()
        .values_list(
            "pk", "indicator_id", "year", "value", "stage", "verified_at", "in_force__status"
        )
    )
    if years is None:
        years = sorted({v[2] for v in values}) or []
    col = {y: i for i, y in enumerate(years)}
    rows = {i.pk: MatrixRow(i, [None] * len(years)) for i in indicators}
    for pk, ind_id, year, value, stage, verified, status in values:
        row = rows.get(ind_id)
        if row is not None and year in col:
            row.cells[col[year]] = Cell(value, status or "", stage, verified is not None, pk)
    return Matrix(place, years, list(rows.values()), version)


def path_for(indicator: Indicator) -> list[tuple[int, float]]:
    """The expected path from baseline to target (empty when it cannot be drawn)."""
    ind = indicator
    if None in (ind.baseline_value, ind.baseline_year, ind.target_value, ind.target_year):
        return []
    if ind.kind in (Kind.STANDARD, Kind.RELATIVE, Kind.ASSIGNED):
        return []
    try:
        return m.expected_path(
            baseline=ind.baseline_value or 0.0,
            target=ind.target_value or 0.0,
            year0=ind.baseline_year or 0,
            year1=ind.target_year or 0,
            rule=m.path_rule(ind.kind, current_method()),
        )
    except m.MethodError:
        return []


def latest_statuses(
    *, user: Any, indicator: Indicator, observation_ids: list[int] | None = None
) -> dict[int, ComputedStatus]:
    """observation id → its status under the method in force, for the visible observations
    (`observation_ids`: those the caller has already read through `observations_for`)."""
    ids = observation_ids
    if ids is None:
        ids = list(observations_for(user=user, indicator=indicator).values_list("pk", flat=True))
    rows = ComputedStatus.objects.filter(
        observation_id__in=ids, method_version=current_method().version
    ).select_related("case")
    return {r.observation_id: r for r in rows}
