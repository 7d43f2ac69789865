"""Pages of progress reports: start a period's report, the report form with evidence
upload, and the review actions (submit, approve, return, accept, correct)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role
from planwatch.core.web import run_service
from planwatch.core.workflow import ServiceError
from planwatch.reports import services
from planwatch.reports.choices import ReportStatus
from planwatch.reports.evidence import (
    EvidenceLost,
    evidence_add,
    evidence_open,
    evidence_remove,
)
from planwatch.reports.forms import EvidenceForm, ReasonForm, ReportForm
from planwatch.reports.health import reporting_health_for
from planwatch.reports.models import ProgressReport
from planwatch.reports.permissions import (
    access_report,
    can_accept_report,
    can_edit_report,
    can_review_report,
)
from planwatch.tasks.permissions import access_task, reporting_units

log = logging.getLogger(__name__)


@login_required
@require_POST
def report_start(request: HttpRequest, task_id: int) -> HttpResponse:
    task = access_task(request.user, task_id, action="report")
    chosen = request.POST.get("unit", "")
    unit = next((u for u in reporting_units(task) if str(u.pk) == chosen), None)
    try:
        start = date.fromisoformat(request.POST.get("period_start", ""))
    except ValueError:
        start = None
    if unit is None or start is None:
        raise Http404
    holder: dict[str, ProgressReport] = {}

    def start_report() -> None:
        holder["r"] = services.progress_report_start(
            task=task, unit=unit, period_start=start, actor=request.user
        )

    if run_service(request, start_report, _("已创建报告草稿。")):
        return redirect("reports:report_detail", holder["r"].pk)
    return redirect("tasks:task_detail", task.pk)


def _initial(report: ProgressReport) -> dict[str, Any]:
    return {
        "completion": report.completion,
        "progress_status": report.progress_status,
        "narrative": report.narrative,
        "version": report.version,
    }


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    """The report page. Its one form has two buttons (name=action): 保存 saves, 报送 saves
    and submits. A refused save or submit re-renders what was typed, each error under its
    field; nothing typed is lost."""
    report = access_report(request.user, report_id, action="view")
    form = ReportForm(initial=_initial(report))
    status = 200
    if request.method == "POST":
        report = access_report(request.user, report_id, action="edit")
        form = ReportForm(request.POST)
        submit = request.POST.get("action") == "submit"
        if form.is_valid() and _save_and_submit(request, report, form, submit=submit):
            return redirect("reports:report_detail", report.pk)
        status = 400
    return render(
        request, "reports/report_detail.html", _context(request, report, form), status=status
    )


def _context(request: HttpRequest, report: ProgressReport, form: ReportForm) -> dict[str, Any]:
    return {
        "report": report,
        "form": form,
        "evidence_form": EvidenceForm(),
        "reason_form": ReasonForm(),
        "can_edit": can_edit_report(request.user, report)
        and report.status in ReportStatus.EDITABLE,
        "can_withdraw": report.is_current
        and report.status == ReportStatus.SUBMITTED
        and can_edit_report(request.user, report),
        "can_review": can_review_report(request.user, report),
        "can_accept": can_accept_report(request.user, report),
        "history": report.history.select_related("actor"),
        "evidence": report.evidence.all(),
    }


def _save_and_submit(
    request: HttpRequest, report: ProgressReport, form: ReportForm, *, submit: bool
) -> bool:
    """Save the form (and submit, when asked); a refusal goes into the form, under the field
    it concerns, or above the form. The saved values stay saved when only the submit is
    refused; the form then carries the report's new version."""
    try:
        _save(report, form, request.user)
        if submit:
            services.progress_report_submit(report=report, actor=request.user)
    except ValidationError as exc:
        _form_errors(form, exc, report)
        return False
    except (ServiceError, PermissionDenied) as exc:
        form.add_error(None, str(exc) or _("您无权执行此操作。"))
        return False
    messages.success(request, _("已报送。") if submit else _("已保存。"))
    return True


def _save(report: ProgressReport, form: ReportForm, user: Any) -> None:
    data = form.cleaned_data
    services.progress_report_update(
        report=report,
        actor=user,
        version=data["version"],
        completion=data["completion"],
        progress_status=data["progress_status"],
        narrative=data["narrative"],
    )


def _form_errors(form: ReportForm, exc: ValidationError, report: ProgressReport) -> None:
    data = QueryDict(mutable=True)
    data.update(form.data)
    data["version"] = str(report.version)
    form.data = data
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        form.add_error(None, exc)


ACTIONS: dict[str, tuple[str, Callable[..., Any], bool]] = {
    # name: (access action, service, needs a reason)
    "submit": ("edit", services.progress_report_submit, False),
    "withdraw": ("edit", services.progress_report_withdraw, False),
    "approve": ("review", services.progress_report_approve, False),
    "unit_return": ("review", services.progress_report_return, True),
    "accept": ("accept", services.progress_report_accept, False),
    "return": ("accept", services.progress_report_return, True),
    "correct": ("accept", services.progress_report_correct, True),
}


@login_required
@require_POST
def report_action(request: HttpRequest, report_id: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    access, service, needs_reason = ACTIONS[action]
    report = access_report(request.user, report_id, action=access)  # type: ignore[arg-type]
    expected = request.POST.get("version", "")
    if expected and expected != str(report.version):
        messages.error(request, _("该报告已被他人修改，请刷新后重试。"))
        return redirect("reports:report_detail", report.pk)
    kwargs: dict[str, Any] = {"report": report, "actor": request.user}
    if needs_reason:
        kwargs["reason"] = request.POST.get("reason", "")
    holder: dict[str, Any] = {}
    run_service(request, lambda: holder.setdefault("r", service(**kwargs)), _("操作成功。"))
    target = holder.get("r", report)
    return redirect("reports:report_detail", target.pk)


@login_required
@require_POST
def evidence_upload(request: HttpRequest, report_id: int) -> HttpResponse:
    report = access_report(request.user, report_id, action="edit")
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择文件。"))
    else:
        upload = form.cleaned_data["file"]
        run_service(
            request,
            lambda: evidence_add(
                report=report, actor=request.user, name=upload.name, content=upload
            ),
            _("已上传佐证材料。"),
        )
    return redirect("reports:report_detail", report.pk)


@login_required
@require_POST
def evidence_delete(request: HttpRequest, report_id: int, evidence_id: int) -> HttpResponse:
    report = access_report(request.user, report_id, action="edit")
    evidence = report.evidence.filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    run_service(
        request, lambda: evidence_remove(evidence=evidence, actor=request.user), _("已删除。")
    )
    return redirect("reports:report_detail", report.pk)


@login_required
@require_GET
def evidence_download(request: HttpRequest, report_id: int, evidence_id: int) -> HttpResponseBase:
    report = access_report(request.user, report_id, action="view")
    evidence = report.evidence.filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    try:
        handle = evidence_open(evidence)
    except EvidenceLost:
        messages.error(
            request,
            _("佐证材料“%(name)s”的文件已丢失，请联系管理员。") % {"name": evidence.name},
        )
        return redirect("reports:report_detail", report.pk)
    return FileResponse(handle, as_attachment=True, filename=evidence.name)


@login_required
@require_GET
def health_table(request: HttpRequest) -> HttpResponse:
    """Reporting health per unit, for planners and leaders (404 for everyone else)."""
    if not (has_role(request.user, Role.PLANNER) or has_role(request.user, Role.LEADER)):
        raise Http404
    rows = reporting_health_for(user=request.user, today=timezone.localdate())
    context = {"rows": rows, "has_demo": any(h.demo for h in rows)}
    return render(request, "reports/health.html", context)
