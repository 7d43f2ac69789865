"""Template filters of the indicator pages."""

from __future__ import annotations

from html import escape

from django import template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from planwatch.indicators.charts import STATUS_CLASS
from planwatch.indicators.selectors import Cell, Matrix

register = template.Library()


@register.filter
def status_class(status: str) -> str:
    """CSS class of a status word (status-lagging …), empty when there is none."""
    key = STATUS_CLASS.get(status)
    return f"status-{key}" if key else ""


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def _cells(cells: list[Cell | None], pending: str) -> str:
    """The year cells of one matrix row (escaped here: the values are floats, the statuses
    words of the method)."""
    empty = '<td class="num">—</td>'
    return "".join(
        empty
        if cell is None
        else (
            f'<td class="num {status_class(cell.status)}">{escape(str(cell.value))}<br>'
            f'<span class="status-word">{escape(cell.status or pending)}</span></td>'
        )
        for cell in cells
    )


@register.simple_tag
def matrix_rows(matrix: Matrix) -> SafeString:
    """The body rows of a matrix, built in one string: 200 indicators × 10 years is 2,000
    cells, too many to render through template nodes (or format_html) one by one. Each text
    is escaped with the standard library's html.escape (what Django's escape does), numbers
    localized as a template variable would be."""
    pending = _("待审核")
    parts = []
    for row in matrix.rows:
        ind = row.indicator
        url = reverse("indicators:detail", args=[ind.pk])
        unit = f"（{escape(ind.unit)}）" if ind.unit else ""
        target = "—" if ind.target_value is None else escape(str(localize(ind.target_value)))
        year = f" ({escape(str(localize(ind.target_year)))})" if ind.target_year else ""
        parts.append(
            f'<tr>\n    <th scope="row"><a href="{escape(url)}">{escape(ind.name)}</a>{unit}</th>\n'
            f"    <td>{escape(str(ind.get_attribute_display()))}</td>\n"
            f'    <td class="num">{escape(ind.comparator)}{target}{year}</td>\n'
            f"    {_cells(row.cells, pending)}\n  </tr>"
        )
    return mark_safe("".join(parts))  # every part escaped above
