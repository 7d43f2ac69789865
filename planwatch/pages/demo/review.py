"""The review a simulated report went through, by the status it ended in: its steps, their
simulated times, and the history rows (ReportTransition) the report services would have
written for them — the same steps and times as the demo's audit events, one source for both.

Like `progress_report_transition`, each step is one ReportTransition (from the status
before, to the step, by the actor, no reason, at the step's time), the actor being the demo
account that the demo's events name. The rows are not marked in DemoMarker: they belong to
their report and go with it (ReportTransition.report cascades on delete)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta
from itertools import batched

from django.db import connection
from django.utils import timezone

from planwatch.core.types import Actor
from planwatch.reports.models import ProgressReport, ReportTransition

# The review steps a simulated report went through, by its status: (step, days after sending).
STEPS: dict[str, list[tuple[str, int]]] = {
    "submitted": [("submitted", 0)],
    "unit_approved": [("submitted", 0), ("unit_approved", 1)],
    "accepted": [("submitted", 0), ("unit_approved", 1), ("accepted", 3)],
}


def review_steps(report: ProgressReport) -> list[tuple[str, str, datetime]]:
    """(status before, status after, simulated time) of each step of `report`'s review."""
    sent = report.submitted_at or timezone.make_aware(datetime.combine(report.due, time(10, 0)))
    steps, before = [], "draft"
    for step, days in STEPS[report.status]:
        steps.append((before, step, sent + timedelta(days=days)))
        before = step
    return steps


def add_transitions(reports: Iterable[ProgressReport], actor: Actor) -> int:
    """Write the review history of `reports` (already saved), in bulk; returns how many rows.
    Plain INSERTs run with executemany, as `audit_record_many` does: for the demo's ninety
    thousand rows that takes 1–2 s where bulk_create takes 9–10 s (on SQLite), most of it
    compiling statements."""
    meta, quote = ReportTransition._meta, connection.ops.quote_name
    field = {f.name: f for f in meta.concrete_fields}
    names = ("report", "from_status", "to_status", "actor", "reason", "created_at")
    columns = ", ".join(quote(field[n].column or n) for n in names)
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * 6)})"
    created_at = field["created_at"]
    rows = (
        (
            r.pk,
            old,
            new,
            actor.pk if actor is not None else None,
            "",
            created_at.get_db_prep_save(at, connection),
        )
        for r in reports
        for old, new, at in review_steps(r)
    )
    written = 0
    with connection.cursor() as cursor:
        for batch in batched(rows, 5000):
            cursor.executemany(sql, batch)
            written += len(batch)
    return written
