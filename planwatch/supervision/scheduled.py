"""The supervision job on the queue (planwatch/core/queue.py).

- `supervise_check`, periodic (every minute; one indexed query when there is nothing to
  do): runs the daily job (`jobs.supervise_run`) once the local time has passed
  `PLANWATCH_SUPERVISE_AT` and today's run has not happened yet. A worker that was down
  at that time catches up when it is back; one that runs all day runs the job once a day.
- `supervise_now`: the same job, enqueued on demand (`planwatch supervise --enqueue`).

"Today's run has happened" is read from the audit log (the job records one `supervise.run`
event per run), so the rule holds across workers, restarts and cron runs of
`planwatch supervise`. A lock keeps two workers from running the job at once.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, cast

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task
from huey.exceptions import TaskLockedException

from planwatch.audit.models import AuditEvent
from planwatch.supervision.jobs import supervise_run

LOCK_NAME = "supervise"


def supervise_time() -> time:
    """`PLANWATCH_SUPERVISE_AT` as a time of day; a clear error when it is not HH:MM."""
    raw = str(settings.PLANWATCH_SUPERVISE_AT)
    try:
        return time.fromisoformat(raw)
    except ValueError as exc:
        raise ValueError(f"PLANWATCH_SUPERVISE_AT {raw!r}: expected HH:MM") from exc


def supervise_ran_on(day: date) -> bool:
    """True when the job has already run (and committed) for `day`."""
    return AuditEvent.objects.filter(action="supervise.run", target_label=day.isoformat()).exists()


def supervise_locked(*, today: date, now: datetime, only_if_not_run: bool) -> str | None:
    """Run the job under the queue's lock. Returns its summary, or None when it was skipped
    (already run today, or running in another worker)."""
    try:
        with HUEY.lock_task(LOCK_NAME):
            if only_if_not_run and supervise_ran_on(today):
                return None
            return f"{today}: {supervise_run(today=today, now=now)}"
    except TaskLockedException:
        return None


def supervise_if_due(now: datetime) -> str | None:
    """The periodic check (see the module docstring) as of `now`."""
    local = timezone.localtime(now)
    if local.time() < supervise_time():
        return None
    return supervise_locked(today=local.date(), now=now, only_if_not_run=True)


HEARTBEAT_KEY = "planwatch:worker-heartbeat"


def worker_heartbeat() -> datetime | None:
    """When a worker last ran the periodic check (the system page shows it: a worker that
    has stopped stops beating). None when no worker has run one on this queue."""
    raw = HUEY.get(HEARTBEAT_KEY, peek=True)
    return datetime.fromisoformat(raw) if raw else None


def _supervise_check() -> str | None:
    now = timezone.now()
    HUEY.put(HEARTBEAT_KEY, now.isoformat())
    return supervise_if_due(now)


def _supervise_now(day: str | None = None) -> str | None:
    now = timezone.now()
    today = date.fromisoformat(day) if day else timezone.localdate(now)
    return supervise_locked(today=today, now=now, only_if_not_run=False)


# huey's decorators are untyped: the registered tasks are typed as plain callables here.
supervise_check = cast(Any, db_periodic_task(crontab(), name="supervise.check")(_supervise_check))
supervise_now = cast(Any, db_task(name="supervise.now")(_supervise_now))
