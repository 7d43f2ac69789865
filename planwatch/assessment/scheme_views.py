"""Pages of the 绩效考核 schemes: the list, a scheme with its items, rules, sources and
grades; copying a scheme for a year, editing a draft's points, freezing it. Signed-in users
read frozen schemes; drafts are for the province's planners."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from planwatch.assessment import schemes
from planwatch.assessment.defaults import CHOICE_PARAMS
from planwatch.assessment.models import AssessmentScheme, SchemeItem, Series
from planwatch.assessment.views import _float_or_none, _int
from planwatch.core.web import refusal_message


def _visible(request: HttpRequest, scheme_id: int) -> AssessmentScheme:
    scheme = get_object_or_404(AssessmentScheme, pk=scheme_id)
    if not scheme.is_frozen and not schemes.can_manage_schemes(request.user):
        raise Http404
    return scheme


def _managed(request: HttpRequest, scheme_id: int) -> AssessmentScheme:
    if not schemes.can_manage_schemes(request.user):
        raise Http404
    return get_object_or_404(AssessmentScheme, pk=scheme_id)


@require_GET
@login_required
def scheme_list(request: HttpRequest) -> HttpResponse:
    for series in Series.values:
        schemes.default_scheme(series)
    manage = schemes.can_manage_schemes(request.user)
    rows = AssessmentScheme.objects.order_by("is_default", "-year", "series", "id")
    if not manage:
        rows = rows.filter(status="frozen")
    return render(request, "assessment/schemes.html", {"schemes": rows, "can_manage": manage})


@require_GET
@login_required
def scheme_detail(request: HttpRequest, scheme_id: int) -> HttpResponse:
    scheme = _visible(request, scheme_id)
    items = list(scheme.items.all())
    return render(
        request,
        "assessment/scheme.html",
        {
            "scheme": scheme,
            "items": items,
            "total": sum(i.points for i in items),
            "can_manage": schemes.can_manage_schemes(request.user),
            "series": Series.choices,
            "grade_names": {
                "excellent": _("优秀"),
                "good": _("良好"),
                "fair": _("一般"),
                "poor": _("较差"),
            },
        },
    )


@require_POST
@login_required
def scheme_copy(request: HttpRequest, scheme_id: int) -> HttpResponse:
    source = _managed(request, scheme_id)
    try:
        copy = schemes.scheme_copy(
            source=source,
            year=_int(request.POST.get("year"), _("考核年度"), below=10000),
            series=request.POST.get("series") or None,
            actor=request.user,
        )
    except (ValidationError, PermissionDenied) as exc:
        refusal_message(request, exc)
        return redirect("assessment:scheme", source.pk)
    messages.success(request, _("已复制为草稿方案。"))
    return redirect("assessment:scheme", copy.pk)


@require_POST
@login_required
def scheme_item(request: HttpRequest, scheme_id: int) -> HttpResponse:
    scheme = _managed(request, scheme_id)
    try:
        item = SchemeItem.objects.get(
            scheme=scheme, pk=_int(request.POST.get("item"), _("考核项目"))
        )
        points = _float_or_none(request.POST.get("points"))
        if points is None:
            raise ValidationError(_("请填写分值。"))
        params: dict[str, Any] = {}
        for key in item.params:
            if key in CHOICE_PARAMS:
                params[key] = request.POST.get(f"param_{key}") or item.params[key]
                continue
            value = _float_or_none(request.POST.get(f"param_{key}"))
            params[key] = item.params[key] if value is None else value
        schemes.scheme_item_update(item=item, actor=request.user, points=points, params=params)
    except SchemeItem.DoesNotExist:
        messages.error(request, _("所选考核项目不存在。"))
    except (ValidationError, PermissionDenied) as exc:
        refusal_message(request, exc)
    else:
        messages.success(request, _("已修改考核项目。"))
    return redirect("assessment:scheme", scheme.pk)


@require_POST
@login_required
def scheme_freeze(request: HttpRequest, scheme_id: int) -> HttpResponse:
    scheme = _managed(request, scheme_id)
    try:
        schemes.scheme_freeze(scheme=scheme, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        refusal_message(request, exc)
    else:
        messages.success(request, _("方案已定稿。"))
    return redirect("assessment:scheme", scheme.pk)
