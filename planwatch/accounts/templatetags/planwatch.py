"""Template helpers shared by every page."""

from __future__ import annotations

from typing import Any

from django import template

from planwatch.accounts.permissions import is_planner as _is_planner

register = template.Library()


@register.filter
def is_planner(user: Any) -> bool:
    """`{% if user|is_planner %}`: whether to offer planner-only links."""
    return _is_planner(user)


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """`{{ counts|get_item:"chapter" }}`, 0 when absent."""
    return mapping.get(key, 0)
