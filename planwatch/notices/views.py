"""Pages for task-division notices: upload, review (map unknown unit names), confirm."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from planwatch.core.web import run_service
from planwatch.notices import selectors, services
from planwatch.notices.choices import BatchStatus
from planwatch.notices.forms import ConfirmForm, MapForm, UploadForm
from planwatch.notices.permissions import access_batch, managed_plans


@login_required
@require_GET
def notice_index(request: HttpRequest) -> HttpResponse:
    plans = managed_plans(request.user)
    if not plans.exists():
        raise Http404
    context = {
        "batches": selectors.batch_list_for(user=request.user)[:50],
        "form": UploadForm(plans=plans),
    }
    return render(request, "notices/index.html", context)


@login_required
@require_POST
def notice_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES, plans=managed_plans(request.user))
    if not form.is_valid():
        messages.error(request, _("请选择规划、填写年度并选择文件。"))
        return redirect("notices:index")
    upload = form.cleaned_data["file"]
    holder: dict[str, Any] = {}

    def upload_notice() -> None:
        holder["batch"] = services.notice_upload(
            plan=form.cleaned_data["plan"],
            year=form.cleaned_data["year"],
            name=upload.name,
            data=upload.read(),
            actor=request.user,
        )

    if run_service(
        request, upload_notice, _("已读取通知，请核对下列条目；确认前不会生成任何任务。")
    ):
        return redirect("notices:detail", holder["batch"].pk)
    return redirect("notices:index")


@login_required
@require_GET
def notice_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = access_batch(request.user, batch_id)
    review = selectors.batch_review(batch)
    context = {
        "batch": batch,
        "review": review,
        "map_forms": [
            MapForm(initial={"name": r.name}, auto_id=f"id_map{i}_%s")
            for i, r in enumerate(review.unknown)
        ],
        "confirm_form": ConfirmForm(),
        "unconfirmed": batch.status == BatchStatus.UNCONFIRMED,
    }
    return render(request, "notices/detail.html", context)


@login_required
@require_POST
def notice_map(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = access_batch(request.user, batch_id)
    form = MapForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择一个组织单位或一个单位组。"))
        return redirect("notices:detail", batch.pk)
    data = form.cleaned_data

    def map_name() -> None:
        services.unit_mapping_set(
            name=data["name"],
            org_unit=data["org_unit"],
            group=data["group"],
            plan=batch.plan,
            actor=request.user,
        )

    run_service(
        request,
        map_name,
        _("已记住“%(n)s”的对应关系，今后的通知将自动使用。") % {"n": data["name"]},
    )
    return redirect("notices:detail", batch.pk)


@login_required
@require_POST
def notice_confirm(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = access_batch(request.user, batch_id)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择确认方式。"))
        return redirect("notices:detail", batch.pk)
    holder: dict[str, Any] = {}

    def confirm() -> None:
        holder["r"] = services.notice_confirm(
            batch=batch, actor=request.user, mode=form.cleaned_data["mode"]
        )

    if run_service(request, confirm, _("已确认，任务已写入该年度的草稿清单。")):
        result = holder["r"]
        if result.skipped:
            messages.info(
                request, _("跳过清单中已有的同名任务 %(n)d 项。") % {"n": len(result.skipped)}
            )
        return redirect("tasks:list_detail", result.annual_list.pk)
    return redirect("notices:detail", batch.pk)
