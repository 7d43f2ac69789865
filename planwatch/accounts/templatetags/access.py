"""Template filters over the access predicates, so templates show a link or button only to
those who may use it: `{% load access %}{% if user|can_manage_users %}…{% endif %}`."""

from __future__ import annotations

from typing import Any

from django import template

from planwatch.accounts import permissions

register = template.Library()


@register.filter
def can_manage_users(user: Any) -> bool:
    return permissions.can_manage_users(user)


@register.filter
def can_view_audit(user: Any) -> bool:
    return permissions.is_admin(user)


@register.filter
def is_planner(user: Any) -> bool:
    return permissions.is_planner(user)
