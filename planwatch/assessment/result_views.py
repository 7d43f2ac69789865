"""Pages of the 绩效考核 results: the editions, the ranking table of an edition (grade colours,
differences beside the edition it corrects), a unit's score card drilling down to the records,
the xlsx export; computing, reviewing, publishing; objections and hand-entered adjustments.
Published editions: every signed-in user; drafts: the province's planners, and each unit its
own results."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from planwatch.assessment import results
from planwatch.assessment.models import (
    Adjustment,
    AdjustmentKind,
    AssessmentScheme,
    Objection,
    ResultEdition,
    ResultStatus,
    SchemeStatus,
)
from planwatch.assessment.results_xlsx import GRADE_LABELS, edition_export, export_disposition
from planwatch.assessment.schemes import can_manage_schemes
from planwatch.assessment.views import _float_or_none, _int
from planwatch.core.web import refusal_message as _errors
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit


def _edition(request: HttpRequest, edition_id: int) -> ResultEdition:
    """An edition the user may open: published, or they plan, or one of their units is in it."""
    edition = get_object_or_404(
        ResultEdition.objects.select_related("scheme", "zone", "corrects"), pk=edition_id
    )
    if edition.is_published or can_manage_schemes(request.user):
        return edition
    if edition.scores.filter(unit_id__in=results.unit_ids_of(request.user)).exists():
        return edition
    raise Http404


def _managed(request: HttpRequest, edition_id: int) -> ResultEdition:
    if not can_manage_schemes(request.user):
        raise Http404
    return get_object_or_404(ResultEdition, pk=edition_id)


@require_GET
@login_required
def result_list(request: HttpRequest) -> HttpResponse:
    manage = can_manage_schemes(request.user)
    editions = (
        ResultEdition.objects.select_related("scheme", "zone")
        .defer("inputs")
        .order_by("-scheme__year", "scheme__series", "-number")
    )
    if not manage:
        mine = results.unit_ids_of(request.user)
        editions = editions.filter(status=ResultStatus.PUBLISHED) | editions.filter(
            scores__unit_id__in=mine
        )
        editions = editions.distinct()
    return render(
        request,
        "assessment/results.html",
        {
            "editions": editions,
            "can_manage": manage,
            "schemes": AssessmentScheme.objects.filter(
                status=SchemeStatus.FROZEN, is_default=False
            ).order_by("-year", "series"),
            "zones": OrgUnit.objects.filter(kind=OrgUnitKind.ZONE).order_by("sort_order", "path"),
        },
    )


@require_POST
@login_required
def result_compute(request: HttpRequest) -> HttpResponse:
    if not can_manage_schemes(request.user):
        raise Http404
    try:
        scheme = AssessmentScheme.objects.get(pk=_int(request.POST.get("scheme"), _("考核方案")))
        zone_id = request.POST.get("zone") or ""
        zone = OrgUnit.objects.get(pk=int(zone_id), kind=OrgUnitKind.ZONE) if zone_id else None
        raw = (request.POST.get("as_of") or "").strip()
        as_of = date.fromisoformat(raw) if raw else None
        edition = results.result_compute(
            scheme=scheme,
            actor=request.user,
            zone=zone,
            as_of=as_of,
            reason=request.POST.get("reason", ""),
        )
    except (AssessmentScheme.DoesNotExist, OrgUnit.DoesNotExist, ValueError):
        messages.error(request, _("考核方案、范围或日期无效。"))
        return redirect("assessment:results")
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
        return redirect("assessment:results")
    messages.success(request, _("已计算考核结果（草稿）。"))
    return redirect("assessment:result", edition.pk)


@require_POST
@login_required
def result_recompute(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = _managed(request, edition_id)
    try:
        new = results.result_compute(
            scheme=edition.scheme,
            actor=request.user,
            zone=edition.zone,
            as_of=edition.as_of,
            reason=request.POST.get("reason", ""),
        )
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
        return redirect("assessment:result", edition.pk)
    messages.success(request, _("已重新计算，生成新版次。"))
    return redirect("assessment:result", new.pk)


@require_GET
@login_required
def result_detail(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = _edition(request, edition_id)
    scores = list(results.visible_scores(request.user, edition).prefetch_related("items"))
    diffs = results.differences(edition)
    codes: list[tuple[str, str]] = []
    for s in scores:
        for i in s.items.all():
            if (i.code, i.name) not in codes:
                codes.append((i.code, i.name))
    rows = []
    for s in scores:
        d = diffs.get(s.unit_id)
        pts = {i.code: i.points for i in s.items.all()}
        cells = []
        for c, _n in codes:
            delta = d["items"].get(c, (None, 0.0))[1] if d else None
            cells.append((pts.get(c), delta))
        rows.append({"score": s, "cells": cells, "diff": d, "grade": GRADE_LABELS.get(s.grade)})
    manage = can_manage_schemes(request.user)
    mine = results.unit_ids_of(request.user)
    objections = edition.objections.select_related("unit").order_by("id")
    if not manage:
        objections = objections.filter(unit_id__in=mine)
    return render(
        request,
        "assessment/result.html",
        {
            "edition": edition,
            "rows": rows,
            "codes": codes,
            "can_manage": manage,
            "objections": objections,
            "adjustments": Adjustment.objects.filter(scheme=edition.scheme)
            .select_related("unit")
            .filter(unit_id__in=[s.unit_id for s in scores]),
            "kinds": AdjustmentKind.choices,
            "later": edition.corrections.order_by("number"),
        },
    )


@require_GET
@login_required
def score_card(request: HttpRequest, edition_id: int, unit_id: int) -> HttpResponse:
    edition = _edition(request, edition_id)
    score = get_object_or_404(
        results.visible_scores(request.user, edition).prefetch_related("items__lines"),
        unit_id=unit_id,
    )
    diff = results.differences(edition).get(score.unit_id)
    return render(
        request,
        "assessment/score_card.html",
        {
            "edition": edition,
            "score": score,
            "grade": GRADE_LABELS.get(score.grade),
            "diff": diff,
            "can_object": not edition.is_published
            and score.unit_id in results.unit_ids_of(request.user),
            "objections": edition.objections.filter(unit_id=unit_id).order_by("id"),
            "adjustments": Adjustment.objects.filter(scheme=edition.scheme, unit_id=unit_id),
        },
    )


@require_GET
@login_required
def result_xlsx(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = _edition(request, edition_id)
    data = edition_export(edition, results.visible_scores(request.user, edition))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = export_disposition(edition)
    return response


@require_POST
@login_required
def result_review(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = _managed(request, edition_id)
    try:
        results.result_review(edition=edition, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("考核结果已审核。"))
    return redirect("assessment:result", edition.pk)


@require_POST
@login_required
def result_publish(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = _managed(request, edition_id)
    try:
        results.result_publish(edition=edition, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("考核结果已发布。"))
    return redirect("assessment:result", edition.pk)


@require_POST
@login_required
def objection_file(request: HttpRequest, edition_id: int, unit_id: int) -> HttpResponse:
    edition = _edition(request, edition_id)
    unit = get_object_or_404(OrgUnit, pk=unit_id)
    try:
        results.objection_file(
            edition=edition, unit=unit, actor=request.user, reason=request.POST.get("reason", "")
        )
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("申诉已提交。"))
    return redirect("assessment:score_card", edition.pk, unit.pk)


@require_POST
@login_required
def objection_answer(request: HttpRequest, objection_id: int) -> HttpResponse:
    if not can_manage_schemes(request.user):
        raise Http404
    objection = get_object_or_404(Objection, pk=objection_id)
    try:
        results.objection_answer(
            objection=objection, actor=request.user, answer=request.POST.get("answer", "")
        )
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已答复申诉。"))
    return redirect("assessment:result", objection.edition_id)


@require_POST
@login_required
def adjustment_add(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = _managed(request, edition_id)
    try:
        unit = OrgUnit.objects.get(pk=_int(request.POST.get("unit"), _("单位")))
        results.adjustment_add(
            edition=edition,
            unit=unit,
            actor=request.user,
            kind=request.POST.get("kind", ""),
            points=_float_or_none(request.POST.get("points")) or 0.0,
            reason=request.POST.get("reason", ""),
            evidence_text=request.POST.get("evidence_text", ""),
            evidence_file=request.FILES.get("evidence_file"),
        )
    except OrgUnit.DoesNotExist:
        messages.error(request, _("所选单位不存在。"))
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已录入，重新计算后生效。"))
    return redirect("assessment:result", edition.pk)
