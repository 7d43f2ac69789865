"""Documents (公文): planners of a zone draft evaluation reports, 通报 and task-list notices
from the stored data and download them as DOCX (or PDF, where LibreOffice is installed);
the zone's leaders read them. Writing, review and issue are on the document pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.params.functions import Query

from planwatch.api.auth import caller, signed_in
from planwatch.api.implementation.common import require_csrf
from planwatch.api.schemas import ErrorOut, PageMeta, PlanRef, UnitRef
from planwatch.core.workflow import ServiceError
from planwatch.documents import services
from planwatch.documents.pdf import PdfUnavailable, docx_to_pdf
from planwatch.documents.permissions import access_document, can_manage_zone
from planwatch.documents.selectors import document_list_for
from planwatch.plans.models import Plan

router = Router(tags=["documents"])
SIGNED_IN = {"x-access": "signed-in"}
READ: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
ACT: dict[int, Any] = {**READ, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LIMIT = Query(50, ge=1, le=500, description="Items per page.")
OFFSET = Query(0, ge=0, le=10_000_000, description="Items to skip.")


class FigureOut(Schema):
    id: str = Field(description="F1, F2, … in the order the document prints them.")
    label: str
    value: Any = Field(description="The figure as computed (number, text or null).")
    shown: str = Field(description="The figure as printed.")
    query: str = Field(description="What was counted or read to get it.")
    records: dict[str, list[int]] = Field(description="model → ids of the records behind it.")


class DocumentOut(Schema):
    id: int
    kind: str = Field(description="annual, midterm, final, bulletin, task_list, supervision.")
    title: str
    plan: PlanRef | None
    zone: UnitRef | None
    year: int
    quarter: int | None
    status: str = Field(description="draft → reviewed → issued (then frozen).")
    number: str = Field(description="文号, once issued (e.g. 川发改〔2025〕3号).")
    edition: int
    supersedes_id: int | None
    sha256: str = Field(description="SHA-256 of the stored DOCX.")
    placeholders_left: dict[str, str] = Field(description="key → prompt of passages to write.")
    created_at: datetime
    issued_at: datetime | None


class DocumentDetailOut(DocumentOut):
    figures: list[FigureOut] = Field(description="Every figure with its query and records.")


class DocumentPage(PageMeta):
    items: list[DocumentOut]


class DocumentIn(Schema):
    kind: Literal["annual", "midterm", "final", "bulletin", "task_list"]
    plan: str = Field(max_length=64, description="The plan's slug.")
    year: int = Field(ge=2000, le=2100)
    quarter: int | None = Field(None, ge=1, le=4, description="For a bulletin (通报).")


def document_out(d: Any, *, detail: bool = False) -> dict[str, Any]:
    out = {
        **{f: getattr(d, f) for f in ("id", "kind", "title", "year", "quarter", "status")},
        **{f: getattr(d, f) for f in ("number", "edition", "supersedes_id", "sha256")},
        "created_at": d.created_at,
        "issued_at": d.issued_at,
        "plan": PlanRef(id=d.plan.pk, slug=d.plan.slug, title=d.plan.title) if d.plan else None,
        "zone": UnitRef(code=d.zone.code, name=d.zone.name) if d.zone else None,
        "placeholders_left": services.placeholders_left(d),
    }
    if detail:
        out["figures"] = d.snapshot.get("figures", [])
    return out


def _binary(content_type: str, what: str) -> dict[str, Any]:
    return {
        **SIGNED_IN,
        "responses": {
            200: {
                "description": what,
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        },
    }


@router.get(
    "/documents",
    response={200: DocumentPage, 401: ErrorOut, 422: ErrorOut},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="List documents",
    description="Access: the planners and leaders of each document's zone.",
)
def document_list(request: HttpRequest, limit: int = LIMIT, offset: int = OFFSET) -> Any:
    qs = document_list_for(user=caller(request))
    items = [document_out(d) for d in qs[offset : offset + limit]]
    return {"count": qs.count(), "limit": limit, "offset": offset, "items": items}


@router.post(
    "/documents",
    response={201: DocumentDetailOut, **ACT},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="Draft a document from the stored data",
    description="Access: the planners of the plan's zone (404 for a plan they cannot see "
    "to manage). Drafts an annual, mid-term or final report, a quarterly bulletin or the "
    "issued key-task list's cover notice; every figure is listed with its query and records.",
)
def document_create(request: HttpRequest, body: DocumentIn) -> Any:
    require_csrf(request)
    user = caller(request)
    plan = Plan.objects.select_related("org_unit").filter(slug=body.plan).first()
    if plan is None or not can_manage_zone(user, plan.org_unit):
        raise Http404
    try:
        doc = services.document_build(
            kind=body.kind, actor=user, year=body.year, plan=plan, quarter=body.quarter
        )
    except ValidationError as exc:
        raise HttpError(422, "；".join(exc.messages)) from None
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "forbidden") from None
    except ServiceError as exc:
        raise HttpError(409, str(exc)) from None
    return Status(201, document_out(doc, detail=True))


@router.get(
    "/documents/{document_id}",
    response={200: DocumentDetailOut, **READ},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="One document with its figures",
    description="Access: the planners and leaders of the document's zone (else 404).",
)
def document_detail(request: HttpRequest, document_id: int) -> Any:
    return document_out(access_document(caller(request), document_id), detail=True)


@router.get(
    "/documents/{document_id}/docx",
    response={200: None, **READ, 409: ErrorOut},
    auth=signed_in,
    openapi_extra=_binary(DOCX, "The DOCX as stored (an issued one checked against sha256)."),
    summary="Download a document as DOCX",
    description="Access: the planners and leaders of the document's zone (else 404). 409 when "
    "an issued document's stored bytes no longer match its sha256.",
)
def document_docx(request: HttpRequest, document_id: int) -> Any:
    doc = access_document(caller(request), document_id)
    try:
        data = services.document_bytes(doc)
    except ServiceError as exc:
        raise HttpError(409, str(exc)) from None
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="document-{doc.pk}.docx"'
    return response


@router.get(
    "/documents/{document_id}/pdf",
    response={200: None, **READ, 409: ErrorOut, 503: ErrorOut},
    auth=signed_in,
    openapi_extra=_binary("application/pdf", "The PDF converted from the stored DOCX."),
    summary="Download a document as PDF",
    description="Access: as for the DOCX. Converted by LibreOffice from the stored DOCX; 503 "
    "when LibreOffice is not installed on the server.",
)
def document_pdf(request: HttpRequest, document_id: int) -> Any:
    doc = access_document(caller(request), document_id)
    try:
        pdf = docx_to_pdf(services.document_bytes(doc))
    except ServiceError as exc:
        raise HttpError(409, str(exc)) from None
    except PdfUnavailable as exc:
        raise HttpError(503, str(exc)) from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="document-{doc.pk}.pdf"'
    return response
