"""Pages of 督办: the case list, a case with its history and the actions the viewer may
take, and the viewer's notifications (催办, 交办, escalations)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from planwatch.core.listing import BulkAction, listing_response
from planwatch.core.models import DemoMarker
from planwatch.core.web import run_service
from planwatch.orgunits.models import OrgUnit
from planwatch.supervision import lists, services
from planwatch.supervision.models import SupervisionCase
from planwatch.supervision.notify import notifications_concerning_demo
from planwatch.supervision.permissions import access_case, can_handle_case, can_manage_case
from planwatch.supervision.selectors import case_list_for, notifications_for
from planwatch.tasks.permissions import task_units


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """The viewer's 督办 cases (open ones unless asked): filter, sort, page, export."""
    data = request.GET.copy()
    if "status" not in data:  # the old `?all=1` link still shows every case
        data["status"] = "" if data.get("all") == "1" else lists.OPEN

    def prepare(table: Any, rows: list[Any]) -> None:
        table.demo_ids = DemoMarker.ids_among(rows)

    qs = case_list_for(user=request.user, open_only=False).select_related("plan")
    return listing_response(
        request,
        data=data,
        queryset=qs,
        filterset_class=lists.CaseFilter,
        table_class=lists.CaseTable,
        title=_("督办事项"),
        export_name=_("督办事项"),
        links=[(reverse("supervision:notification_list"), _("我的通知"))],
        prepare=prepare,
    )


@login_required
@require_GET
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request.user, case_id, action="view")
    context = {
        "case": case,
        "history": case.history.select_related("actor"),
        "can_manage": can_manage_case(request.user, case),
        "can_handle": can_handle_case(request.user, case),
        "units": _units(case),
    }
    return render(request, "supervision/case_detail.html", context)


def _units(case: SupervisionCase) -> list[OrgUnit]:
    """The units a case may go to: the task's units, or the unit a subject's case names."""
    if case.task is not None:
        return task_units(case.task)
    return [case.unit] if case.unit is not None else []


def _assign(request: HttpRequest, case: SupervisionCase) -> Any:
    """交办 to the unit chosen among the task's units (the lead unit by default)."""
    chosen = request.POST.get("unit", "")
    unit = next((u for u in _units(case) if str(u.pk) == chosen), None)
    return services.case_assign(
        case=case, actor=request.user, today=timezone.localdate(), unit=unit
    )


# action → (access action, how to call the service)
ACTIONS: dict[str, tuple[str, Callable[[HttpRequest, SupervisionCase], Any]]] = {
    "assign": ("manage", _assign),
    "acknowledge": ("handle", lambda r, c: services.case_acknowledge(case=c, actor=r.user)),
    "start": ("handle", lambda r, c: services.case_start(case=c, actor=r.user)),
    "feedback": (
        "handle",
        lambda r, c: services.case_feedback(case=c, actor=r.user, feedback=r.POST.get("text", "")),
    ),
    "pass": ("manage", lambda r, c: services.case_review(case=c, actor=r.user, passed=True)),
    "fail": (
        "manage",
        lambda r, c: services.case_review(
            case=c, actor=r.user, passed=False, note=r.POST.get("text", "")
        ),
    ),
    "close": ("manage", lambda r, c: services.case_close(case=c, actor=r.user)),
}


@login_required
@require_POST
def case_action(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    access, call = ACTIONS[action]
    case = access_case(request.user, case_id, action=access)  # type: ignore[arg-type]
    run_service(request, lambda: call(request, case), _("操作成功。"))
    return redirect("supervision:case_detail", case.pk)


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """The viewer's notifications: filter, page, export, mark one or all read."""

    def prepare(table: Any, rows: list[Any]) -> None:
        table.demo_ids = notifications_concerning_demo(rows)
        table.tasks = lists.notification_tasks(rows)

    read_all = BulkAction(
        "read_all",
        _("全部已读"),
        reverse("supervision:notification_read_all"),
        confirm=_("将您的全部未读通知标为已读？"),
    )
    return listing_response(
        request,
        queryset=notifications_for(user=request.user),
        filterset_class=lists.NotificationFilter,
        table_class=lists.NotificationTable,
        title=_("我的通知"),
        export_name=_("我的通知"),
        actions=[read_all],
        prepare=prepare,
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    services.notification_mark_read(notification_id=notification_id, actor=request.user)
    return redirect(_back(request))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    """全部已读 (one audit event)."""
    n = services.notification_mark_all_read(actor=request.user)
    messages.success(request, _("已将 %(n)d 条通知标为已读。") % {"n": n})
    return redirect(_back(request))


def _back(request: HttpRequest) -> str:
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return reverse("supervision:notification_list")
