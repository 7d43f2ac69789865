"""What reports adds to the task pages below it, connected to the hooks of
planwatch.core.hooks in ReportsConfig.ready (decision record 0014): the report slots of a
task's page, the 进展情况 column of the exported list, and the `report_status` template filter
of the task pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from planwatch.core import hooks
from planwatch.core.models import DemoMarker
from planwatch.reports.choices import ReportStatus
from planwatch.reports.selectors import task_progress_texts, task_report_slots
from planwatch.tasks.models import Task
from planwatch.tasks.templatetags.task_tags import register as task_tags


def task_detail_context(*, user: Any, task: Task) -> dict[str, Any]:
    slots = task_report_slots(user=user, task=task)
    return {
        "slots": slots,
        "demo_report_ids": DemoMarker.ids_among(s.report for s in slots if s.report),
    }


def progress_texts(*, tasks: Iterable[Task]) -> dict[int, str]:
    return task_progress_texts(tasks)


def report_status(code: str) -> str:
    """A report state code as its label (草稿, 已报送 …)."""
    return str(dict(ReportStatus.choices).get(code, code))


def connect() -> None:
    hooks.task_detail_context.connect(task_detail_context)
    hooks.task_progress_texts.connect(progress_texts)
    task_tags.filter("report_status", report_status)
