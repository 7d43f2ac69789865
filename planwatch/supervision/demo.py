"""Demonstration data under supervision. `planwatch demo` simulates its tasks, reports and
cases as of one day (its `as_of`, recorded in its `demo.load` audit event); the daily job
must neither judge those tasks against today's date (they would all turn red after a few
weeks, with hundreds of cases and escalations) nor let them reach a real person's
notifications or e-mail. So the job recomputes demo lights as of the demo's own date and
opens no cases, sends no reminders and escalates nothing about demo objects, and
`notification_send` drops any notification about a demo task, case or report
(docs/decisions/0020-dashboards-truth-and-demo-dates.md)."""

from __future__ import annotations

from datetime import date

from planwatch.audit.models import AuditEvent
from planwatch.core.models import DemoMarker


def demo_as_of() -> date | None:
    """The simulated date of the loaded demo, or None when no demo is loaded (or its date
    cannot be read)."""
    if not DemoMarker.objects.exists():
        return None
    event = AuditEvent.objects.filter(action="demo.load").order_by("-pk").first()
    if event is None:
        return None
    try:
        return date.fromisoformat(event.target_label)
    except ValueError:
        return None
