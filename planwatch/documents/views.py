"""Pages of the documents, for planners (and the zone's leaders, read-only): the list, a
document with its passages to write, its figures, review, issue and downloads."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from planwatch.core.middleware import ID_MAX
from planwatch.core.web import run_service
from planwatch.documents import services
from planwatch.documents.choices import DocumentKind
from planwatch.documents.gongwen import placeholders_in
from planwatch.documents.models import Document
from planwatch.documents.pdf import PdfUnavailable, docx_to_pdf, soffice
from planwatch.documents.permissions import access_document, can_cosign, can_manage
from planwatch.documents.selectors import document_list_for, plans_manageable
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.supervision.models import SupervisionCase

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORM_KINDS = list(DocumentKind)


def _int(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= ID_MAX else None


@login_required
@require_GET
def document_list(request: HttpRequest) -> HttpResponse:
    # The list shows no text of a document: its data snapshot and written passages stay unread.
    docs = document_list_for(user=request.user).defer("snapshot", "texts")[:200]
    plans = plans_manageable(request.user)
    return render(
        request,
        "documents/list.html",
        {"documents": docs, "plans": plans, "kinds": FORM_KINDS},
    )


@login_required
@require_POST
def document_create(request: HttpRequest) -> HttpResponse:
    plan = Plan.objects.filter(pk=_int(request.POST.get("plan")) or 0).first()
    if plan is None or plan not in plans_manageable(request.user):
        raise Http404
    kind = request.POST.get("kind", "")
    case = None
    if kind == DocumentKind.SUPERVISION:
        # a 督办通知单: the case must be one of this plan's
        case = SupervisionCase.objects.filter(
            pk=_int(request.POST.get("case")) or 0, plan=plan
        ).first()
        if case is None:
            messages.error(request, _("请填写本规划的督办事项编号。"))
            return redirect("documents:list")
    created: list[Document] = []

    def build() -> None:
        created.append(
            services.document_build(
                kind=kind,
                actor=request.user,
                year=_int(request.POST.get("year")) or 0,
                plan=None if case else plan,
                quarter=_int(request.POST.get("quarter")),
                case=case,
            )
        )

    if run_service(request, build, _("公文已起草。")):
        return redirect(created[0])
    return redirect("documents:list")


@login_required
@require_GET
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    doc = access_document(request.user, pk)
    prompts = placeholders_in(doc.snapshot.get("blocks", []))
    passages = [(k, p, doc.texts.get(k, "")) for k, p in prompts.items()]
    co_issuers = [
        (c, can_cosign(request.user, c.unit)) for c in doc.co_issuers.select_related("unit")
    ]
    manage = can_manage(request.user, doc)
    candidates = (
        OrgUnit.objects.filter(kind__in=(OrgUnitKind.DEPARTMENT, OrgUnitKind.PREFECTURE))
        .exclude(name=services.AUTHORITY)
        .order_by("kind", "path")
        if manage and doc.status == "draft"
        else OrgUnit.objects.none()
    )
    return render(
        request,
        "documents/detail.html",
        {
            "doc": doc,
            "passages": passages,
            "left": services.placeholders_left(doc),
            "figures": doc.snapshot.get("figures", []),
            "can_manage": manage,
            "co_issuers": co_issuers,
            "chosen": {c.unit_id for c, _ in co_issuers},
            "candidates": candidates,
            "pdf_available": soffice() is not None,
        },
    )


@login_required
@require_POST
def document_texts(request: HttpRequest, pk: int) -> HttpResponse:
    doc = access_document(request.user, pk, action="manage")
    keys = placeholders_in(doc.snapshot.get("blocks", []))
    texts = {k: request.POST.get(f"text_{k}", "") for k in keys if f"text_{k}" in request.POST}
    run_service(
        request,
        lambda: services.document_texts_set(document=doc, actor=request.user, texts=texts),
        _("已保存。"),
    )
    return redirect(doc)


@login_required
@require_POST
def document_co_issuers(request: HttpRequest, pk: int) -> HttpResponse:
    doc = access_document(request.user, pk, action="manage")
    ids = [i for i in (_int(v) for v in request.POST.getlist("units")) if i]
    by_id = OrgUnit.objects.in_bulk(ids)
    units = [by_id[i] for i in ids if i in by_id]
    run_service(
        request,
        lambda: services.document_co_issuers_set(document=doc, actor=request.user, units=units),
        _("联合发文机关已更新。"),
    )
    return redirect(doc)


@login_required
@require_POST
def document_cosign(request: HttpRequest, pk: int) -> HttpResponse:
    doc = access_document(request.user, pk)
    unit = OrgUnit.objects.filter(pk=_int(request.POST.get("unit")) or 0).first()
    if unit is None:
        raise Http404
    run_service(
        request,
        lambda: services.document_cosign(document=doc, actor=request.user, unit=unit),
        _("已会签。"),
    )
    return redirect(doc)


@login_required
@require_POST
def document_review(request: HttpRequest, pk: int) -> HttpResponse:
    doc = access_document(request.user, pk, action="manage")
    run_service(
        request, lambda: services.document_review(document=doc, actor=request.user), _("已审核。")
    )
    return redirect(doc)


@login_required
@require_POST
def document_return(request: HttpRequest, pk: int) -> HttpResponse:
    doc = access_document(request.user, pk, action="manage")
    run_service(
        request, lambda: services.document_return(document=doc, actor=request.user), _("已退回。")
    )
    return redirect(doc)


@login_required
@require_POST
def document_issue(request: HttpRequest, pk: int) -> HttpResponse:
    doc = access_document(request.user, pk, action="manage")
    run_service(
        request,
        lambda: services.document_issue(
            document=doc,
            actor=request.user,
            number=request.POST.get("number", ""),
            cc=request.POST.get("cc"),
        ),
        _("公文已印发。"),
    )
    return redirect(doc)


@login_required
@require_POST
def document_reissue(request: HttpRequest, pk: int) -> HttpResponse:
    doc = access_document(request.user, pk, action="manage")
    created: list[Document] = []
    if run_service(
        request,
        lambda: created.append(services.document_reissue(document=doc, actor=request.user)),
        _("已起草新版本。"),
    ):
        return redirect(created[0])
    return redirect(doc)


def _filename(doc: Document, ext: str) -> str:
    return f"{doc.title}（第{doc.edition}版）.{ext}"


@login_required
@require_GET
def document_docx(request: HttpRequest, pk: int) -> HttpResponse:
    doc = access_document(request.user, pk)
    response = HttpResponse(services.document_bytes(doc), content_type=DOCX)
    response["Content-Disposition"] = _disposition(_filename(doc, "docx"))
    return response


@login_required
@require_GET
def document_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    doc = access_document(request.user, pk)
    try:
        pdf = docx_to_pdf(services.document_bytes(doc))
    except PdfUnavailable as exc:
        messages.error(request, str(exc))
        return redirect(doc)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = _disposition(_filename(doc, "pdf"))
    return response


@login_required
@require_GET
def document_figures(request: HttpRequest, pk: int) -> HttpResponse:
    doc = access_document(request.user, pk)
    body = {
        "document": doc.pk,
        "title": doc.title,
        "sha256": doc.sha256,
        "figures": doc.snapshot.get("figures", []),
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json"
    )


def _disposition(name: str) -> str:
    from urllib.parse import quote

    ext = name.rsplit(".", 1)[-1]
    return f"attachment; filename=\"document.{ext}\"; filename*=UTF-8''{quote(name)}"
