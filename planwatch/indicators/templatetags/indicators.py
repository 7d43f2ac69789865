"""Template filters of the indicator pages."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from planwatch.indicators.charts import STATUS_CLASS
from planwatch.indicators.selectors import Cell

register = template.Library()


@register.filter
def status_class(status: str) -> str:
    """CSS class of a status word (status-lagging …), empty when there is none."""
    key = STATUS_CLASS.get(status)
    return f"status-{key}" if key else ""


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


@register.simple_tag
def matrix_cells(cells: list[Cell | None]) -> SafeString:
    """The year cells of one matrix row, built in one go: a matrix of 200 indicators × 10
    years is 2,000 cells, too many to render through template nodes one by one."""
    pending = _("待审核")
    empty = format_html('<td class="num">{}</td>', "—")
    parts = [
        empty
        if cell is None
        else format_html(
            '<td class="num {}">{}<br><span class="status-word">{}</span></td>',
            status_class(cell.status),
            cell.value,
            cell.status or pending,
        )
        for cell in cells
    ]
    return format_html_join("", "{}", ((p,) for p in parts))
