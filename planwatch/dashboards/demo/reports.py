"""The simulated progress reports (tens of thousands, written in bulk) with their review
history and evidence, and the audit events for them."""

from __future__ import annotations

import hashlib
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from planwatch.audit.services import audit_record_many
from planwatch.dashboards.demo.audit import report_events
from planwatch.dashboards.demo.common import DEMO_PDF, mark
from planwatch.dashboards.demo.review import add_transitions
from planwatch.orgunits.models import OrgUnit
from planwatch.reports.models import Evidence, ProgressReport
from planwatch.reports.periods import periods_between
from planwatch.tasks.models import Task


def _profile(rng: random.Random, year: int) -> tuple[float, float]:
    """(final completion share reached by the deadline, speed factor) of one task."""
    roll = rng.random()
    if year < 2025:
        return (1.0, 1.0) if roll < 0.86 else (rng.uniform(0.55, 0.9), 1.0)
    if roll < 0.78:
        return 1.0, rng.uniform(0.95, 1.15)
    return 1.0, rng.uniform(0.35, 0.7)  # behind 序时进度 → yellow


def _reports_for(
    task: Task, unit_ids: list[int], as_of: date, rng: random.Random, frequency: str
) -> list[ProgressReport]:
    start = task.start or date(task.year, 1, 1)
    deadline = task.deadline or date(task.year, 12, 31)
    final, speed = _profile(rng, task.year)
    # a third of the lagging tasks report the same figure period after period (多期未变)
    stuck = (final < 1.0 or speed < 0.8) and rng.random() < 0.35
    periods = [p for p in periods_between(task.year, frequency, start, deadline) if p.due < as_of]
    reports = []
    for unit_id in unit_ids:
        frozen: float | None = None
        for p in periods:
            elapsed = min(1.0, (p.end - start).days / max((deadline - start).days, 1))
            closing = final == 1.0 and elapsed >= 1.0  # a finished task's last report
            if not closing and rng.random() < 0.05:  # never reported
                continue
            value = min(100.0, 100 * final * min(1.0, elapsed * speed) + rng.uniform(-4, 4))
            value = 100.0 if closing else max(0.0, value)
            if stuck:
                frozen = value if frozen is None else frozen
                value = frozen
            late = rng.random() < 0.1
            sent = p.due + timedelta(days=rng.randint(3, 20) if late else -rng.randint(0, 4))
            stamp = timezone.make_aware(datetime.combine(sent, time(10, 0)))
            status = (
                "accepted"
                if closing
                else rng.choices(["accepted", "unit_approved", "submitted"], [8, 1, 1])[0]
            )
            reports.append(
                ProgressReport(
                    task=task,
                    unit_id=unit_id,
                    period_start=p.start,
                    period_end=p.end,
                    period_label=p.label,
                    due=p.due,
                    completion=Decimal(f"{value:.1f}"),
                    progress_status="completed" if value >= 100 else "in_progress",
                    narrative=_("（演示）按计划推进，完成进度 %(v).1f%%。") % {"v": value},
                    status=status,
                    first_submitted_at=stamp,
                    submitted_at=stamp,
                    accepted_at=stamp + timedelta(days=3) if status == "accepted" else None,
                )
            )
    return reports


def _evidence_file() -> tuple[str, str]:
    sha = hashlib.sha256(DEMO_PDF).hexdigest()
    name = f"evidence/{sha[:2]}/{sha}.pdf"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(DEMO_PDF))
    return name, sha


def add_reports(tasks: list[Task], as_of: date, rng: random.Random, actor: Any) -> int:
    through = Task.responsible_units.through
    units: dict[int, list[int]] = {}
    for task_id, unit_id in through.objects.filter(task__in=tasks).values_list(
        "task_id", "orgunit_id"
    ):
        units.setdefault(task_id, []).append(unit_id)
    rows: list[ProgressReport] = []
    for task in tasks:
        frequency = task.annual_list.frequency
        rows.extend(_reports_for(task, units.get(task.pk, []), as_of, rng, frequency))
    created = ProgressReport.objects.bulk_create(rows, batch_size=1000)
    mark(created)
    add_transitions(created, actor)
    path, sha = _evidence_file()
    evidence = Evidence.objects.bulk_create(
        [
            Evidence(
                report=r,
                file=path,
                name="进展佐证（演示）.pdf",
                sha256=sha,
                size=len(DEMO_PDF),
                kind="pdf",
            )
            for r in created
            if rng.random() < 0.85
        ],
        batch_size=1000,
    )
    mark(evidence)
    names = dict(OrgUnit.objects.values_list("pk", "name"))
    by_report = {e.report_id: e for e in evidence}
    audit_record_many(actor=actor, entries=report_events(created, by_report, names))
    return len(created)
