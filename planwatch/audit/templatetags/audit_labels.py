"""`{% load audit_labels %}{{ event.action|action_label }}`: readable audit names."""

from __future__ import annotations

from django import template

from planwatch.audit import labels

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return labels.action_label(code)


@register.filter
def target_type_label(code: str) -> str:
    return labels.target_type_label(code)
