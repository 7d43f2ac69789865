"""The daily indicator-warning job on the queue (planwatch/core/queue.py), after the pattern
of planwatch/projects/scheduled.py.

- `indicator_warnings_run` (services): every verified current value of the confirmed
  indicators gets its status recomputed under the method in force; each binding indicator's
  warning in each place is raised (with its one 督办 case) or closed from the latest status.
  A warning that persists keeps its open case; running the job again changes nothing. One
  `indicator.warnings_run` audit event per run, labelled with the day.
- `indicator_warnings_check`, periodic (every minute): runs the job once the local time has
  passed `PLANWATCH_SUPERVISE_AT` and today's run has not happened yet.
- `indicator_warnings_now`: the same job, enqueued on demand (`planwatch indicator_warnings
  --enqueue`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task
from huey.exceptions import TaskLockedException

from planwatch.audit.models import AuditEvent
from planwatch.indicators.services import WARNINGS_ACTION, indicator_warnings_run
from planwatch.supervision.scheduled import supervise_time

LOCK_NAME = "indicator_warnings"


def ran_on(day: date) -> bool:
    return AuditEvent.objects.filter(action=WARNINGS_ACTION, target_label=day.isoformat()).exists()


def indicator_warnings_locked(*, today: date, now: datetime, only_if_not_run: bool) -> str | None:
    """Run the job under the queue's lock; None when skipped (already run today, or running
    in another worker)."""
    try:
        with HUEY.lock_task(LOCK_NAME):
            if only_if_not_run and ran_on(today):
                return None
            return f"{today}: {indicator_warnings_run(now=now, today=today)}"
    except TaskLockedException:
        return None


def indicator_warnings_if_due(now: datetime) -> str | None:
    local = timezone.localtime(now)
    if local.time() < supervise_time():
        return None
    return indicator_warnings_locked(today=local.date(), now=now, only_if_not_run=True)


def _indicator_warnings_check() -> str | None:
    return indicator_warnings_if_due(timezone.now())


def _indicator_warnings_now(day: str | None = None) -> str | None:
    now = timezone.now()
    today = date.fromisoformat(day) if day else timezone.localdate(now)
    return indicator_warnings_locked(today=today, now=now, only_if_not_run=False)


indicator_warnings_check = cast(
    Any, db_periodic_task(crontab(), name="indicator_warnings.check")(_indicator_warnings_check)
)
indicator_warnings_now = cast(Any, db_task(name="indicator_warnings.now")(_indicator_warnings_now))
