"""Percentages and bar widths of the results pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@register.filter
def bar(value: float | None) -> str:
    """A class for a bar of the value's width in tenths (inline styles are forbidden)."""
    return f"survey-bar-w{round((value or 0) * 10)}"
