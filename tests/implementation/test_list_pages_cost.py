"""Issue 15 item 3: the list pages (task list, review queue, 督办 cases) cost less server time
and show exactly what they showed. Each faster path is compared with the path it replaced:
the unit pickers written in Python against Django's select templates, the unit choices read
at once against Django's iterator, the date columns against django-tables2's, the table body
(labels and <td> attributes once per column) against the template it replaced, and the
filters' plans and years (one query) against the two queries they were."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import django_tables2 as tables
import pytest
from django import forms
from django.db.models import QuerySet
from django.template import Context, Template
from django.test import RequestFactory
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from planwatch.core.listing import DayColumn, DayTimeColumn, TextCellsTable
from planwatch.orgunits.forms import (
    SILENT_PARENTS,
    UnitChoiceField,
    UnitMultipleChoiceField,
    UnitSelect,
    UnitSelectMultiple,
)
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.reports.lists import ReviewFilter
from planwatch.reports.selectors import review_queue_for
from planwatch.supervision.lists import CaseFilter
from planwatch.supervision.selectors import case_list_for
from planwatch.supervision.services import case_assign, case_open
from planwatch.tasks import selectors
from planwatch.tasks.lists import TaskFilter, year_choices
from planwatch.tasks.models import AnnualList
from tests.factories.implementation import Units, report_filed

CHOICES = [
    ("", gettext_lazy("请选择单位")),
    (1, "市中区（乐山市）"),
    (2, '<b>"泸州"</b> & 宜宾'),
    (3, "川南经济区"),
]
ATTRS = {
    "id": "id_unit",
    "class": "unit-picker",
    "required": True,
    "disabled": False,
    "data-placeholder": gettext_lazy("输入单位名称搜索"),
    "data-safe": mark_safe("a&amp;b"),
    "data-quote": 'say "hi" & <go>',
}


@pytest.mark.parametrize("value", [None, "", 2, "3", 99])
def test_the_unit_picker_writes_what_djangos_select_templates_write(value: Any) -> None:
    ours = UnitSelect(attrs=ATTRS, choices=CHOICES).render("unit", value, {"title": "单位"})
    django = forms.Select(attrs=ATTRS, choices=CHOICES).render("unit", value, {"title": "单位"})
    assert ours == django
    assert "&lt;b&gt;&quot;泸州&quot;&lt;/b&gt; &amp; 宜宾" in ours  # labels escaped


@pytest.mark.parametrize("value", [None, [], [1], ["2", 3], [1, 2, 3]])
def test_the_multiple_unit_picker_writes_what_djangos_templates_write(value: Any) -> None:
    choices = CHOICES[1:]
    ours = UnitSelectMultiple(attrs=ATTRS, choices=choices).render("units", value)
    django = forms.SelectMultiple(attrs=ATTRS, choices=choices).render("units", value)
    assert ours == django
    assert ours.count(" selected") == len(value or [])


def test_grouped_choices_and_number_labels_go_through_djangos_templates() -> None:
    grouped = [("川南", [(1, "宜宾市"), (2, "泸州市")]), ("川东北", [(3, "南充市")])]
    numbers = [(1, 1234567), (2, 2.5)]
    for choices in (grouped, numbers):
        ours = UnitSelect(choices=choices).render("unit", 2)
        assert ours == forms.Select(choices=choices).render("unit", 2)
    assert "<optgroup" in UnitSelect(choices=grouped).render("unit", 2)


@pytest.mark.django_db
def test_unit_choices_read_at_once_are_djangos_choices(units: Any) -> None:
    queryset = OrgUnit.objects.exclude(parent=None)
    for field in (
        UnitChoiceField(queryset=queryset),
        UnitMultipleChoiceField(queryset=queryset),
        UnitChoiceField(queryset=queryset, empty_label=None),
    ):
        ours = [(str(v), str(label)) for v, label in field.choices]
        django = [(str(v), str(label)) for v, label in forms.models.ModelChoiceIterator(field)]
        assert ours == django
        assert len(ours) >= queryset.count() > 2
    # a county under a city is named with it, a city under a zone is not
    labels = dict((str(v), str(label)) for v, label in UnitChoiceField(queryset=queryset).choices)
    named = [u for u in queryset if u.parent and u.parent.kind not in SILENT_PARENTS]
    assert named, "no unit under a city among the fixture's units"
    assert all(labels[str(u.pk)] == f"{u.name}（{u.parent.name}）" for u in named)


class _OwnLabels(UnitChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return f"#{obj.code}"


@pytest.mark.django_db
def test_a_picker_with_its_own_labels_keeps_them(units: Any) -> None:
    field = _OwnLabels(queryset=OrgUnit.objects.all())
    ours = [(str(v), str(label)) for v, label in field.choices]
    django = [(str(v), str(label)) for v, label in forms.models.ModelChoiceIterator(field)]
    assert ours == django and ours[1][1].startswith("#")


class _Dates(TextCellsTable):
    on = tables.DateColumn(format="Y-m-d", default="—")
    at = tables.DateTimeColumn(format="Y-m-d H:i")


class _Days(TextCellsTable):
    on = DayColumn(format="Y-m-d", default="—")
    at = DayTimeColumn(format="Y-m-d H:i")


def test_day_columns_show_and_export_what_django_tables2s_date_columns_do(
    settings: Any,
) -> None:
    settings.TIME_ZONE = "Asia/Shanghai"
    rows = [
        # 17:30 UTC is 01:30 the next day in 北京时间: the page shows the local day
        {"on": date(2024, 6, 3), "at": datetime(2024, 6, 3, 17, 30, tzinfo=UTC)},
        {"on": None, "at": datetime(2025, 1, 1, 0, 5, tzinfo=UTC)},
    ]
    request = RequestFactory().get("/")
    ours, theirs = _Days(rows), _Dates(rows)
    assert ours.as_html(request) == theirs.as_html(request)
    assert "2024-06-04 01:30" in ours.as_html(request)
    assert list(ours.as_values()) == list(theirs.as_values())


# lists/_table.html's body as it was: the label and the <td> attributes per cell
BEFORE = Template(
    "{% load django_tables2 %}{% for row in table.paginated_rows %}"
    "<tr {{ row.attrs.as_html }}>"
    "{% for column, cell in row.items %}"
    '<td data-label="{{ column.header|striptags|force_escape }}" '
    "{{ column.attrs.td.as_html }}>{{ cell }}</td>{% endfor %}</tr>{% endfor %}"
)
AFTER = Template(
    "{% for row, cells in table.body %}<tr {{ row.attrs.as_html }}>{{ cells }}</tr>{% endfor %}"
)


class _Mixed(TextCellsTable):
    name = tables.Column(verbose_name=mark_safe("<em>名称</em> & 简称"))
    size = tables.Column(verbose_name="规模", attrs={"td": {"class": "num"}})
    # an attribute computed from each record: per cell, as before
    mark = tables.Column(
        verbose_name="标记", attrs={"td": {"data-mark": lambda record: record["m"]}}
    )
    hidden = tables.Column(visible=False)
    # renders taking some of the cell's arguments, all of them, or a link around them
    both = tables.Column(accessor="size", verbose_name="两者")
    every = tables.Column(accessor="name", verbose_name="全部")
    linked = tables.Column(accessor="m", linkify=lambda record: f"/m/{record['m']}/")
    # values the template localizes: a date, a moment (in the current time zone), a decimal
    on = tables.Column(verbose_name="日期")
    at = tables.Column(verbose_name="时刻")
    share = tables.Column(verbose_name="比例")

    class Meta(TextCellsTable.Meta):
        row_attrs = {"id": lambda record: f"row-{record['m']}"}

    def render_both(self, value: Any, record: dict[str, Any]) -> str:
        return f"{value}·{record['m']}"

    def render_every(self, **kwargs: Any) -> str:
        return f"{kwargs['value']}|{kwargs['bound_column'].name}|{sorted(kwargs)}"


def test_the_table_body_is_what_the_per_cell_template_wrote() -> None:
    moment = datetime(2024, 6, 3, 17, 30, tzinfo=UTC)
    rows = [
        {"name": "宜宾<市>", "size": 3, "m": "a", "hidden": 1, "on": date(2024, 6, 3)},
        {"name": "泸州", "size": None, "m": "b", "hidden": 2, "at": moment},
        {"name": "自贡", "size": 7, "m": "c", "hidden": 3, "share": Decimal("12.50")},
    ]
    request = RequestFactory().get("/", {"sort": "-size"})
    table = _Mixed(rows)
    tables.RequestConfig(request, paginate={"per_page": 2}).configure(table)
    before = BEFORE.render(Context({"table": table}))
    after = AFTER.render(Context({"table": table}))
    assert after == before
    assert 'data-mark="a"' in after or 'data-mark="c"' in after
    assert after.count("<tr") == 2 and 'data-label="名称 &amp; 简称"' in after
    assert "7·c" in after and "|every|" in after and '<a href="/m/c/">c</a>' in after
    # the rows shown (sorted by size, descending): 自贡 then 宜宾
    assert "12.50" in after and "2024" in after and "&lt;市&gt;" in after


def _old_plans_and_years(
    qs: QuerySet[Any], plan_field: str, year_field: str
) -> tuple[list[int], list[tuple[str, str]]]:
    plans = Plan.objects.filter(pk__in=qs.values(plan_field))
    return sorted(plans.values_list("pk", flat=True)), year_choices(qs, year_field)


def _shown(filterset: Any) -> tuple[list[int], list[tuple[str, str]]]:
    plans = sorted(p.pk for p in filterset.filters["plan"].queryset)
    return plans, filterset.filters["year"].extra["choices"]


@pytest.fixture
def cases(
    issued: AnnualList,
    chuannan_planner_user: Any,
    yibin_reporter_user: Any,
    luzhou_reporter_user: Any,
    units: Units,
) -> None:
    """督办 cases on the list's tasks (宜宾, 泸州) and reports in the review queue."""
    tasks = list(issued.tasks.order_by("seq"))
    for i, task in enumerate(tasks):
        case, _created = case_open(
            task=task, light="red", reason="滞后", actor=chuannan_planner_user
        )
        unit = units.yibin if i < 2 else units.luzhou
        case_assign(case=case, unit=unit, actor=chuannan_planner_user, today=date(2024, 6, 3))
    for i, task in enumerate(tasks[:3]):
        report_filed(task, units.yibin, yibin_reporter_user, 30 + i)
    report_filed(tasks[0], units.luzhou, luzhou_reporter_user, 50)


PERSONAS = (
    "chuannan_planner_user",
    "planner_user",
    "yibin_reporter_user",
    "luzhou_reporter_user",
    "leader_user",
    "admin_user",
    "yibin_reviewer_user",
)
# who has rows on which list (so that the comparison above is not of empty lists)
ROWS_SEEN = {
    "chuannan_planner_user": (TaskFilter, CaseFilter),
    "yibin_reviewer_user": (TaskFilter, ReviewFilter),
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_filters_offer_the_plans_and_years_they_offered(
    persona: str, request: pytest.FixtureRequest, issued: AnnualList, cases: Any
) -> None:
    user = request.getfixturevalue(persona)
    fake = RequestFactory().get("/")
    fake.user = user
    for filterset_class, qs, plan_field, year_field in (
        (TaskFilter, selectors.task_list_for(user=user), "plan_id", "year"),
        (ReviewFilter, review_queue_for(user=user), "task__plan", "task__year"),
        (CaseFilter, case_list_for(user=user, open_only=False), "plan", "year"),
    ):
        filterset = filterset_class(None, queryset=qs, request=fake)
        shown = _shown(filterset)
        assert shown == _old_plans_and_years(qs, plan_field, year_field)
        if filterset_class in ROWS_SEEN.get(persona, ()):
            assert shown == ([issued.plan_id], [(str(issued.year), str(issued.year))])
    assert selectors.has_annual_lists(user=user) == bool(selectors.annual_list_list_for(user=user))


@pytest.mark.django_db
def test_the_task_filter_offers_every_plan_and_year_of_the_visible_tasks(
    issued: AnnualList, planner_user: Any
) -> None:
    fake = RequestFactory().get("/")
    fake.user = planner_user
    qs = selectors.task_list_for(user=planner_user)
    plans, years = _shown(TaskFilter(None, queryset=qs, request=fake))
    assert plans == [issued.plan_id]
    assert years == [(str(issued.year), str(issued.year))]


def _boxes(column_class: Any, **kwargs: Any) -> type[TextCellsTable]:
    class Boxes(TextCellsTable):
        pk = column_class(
            accessor="pk",
            attrs={
                "th__input": {"class": "select-all", "aria-label": gettext_lazy("全选本页")},
                "td__input": {"aria-label": gettext_lazy("选择"), "data-x": '"q"'},
            },
            **kwargs,
        )
        name = tables.Column()

    return Boxes


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    "kwargs", [{}, {"checked": lambda value, record: value == "a<b"}], ids=["plain", "checked"]
)
def test_the_row_checkboxes_are_django_tables2s(language: str, kwargs: dict[str, Any]) -> None:
    from django.utils import translation

    from planwatch.core.listing import RowCheckBoxColumn

    rows = [{"pk": 7, "name": "x"}, {"pk": "a<b", "name": "y"}, {"pk": None, "name": "z"}]
    request = RequestFactory().get("/")
    with translation.override(language):
        ours = _boxes(RowCheckBoxColumn, **kwargs)(rows)
        theirs = _boxes(tables.CheckBoxColumn, **kwargs)(rows)
        html = AFTER.render(Context({"table": ours}))
        assert html == AFTER.render(Context({"table": theirs}))
        assert ours.as_html(request) == theirs.as_html(request)
    assert 'value="a&lt;b"' in html and 'data-x="&quot;q&quot;"' in html
    assert ("选择" if language == "zh-hans" else 'aria-label="') in html
