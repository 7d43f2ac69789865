"""Public read endpoints for published data (issue 13, item 7): the open-data datasets of
/gongkai/data/ page by page under /api/v1/public/, anonymous. The row schemas are made from
the datasets' data dictionary (`planwatch.portal.opendata`), so the API, the downloads and
datapackage.json describe the same columns; only published objects and verified
observations are read (through `planwatch.publication.selectors`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from ninja import Router, Schema
from ninja.params.functions import Query
from pydantic import Field, create_model

from planwatch.api.auth import public
from planwatch.api.implementation.common import render
from planwatch.api.schemas import ErrorOut, PageMeta
from planwatch.portal.opendata.datasets import (
    DATASETS,
    OBSERVATIONS,
    PROJECTS,
    SCORES,
    TASKS,
    Dataset,
    last_modified,
    project_records,
)
from planwatch.portal.opendata.datasets import INDEX_VALUES as INDEX
from planwatch.portal.opendata.fields import PY_TYPES
from planwatch.portal.opendata.fields import Field as DataField
from planwatch.portal.opendata.formats import licence

router = Router(tags=["public data"])
PUBLIC = {"x-access": "public"}
ERRORS: dict[int, Any] = {401: ErrorOut, 422: ErrorOut}
LIMIT = Query(50, ge=1, le=500, description="Items per page.")
OFFSET = Query(0, ge=0, le=10_000_000, description="Items to skip.")
MAX_ID = 9_223_372_036_854_775_807
PLAN = Query(None, ge=1, le=MAX_ID, description="Only this plan's (plan id).")
INDICATOR = Query(None, ge=1, le=MAX_ID, description="Only this indicator's (indicator id).")
EDITION = Query(None, ge=1, le=MAX_ID, description="Only this edition's (edition id).")
YEAR = Query(None, ge=1900, le=2100, description="Only this year's.")
ZONE = Query(
    None, max_length=64, description="Only this zone's (unit code, e.g. zone:south-sichuan)."
)
PLACE = Query(
    None, max_length=64, description="Only this place's (administrative code, e.g. 511500)."
)
ACCESS = (
    "Access: public (no sign-in). Published objects only; indicator values only once "
    "verified. Labels are in Chinese. "
)


def _row_schema(name: str, fields: Sequence[DataField], **extra: Any) -> type[Schema]:
    """A pydantic schema with one optional property per data-dictionary field."""
    spec: dict[str, Any] = {
        f.name: (
            PY_TYPES[f.type] | None,
            Field(
                None, title=f.title, description=f.description + (f" ({f.unit})" if f.unit else "")
            ),
        )
        for f in fields
    }
    model: type[Schema] = create_model(name, __base__=Schema, **spec, **extra)
    return model


def _page_schema(name: str, item: type[Schema]) -> type[Schema]:
    model: type[Schema] = create_model(name, __base__=PageMeta, items=(list[item], ...))  # type: ignore[valid-type]
    return model


YEAR_FIELDS = {
    "year",
    "annual_plan",
    "completed_investment",
    "completion_rate",
    "reported_to_month",
}
TaskRow = _row_schema("PublicTask", TASKS.fields)
ObservationRow = _row_schema("PublicObservation", OBSERVATIONS.fields)
ProjectYear = _row_schema(
    "PublicProjectYear", [f for f in PROJECTS.fields if f.name in YEAR_FIELDS]
)
ProjectRow = _row_schema(
    "PublicProject",
    [f for f in PROJECTS.fields if f.name not in YEAR_FIELDS],
    years=(list[ProjectYear], Field(description="The project's yearly figures, by year.")),  # type: ignore[valid-type]
)
IndexRow = _row_schema("PublicIndexValue", INDEX.fields)
ScoreRow = _row_schema("PublicAssessmentScore", SCORES.fields)


class FieldOut(Schema):
    name: str
    title: str
    type: str = Field(description="Table Schema type: integer, number, string, date, …")
    unit: str
    description: str


class LicenceOut(Schema):
    name: str = Field(description="SPDX identifier, e.g. CC-BY-4.0.")
    title: str
    path: str = ""


class DatasetOut(Schema):
    name: str
    title: str
    description: str
    rows: int = Field(description="Rows of the CSV file now.")
    last_modified: datetime | None
    license: LicenceOut
    downloads: dict[str, str] = Field(description="Format (csv, json, xlsx) → URL.")
    api: str = Field(description="URL of the dataset's paginated endpoint.")
    fields: list[FieldOut]


class DatasetList(Schema):
    items: list[DatasetOut]
    datapackage: str = Field(description="URL of the Frictionless datapackage.json.")


ENDPOINTS = {
    "tasks": "tasks",
    "observations": "observations",
    "projects": "projects",
    "index_values": "index-values",
    "assessment_scores": "assessment-scores",
}


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _dataset_out(request: HttpRequest, d: Dataset) -> dict[str, Any]:
    base = _base(request)
    return {
        "name": d.name,
        "title": d.title,
        "description": d.description,
        "rows": d.count(),
        "last_modified": last_modified(d),
        "license": licence(),
        "downloads": {
            fmt: base + reverse("opendata:download", args=[d.name, fmt])
            for fmt in ("csv", "json", "xlsx")
        },
        "api": f"{base}/api/v1/public/{ENDPOINTS[d.name]}",
        "fields": [
            {
                "name": f.name,
                "title": f.title,
                "type": f.type,
                "unit": f.unit,
                "description": f.description,
            }
            for f in d.fields
        ],
    }


@router.get(
    "/public/datasets",
    response={200: DatasetList, **ERRORS},
    auth=public,
    openapi_extra=PUBLIC,
    summary="List the open datasets",
    description=ACCESS + "Each dataset with its data dictionary, row count, licence and the "
    "URLs of its CSV, JSON and xlsx files.",
)
def dataset_list(request: HttpRequest) -> Any:
    return {
        "items": [_dataset_out(request, d) for d in DATASETS.values()],
        "datapackage": _base(request) + reverse("opendata:datapackage"),
    }


def _filtered(dataset: Dataset, *filters: Q | None) -> QuerySet[Any]:
    qs = dataset.objects()
    for q in filters:
        if q is not None:
            qs = qs.filter(q)
    return qs


def _q(value: Any, *lookups: str) -> Q | None:
    """`value` matched by any of `lookups`; None (no filter) when the value is not given."""
    if value is None or value == "":
        return None
    q = Q()
    for lookup in lookups:
        q |= Q(**{lookup: value})
    return q


def _page(
    request: HttpRequest, dataset: Dataset, limit: int, offset: int, *filters: Q | None
) -> dict[str, Any]:
    objects = _filtered(dataset, *filters)
    chunk = list(objects[offset : offset + limit])
    return {
        "count": objects.count(),
        "limit": limit,
        "offset": offset,
        "items": list(dataset.rows(chunk, base=_base(request))),
    }


TaskPage = _page_schema("PublicTaskPage", TaskRow)
ObservationPage = _page_schema("PublicObservationPage", ObservationRow)
ProjectPage = _page_schema("PublicProjectPage", ProjectRow)
IndexPage = _page_schema("PublicIndexValuePage", IndexRow)
ScorePage = _page_schema("PublicAssessmentScorePage", ScoreRow)


@router.get(
    "/public/tasks",
    response={200: TaskPage, **ERRORS},
    auth=public,
    openapi_extra=PUBLIC,
    summary="List published tasks",
    description=ACCESS + "Tasks of published lists and tasks published one by one, with their "
    "units, deadline, status, light and the plan clause (line, page, link).",
)
def public_tasks(
    request: HttpRequest,
    limit: int = LIMIT,
    offset: int = OFFSET,
    plan: int | None = PLAN,
    zone: str | None = ZONE,
    year: int | None = YEAR,
) -> HttpResponse:
    # The rows are plain values of the schema's types already (tests/api/test_read_rows.py):
    # rendered as they are, not validated field by field through PublicTaskPage.
    payload = _page(
        request,
        TASKS,
        limit,
        offset,
        _q(plan, "plan_id"),
        _q(zone, "plan__org_unit__code"),
        _q(year, "year"),
    )
    names = TASKS.field_names
    payload["items"] = [{name: row.get(name) for name in names} for row in payload["items"]]
    return render(request, payload)


@router.get(
    "/public/observations",
    response={200: ObservationPage, **ERRORS},
    auth=public,
    openapi_extra=PUBLIC,
    summary="List verified observations of published indicators",
    description=ACCESS + "Current, verified values of published indicators with target, "
    "status and source.",
)
def public_observations(
    request: HttpRequest,
    limit: int = LIMIT,
    offset: int = OFFSET,
    indicator: int | None = INDICATOR,
    place: str | None = PLACE,
    year: int | None = YEAR,
) -> Any:
    return _page(
        request,
        OBSERVATIONS,
        limit,
        offset,
        _q(indicator, "indicator_id"),
        _q(place, "place__code", "place__adcode"),
        _q(year, "year"),
    )


@router.get(
    "/public/projects",
    response={200: ProjectPage, **ERRORS},
    auth=public,
    openapi_extra=PUBLIC,
    summary="List published projects with their yearly figures",
    description=ACCESS + "Published major projects, by name; each with its yearly planned and "
    "completed investment (the CSV has one row per project and year; here a page counts "
    "projects).",
)
def public_projects(
    request: HttpRequest, limit: int = LIMIT, offset: int = OFFSET, zone: str | None = ZONE
) -> Any:
    objects = _filtered(PROJECTS, _q(zone, "zone__code"))
    chunk = list(objects[offset : offset + limit])
    with translation.override("zh-hans"):
        items = list(project_records(chunk))
    return {"count": objects.count(), "limit": limit, "offset": offset, "items": items}


@router.get(
    "/public/index-values",
    response={200: IndexPage, **ERRORS},
    auth=public,
    openapi_extra=PUBLIC,
    summary="List the values of published integration-index editions",
    description=ACCESS + "Every value (the index, its dimensions, sub-dimensions and "
    "indicators) of each published edition, by place and year.",
)
def public_index_values(
    request: HttpRequest,
    limit: int = LIMIT,
    offset: int = OFFSET,
    edition: int | None = EDITION,
    place: str | None = PLACE,
    year: int | None = YEAR,
) -> Any:
    return _page(
        request,
        INDEX,
        limit,
        offset,
        _q(edition, "edition_id"),
        _q(place, "place__code", "place__adcode"),
        _q(year, "year"),
    )


@router.get(
    "/public/assessment-scores",
    response={200: ScorePage, **ERRORS},
    auth=public,
    openapi_extra=PUBLIC,
    summary="List the scores of published assessment results",
    description=ACCESS + "Each assessed unit's total, grade and rank in each published "
    "result edition.",
)
def public_assessment_scores(
    request: HttpRequest, limit: int = LIMIT, offset: int = OFFSET, edition: int | None = EDITION
) -> Any:
    return _page(request, SCORES, limit, offset, _q(edition, "edition_id"))
