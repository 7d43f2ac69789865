"""Indicators (监测指标): signed-in reads of confirmed indicators with their baseline, target,
expected path and statuses, and of their observations (callers without a role see verified ones
only); data clerks create observations and import a statistics-office table."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError
from ninja.params.functions import File, Form, Query

from planwatch.api.auth import caller, signed_in
from planwatch.api.errors import CODES
from planwatch.api.implementation.common import require_csrf
from planwatch.api.schemas import CellProblem, ErrorBody, ErrorOut, PageMeta, PlanRef, UnitRef
from planwatch.core.workflow import ServiceError
from planwatch.indicators import services
from planwatch.indicators.choices import BenchmarkScope, Stage
from planwatch.indicators.imports import observations_import
from planwatch.indicators.models import Benchmark, ComputedStatus, Indicator, Observation
from planwatch.indicators.permissions import EDIT, ENTER, access_indicator
from planwatch.indicators.selectors import (
    indicators_for,
    latest_statuses,
    observations_for,
    path_for,
)
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.tasks.xlsx import ImportFailed

router = Router(tags=["indicators"])
SIGNED_IN = {"x-access": "signed-in"}
READ: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
ACT: dict[int, Any] = {**READ, 400: ErrorOut, 403: ErrorOut}
LIMIT = Query(50, ge=1, le=500, description="Items per page.")
OFFSET = Query(0, ge=0, le=10_000_000, description="Items to skip.")
PLAN_QUERY = Query(None, ge=1, le=2_000_000_000, description="Only this plan (id).")
FILE = File(..., description="xlsx or CSV (UTF-8 or GBK).")
PLAN_FORM = Form(..., ge=1, le=2_000_000_000, description="The plan (id).")
SOURCE_FORM = Form("", max_length=255, description="Source document (and page).")
STAGE_FORM = Form(Stage.PRELIMINARY, description="初步核算 or 最终核实.")
YEAR_FORM = Form(None, ge=1949, le=2100, description="The year, when places are across.")
PLACE_FORM = Form(None, max_length=32, description="The place's code, when years are across.")


class Clause(Schema):
    year: int | None
    value: float | None
    line: int | None = Field(description="Line of the plan's source text that states it.")
    page: int | None = Field(description="Printed page of that line.")


class Target(Clause):
    comparator: str


class StatusOut(Schema):
    place: UnitRef
    year: int
    value: float
    status: str = Field(description="提前实现 / 快于预期 / 基本符合预期 / 滞后 / 达标 / 未达标")
    expected: float | None
    ratio: float | None = Field(description="Progress ratio r = (A − B)/(E − B).")
    required_growth: float | None = Field(description="Yearly growth still required (0.0585).")
    method_version: str
    case_id: int | None = Field(description="The 督办 case a lagging binding value opened.")


class IndicatorOut(Schema):
    id: int
    plan: PlanRef
    place: UnitRef | None
    name: str
    unit: str
    attribute: str
    kind: str
    direction: str
    frequency: str
    additive: bool
    status: str
    baseline: Clause
    target: Target


class IndicatorPage(PageMeta):
    items: list[IndicatorOut]


class PathPoint(Schema):
    year: int
    expected: float


class BenchmarkOut(Schema):
    year: int
    scope: str = Field(description="nation (全国) or province (全省).")
    value: float
    source: str = Field(description="The document that published the figure.")
    source_url: str
    set_at: datetime


class BenchmarkIn(Schema):
    year: int = Field(ge=1949, le=2100)
    value: float = Field(allow_inf_nan=False)
    scope: BenchmarkScope = BenchmarkScope.NATION
    source: str = Field(max_length=255, description="The document that published it.")
    source_url: str = Field("", max_length=500)


class IndicatorDetailOut(IndicatorOut):
    path: list[PathPoint] = Field(description="The expected path from baseline to target.")
    statuses: list[StatusOut] = Field(description="Each visible current value's status.")
    benchmarks: list[BenchmarkOut] = Field(
        description="A relative indicator's yearly benchmark (全国/全省 figure); [] otherwise."
    )


class ObservationOut(Schema):
    id: int
    place: UnitRef
    year: int
    value: float
    stage: str
    source: str
    source_page: int | None
    source_url: str
    previous_id: int | None = Field(description="The value this one revised.")
    verified: bool


class ObservationIn(Schema):
    place: str = Field(max_length=32, description="Code of the place (adcode, zone:<slug>).")
    year: int = Field(ge=1949, le=2100)
    value: float = Field(allow_inf_nan=False)
    stage: Stage = Stage.PRELIMINARY
    source: str = Field("", max_length=255)
    source_page: int | None = Field(None, ge=1, le=100000)
    source_url: str = Field("", max_length=500)


class ImportResultOut(Schema):
    created: int
    revised: int = Field(description="Values that revised a current value (kept in history).")


def _unit(u: OrgUnit | None) -> UnitRef | None:
    return UnitRef(code=u.code, name=u.name) if u is not None else None


def indicator_out(i: Indicator) -> dict[str, Any]:
    return {
        **{f: getattr(i, f) for f in ("id", "name", "unit", "attribute", "kind", "direction")},
        **{f: getattr(i, f) for f in ("frequency", "additive", "status")},
        "plan": PlanRef(id=i.plan.pk, slug=i.plan.slug, title=i.plan.title),
        "place": _unit(i.place),
        "baseline": Clause(
            year=i.baseline_year,
            value=i.baseline_value,
            line=i.baseline_line,
            page=i.baseline_page,
        ),
        "target": Target(
            year=i.target_year,
            value=i.target_value,
            line=i.target_line,
            page=i.target_page,
            comparator=i.comparator,
        ),
    }


def _status_out(s: ComputedStatus, o: Observation) -> dict[str, Any]:
    return {
        "place": _unit(o.place),
        "year": o.year,
        "value": o.value,
        "status": s.status,
        "expected": s.expected,
        "ratio": s.ratio,
        "required_growth": s.required_growth,
        "method_version": s.method_version,
        "case_id": s.case_id,
    }


def benchmark_out(b: Benchmark) -> dict[str, Any]:
    return {f: getattr(b, f) for f in ("year", "scope", "value", "source", "source_url", "set_at")}


def observation_out(o: Observation) -> dict[str, Any]:
    return {
        **{f: getattr(o, f) for f in ("id", "year", "value", "stage", "source", "source_page")},
        "source_url": o.source_url,
        "previous_id": o.previous_id,
        "place": _unit(o.place),
        "verified": o.verified_at is not None,
    }


@router.get(
    "/indicators",
    response={200: IndicatorPage, 401: ErrorOut, 422: ErrorOut},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="List confirmed indicators",
    description="Access: signed in. Confirmed indicators, optionally of one plan (id). "
    "Anonymous callers read published ones at /api/v1/public/observations.",
)
def indicator_list(
    request: HttpRequest,
    plan: int | None = PLAN_QUERY,
    limit: int = LIMIT,
    offset: int = OFFSET,
) -> Any:
    qs = indicators_for(user=caller(request), plan_ids=[plan] if plan else None)
    items = [indicator_out(i) for i in qs[offset : offset + limit]]
    return {"count": qs.count(), "limit": limit, "offset": offset, "items": items}


# Registered before /indicators/{indicator_id}, whose pattern would take "import".
@router.post(
    "/indicators/import",
    response={200: ImportResultOut, **ACT},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="Import observations from xlsx or CSV",
    description="Access: data clerks. Multipart: `file` (first column 指标, optional 单位, "
    "then places across with `year`, or years across with `place`), `plan` (id), `source`, "
    "`stage`. All rows or none: 422 lists every bad cell in `error.problems`.",
)
def observation_import(
    request: HttpRequest,
    file: UploadedFile = FILE,
    plan: int = PLAN_FORM,
    source: str = SOURCE_FORM,
    stage: Stage = STAGE_FORM,
    year: int | None = YEAR_FORM,
    place: str | None = PLACE_FORM,
) -> Any:
    require_csrf(request)
    user = caller(request)
    the_plan = Plan.objects.filter(pk=plan).first()
    unit = OrgUnit.objects.filter(code=place).first() if place else None
    if the_plan is None or (place and unit is None):
        raise Http404
    try:
        result = observations_import(
            data=file.read(),
            filename=file.name or "",
            plan=the_plan,
            actor=user,
            source=source,
            stage=stage,
            year=year,
            place=unit,
        )
    except ImportFailed as exc:
        problems = [
            CellProblem(row=e.row, column=e.column, header=e.header, message=e.message, text=str(e))
            for e in exc.errors
        ]
        return Status(
            422, ErrorOut(error=ErrorBody(code=CODES[422], message=str(exc), problems=problems))
        )
    except (PermissionDenied, ServiceError) as exc:
        raise HttpError(403, str(exc)) from None
    return {"created": result.created, "revised": result.revised}


@router.get(
    "/indicators/{indicator_id}",
    response={200: IndicatorDetailOut, **READ},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="One indicator with its path and statuses",
    description="Access: signed in, for confirmed indicators; drafts for the plan's "
    "planners (else 404).",
)
def indicator_detail(request: HttpRequest, indicator_id: int) -> Any:
    user = caller(request)
    ind = access_indicator(user, indicator_id)
    observations = {o.pk: o for o in observations_for(user=user, indicator=ind)}
    statuses = latest_statuses(user=user, indicator=ind)
    return indicator_out(ind) | {
        "path": [{"year": y, "expected": e} for y, e in path_for(ind)],
        "statuses": [_status_out(s, observations[k]) for k, s in statuses.items()],
        "benchmarks": [benchmark_out(b) for b in ind.benchmarks.order_by("year")],
    }


@router.get(
    "/indicators/{indicator_id}/benchmarks",
    response={200: list[BenchmarkOut], **READ},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="Benchmarks of a relative indicator",
    description="Access: signed in, for confirmed indicators; drafts for the plan's "
    "planners (else 404). The national or provincial figure a relative indicator (相对全省全国) is "
    "measured against, year by year, with its source.",
)
def benchmark_list(request: HttpRequest, indicator_id: int) -> Any:
    ind = access_indicator(caller(request), indicator_id)
    return [benchmark_out(b) for b in ind.benchmarks.order_by("year")]


@router.post(
    "/indicators/{indicator_id}/benchmarks",
    response={201: BenchmarkOut, **ACT},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="Set a year's benchmark",
    description="Access: the plan's planners (404 for anyone else). Sets (or replaces) the "
    "benchmark of `year`; the statuses of that year's verified values are recomputed at once "
    "(a binding one falling behind raises its warning). 422 when the indicator is not "
    "relative or a field is invalid.",
)
def benchmark_create(request: HttpRequest, indicator_id: int, body: BenchmarkIn) -> Any:
    require_csrf(request)
    user = caller(request)
    ind = access_indicator(user, indicator_id, action=EDIT)
    try:
        row = services.benchmark_set(
            indicator=ind,
            year=body.year,
            value=body.value,
            source=body.source,
            actor=user,
            scope=body.scope,
            source_url=body.source_url,
        )
    except ValidationError as exc:
        raise HttpError(422, "；".join(exc.messages)) from None
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None
    return Status(201, benchmark_out(row))


@router.get(
    "/indicators/{indicator_id}/observations",
    response={200: list[ObservationOut], **READ},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="Current observations of an indicator",
    description="Access: signed in (verified values only); users with a role see "
    "unverified ones too.",
)
def observation_list(request: HttpRequest, indicator_id: int) -> Any:
    user = caller(request)
    ind = access_indicator(user, indicator_id)
    return [observation_out(o) for o in observations_for(user=user, indicator=ind)[:5000]]


@router.post(
    "/indicators/{indicator_id}/observations",
    response={201: ObservationOut, **ACT},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="Enter an observation",
    description="Access: data clerks (数据填报) of the place (403 otherwise; 404 for an "
    "indicator that is not confirmed). A second value for the same place and year is a "
    "revision: the earlier one stays in the history.",
)
def observation_create(request: HttpRequest, indicator_id: int, body: ObservationIn) -> Any:
    require_csrf(request)
    user = caller(request)
    ind = access_indicator(user, indicator_id, action=ENTER)
    place = OrgUnit.objects.filter(code=body.place).first()
    if place is None:
        raise HttpError(422, "unknown place")
    try:
        obs = services.observation_create(
            indicator=ind,
            place=place,
            year=body.year,
            value=body.value,
            actor=user,
            source=body.source,
            stage=body.stage,
            source_page=body.source_page,
            source_url=body.source_url,
        )
    except ValidationError as exc:
        raise HttpError(422, "；".join(exc.messages)) from None
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None
    return Status(201, observation_out(obs))
