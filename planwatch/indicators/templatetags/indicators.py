"""Template filters of the indicator pages."""

from __future__ import annotations

from django import template

from planwatch.indicators.charts import STATUS_CLASS

register = template.Library()


@register.filter
def status_class(status: str) -> str:
    """CSS class of a status word (status-lagging …), empty when there is none."""
    key = STATUS_CLASS.get(status)
    return f"status-{key}" if key else ""


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"
