"""Template helpers of the task, list and report pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_light(lights: dict[int, Any], task_id: int) -> Any:
    """`{% with light=lights|get_light:t.pk %}`: the stored light of a task, or None."""
    return lights.get(task_id)


@register.filter
def report_status(code: str) -> str:
    """A report state code as its label (草稿, 已报送 …)."""
    from planwatch.reports.choices import ReportStatus

    return str(dict(ReportStatus.choices).get(code, code))


@register.filter
def case_status(code: str) -> str:
    """A 督办 case state code as its label (立项, 交办 …)."""
    from planwatch.supervision.choices import CaseStatus

    return str(dict(CaseStatus.choices).get(code, code))
