"""The review queue as a tool (decision record 0015): filters, table and 批量通过 — each
ticked report moved one step on (a unit's reviewer approves, the planner accepts) through the
review service, all of them or none."""

from __future__ import annotations

from typing import Any

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from planwatch.core.listing import (
    MAX_INT,
    BulkAction,
    BulkRefused,
    DayColumn,
    RowCheckBoxColumn,
    TextCellsTable,
    bulk_all_or_nothing,
    listing_response,
)
from planwatch.core.models import DemoMarker
from planwatch.core.web import REFUSALS
from planwatch.reports import services
from planwatch.reports.choices import ReportStatus
from planwatch.reports.models import ProgressReport
from planwatch.reports.selectors import review_queue_for
from planwatch.tasks.lists import OnTaskFilter

QUEUE_STATES = (ReportStatus.SUBMITTED, ReportStatus.UNIT_APPROVED)


class ReviewFilter(OnTaskFilter):
    status = django_filters.ChoiceFilter(
        choices=[(s.value, s.label) for s in QUEUE_STATES],
        label=gettext_lazy("审核状态"),
        empty_label=gettext_lazy("全部"),
    )
    due_before = django_filters.DateFilter(
        field_name="due",
        lookup_expr="lte",
        label=gettext_lazy("报送截止不晚于"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = ProgressReport
        fields: list[str] = []


class ReviewTable(TextCellsTable):
    pk = RowCheckBoxColumn(
        accessor="pk",
        attrs={
            "th__input": {"class": "select-all", "aria-label": gettext_lazy("全选本页")},
            "td__input": {"aria-label": gettext_lazy("选择")},
        },
        exclude_from_export=True,
    )
    task = tables.Column(
        accessor="task__title",
        verbose_name=gettext_lazy("任务"),
        attrs={"td": {"class": "cell-wide"}},
    )
    plan = tables.Column(accessor="task__plan__title", verbose_name=gettext_lazy("规划"))
    year = tables.Column(
        accessor="task__year", verbose_name=gettext_lazy("年度"), attrs={"td": {"class": "num"}}
    )
    unit = tables.Column(accessor="unit__name", verbose_name=gettext_lazy("责任单位"))
    period_label = tables.Column(verbose_name=gettext_lazy("报送期"), order_by=("period_start",))
    status = tables.Column(verbose_name=gettext_lazy("审核状态"))
    completion = tables.Column(
        verbose_name=gettext_lazy("完成进度"), attrs={"td": {"class": "num"}}, default="—"
    )
    due = DayColumn(verbose_name=gettext_lazy("报送截止"), format="Y-m-d")

    class Meta(TextCellsTable.Meta):
        order_by = ("due",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.demo_ids: set[int] = set()

    def render_task(self, record: ProgressReport, value: str) -> str:
        url = reverse("reports:report_detail", args=[record.pk])
        badge = ""
        if record.pk in self.demo_ids:
            badge = format_html(' <span class="demo-badge">{}</span>', _("演示数据"))
        return format_html('<a href="{}">{}</a>{}', url, value, badge)

    def value_task(self, value: str) -> str:
        return value

    def value_status(self, record: ProgressReport) -> str:
        return str(record.get_status_display())

    def render_status(self, record: ProgressReport) -> str:
        return format_html(
            '<span class="state state-{}">{}</span>', record.status, record.get_status_display()
        )

    def render_completion(self, value: Any) -> str:
        return f"{value}%"


def _queue(user: Any) -> QuerySet[ProgressReport]:
    return review_queue_for(user=user).select_related("task__plan")


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    """The reports waiting for the viewer: filter, sort, page, export, 批量通过."""

    def prepare(table: Any, rows: list[Any]) -> None:
        table.demo_ids = DemoMarker.ids_among(rows)

    approve = BulkAction(
        "approve",
        _("批量通过"),
        reverse("reports:review_bulk_approve"),
        confirm=_("通过选中的全部报告？任何一份不能通过时，全部不会通过。"),
    )
    return listing_response(
        request,
        queryset=_queue(request.user),
        filterset_class=ReviewFilter,
        table_class=ReviewTable,
        title=_("待审核报告"),
        export_name=_("待审核报告"),
        actions=[approve],
        prepare=prepare,
    )


def report_step_on(*, report: ProgressReport, actor: Any) -> ProgressReport:
    """通过: a submitted report is approved by its unit, a unit-approved one accepted."""
    if report.status == ReportStatus.SUBMITTED:
        return services.progress_report_approve(report=report, actor=actor)
    return services.progress_report_accept(report=report, actor=actor)


@login_required
@require_POST
def review_bulk_approve(request: HttpRequest) -> HttpResponse:
    """批量通过 the ticked reports of the viewer's queue: all of them, or none and a message
    naming each refused report."""
    nxt = request.POST.get("next", "")
    back = reverse("reports:review_queue")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        back = nxt
    ids = {int(v) for v in request.POST.getlist("pk") if v.isdigit() and int(v) <= MAX_INT}
    if not ids:
        messages.error(request, _("请先勾选报告。"))
        return redirect(back)
    chosen = list(
        ProgressReport.objects.filter(pk__in=ids, is_current=True).select_related(
            "task__plan", "unit"
        )
    )
    if len(chosen) < len(ids):
        messages.error(request, _("部分勾选的报告已不存在或已被修订；全部未通过，请刷新后重试。"))
        return redirect(back)
    in_queue = set(_queue(request.user).filter(pk__in=ids).values_list("pk", flat=True))

    def step(report: ProgressReport) -> None:
        if report.pk not in in_queue:
            raise PermissionDenied(_("不在您的待审核报告中"))
        report_step_on(report=report, actor=request.user)

    try:
        n = bulk_all_or_nothing(
            chosen,
            step,
            label=lambda r: f"{r.task.title}（{r.unit.name} {r.period_label}）",
            refusals=REFUSALS,
        )
    except BulkRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已通过 %(n)d 份报告。") % {"n": n})
    return redirect(back)
