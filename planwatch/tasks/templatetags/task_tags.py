"""Template helpers of the task, list and report pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_light(lights: dict[int, Any], task_id: int) -> Any:
    """`{% with light=lights|get_light:t.pk %}`: the stored light of a task, or None."""
    return lights.get(task_id)
