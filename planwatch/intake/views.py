"""The intake pages: upload a communiqué or a project list, review what was proposed,
confirm the checked rows or discard the whole."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from planwatch.core.web import refusal_message
from planwatch.core.workflow import ConcurrentUpdate
from planwatch.indicators.choices import Stage
from planwatch.intake import forms, services
from planwatch.intake.choices import IntakeKind, IntakeStatus
from planwatch.intake.permissions import access_intake
from planwatch.intake.selectors import intakes_for, observation_review, plans_for, project_review
from planwatch.plans.models import Plan


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    choices = plans_for(request.user)
    if not choices:  # the user may take in no kind of document at all
        raise Http404
    if not any(plans for _kind, plans in choices):
        # Allowed, but no plan is ready yet (no confirmed indicators, no managed projects):
        # say so rather than offer an empty form.
        context = {"choices": [], "intakes": intakes_for(request.user), "nothing": True}
        return render(request, "intake/index.html", context)
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        plan = Plan.objects.filter(pk=request.POST.get("plan") or 0).first()
        try:
            if plan is None or upload is None:
                raise ValidationError(_("请选择规划和文件。"))
            intake = services.intake_upload(
                actor=request.user,
                kind=request.POST.get("kind", ""),
                plan=plan,
                name=upload.name or "upload",
                data=upload.read(),
            )
        except (ValidationError, PermissionDenied) as exc:
            error = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        else:
            return redirect("intake:detail", intake.pk)
    context = {"choices": choices, "intakes": intakes_for(request.user), "error": error}
    return render(request, "intake/index.html", context, status=400 if error else 200)


@login_required
def detail(request: HttpRequest, intake_id: int) -> HttpResponse:
    intake = access_intake(request.user, intake_id)
    context: dict[str, Any] = {"intake": intake, "open": intake.status == IntakeStatus.PROPOSED}
    if intake.kind == IntakeKind.OBSERVATIONS:
        context["review"] = observation_review(user=request.user, intake=intake)
        context["stages"] = Stage.choices
        context["stage"] = intake.proposal.get("stage", Stage.PRELIMINARY)
        return render(request, "intake/observations.html", context)
    context["rows"] = project_review(intake=intake)
    return render(request, "intake/projects.html", context)


@login_required
@require_POST
def confirm(request: HttpRequest, intake_id: int) -> HttpResponse:
    intake = access_intake(request.user, intake_id)
    try:
        if intake.kind == IntakeKind.OBSERVATIONS:
            args = forms.observation_confirmation(request.POST, intake)
            created = services.intake_observations_confirm(
                intake=intake, actor=request.user, **args
            )
            messages.success(request, _("已导入 %(n)d 条监测数据。") % {"n": len(created)})
        else:
            year, rows = forms.project_confirmation(request.POST, intake)
            result = services.intake_projects_confirm(
                intake=intake, actor=request.user, year=year, rows=rows
            )
            messages.success(
                request,
                _("已生成 %(c)d 个项目草稿，补充 %(m)d 个已有项目。")
                % {"c": len(result["created"]), "m": len(result["matched"])},
            )
    except (ValidationError, PermissionDenied, ConcurrentUpdate) as exc:
        refusal_message(request, exc)
    return redirect("intake:detail", intake.pk)


@login_required
@require_POST
def discard(request: HttpRequest, intake_id: int) -> HttpResponse:
    intake = access_intake(request.user, intake_id)
    try:
        services.intake_discard(intake=intake, actor=request.user)
        messages.success(request, _("已放弃该文件的提取结果。"))
    except (ValidationError, PermissionDenied, ConcurrentUpdate) as exc:
        refusal_message(request, exc)
    return redirect("intake:detail", intake.pk)
