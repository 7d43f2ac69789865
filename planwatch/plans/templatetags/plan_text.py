"""Template helpers for showing a plan in its own words."""

from __future__ import annotations

from django import template

from planwatch.plans.models import Node

register = template.Library()


@register.simple_tag
def lead_and_rest(node: Node) -> tuple[str, str]:
    """A provision as (lead sentence with its 。, the rest of the paragraph), whether or not
    the parser repeated the lead at the start of the text."""
    lead, text = node.title.strip(), node.text.strip()
    if not lead:
        return "", text
    if text.startswith(lead):
        rest = text[len(lead) :]
        if rest[:1] in {"。", "；", "：", ".", ";", ":"}:
            return lead + rest[:1], rest[1:]
        return lead, rest
    return lead + "。", text


_COMPARATORS = {">": "＞", ">=": "≥", "<": "＜", "<=": "≤", "~": "约", "=": ""}


@register.filter
def plain_number(value: float | None) -> str:
    """1.1 → "1.1", 8000.0 → "8000": as a plan prints it, without float noise."""
    if value is None:
        return ""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text if text not in {"", "-0"} else "0"


@register.filter
def comparator_sign(value: str) -> str:
    return _COMPARATORS.get(value, value)
