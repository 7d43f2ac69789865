"""The daily run over the joint meetings' decisions on the queue (planwatch/core/queue.py),
after the pattern of planwatch/projects/scheduled.py: `decision_lights_check` (every minute)
runs `meetings.decision_lights_run` once a day, after `PLANWATCH_SUPERVISE_AT`, and records
one `meeting.decision_lights_run` audit event for the day."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task
from huey.exceptions import TaskLockedException

from planwatch.audit.models import AuditEvent
from planwatch.audit.services import audit_record
from planwatch.documents.meetings import decision_lights_run
from planwatch.supervision.scheduled import supervise_time

LOCK_NAME = "decision_lights"
ACTION = "meeting.decision_lights_run"


def decision_lights_daily(*, today: date) -> str | None:
    """Run once for `today` (None when it has run already or another worker holds it)."""
    try:
        with HUEY.lock_task(LOCK_NAME):
            if AuditEvent.objects.filter(action=ACTION, target_label=today.isoformat()).exists():
                return None
            counts = decision_lights_run(today=today)
            audit_record(
                actor=None,
                action="meeting.decision_lights_run",  # = ACTION, written out for the label scan
                target_type="documents.meetingdecision",
                target_label=today.isoformat(),
                new=counts,
            )
            return f"{today}: {counts}"
    except TaskLockedException:
        return None


def decision_lights_if_due(now: datetime) -> str | None:
    local = timezone.localtime(now)
    if local.time() < supervise_time():
        return None
    return decision_lights_daily(today=local.date())


def _decision_lights_check() -> str | None:
    return decision_lights_if_due(timezone.now())


decision_lights_check = cast(
    Any, db_periodic_task(crontab(), name="decision_lights.check")(_decision_lights_check)
)
