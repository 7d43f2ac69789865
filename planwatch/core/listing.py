"""Long lists as tools: one helper that filters (django-filter), sorts and paginates
(django-tables2), and exports the filtered rows to xlsx, for every list page (decision record
0015). A page declares a FilterSet and a Table and calls `listing_response`; the query string
is read and written by those libraries, never by hand.

The xlsx export writes every text cell as text: a value starting with `=` (titles come from
uploaded plans and imports) stays a string and never becomes a formula.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import django_filters
import django_tables2 as tables
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.html import conditional_escape, escape, strip_tags
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_tables2.utils import AttributeDict, signature
from openpyxl import Workbook
from openpyxl.cell.cell import Cell

from planwatch.core.xlsx import workbook_bytes

PER_PAGE = 50
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The largest id or year a filter accepts: beyond 64 bits a database answers with an error.
MAX_INT = 2**63 - 1


@dataclass(frozen=True)
class BulkAction:
    """A button under the table that posts the selected rows (`pk`) to `url`.
    `fields`: an optional form whose fields go with it (a unit to set, a text)."""

    name: str
    label: str
    url: str
    form: Any = None
    confirm: str = ""


@dataclass
class Listing:
    """What a list page shows: its filter form, its table (one page of it) and its actions."""

    title: str
    filterset: django_filters.FilterSet
    table: tables.Table
    actions: Sequence[BulkAction] = ()
    links: Sequence[tuple[str, str]] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    stylesheets: Sequence[str] = ()


class TextCellsTable(tables.Table):  # type: ignore[misc]
    """Base of the list tables: Chinese empty text and the house table classes."""

    class Meta:
        # stack-sm: on phones each row becomes a card of labelled values (css/app.css).
        attrs = {"class": "list-table stack-sm"}
        empty_text = _("没有符合条件的记录。")
        template_name = "lists/_table.html"

    @property
    def body(self) -> list[tuple[Any, SafeString]]:
        """The shown rows for lists/_table.html, each with its cells' HTML: for each cell
        `<td data-label="…" …>…</td>`, the column's data-label, the <td>'s attributes and the
        cell written as the template's `{{ label }}`, `{{ td }}` and `{{ cell }}` wrote them
        (localized, escaped unless safe). A column's label and attributes are the same on
        every row unless the column computes them per record, so they are built once per
        page rather than once per cell (a 50-row page has some 500 cells); so is the choice
        of the arguments its `render` takes (django-tables2 inspects the signature of `render`
        for every cell). Writing the cells here rather than in a template loop spares three
        template variables per cell."""
        context = Context()  # as the page's: autoescape on, the settings' l10n and time zone
        columns = list(self.columns)
        renders: dict[str, Callable[[Any, Any, Any], Any]] = {}
        heads: dict[str, tuple[str, str] | None] = {}
        rows = []
        for row in self.paginated_rows:
            cells = []
            for column in columns:
                # as BoundRow.items(): the cell, and the value and record a computed
                # attribute of the column reads
                if column.name not in renders:
                    renders[column.name] = _cell_renderer(column)
                render = renders[column.name]
                cell = row._get_and_render_with(
                    column,
                    render_func=lambda bound, value=None, row=row, render=render: render(
                        row, bound, value
                    ),
                    default=column.default,
                )
                column.current_value = cell
                column.current_record = row.record
                if column.name not in heads:
                    heads[column.name] = _column_head(self, column)
                head = heads[column.name]
                if head is None:  # attributes computed from the record: per cell
                    label = escape(strip_tags(str(column.header)))
                    head = (label, column.attrs["td"].as_html())
                cells.append(
                    f'<td data-label="{head[0]}" {head[1]}>'
                    f"{render_value_in_context(cell, context)}</td>"
                )
            rows.append((row, mark_safe("".join(cells))))
        return rows


def _cell_renderer(bound_column: Any) -> Callable[[Any, Any, Any], Any]:
    """django-tables2's BoundRow._call_render for one column, with `render`'s signature read
    once: the render is called with the cell's arguments it names (all of them if it takes
    `**kwargs`; not at all, giving None, if it names one the cell has not), then linked."""
    render = bound_column.render
    names, catch_all = signature(render)

    def call(row: Any, bound: Any, value: Any) -> Any:
        arguments = row._optional_cell_arguments(bound, value)
        if catch_all:
            content = render(**arguments)
        elif all(name in arguments for name in names):
            content = render(**{name: arguments[name] for name in names})
        else:
            content = None
        return bound.link(content, **arguments) if bound.link else content

    return call


def _column_head(table: tables.Table, column: Any) -> tuple[str, str] | None:
    """A column's data-label and <td> attributes, or None when a <td> attribute is computed
    from the record (a callable in the table's or the column's attrs)."""
    merged = {**table.attrs, **column.column.attrs}
    source = merged.get("td", merged.get("cell", {}))
    if any(callable(value) for value in source.values()):
        return None
    return escape(strip_tags(str(column.header))), column.attrs["td"].as_html()


_VALUE_MARK = "\x00value\x00"


class RowCheckBoxColumn(tables.CheckBoxColumn):  # type: ignore[misc]
    """django-tables2's CheckBoxColumn, writing the same `<input … />`, with the attributes
    around the row's value written once per page language rather than once per row (each
    row built, computed and escaped them, translating the aria-label). A checked rule, a
    computed or a fixed `value` attribute go through django-tables2's render."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._frames: dict[tuple[str, str | None], tuple[str, str]] = {}

    def render(self, value: Any, bound_column: Any, record: Any) -> Any:
        extra = self.attrs.get("td__input") or self.attrs.get("input") or {}
        if (
            self.checked is not None
            or value is None
            or "value" in extra
            or any(callable(v) for v in extra.values())
        ):
            return super().render(value, bound_column, record)
        key = (bound_column.name, get_language())
        frame = self._frames.get(key)
        if frame is None:
            attrs = {"type": "checkbox", "name": bound_column.name, "value": _VALUE_MARK}
            before, after = AttributeDict(dict(attrs, **extra)).as_html().split(_VALUE_MARK)
            frame = self._frames[key] = (before, after)
        return mark_safe(f"<input {frame[0]}{conditional_escape(value)}{frame[1]} />")


class _DayText:
    """Renders as django-tables2's DateColumn and DateTimeColumn do — their template
    `{{ value|date:format|default:default }}`, in the current time zone — without compiling
    that template once per cell (a 50-row page with three date columns compiled 150)."""

    day_format = ""

    def render(self, value: Any, bound_column: Any, **kwargs: Any) -> str:
        text = date_filter(template_localtime(value), self.day_format)
        return escape(text if text else bound_column.default)


class DayColumn(_DayText, tables.DateColumn):  # type: ignore[misc]
    """A date as `format` writes it (`Y-m-d`); exported as an ISO date."""

    def __init__(self, format: str, **kwargs: Any) -> None:
        super().__init__(format=format, **kwargs)
        self.day_format = format


class DayTimeColumn(_DayText, tables.DateTimeColumn):  # type: ignore[misc]
    """A moment, in the current time zone, as `format` writes it; exported in ISO form."""

    def __init__(self, format: str, **kwargs: Any) -> None:
        super().__init__(format=format, **kwargs)
        self.day_format = format


def bounded_int_filter(label: Any, field_name: str, **kw: Any) -> django_filters.NumberFilter:
    """A whole-number filter that refuses values no database column can hold."""
    return django_filters.NumberFilter(
        field_name=field_name,
        label=label,
        min_value=0,
        max_value=MAX_INT,
        decimal_places=0,
        **kw,
    )


def _text(value: Any) -> Any:
    """A cell value openpyxl may store: numbers and dates as such, the rest as text (a cell
    rendered as HTML, by a column without a `value_…` method, as its text)."""
    if value is None:
        return ""
    if isinstance(value, SafeData):
        return html.unescape(strip_tags(str(value))).strip()
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, int | float | Decimal | date):
        if isinstance(value, datetime) and timezone.is_aware(value):
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    return force_str(value)


def write_text_cell(cell: Cell, value: Any) -> None:
    """Store `value` in `cell`; a string is always a string (never a formula)."""
    value = _text(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def xlsx_bytes(title: str, rows: Iterable[Sequence[Any]]) -> bytes:
    """One sheet: the header row, then the rows, text cells as text."""
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31] or "Sheet1"
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            write_text_cell(ws.cell(row=r, column=c), value)
    ws.freeze_panes = "A2"
    return workbook_bytes(wb)


def export_response(table: tables.Table, filename: str) -> HttpResponse:
    """The whole (filtered, sorted) table as an xlsx download."""
    body = xlsx_bytes(filename, table.as_values())
    response = HttpResponse(body, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.xlsx")
    return response


def listing_response(
    request: HttpRequest,
    *,
    queryset: QuerySet[Any],
    filterset_class: type[django_filters.FilterSet],
    table_class: type[tables.Table],
    title: str,
    export_name: str,
    actions: Sequence[BulkAction] = (),
    links: Sequence[tuple[str, str]] = (),
    prepare: Callable[[tables.Table, list[Any]], None] | None = None,
    template: str = "lists/table.html",
    extra: dict[str, Any] | None = None,
    filterset_kwargs: dict[str, Any] | None = None,
    data: Any = None,
    stylesheets: Sequence[str] = ("tasks/tasks.css",),
) -> HttpResponse:
    """Filter `queryset` by the query string, sort and paginate it as a table, and render the
    list page; `?export=xlsx` answers the filtered rows (all pages) as an xlsx file instead.
    `prepare(table, rows)` is called with the rows about to be shown (one page, or all of
    them for the export) so that a page can fetch what its columns need in one query.
    `data`: the filter values when the page adds defaults to the query string;
    `stylesheets`: static files the rows need (the lights' colours by default)."""
    data = request.GET if data is None else data
    filterset = filterset_class(
        data or None, queryset=queryset, request=request, **(filterset_kwargs or {})
    )
    rows = filterset.qs
    table = table_class(rows, request=request)
    if request.GET.get("export") == "xlsx":
        table.order_by = request.GET.get("sort")
        if prepare is not None:
            prepare(table, [row.record for row in table.rows])
        return export_response(table, export_name)
    tables.RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    if prepare is not None:
        prepare(table, [row.record for row in table.page.object_list] if table.page else [])
    listing = Listing(title, filterset, table, actions, links, extra or {}, stylesheets)
    return render(request, template, {"listing": listing, **(extra or {})})


class BulkRefused(Exception):
    """A bulk action that changed nothing because some rows were refused; the message names
    each refused row and why."""

    def __init__(self, refused: list[tuple[str, str]]) -> None:
        self.refused = refused
        lines = [_("「%(row)s」：%(why)s") % {"row": row, "why": why} for row, why in refused]
        super().__init__(
            _("未执行：%(n)d 行被拒绝，全部未更改。") % {"n": len(refused)} + "；".join(lines)
        )


def bulk_all_or_nothing(
    items: Sequence[Any],
    call: Callable[[Any], Any],
    *,
    label: Callable[[Any], str],
    refusals: tuple[type[Exception], ...],
) -> int:
    """Call `call(item)` for every item inside one transaction; if any raises one of
    `refusals`, roll back all of them and raise BulkRefused naming every refused item (all of
    them are tried, so the message is complete). Returns how many were done."""
    refused: list[tuple[str, str]] = []
    with transaction.atomic():
        for item in items:
            try:
                with transaction.atomic():
                    call(item)
            except refusals as exc:
                refused.append((label(item), refusal_text(exc)))
        if refused:
            raise BulkRefused(refused)
    return len(items)


def refusal_text(exc: Exception) -> str:
    """A refusal as one line for the user (a ValidationError's messages, else its text)."""
    messages = getattr(exc, "messages", None)
    if messages:
        return "；".join(str(m) for m in messages)
    return str(exc) or str(_("您无权执行此操作。"))
