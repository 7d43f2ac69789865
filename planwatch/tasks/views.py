"""Pages of tasks and annual lists. Views authorise through the access helpers, read through
selectors or call one service, and render; service refusals become messages."""

from __future__ import annotations

from functools import partial
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role
from planwatch.core import hooks
from planwatch.core.listing import BulkAction, BulkRefused, bulk_all_or_nothing, listing_response
from planwatch.core.models import DemoMarker
from planwatch.core.web import REFUSALS, refusal_message, run_service
from planwatch.core.workflow import ServiceError
from planwatch.plans.models import Plan
from planwatch.tasks import lists, selectors, services, xlsx
from planwatch.tasks.forms import FrequencyForm, GenerateForm, ImportForm, ReasonForm, TaskForm
from planwatch.tasks.permissions import (
    access_annual_list,
    access_task,
    can_manage_plan,
    plans_managed_q,
)


def _hook_filters(request: HttpRequest) -> selectors.TaskFilters:
    """Filters contributed by the apps above (supervision's `light`); the rest is TaskFilter."""
    filters: selectors.TaskFilters = {}
    for extra in hooks.task_list_filters.send(params=request.GET):
        filters.update(extra)
    return filters


@login_required
@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    """The tasks the viewer may see: filter, sort, page, export; planners tick rows to set
    their lead unit or 完成标准 at once."""
    qs = selectors.task_list_for(user=request.user, filters=_hook_filters(request))
    extras = hooks.task_list_context.merged(user=request.user, tasks=[])
    may_bulk = Plan.objects.filter(plans_managed_q(request.user)).exists()

    def prepare(table: Any, rows: list[Any]) -> None:
        table.lights = hooks.task_list_context.merged(user=request.user, tasks=rows).get(
            "lights", {}
        )
        table.demo_ids = DemoMarker.ids_among(rows)

    actions = []
    if may_bulk:
        url = reverse("tasks:task_bulk")
        actions = [
            BulkAction("lead_unit", _("设置牵头单位"), url, lists.BulkLeadUnitForm()),
            BulkAction("criterion", _("设置完成标准"), url, lists.BulkCriterionForm()),
        ]
    return listing_response(
        request,
        queryset=qs,
        filterset_class=lists.TaskFilter,
        filterset_kwargs={"light_choices": extras.get("light_choices", ())},
        table_class=partial(lists.TaskTable, selectable=may_bulk),  # type: ignore[arg-type]
        title=pgettext("plural", "重点任务"),
        export_name=pgettext("plural", "重点任务"),
        actions=actions,
        links=_task_links(request, manages_plans=may_bulk),
        prepare=prepare,
    )


def _task_links(request: HttpRequest, *, manages_plans: bool) -> list[tuple[str, str]]:
    """Links to the pages around the task list, each only for those who may open it (the
    same rules as the header's `nav_can`, decision 0018)."""
    user = request.user
    links: list[tuple[str, str]] = []
    if has_role(user, Role.UNIT_REVIEWER) or has_role(user, Role.PLANNER):
        links.append((reverse("reports:review_queue"), _("待我审核的报告")))
    links.append((reverse("supervision:case_list"), _("督办事项")))
    links.append((reverse("supervision:notification_list"), _("我的通知")))
    if manages_plans or selectors.has_annual_lists(user=user):
        links.append((reverse("tasks:list_index"), _("年度重点任务清单")))
    if has_role(user, Role.PLANNER) or has_role(user, Role.LEADER):
        links.append((reverse("reports:health"), _("填报健康度")))
    return links


@login_required
@require_POST
def task_bulk(request: HttpRequest) -> HttpResponse:
    """Set the lead unit or the 完成标准 of the ticked tasks: all of them or none."""
    back = _safe_next(request, reverse("tasks:task_list"))
    action = request.POST.get("action")
    form_class = {"lead_unit": lists.BulkLeadUnitForm, "criterion": lists.BulkCriterionForm}
    selected = lists.SelectedTasksForm(request.POST)
    if action not in form_class or not selected.is_valid():
        messages.error(request, _("请先勾选任务。"))
        return redirect(back)
    form = form_class[action](request.POST)
    if not form.is_valid():
        messages.error(request, _("；").join(str(m) for e in form.errors.values() for m in e))
        return redirect(back)
    changes = cast(services.TaskChanges, {action: form.cleaned_data[action]})
    tasks = list(
        selectors.task_list_for(user=request.user).filter(pk__in=selected.cleaned_data["pk"])
    )
    if len(tasks) != len(set(selected.cleaned_data["pk"])):
        messages.error(request, _("部分勾选的任务不存在或您无权查看；全部未更改。"))
        return redirect(back)
    try:
        n = bulk_all_or_nothing(
            tasks,
            lambda t: services.task_update(task=t, actor=request.user, changes=changes),
            label=lambda t: f"{t.plan.title} {t.year} {t.seq}. {t.title}",
            refusals=REFUSALS,
        )
    except BulkRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已更新 %(n)d 项任务。") % {"n": n})
    return redirect(back)


def _safe_next(request: HttpRequest, default: str) -> str:
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return default


@login_required
@require_GET
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    task = access_task(request.user, task_id, action="view")
    context = {
        "task": task,
        "can_edit": can_manage_plan(request.user, task.plan),
        # slots, demo_report_ids: from reports; light, cases: from supervision
        # (hook task_detail_context)
        **hooks.task_detail_context.merged(user=request.user, task=task),
    }
    return render(request, "tasks/task_detail.html", context)


def _task_initial(task: Any) -> dict[str, Any]:
    fields = (
        "title",
        "content",
        "lead_unit",
        "start",
        "deadline",
        "deadline_text",
        "criterion",
        "weight",
    )
    initial = {f: getattr(task, f) for f in fields}
    initial["co_lead_units"] = list(task.co_lead_units.all())
    initial["responsible_units"] = list(task.responsible_units.all())
    initial["supporting_units"] = list(task.supporting_units.all())
    initial["milestones"] = "\n".join(
        f"{m.due.isoformat()} {m.title}" for m in task.milestones.all()
    )
    return initial | {"version": task.version}


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, task_id: int) -> HttpResponse:
    task = access_task(request.user, task_id, action="edit")
    form = TaskForm(request.POST or None, initial=_task_initial(task))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        for key in ("co_lead_units", "responsible_units", "supporting_units"):
            data[key] = list(data[key])
        changes = cast(services.TaskChanges, data)

        def update() -> None:
            services.task_update(task=task, actor=request.user, changes=changes, version=version)

        if run_service(request, update, _("任务已保存。")):
            return redirect("tasks:task_detail", task.pk)
    status = 400 if request.method == "POST" else 200
    context = {"task": task, "form": form, "locked": task.annual_list.is_locked}
    return render(request, "tasks/task_edit.html", context, status=status)


def _managed_plans(user: Any) -> Any:
    return Plan.objects.filter(plans_managed_q(user))


@login_required
@require_GET
def list_index(request: HttpRequest) -> HttpResponse:
    plans = _managed_plans(request.user)
    lists = selectors.annual_list_list_for(user=request.user)
    if not plans.exists() and not lists:
        raise Http404
    form = GenerateForm(plans=plans) if plans.exists() else None
    context = {"lists": lists, "form": form, "demo_ids": DemoMarker.ids_among(lists)}
    return render(request, "tasks/list_index.html", context)


@login_required
@require_POST
def list_generate(request: HttpRequest) -> HttpResponse:
    form = GenerateForm(request.POST, plans=_managed_plans(request.user))
    if not form.is_valid():
        messages.error(request, _("请选择规划并填写年度。"))
        return redirect("tasks:list_index")
    holder: dict[str, Any] = {}

    def generate() -> None:
        holder["r"] = services.task_drafts_generate(
            plan=form.cleaned_data["plan"], year=form.cleaned_data["year"], actor=request.user
        )

    if run_service(request, generate, _("已生成任务草稿。")):
        return redirect("tasks:list_detail", holder["r"].annual_list.pk)
    return redirect("tasks:list_index")


@login_required
@require_GET
def list_detail(request: HttpRequest, list_id: int) -> HttpResponse:
    alist = access_annual_list(request.user, list_id, action="view")
    can_manage = can_manage_plan(request.user, alist.plan)
    tasks = list(selectors.annual_list_rows_for(user=request.user, annual_list=alist))
    failures = services.annual_list_check(annual_list=alist) if can_manage else []
    # ?missing=criterion: only the tasks the completeness check finds lacking that.
    missing = request.GET.get("missing", "")
    if missing in services.check_fields():
        lacking = {f.task_id for f in failures if f.field == missing}
        tasks = [t for t in tasks if t.pk in lacking]
    else:
        missing = ""
    context = {
        "alist": alist,
        "tasks": tasks,
        "demo_ids": DemoMarker.ids_among(tasks),
        "failures": failures,
        "check_summary": services.check_summary(failures),
        "missing": missing,
        "missing_label": services.check_fields().get(missing, ""),
        "versions": alist.versions.order_by("-number")
        if can_manage
        or (alist.plan.org_unit and has_role(request.user, Role.LEADER, alist.plan.org_unit))
        else [],
        "read_only": not can_manage,
        "can_manage": can_manage,
        "reason_form": ReasonForm(),
        "import_form": ImportForm(),
        "frequency_form": FrequencyForm(initial={"frequency": alist.frequency}),
    }
    return render(request, "tasks/list_detail.html", context)


@login_required
@require_POST
def list_issue(request: HttpRequest, list_id: int) -> HttpResponse:
    alist = access_annual_list(request.user, list_id, action="manage")
    try:
        lv = services.annual_list_issue(annual_list=alist, actor=request.user)
    except services.ListIncomplete as exc:
        messages.error(request, str(exc))
    except (ServiceError, ValidationError) as exc:
        refusal_message(request, exc)
    else:
        messages.success(request, _("清单已下达（第 %(n)d 版）。") % {"n": lv.number})
    return redirect("tasks:list_detail", alist.pk)


@login_required
@require_POST
def list_reopen(request: HttpRequest, list_id: int) -> HttpResponse:
    alist = access_annual_list(request.user, list_id, action="manage")
    reason = request.POST.get("reason", "")
    run_service(
        request,
        lambda: services.annual_list_reopen(annual_list=alist, actor=request.user, reason=reason),
        _("清单已进入修订。"),
    )
    return redirect("tasks:list_detail", alist.pk)


@login_required
@require_POST
def list_frequency(request: HttpRequest, list_id: int) -> HttpResponse:
    alist = access_annual_list(request.user, list_id, action="manage")
    freq = request.POST.get("frequency", "")
    run_service(
        request,
        lambda: services.annual_list_set_frequency(
            annual_list=alist, actor=request.user, frequency=freq
        ),
        _("报送频次已更新。"),
    )
    return redirect("tasks:list_detail", alist.pk)


@login_required
@require_GET
def list_export(request: HttpRequest, list_id: int) -> HttpResponse:
    alist = access_annual_list(request.user, list_id, action="view")
    response = HttpResponse(
        xlsx.annual_list_export(
            annual_list=alist,
            tasks=selectors.annual_list_rows_for(user=request.user, annual_list=alist),
        ),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = xlsx.export_disposition(alist)
    return response


@login_required
@require_POST
def list_import(request: HttpRequest, list_id: int) -> HttpResponse:
    alist = access_annual_list(request.user, list_id, action="manage")
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要导入的 xlsx 文件。"))
        return redirect("tasks:list_detail", alist.pk)
    try:
        result = xlsx.annual_list_import(
            annual_list=alist, actor=request.user, data=form.cleaned_data["file"].read()
        )
    except xlsx.ImportFailed as exc:
        return render(
            request, "tasks/import_errors.html", {"alist": alist, "error": exc}, status=400
        )
    except (ServiceError, ValidationError) as exc:
        refusal_message(request, exc)
        return redirect("tasks:list_detail", alist.pk)
    messages.success(
        request,
        _("导入完成：新增 %(c)d 项，修改 %(u)d 项，未变 %(n)d 项。")
        % {"c": result.created, "u": result.updated, "n": result.unchanged},
    )
    return redirect("tasks:list_detail", alist.pk)
