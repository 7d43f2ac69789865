"""Reads for the intake pages, each starting from what the viewer may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import units_for
from planwatch.indicators.choices import IndicatorStatus
from planwatch.indicators.models import Indicator
from planwatch.intake.choices import IntakeKind
from planwatch.intake.matching import (
    ProjectMatch,
    match_indicators,
    match_projects,
    plan_indicators,
    unit_for_place,
)
from planwatch.intake.models import Intake
from planwatch.intake.permissions import can_upload, kinds_for
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan


def plans_for(user: Any) -> list[tuple[str, list[Plan]]]:
    """(kind, plans) the user may take documents in for: plans with confirmed indicators
    for communiqués, plans whose projects the user manages for project lists."""
    with_indicators = set(
        Indicator.objects.filter(status=IndicatorStatus.CONFIRMED).values_list("plan_id", flat=True)
    )
    plans = list(Plan.objects.select_related("org_unit").order_by("sort_order", "pk"))
    out = []
    for kind in kinds_for(user):
        allowed = [p for p in plans if can_upload(user, kind, p)]
        if kind == IntakeKind.OBSERVATIONS:
            allowed = [p for p in allowed if p.pk in with_indicators]
        out.append((kind, allowed))
    return out


def intakes_for(user: Any) -> list[Intake]:
    recent = Intake.objects.select_related("plan", "uploaded_by")[:200]
    return [i for i in recent if can_upload(user, i.kind, i.plan)][:50]


@dataclass
class ObservationReview:
    rows: list[tuple[int, dict[str, Any], int | None]]
    indicators: list[Indicator]
    place: OrgUnit | None
    places: QuerySet[OrgUnit]

    @property
    def unmatched(self) -> int:
        """How many proposed values have no confirmed indicator of the plan to go to."""
        return sum(1 for _i, _item, matched in self.rows if matched is None)


def observation_review(*, user: Any, intake: Intake) -> ObservationReview:
    items = intake.proposal["items"]
    indicators = plan_indicators(intake.plan)
    matched = match_indicators(items, indicators)
    places = units_for(user, Role.DATA_CLERK).exclude(kind="department").order_by("path")
    guess = unit_for_place(intake.proposal.get("place"))
    if guess is not None and not places.filter(pk=guess.pk).exists():
        guess = None
    rows = [(i, item, matched[i]) for i, item in enumerate(items)]
    return ObservationReview(rows, indicators, guess, places)


def project_review(*, intake: Intake) -> list[tuple[int, dict[str, Any], ProjectMatch]]:
    items = intake.proposal["items"]
    return list(zip(range(len(items)), items, match_projects(items, intake.plan), strict=True))
