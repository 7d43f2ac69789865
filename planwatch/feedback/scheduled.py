"""The daily overdue-message job on the queue (planwatch/core/queue.py), after the pattern of
planwatch/projects/scheduled.py: `feedback_overdue_check` (every minute) runs it once the
local time has passed `PLANWATCH_SUPERVISE_AT` and today's run has not happened;
`feedback_overdue_now` runs it on demand (`planwatch feedback_overdue --enqueue`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task
from huey.exceptions import TaskLockedException

from planwatch.audit.models import AuditEvent
from planwatch.feedback.jobs import feedback_overdue_run
from planwatch.supervision.scheduled import supervise_time

LOCK_NAME = "feedback_overdue"
ACTION = "feedback.overdue_run"


def ran_on(day: date) -> bool:
    return AuditEvent.objects.filter(action=ACTION, target_label=day.isoformat()).exists()


def feedback_overdue_locked(*, today: date, now: datetime, only_if_not_run: bool) -> str | None:
    try:
        with HUEY.lock_task(LOCK_NAME):
            if only_if_not_run and ran_on(today):
                return None
            return f"{today}: {feedback_overdue_run(today=today, now=now)}"
    except TaskLockedException:
        return None


def _check() -> str | None:
    now = timezone.now()
    local = timezone.localtime(now)
    if local.time() < supervise_time():
        return None
    return feedback_overdue_locked(today=local.date(), now=now, only_if_not_run=True)


def _now(day: str | None = None) -> str | None:
    now = timezone.now()
    today = date.fromisoformat(day) if day else timezone.localdate(now)
    return feedback_overdue_locked(today=today, now=now, only_if_not_run=False)


feedback_overdue_check = cast(
    Any, db_periodic_task(crontab(), name="feedback_overdue.check")(_check)
)
feedback_overdue_now = cast(Any, db_task(name="feedback_overdue.now")(_now))
