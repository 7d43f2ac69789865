"""The 督办 case list and the notifications as tools (decision record 0015): filters and
tables for planwatch.core.listing. Every row names its task's plan and year."""

from __future__ import annotations

from typing import Any

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from planwatch.core.listing import DayColumn, DayTimeColumn, TextCellsTable
from planwatch.core.models import Notification
from planwatch.reports.models import ProgressReport
from planwatch.supervision.choices import CaseStatus, Light
from planwatch.supervision.models import SupervisionCase
from planwatch.supervision.notify import notification_subject
from planwatch.tasks.lists import LIGHT_LABELS, OnTaskFilter
from planwatch.tasks.models import Task

OPEN = "open"
DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def _demo_badge(shown: bool) -> str:
    return format_html(' <span class="demo-badge">{}</span>', _("演示数据")) if shown else ""


def _light(code: str) -> str:
    label = LIGHT_LABELS.get(code)
    return format_html('<span class="light light-{}">{}</span>', code, label) if label else ""


class CaseFilter(OnTaskFilter):
    """Plan, year, unit, light, state (open ones by default), deadline, escalated."""

    unit_label = _("承办单位")
    plan_field = "plan"
    year_field = "year"
    light = django_filters.ChoiceFilter(
        choices=Light.choices, label=_("灯号"), empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(
        choices=[(OPEN, _("未办结")), *CaseStatus.choices],
        label=_("状态"),
        empty_label=_("全部（含已办结）"),
        method="by_status",
    )
    feedback_before = django_filters.DateFilter(
        field_name="feedback_due", lookup_expr="lte", label=_("反馈时限不晚于"), widget=DATE_INPUT
    )
    escalated = django_filters.BooleanFilter(
        field_name="escalated_at",
        lookup_expr="isnull",
        exclude=True,
        label=_("已升级"),
        widget=forms.Select(choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))]),
    )
    q = django_filters.CharFilter(label=_("事项名称"), method="by_title")

    class Meta:
        model = SupervisionCase
        fields: list[str] = []

    def by_title(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(task__title__icontains=value) | Q(title__icontains=value))

    def by_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == OPEN:
            return queryset.exclude(status=CaseStatus.CLOSED)
        return queryset.filter(status=value)


class CaseTable(TextCellsTable):
    light = tables.Column(verbose_name=_("灯号"))
    task = tables.Column(
        accessor="title", verbose_name=_("督办事项"), attrs={"td": {"class": "cell-wide"}}
    )
    plan = tables.Column(accessor="plan__title", verbose_name=_("规划"), default="—")
    year = tables.Column(verbose_name=_("年度"), attrs={"td": {"class": "num"}}, default="—")
    seq = tables.Column(
        accessor="task__seq", verbose_name=_("序号"), attrs={"td": {"class": "num"}}, default="—"
    )
    unit = tables.Column(accessor="unit__name", verbose_name=_("承办单位"), default="—")
    status = tables.Column(verbose_name=_("状态"))
    ack_due = DayColumn(verbose_name=_("签收时限"), format="Y-m-d", default="—")
    feedback_due = DayColumn(verbose_name=_("反馈时限"), format="Y-m-d", default="—")
    opened_at = DayTimeColumn(verbose_name=_("立项时间"), format="Y-m-d")

    class Meta(TextCellsTable.Meta):
        order_by = ("-opened_at",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.demo_ids: set[int] = set()

    def render_light(self, record: SupervisionCase) -> str:
        return _light(record.light)

    def value_light(self, record: SupervisionCase) -> str:
        return str(LIGHT_LABELS.get(record.light, record.light))

    def render_task(self, record: SupervisionCase) -> str:
        url = reverse("supervision:case_detail", args=[record.pk])
        return format_html(
            '<a href="{}">{}</a>{}', url, record.label, _demo_badge(record.pk in self.demo_ids)
        )

    def value_task(self, record: SupervisionCase) -> str:
        return record.label

    def render_status(self, record: SupervisionCase) -> str:
        escalated = format_html(" <strong>{}</strong>", _("已升级")) if record.escalated_at else ""
        return format_html(
            '<span class="state">{}</span>{}', record.get_status_display(), escalated
        )

    def value_status(self, record: SupervisionCase) -> str:
        text = str(record.get_status_display())
        return f"{text}（{_('已升级')}）" if record.escalated_at else text


class NotificationFilter(django_filters.FilterSet):  # type: ignore[misc]
    unread = django_filters.BooleanFilter(
        field_name="read_at",
        lookup_expr="isnull",
        label=_("阅读状态"),
        widget=forms.Select(choices=[("", _("全部")), ("true", _("未读")), ("false", _("已读"))]),
    )
    kind = django_filters.ChoiceFilter(label=_("类型"), empty_label=_("全部"), method="by_kind")
    since = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("发出不早于"), widget=DATE_INPUT
    )
    q = django_filters.CharFilter(method="by_text", label=_("关键词"))

    KINDS = (
        ("remind.report", _("报送催办")),
        ("remind.case", _("督办催办")),
        ("case.", _("督办：交办、升级")),
        ("report.", _("报告流转")),
    )

    class Meta:
        model = Notification
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["kind"].extra["choices"] = self.KINDS

    def by_kind(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(kind__startswith=value)

    def by_text(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(title__icontains=value) | Q(body__icontains=value))


class NotificationTable(TextCellsTable):
    title = tables.Column(verbose_name=_("标题"), attrs={"td": {"class": "cell-wide"}})
    plan = tables.Column(accessor="pk", verbose_name=_("规划"), orderable=False)
    year = tables.Column(
        accessor="pk", verbose_name=_("年度"), orderable=False, attrs={"td": {"class": "num"}}
    )
    created_at = DayTimeColumn(verbose_name=_("时间"), format="Y-m-d H:i")
    read_at = tables.Column(verbose_name=_("状态"), empty_values=())

    class Meta(TextCellsTable.Meta):
        order_by = ("-created_at",)
        row_attrs = {"id": lambda record: f"note-{record.pk}"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.demo_ids: set[int] = set()
        self.tasks: dict[int, Task] = {}

    def render_title(self, record: Notification, value: str) -> str:
        text = format_html("<strong>{}</strong>", value) if record.read_at is None else value
        link = format_html('<a href="{}">{}</a>', record.link, text) if record.link else text
        body = format_html('<br><span class="muted small">{}</span>', record.body)
        return format_html("{}{}{}", link, _demo_badge(record.pk in self.demo_ids), body)

    def value_title(self, record: Notification, value: str) -> str:
        return f"{value}\n{record.body}".strip()

    def render_plan(self, record: Notification) -> str:
        task = self.tasks.get(record.pk)
        return task.plan.title if task else "—"

    def render_year(self, record: Notification) -> str:
        task = self.tasks.get(record.pk)
        return str(task.year) if task else "—"

    def render_read_at(self, record: Notification) -> str:
        if record.read_at is not None:
            return str(_("已读"))
        url = reverse("supervision:notification_read", args=[record.pk])
        return format_html(
            '<button type="submit" class="link-button" formaction="{}">{}</button>',
            url,
            _("标为已读"),
        )

    def value_read_at(self, record: Notification) -> str:
        return str(_("已读") if record.read_at else _("未读"))


def notification_tasks(notes: list[Notification]) -> dict[int, Task]:
    """The task each notification is about (through its task, case or report), with its
    plan: three queries for a whole page."""
    subjects = {n.pk: notification_subject(n.key) for n in notes}
    wanted: dict[Any, set[int]] = {}
    for subject in subjects.values():
        if subject is not None:
            wanted.setdefault(subject[0], set()).add(subject[1])
    task_of: dict[tuple[Any, int], int] = {}
    for pk in wanted.get(Task, set()):
        task_of[(Task, pk)] = pk
    for pk, task_id in SupervisionCase.objects.filter(
        pk__in=wanted.get(SupervisionCase, ())
    ).values_list("pk", "task"):
        task_of[(SupervisionCase, pk)] = task_id
    reports = ProgressReport.objects.filter(pk__in=wanted.get(ProgressReport, ()))
    for pk, task_id in reports.values_list("pk", "task"):
        task_of[(ProgressReport, pk)] = task_id
    tasks = Task.objects.select_related("plan").in_bulk(
        {t for t in task_of.values() if t is not None}
    )
    out: dict[int, Task] = {}
    for note_pk, subject in subjects.items():
        about = task_of.get(subject) if subject is not None else None
        if about is not None and about in tasks:
            out[note_pk] = tasks[about]
    return out
