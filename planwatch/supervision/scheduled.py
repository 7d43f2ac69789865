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

from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task
from huey.exceptions import TaskLockedException

from planwatch.accounts.choices import Role
from planwatch.audit.models import AuditEvent
from planwatch.core.mail_jobs import email_notifications
from planwatch.core.notify import notification_send
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


def worker_stale(now: datetime) -> datetime | None:
    """The last heartbeat when it is older than PLANWATCH_WORKER_STALE_MINUTES (the worker
    has stopped); None while the worker beats, or when no worker ever ran on this queue."""
    last = worker_heartbeat()
    limit = timedelta(minutes=int(settings.PLANWATCH_WORKER_STALE_MINUTES))
    if last is None or now - last <= limit:
        return None
    return last


def worker_alert(now: datetime) -> list[Any]:
    """Alert the administrators (in-app and e-mail) once per outage when the worker's
    heartbeat has stopped: the key is the last heartbeat, so a worker that stops again later
    alerts again. The e-mail is sent here, not by the stopped worker. Returns the
    notifications created now. Run by `planwatch worker-check` (cron or a systemd timer) and
    whenever an administrator opens the system page."""
    last = worker_stale(now)
    if last is None:
        return []
    admins = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(memberships__role=Role.ADMIN))
        .distinct()
    )
    with override(settings.LANGUAGE_CODE):
        notes = notification_send(
            recipients=admins,
            kind="worker.stopped",
            key=f"worker-stopped:{last.isoformat()}",
            title=_("任务队列的工作进程已停止"),
            body=_(
                "工作进程最后一次心跳在 %(last)s（已超过 %(minutes)s 分钟）。定时任务（督办、"
                "亮灯、提醒邮件）在它恢复前不会运行。请检查 planwatch worker 服务。"
            )
            % {
                "last": timezone.localtime(last).strftime("%Y-%m-%d %H:%M"),
                "minutes": settings.PLANWATCH_WORKER_STALE_MINUTES,
            },
            now=now,
            link=reverse("pages:system_jobs"),
        )
    email_notifications([n.pk for n in notes])
    return notes


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
