"""The 区域一体化发展指数: its editions (published ones for signed-in users — anonymous callers read
the published values through /api/v1/public/index-values; drafts for the plan's
planners) and one edition's values per place, year and node, its missing inputs, its
convergence measures and the method it was computed under."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.params.functions import Query

from planwatch.api.auth import caller, signed_in
from planwatch.api.schemas import ErrorOut
from planwatch.assessment.models import EDITION_BULK, EditionStatus, IndexEdition
from planwatch.tasks.permissions import can_manage_plan

router = Router(tags=["integration index"])
SIGNED_IN = {"x-access": "signed-in"}
READ: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
PLAN_QUERY = Query(None, ge=1, le=2_000_000_000, description="Only this plan (id).")


class EditionOut(Schema):
    id: int
    plan_id: int
    title: str
    method_version: str
    number: int = Field(description="Edition number within its method.")
    status: str = Field(description="`draft` or `published`.")
    year_from: int
    year_to: int
    corrects: int | None = Field(description="The edition this one corrects (id).")
    reason: str = Field(description="Why the correction was made.")
    computed_at: str
    published_at: str | None


class ValueOut(Schema):
    place: str = Field(description="The place's code.")
    year: int
    code: str = Field(description="The node's code; `TOTAL` for the index itself.")
    value: float | None = Field(description="Null when an input below the node is missing.")


class MissingOut(Schema):
    indicator: int
    place: str
    year: int
    reason: str = Field(description="`no_value`, `no_base` or `zero_value`.")


class ConvergenceOut(Schema):
    year: int
    places: int
    mean: float
    cv: float = Field(description="Coefficient of variation across the cities.")
    theil: float = Field(description="Theil index across the cities.")


class EditionDetailOut(EditionOut):
    method: dict[str, Any] = Field(description="The method as frozen with the edition.")
    weights: dict[str, float] = Field(description="Each node's weight among its siblings.")
    values: list[ValueOut]
    missing: list[MissingOut]
    convergence: list[ConvergenceOut]


def _visible(user: Any, edition: IndexEdition) -> bool:
    return edition.status == EditionStatus.PUBLISHED or can_manage_plan(user, edition.method.plan)


def _out(e: IndexEdition) -> dict[str, Any]:
    return {
        "id": e.pk,
        "plan_id": e.method.plan_id,
        "title": e.method_snapshot.get("title", ""),
        "method_version": e.method_snapshot.get("version", ""),
        "number": e.number,
        "status": e.status,
        "year_from": e.year_from,
        "year_to": e.year_to,
        "corrects": e.corrects_id,
        "reason": e.reason,
        "computed_at": e.computed_at.isoformat(),
        "published_at": e.published_at.isoformat() if e.published_at else None,
    }


@router.get(
    "/integration-index/editions",
    response={200: list[EditionOut], **READ},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="Editions of the integration index",
    description="Access: signed in, for published editions; drafts for the plan's "
    "planners. Anonymous callers read published values at /api/v1/public/index-values.",
)
def edition_list(request: HttpRequest, plan: int | None = PLAN_QUERY) -> Any:
    user = caller(request)
    rows = (
        IndexEdition.objects.select_related("method__plan")
        .defer(*EDITION_BULK)  # the list shows the method snapshot's title, not the inputs
        .order_by("-computed_at")
    )
    if plan is not None:
        rows = rows.filter(method__plan_id=plan)
    rows = rows[:500]
    return [_out(e) for e in rows if _visible(user, e)]


@router.get(
    "/integration-index/editions/{edition_id}",
    response={200: EditionDetailOut, **READ},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="One edition of the integration index with its values",
    description="Access: signed in, for a published edition; a draft for the plan's planners "
    "(else 404).",
)
def edition_detail(request: HttpRequest, edition_id: int) -> Any:
    user = caller(request)
    edition = IndexEdition.objects.select_related("method__plan").filter(pk=edition_id).first()
    if edition is None or not _visible(user, edition):
        raise Http404
    codes = {p["id"]: p["code"] for p in edition.places}
    values = [
        {"place": codes.get(p, str(p)), "year": y, "code": c, "value": v}
        for p, y, c, v in edition.values.order_by("place_id", "year", "code").values_list(
            "place_id", "year", "code", "value"
        )
    ]
    missing = [
        {"indicator": i, "place": codes.get(p, str(p)), "year": y, "reason": r}
        for i, p, y, r in edition.missing.values_list("indicator_id", "place_id", "year", "reason")
    ]
    return _out(edition) | {
        "method": edition.method_snapshot,
        "weights": edition.weights,
        "values": values,
        "missing": missing,
        "convergence": edition.convergence,
    }
