"""Major projects (重大项目): signed-in reads of confirmed projects (anonymous callers read
the published ones through /api/v1/public/projects) with their segments and
yearly plans (signed-in users with a role also get the month's figures and light); monthly
调度 reports — read, create, update, submit and review along the progress reports' path."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError
from ninja.params.functions import File, Query

from planwatch.api.auth import caller, signed_in
from planwatch.api.implementation.common import CONTENT_TYPES, OCTET, require_csrf
from planwatch.api.schemas import ErrorOut, PageMeta, UnitRef
from planwatch.core.workflow import ServiceError
from planwatch.orgunits.models import OrgUnit
from planwatch.projects import services
from planwatch.projects.evidence import (
    kind_of,
    monthly_evidence_add,
    monthly_evidence_open,
)
from planwatch.projects.models import MonthlyEvidence, MonthlyReport, Project
from planwatch.projects.permissions import access_project, access_report, is_insider
from planwatch.projects.selectors import reports_for, visible_projects, yearly_plans
from planwatch.reports.choices import ReportStatus
from planwatch.reports.evidence import EvidenceLost

router = Router(tags=["projects"])
SIGNED_IN = {"x-access": "signed-in"}
READ: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
ACT: dict[int, Any] = {**READ, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut}
LIMIT = Query(50, ge=1, le=500, description="Items per page.")
OFFSET = Query(0, ge=0, le=10_000_000, description="Items to skip.")
YEAR = Query(None, ge=2000, le=2100, description="Year of the figures (default: this year).")
MONTH = Query(None, ge=1, le=12, description="Month of the figures (default: last month).")


class YearPlan(Schema):
    year: int
    amount: Decimal = Field(description="Planned investment, 万元.")


class SegmentOut(Schema):
    id: int
    place: UnitRef
    unit: UnitRef
    investment: Decimal | None


class ProjectOut(Schema):
    id: int
    name: str
    code: str
    sector: str
    stage: str
    lead_unit: UnitRef | None
    zone: UnitRef | None
    total_investment: Decimal | None = Field(description="万元.")
    in_statistics: bool
    tags: list[str]
    source_line: int | None = Field(description="Line of the plan's 专栏 item naming it.")
    source_page: int | None = Field(description="Printed page of that line.")


class ProjectPage(PageMeta):
    items: list[ProjectOut]


class FiguresOut(Schema):
    year: int
    month: int
    annual_plan: Decimal
    ytd: Decimal
    rate: float | None = Field(description="完成率 = YTD ÷ annual plan.")
    time_progress: float = Field(description="时间进度 = months elapsed ÷ 12.")
    gap: float | None = Field(description="(完成率 − 时间进度) in percentage points.")
    light: str = Field(description="green / yellow / red")
    method_version: str


class ProjectDetailOut(ProjectOut):
    places: list[UnitRef]
    segments: list[SegmentOut]
    yearly_plans: list[YearPlan]
    figures: FiguresOut | None = Field(description="Signed-in users with a role only.")


class MonthlyEvidenceOut(Schema):
    id: int
    name: str
    size: int = Field(description="Bytes.")
    kind: str = Field(description="The file type its extension and content agree on, e.g. pdf.")
    content_type: str
    sha256: str
    uploaded_at: datetime
    download_url: str = Field(description="Path of the file on this server (GET).")


class MonthlyReportOut(Schema):
    id: int
    project_id: int
    segment_id: int | None
    unit: UnitRef
    year: int
    month: int
    due: str
    due_official: bool = Field(description="False: the holiday calendar does not cover it.")
    invested_month: Decimal | None
    invested_ytd: Decimal | None
    invested_total: Decimal | None
    funds_in_place: Decimal | None
    progress_text: str
    issues: list[str]
    evidence: list[MonthlyEvidenceOut] = Field(description="Evidence files, oldest first.")
    status: str
    version: int


class MonthlyReportCreateIn(Schema):
    segment: int | None = Field(None, ge=1, le=2_000_000_000)
    year: int = Field(ge=2000, le=2100)
    month: int = Field(ge=1, le=12)


class MonthlyReportUpdateIn(Schema):
    version: int = Field(ge=0, le=2_000_000_000)
    invested_month: Decimal | None = Field(None, ge=0, le=10**11, max_digits=14, decimal_places=2)
    invested_ytd: Decimal | None = Field(None, ge=0, le=10**11, max_digits=14, decimal_places=2)
    invested_total: Decimal | None = Field(None, ge=0, le=10**11, max_digits=14, decimal_places=2)
    funds_in_place: Decimal | None = Field(None, ge=0, le=10**11, max_digits=14, decimal_places=2)
    progress_text: str = Field("", max_length=5000)
    issues: list[str] = Field(default_factory=list, max_length=50)


class MonthlyReviewIn(Schema):
    target: ReportStatus = Field(description="submitted / unit_approved / accepted / returned")
    reason: str = Field("", max_length=2000)


def _unit(u: OrgUnit | None) -> UnitRef | None:
    return UnitRef(code=u.code, name=u.name) if u is not None else None


def project_out(p: Project) -> dict[str, Any]:
    return {
        **{f: getattr(p, f) for f in ("id", "name", "code", "sector", "stage")},
        **{f: getattr(p, f) for f in ("total_investment", "in_statistics", "tags")},
        "lead_unit": _unit(p.lead_unit),
        "zone": _unit(p.zone),
        "source_line": p.source_line,
        "source_page": p.source_page,
    }


def evidence_out(e: MonthlyEvidence) -> dict[str, Any]:
    kind = kind_of(e)
    url = reverse("api-v1:monthly_evidence_file", args=(e.report_id, e.pk))
    return {f: getattr(e, f) for f in ("id", "name", "size", "sha256", "uploaded_at")} | {
        "kind": kind,
        "content_type": CONTENT_TYPES.get(kind, OCTET),
        "download_url": url,
    }


def report_out(r: MonthlyReport) -> dict[str, Any]:
    return {
        **{f: getattr(r, f) for f in ("id", "project_id", "segment_id", "year", "month")},
        **{f: getattr(r, f) for f in services.REPORT_FIELDS},
        "unit": _unit(r.unit),
        "due": r.due.isoformat(),
        "due_official": r.due_official,
        "progress_text": r.progress_text,
        "issues": list(r.issues.values_list("text", flat=True)),
        "evidence": [evidence_out(e) for e in r.evidence.all()],
        "status": r.status,
        "version": r.version,
    }


@router.get(
    "/projects",
    response={200: ProjectPage, 401: ErrorOut, 422: ErrorOut},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="List confirmed projects",
    description="Access: signed in. Confirmed major projects, by name. Anonymous callers "
    "read the published ones at /api/v1/public/projects.",
)
def project_list(request: HttpRequest, limit: int = LIMIT, offset: int = OFFSET) -> Any:
    qs = (
        visible_projects(caller(request)).select_related("lead_unit", "zone").order_by("name", "id")
    )
    items = [project_out(p) for p in qs[offset : offset + limit]]
    return {"count": qs.count(), "limit": limit, "offset": offset, "items": items}


@router.get(
    "/projects/{project_id}",
    response={200: ProjectDetailOut, **READ},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="One project with its segments and figures",
    description="Access: signed in, for confirmed projects (yearly plans); users "
    "with a role also get the month's 完成率, 时间进度, gap and light; drafts: their "
    "planners (else 404).",
)
def project_detail(
    request: HttpRequest, project_id: int, year: int | None = YEAR, month: int | None = MONTH
) -> Any:
    user = caller(request)
    p = access_project(user, project_id)
    figures = None
    if is_insider(user):
        today = timezone.localdate()
        y = year or (today.year if today.month > 1 else today.year - 1)
        m_ = month or (today.month - 1 or 12)
        f = services.project_figures(p, y, m_)
        a = f.assessment
        figures = {
            "year": y,
            "month": m_,
            "annual_plan": f.annual_plan,
            "ytd": f.ytd,
            "rate": a.rate,
            "time_progress": a.time_progress,
            "gap": a.gap,
            "light": a.light,
            "method_version": a.method_version,
        }
    return project_out(p) | {
        "places": [_unit(u) for u in p.places.order_by("sort_order")],
        "segments": [
            {"id": s.pk, "place": _unit(s.place), "unit": _unit(s.unit), "investment": s.investment}
            for s in p.segments.select_related("place", "unit")
        ],
        "yearly_plans": [{"year": y, "amount": a} for y, a in yearly_plans(p)],
        "figures": figures,
    }


@router.get(
    "/projects/{project_id}/reports",
    response={200: list[MonthlyReportOut], **READ},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="Monthly reports of a project",
    description="Access: the project's planners, and the fillers, reviewers and leaders of "
    "the reporting units (their own reports).",
)
def report_list(request: HttpRequest, project_id: int) -> Any:
    user = caller(request)
    p = access_project(user, project_id)
    return [report_out(r) for r in reports_for(user=user, project=p)[:5000]]


def _fail(exc: Exception) -> HttpError:
    if isinstance(exc, ValidationError):
        return HttpError(422, "；".join(exc.messages))
    if isinstance(exc, PermissionDenied):
        return HttpError(403, str(exc) or "forbidden")
    return HttpError(409, str(exc))


@router.post(
    "/projects/{project_id}/reports",
    response={201: MonthlyReportOut, **ACT},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="Open a monthly report",
    description="Access: fillers (填报人) of the segment's (or project's) responsible unit. "
    "The due date is the 5th working day after the month on the official holiday calendar.",
)
def report_create(request: HttpRequest, project_id: int, body: MonthlyReportCreateIn) -> Any:
    require_csrf(request)
    user = caller(request)
    p = access_project(user, project_id)
    segment = p.segments.filter(pk=body.segment).first() if body.segment else None
    if body.segment and segment is None:
        raise Http404
    try:
        r = services.monthly_report_start(
            project=p, segment=segment, year=body.year, month=body.month, actor=user
        )
    except (ValidationError, PermissionDenied, ServiceError) as exc:
        raise _fail(exc) from None
    return Status(201, report_out(r))


@router.get(
    "/projects/reports/{report_id}",
    response={200: MonthlyReportOut, **READ},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="One monthly report",
    description="Access: its filler, reviewer, the project's planners and leaders (else 404).",
)
def report_detail(request: HttpRequest, report_id: int) -> Any:
    return report_out(access_report(caller(request), report_id))


@router.put(
    "/projects/reports/{report_id}",
    response={200: MonthlyReportOut, **ACT},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="Save a monthly report's figures",
    description="Access: fillers of the reporting unit, while draft or returned. `version` "
    "is the version read; 409 when someone saved since.",
)
def report_update(request: HttpRequest, report_id: int, body: MonthlyReportUpdateIn) -> Any:
    require_csrf(request)
    user = caller(request)
    r = access_report(user, report_id)
    values = body.dict(exclude={"version", "issues"})
    try:
        services.monthly_report_update(
            report=r, actor=user, version=body.version, values=values, issues=body.issues
        )
    except (ValidationError, PermissionDenied, ServiceError) as exc:
        raise _fail(exc) from None
    return report_out(r)


@router.post(
    "/projects/reports/{report_id}/review",
    response={200: MonthlyReportOut, **ACT},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="Submit or review a monthly report",
    description="Access: the filler submits; the unit reviewer approves or returns; the "
    "project's planner accepts or returns (a return needs a reason). 409 for a step not "
    "allowed from the report's state.",
)
def report_review(request: HttpRequest, report_id: int, body: MonthlyReviewIn) -> Any:
    require_csrf(request)
    user = caller(request)
    r = access_report(user, report_id)
    try:
        services.monthly_report_transition(
            report=r, actor=user, target=body.target, reason=body.reason
        )
    except (ValidationError, PermissionDenied, ServiceError) as exc:
        raise _fail(exc) from None
    return report_out(r)


EVIDENCE_FILE = File(..., description="The evidence file.")
EVIDENCE_TYPES = sorted({*CONTENT_TYPES.values(), OCTET})


@router.post(
    "/projects/reports/{report_id}/evidence",
    response={201: MonthlyEvidenceOut, **ACT},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="Upload an evidence file of a monthly report",
    description="Access: fillers of the reporting unit (else 404). Multipart `file`: PDF, "
    "images (png, jpg, gif) and office documents (doc, docx, xls, xlsx, ppt, pptx, wps, ofd), "
    "recognised by extension and content, within the size limit (20 MB by default). 422 "
    "names the failed check; 409 when the report is submitted or accepted.",
)
def report_evidence_upload(
    request: HttpRequest, report_id: int, file: UploadedFile = EVIDENCE_FILE
) -> Any:
    user = caller(request)
    r = access_report(user, report_id, action="edit")
    require_csrf(request)
    try:
        e = monthly_evidence_add(report=r, actor=user, name=file.name or "", content=file)
    except (ValidationError, PermissionDenied, ServiceError) as exc:
        raise _fail(exc) from None
    return Status(201, evidence_out(e))


@router.get(
    "/projects/reports/{report_id}/evidence/{evidence_id}",
    response={200: None, **READ, 410: ErrorOut},
    auth=signed_in,
    openapi_extra={
        **SIGNED_IN,
        "responses": {
            200: {
                "description": "The file.",
                "content": {
                    t: {"schema": {"type": "string", "format": "binary"}} for t in EVIDENCE_TYPES
                },
            }
        },
    },
    summary="Download an evidence file of a monthly report",
    description="Access: whoever may see the report (else 404). 410 when the stored bytes "
    "are gone (an administrator must restore them).",
    url_name="monthly_evidence_file",
)
def report_evidence_file(request: HttpRequest, report_id: int, evidence_id: int) -> Any:
    r = access_report(caller(request), report_id)
    e = r.evidence.filter(pk=evidence_id).first()
    if e is None:
        raise Http404
    try:
        handle = monthly_evidence_open(e)
    except EvidenceLost:
        raise HttpError(410, "佐证材料文件已丢失，请联系管理员。") from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=e.name,
        content_type=CONTENT_TYPES.get(kind_of(e), OCTET),
    )
