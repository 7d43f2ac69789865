"""The task list as a tool (decision record 0015): its filters, its table and the forms of its
bulk actions, for planwatch.core.listing. The light filter and column come from supervision
through the hooks `task_list_filters` and `task_list_context`."""

from __future__ import annotations

from typing import Any

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from planwatch.core.listing import MAX_INT, RowCheckBoxColumn, TextCellsTable
from planwatch.orgunits.forms import UnitChoiceField
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.tasks.choices import TaskStatus
from planwatch.tasks.forms import assignable_units
from planwatch.tasks.models import Task

LIGHT_LABELS = {"green": _("绿灯"), "blue": _("蓝灯"), "yellow": _("黄灯"), "red": _("红灯")}


def year_choices(queryset: QuerySet[Any], field: str) -> list[tuple[str, str]]:
    """The years present in `queryset` (newest first), as choices of a year filter."""
    years = queryset.order_by().values_list(field, flat=True).distinct()
    return _years(years)


def _years(years: Any) -> list[tuple[str, str]]:
    return [(str(y), str(y)) for y in sorted({y for y in years if y}, reverse=True)]


def plans_and_years(
    queryset: QuerySet[Any], plan_field: str, year_field: str
) -> tuple[QuerySet[Plan], list[tuple[str, str]]]:
    """The plans (for the plan filter) and the years (choices of the year filter, newest
    first) present in `queryset`, read in one query: the rows' visibility filter, the
    costly part, is run once for both rather than once each."""
    pairs = list(queryset.order_by().values_list(plan_field, year_field).distinct())
    plan_ids = {plan for plan, _year in pairs if plan is not None}
    return Plan.objects.filter(pk__in=sorted(plan_ids)), _years(y for _plan, y in pairs)


class UnitFilter(django_filters.ModelChoiceFilter):  # type: ignore[misc]
    """A unit filter with the searchable unit picker (units named with their parents)."""

    field_class = UnitChoiceField


class OnTaskFilter(django_filters.FilterSet):  # type: ignore[misc]
    """Filters of rows that stand on a task and a unit (reports, 督办 cases): the task's plan
    and year, and the row's unit, each offering only the choices found among the rows."""

    unit_label: Any = _("责任单位")
    # where the row names its plan and year (a 督办 case copies them onto itself)
    plan_field = "task__plan"
    year_field = "task__year"

    plan = django_filters.ModelChoiceFilter(
        field_name="task__plan",
        queryset=Plan.objects.none(),
        label=_("规划"),
        empty_label=_("全部"),
    )
    year = django_filters.ChoiceFilter(
        field_name="task__year", label=_("年度"), empty_label=_("全部")
    )
    unit = UnitFilter(
        field_name="unit",
        queryset=OrgUnit.objects.none(),
        label=_("责任单位"),
        empty_label=_("全部"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = self.queryset
        self.filters["plan"].field_name = self.plan_field
        self.filters["year"].field_name = self.year_field
        plans, years = plans_and_years(qs, self.plan_field, self.year_field)
        self.filters["plan"].queryset = plans
        self.filters["year"].extra["choices"] = years
        units = OrgUnit.objects.filter(pk__in=qs.values("unit_id")).select_related("parent")
        self.filters["unit"].queryset = units.order_by("path")
        self.filters["unit"].label = self.unit_label


class TaskFilter(django_filters.FilterSet):  # type: ignore[misc]
    """Plan, year, unit, status, deadline (and, from supervision, light)."""

    plan = django_filters.ModelChoiceFilter(
        field_name="plan", queryset=Plan.objects.none(), label=_("规划"), empty_label=_("全部")
    )
    year = django_filters.ChoiceFilter(field_name="year", label=_("年度"), empty_label=_("全部"))
    unit = UnitFilter(
        field_name="responsible_units",
        queryset=OrgUnit.objects.none(),
        label=_("责任单位"),
        empty_label=_("全部"),
        distinct=True,
    )
    status = django_filters.ChoiceFilter(
        choices=TaskStatus.choices, label=_("状态"), empty_label=_("全部")
    )
    light = django_filters.ChoiceFilter(
        choices=(), label=_("灯号"), empty_label=_("全部"), method="by_light"
    )
    deadline_before = django_filters.DateFilter(
        field_name="deadline",
        lookup_expr="lte",
        label=_("完成时限不晚于"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("任务名称"))

    class Meta:
        model = Task
        fields: list[str] = []

    def __init__(self, *args: Any, light_choices: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = self.queryset
        plans, years = plans_and_years(qs, "plan_id", "year")
        self.filters["plan"].queryset = plans
        self.filters["year"].extra["choices"] = years
        units = OrgUnit.objects.filter(pk__in=qs.values("responsible_units"))
        self.filters["unit"].queryset = units.select_related("parent").order_by("path")
        self.filters["light"].extra["choices"] = list(light_choices)
        if not light_choices:
            del self.filters["light"]

    def by_light(self, queryset: QuerySet[Task], name: str, value: str) -> QuerySet[Task]:
        # Applied before this filter set by the task_list_filters hook (the stored light
        # lives in supervision, above tasks): the field only shows and keeps the choice.
        return queryset


class TaskTable(TextCellsTable):
    pk = RowCheckBoxColumn(
        accessor="pk",
        attrs={
            "th__input": {"class": "select-all", "aria-label": _("全选本页")},
            "td__input": {"aria-label": _("选择")},
        },
        exclude_from_export=True,
    )
    light = tables.Column(accessor="pk", verbose_name=_("灯号"), orderable=False)
    plan = tables.Column(accessor="plan__title", verbose_name=_("规划"))
    year = tables.Column(verbose_name=_("年度"), attrs={"td": {"class": "num"}})
    seq = tables.Column(verbose_name=_("序号"), attrs={"td": {"class": "num"}})
    title = tables.Column(verbose_name=_("重点任务"), attrs={"td": {"class": "cell-wide"}})
    lead_unit = tables.Column(accessor="lead_unit__name", verbose_name=_("牵头单位"), default="—")
    responsible = tables.Column(accessor="pk", verbose_name=_("责任单位"), orderable=False)
    deadline = tables.Column(verbose_name=_("完成时限"), empty_values=())
    criterion = tables.Column(verbose_name=_("完成标准"), visible=False, default="")
    status = tables.Column(verbose_name=_("状态"))

    class Meta(TextCellsTable.Meta):
        order_by = ("plan", "-year", "seq")

    def __init__(self, *args: Any, selectable: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lights: dict[int, Any] = {}
        self.demo_ids: set[int] = set()
        if not selectable:
            self.columns.hide("pk")

    def render_light(self, record: Task) -> str:
        light = self.lights.get(record.pk)
        if light is None:
            return ""
        return format_html(
            '<span class="light light-{}">{}</span>', light.light, LIGHT_LABELS[light.light]
        )

    def value_light(self, record: Task) -> str:
        light = self.lights.get(record.pk)
        return str(LIGHT_LABELS[light.light]) if light is not None else ""

    def render_title(self, record: Task, value: str) -> str:
        url = reverse("tasks:task_detail", args=[record.pk])
        badge = ""
        if record.pk in self.demo_ids:
            badge = format_html(' <span class="demo-badge">{}</span>', _("演示数据"))
        return format_html('<a href="{}">{}</a>{}', url, value, badge)

    def render_deadline(self, record: Task) -> str:
        """The date, or 「长期坚持」/「持续推进」 for a task supervised by period."""
        if record.deadline is not None:
            return record.deadline.isoformat()
        return str(record.get_deadline_text_display() or "—")

    def value_deadline(self, record: Task) -> Any:
        return record.deadline or record.get_deadline_text_display()

    def render_responsible(self, record: Task) -> str:
        # format_html_join(「、」, "{}", names), without a format per name
        names = conditional_escape(str(_("、"))).join(
            escape(u.name) for u in record.responsible_units.all()
        )
        return mark_safe(names) or "—"

    def value_responsible(self, record: Task) -> str:
        return str(_("、")).join(u.name for u in record.responsible_units.all())

    def value_title(self, record: Task, value: str) -> str:
        return value

    def order_lead_unit(self, queryset: QuerySet[Task], is_descending: bool) -> Any:
        prefix = "-" if is_descending else ""
        return queryset.order_by(f"{prefix}lead_unit__path", "seq"), True


class BulkLeadUnitForm(forms.Form):
    lead_unit = UnitChoiceField(queryset=assignable_units(), label=_("牵头单位"), required=False)


class BulkCriterionForm(forms.Form):
    criterion = forms.CharField(
        label=_("完成标准"), max_length=2000, required=False, widget=forms.TextInput()
    )


class SelectedTasksForm(forms.Form):
    """The rows ticked in the table (ids validated at the edge)."""

    pk = forms.TypedMultipleChoiceField(coerce=int, choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        raw = self.data.getlist("pk") if hasattr(self.data, "getlist") else []
        ok = [v for v in raw if v.isdigit() and int(v) <= MAX_INT]
        self.fields["pk"].choices = [(v, v) for v in ok]  # type: ignore[attr-defined]
