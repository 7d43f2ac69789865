"""绩效考核 through the API: the schemes (frozen ones for every signed-in caller; drafts for
the province's planners) and the result editions with, per unit, the total, grade, rank and
the points of each item with the records they come from (得分反查). Published editions are
visible to every signed-in caller; drafts to the province's planners and, each unit, its own
results."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.params.functions import Query

from planwatch.api.auth import caller, signed_in
from planwatch.api.schemas import ErrorOut
from planwatch.assessment import results
from planwatch.assessment.models import (
    AssessmentScheme,
    ResultEdition,
    ResultStatus,
    SchemeStatus,
)
from planwatch.assessment.schemes import can_manage_schemes

router = Router(tags=["assessments"])
SIGNED_IN = {"x-access": "signed-in"}
READ: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
ID_QUERY = Query(None, ge=1, le=2_000_000_000, description="Only this scheme (id).")


class SchemeItemOut(Schema):
    code: str
    name: str
    points: float
    rule: str = Field(description="`key_tasks`, `indicators`, `projects`, `reporting`, …")
    params: dict[str, float | str]
    source: str = Field(description="The data the item is scored from.")


class SchemeOut(Schema):
    id: int
    year: int | None = Field(description="Null for a series' default template.")
    series: str = Field(description="`prefectures`, `departments` or `chuanxibei`.")
    title: str
    status: str = Field(description="`draft` or `frozen`.")
    is_default: bool
    grades: list[list[Any]] = Field(description="[grade, lowest total] from the top.")
    bonus_cap: float
    items: list[SchemeItemOut]


class ResultEditionOut(Schema):
    id: int
    scheme_id: int
    zone: str | None = Field(description="The zone's code when computed for one zone.")
    number: int
    status: str = Field(description="`draft`, `reviewed` or `published`.")
    as_of: str
    corrects: int | None
    reason: str
    computed_at: str
    published_at: str | None


class SourceOut(Schema):
    kind: str = Field(description="`task`, `late_report`, `missing_report`, `red_case`, …")
    ref: str = Field(description="The record: `task:ID`, `report:ID`, `case:ID`, …")
    label: str
    points: float
    url: str = Field(description="The record's page (empty when it has none).")


class ItemOut(Schema):
    code: str
    name: str
    max_points: float
    points: float = Field(description="The sum of its sources' points.")
    sources: list[SourceOut]


class ScoreOut(Schema):
    unit: str = Field(description="The unit's code.")
    unit_name: str
    total: float = Field(description="The sum of the item points.")
    grade: str = Field(description="`excellent`, `good`, `fair`, `poor` or `vetoed`.")
    rank: int
    items: list[ItemOut]


class ResultEditionDetailOut(ResultEditionOut):
    scores: list[ScoreOut]


def _scheme_out(s: AssessmentScheme) -> dict[str, Any]:
    return {
        "id": s.pk,
        "year": s.year,
        "series": s.series,
        "title": s.title,
        "status": s.status,
        "is_default": s.is_default,
        "grades": s.grades,
        "bonus_cap": s.bonus_cap,
        "items": [
            {"code": i.code, "name": i.name, "points": i.points, "rule": i.rule,
             "params": i.params, "source": i.source}
            for i in s.items.all()
        ],
    }  # fmt: skip


def _edition_out(e: ResultEdition) -> dict[str, Any]:
    return {
        "id": e.pk,
        "scheme_id": e.scheme_id,
        "zone": e.zone.code if e.zone else None,
        "number": e.number,
        "status": e.status,
        "as_of": e.as_of.isoformat(),
        "corrects": e.corrects_id,
        "reason": e.reason,
        "computed_at": e.computed_at.isoformat(),
        "published_at": e.published_at.isoformat() if e.published_at else None,
    }


@router.get(
    "/assessments/schemes",
    response={200: list[SchemeOut], **READ},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="绩效考核 schemes",
    description="Access: signed-in users (frozen schemes); drafts for the province's planners.",
)
def scheme_list(request: HttpRequest) -> Any:
    user = caller(request)
    rows = AssessmentScheme.objects.prefetch_related("items").order_by("-year", "series", "id")
    if not can_manage_schemes(user):
        rows = rows.filter(status=SchemeStatus.FROZEN)
    return [_scheme_out(s) for s in rows[:500]]


def _visible_editions(user: Any) -> Any:
    rows = ResultEdition.objects.select_related("zone").defer("inputs")
    if can_manage_schemes(user):
        return rows
    mine = results.unit_ids_of(user)
    return rows.filter(Q(status=ResultStatus.PUBLISHED) | Q(scores__unit_id__in=mine)).distinct()


@router.get(
    "/assessments/results",
    response={200: list[ResultEditionOut], **READ},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="绩效考核 result editions",
    description="Access: signed-in users (published editions); drafts for the province's "
    "planners and for the units in them.",
)
def result_list(request: HttpRequest, scheme: int | None = ID_QUERY) -> Any:
    rows = _visible_editions(caller(request)).order_by("-computed_at", "-id")
    if scheme is not None:
        rows = rows.filter(scheme_id=scheme)
    return [_edition_out(e) for e in rows[:500]]


@router.get(
    "/assessments/results/{edition_id}",
    response={200: ResultEditionDetailOut, **READ},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="One result edition: per unit the total, grade, rank, item points and sources",
    description="Access: as the list; a unit sees only its own results in a draft (else 404).",
)
def result_detail(request: HttpRequest, edition_id: int) -> Any:
    user = caller(request)
    edition = _visible_editions(user).filter(pk=edition_id).first()
    if edition is None:
        raise Http404
    scores = results.visible_scores(user, edition).prefetch_related("items__lines")
    return _edition_out(edition) | {
        "scores": [
            {
                "unit": s.unit.code,
                "unit_name": s.unit.name,
                "total": s.total,
                "grade": s.grade,
                "rank": s.rank,
                "items": [
                    {
                        "code": i.code,
                        "name": i.name,
                        "max_points": i.max_points,
                        "points": i.points,
                        "sources": [
                            {
                                "kind": ln.kind,
                                "ref": ln.ref,
                                "label": ln.label,
                                "points": ln.points,
                                "url": ln.url,
                            }
                            for ln in i.lines.all()
                        ],
                    }
                    for i in s.items.all()
                ],
            }
            for s in scores
        ]
    }
