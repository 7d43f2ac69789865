"""Template helpers of the task, list and report pages. The apps above tasks add their own
filters to this library at start-up (decision record 0014): reports `report_status` (a
report state code as its label), supervision `case_status` (a 督办 case state code as its
label)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_light(lights: dict[int, Any], task_id: int) -> Any:
    """`{% with light=lights|get_light:t.pk %}`: the stored light of a task, or None."""
    return lights.get(task_id)
