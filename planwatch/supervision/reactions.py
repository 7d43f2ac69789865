"""How supervision reacts to steps taken in the apps below it (decision record 0018): a task's
light is computed and stored when its list is issued and again whenever one of its reports is
accepted, so the task list and the task page never wait for the nightly job to show one.
Connected to the hooks of planwatch.core.hooks in SupervisionConfig.ready."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from planwatch.core import hooks
from planwatch.supervision.jobs import lights_recompute
from planwatch.supervision.lights import DEFAULT_TOLERANCE, DEFAULT_WARNING_DAYS
from planwatch.tasks.choices import TaskStatus
from planwatch.tasks.models import Task


def lights_store(*, task_ids: list[int], now: datetime) -> dict[int, tuple[str, str]]:
    """Compute and store the lights of the issued tasks among `task_ids` as of `now`'s day
    (local time); the nightly job recomputes them all with the same rule."""
    tasks = list(
        Task.objects.filter(
            pk__in=task_ids,
            annual_list__issued_number__gte=1,
            status__in=(TaskStatus.ACTIVE, TaskStatus.COMPLETED),
        )
        .select_related("annual_list", "plan", "lead_unit")
        .prefetch_related("responsible_units")
        .order_by("pk")
    )
    if not tasks:
        return {}
    return lights_recompute(
        tasks=tasks,
        today=timezone.localdate(now),
        warning_days=DEFAULT_WARNING_DAYS,
        tolerance=DEFAULT_TOLERANCE,
    )


def on_annual_list_issued(*, annual_list: Any, now: datetime, **_: Any) -> None:
    ids = list(annual_list.tasks.values_list("pk", flat=True))
    lights_store(task_ids=ids, now=now)


def on_progress_report_accepted(*, report: Any, now: datetime, **_: Any) -> None:
    lights_store(task_ids=[report.task_id], now=now)


def connect() -> None:
    hooks.annual_list_issued.connect(on_annual_list_issued)
    hooks.progress_report_accepted.connect(on_progress_report_accepted)
