"""The daily project-light job on the queue (planwatch/core/queue.py), after the pattern of
planwatch/supervision/scheduled.py.

- `project_lights_run(today=…)`: every confirmed project's light for the last month that has
  ended (the month before `today`) is recomputed and stored with its method version, all at
  once (bulk_create / bulk_update, a few queries); a red light opens a 督办 case once (a
  project still red keeps its open case; running the job again changes nothing). It records
  one `project.lights_run` audit event per day.
- `project_lights_check`, periodic (every minute): runs the job once the local time has
  passed `PLANWATCH_SUPERVISE_AT` and today's run has not happened yet.
- `project_lights_now`: the same job, enqueued on demand (`planwatch project_lights
  --enqueue`).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any, cast

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task
from huey.exceptions import TaskLockedException

from planwatch.audit.models import AuditEvent
from planwatch.audit.services import audit_record
from planwatch.projects.choices import ProjectStatus
from planwatch.projects.models import Project
from planwatch.projects.services import figures_all, lights_compute_all
from planwatch.supervision.scheduled import supervise_time

LOCK_NAME = "project_lights"
ACTION = "project.lights_run"


def assessed_month(today: date) -> tuple[int, int]:
    """The last month that has ended by `today`."""
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


def project_lights_run(*, today: date, now: datetime | None = None, dry_run: bool = False) -> str:
    """Recompute the lights; returns a one-line summary (counts by light, cases linked).
    Set-based: a fixed number of queries whatever the number of projects (`figures_all`,
    `lights_compute_all`), besides the cases opened for projects newly red."""
    now = now or timezone.now()
    year, month = assessed_month(today)
    projects = list(Project.objects.filter(status=ProjectStatus.CONFIRMED, merged_into=None))
    if dry_run:
        counts = Counter(f.assessment.light for f in figures_all(projects, year, month).values())
        cases = 0
    else:
        run = lights_compute_all(projects=projects, year=year, month=month, now=now)
        counts, cases = Counter(run.counts), run.with_case
    summary = (
        f"{year}-{month:02d}: {sum(counts.values())} projects, "
        f"red {counts['red']}, yellow {counts['yellow']}, green {counts['green']}, "
        f"{cases} with a case"
    )
    if not dry_run:
        audit_record(
            actor=None,
            action="project.lights_run",
            target_type="projects.project",
            target_label=today.isoformat(),
            new={"summary": summary},
        )
    return summary


def ran_on(day: date) -> bool:
    return AuditEvent.objects.filter(action=ACTION, target_label=day.isoformat()).exists()


def project_lights_locked(*, today: date, now: datetime, only_if_not_run: bool) -> str | None:
    try:
        with HUEY.lock_task(LOCK_NAME):
            if only_if_not_run and ran_on(today):
                return None
            return f"{today}: {project_lights_run(today=today, now=now)}"
    except TaskLockedException:
        return None


def project_lights_if_due(now: datetime) -> str | None:
    local = timezone.localtime(now)
    if local.time() < supervise_time():
        return None
    return project_lights_locked(today=local.date(), now=now, only_if_not_run=True)


def _project_lights_check() -> str | None:
    return project_lights_if_due(timezone.now())


def _project_lights_now(day: str | None = None) -> str | None:
    now = timezone.now()
    today = date.fromisoformat(day) if day else timezone.localdate(now)
    return project_lights_locked(today=today, now=now, only_if_not_run=False)


project_lights_check = cast(
    Any, db_periodic_task(crontab(), name="project_lights.check")(_project_lights_check)
)
project_lights_now = cast(Any, db_task(name="project_lights.now")(_project_lights_now))
