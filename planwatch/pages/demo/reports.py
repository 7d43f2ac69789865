"""The simulated progress reports (tens of thousands, written in bulk) with their review
history and evidence, and the audit events for them.

Every reporting unit of a task (`reporting_units`) files a report each period: the
responsible units (责任单位) their own figures, and the lead unit (牵头单位) its summary (汇总),
whose completion is the mean of the responsible units' figures for the period, shifted by a
small error of its own that stays the same all year (so a stuck task's summary is stuck
too). The lead unit's reports are late, missing or without evidence as often as any
other unit's; its figure is the task's reported progress once it has reported, as on real
data (supervision.lights)."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from statistics import fmean

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from planwatch.audit.services import audit_record_many
from planwatch.core.types import Actor
from planwatch.orgunits.models import OrgUnit
from planwatch.pages.demo.audit import report_events
from planwatch.pages.demo.common import DEMO_PDF, mark
from planwatch.pages.demo.review import add_transitions
from planwatch.reports.models import Evidence, ProgressReport
from planwatch.reports.periods import Period, periods_between
from planwatch.tasks.models import Task
from planwatch.tasks.permissions import reporting_units


def _profile(rng: random.Random, year: int, current: int) -> tuple[float, float]:
    """(final completion share reached by the deadline, speed factor) of one task of `year`,
    the demo's date being in year `current`."""
    roll = rng.random()
    if year < current:
        return (1.0, 1.0) if roll < 0.86 else (rng.uniform(0.55, 0.9), 1.0)
    if roll < 0.78:
        return 1.0, rng.uniform(0.95, 1.15)
    return 1.0, rng.uniform(0.35, 0.7)  # behind 序时进度 → yellow


@dataclass(frozen=True)
class _Course:
    """How one simulated task runs: its periods due before the demo's date, and for each
    whether it closes the task (a finished task's last report, always filed and accepted)."""

    start: date
    deadline: date
    final: float
    speed: float
    stuck: bool  # reports the same figure period after period (多期未变)
    periods: list[Period]

    def elapsed(self, p: Period) -> float:
        return min(1.0, (p.end - self.start).days / max((self.deadline - self.start).days, 1))

    def closing(self, p: Period) -> bool:
        return self.final == 1.0 and self.elapsed(p) >= 1.0


def _course(task: Task, as_of: date, rng: random.Random, frequency: str) -> _Course:
    start = task.start or date(task.year, 1, 1)
    deadline = task.deadline or date(task.year, 12, 31)
    final, speed = _profile(rng, task.year, as_of.year)
    # a third of the lagging tasks report the same figure period after period (多期未变)
    stuck = (final < 1.0 or speed < 0.8) and rng.random() < 0.35
    periods = [p for p in periods_between(task.year, frequency, start, deadline) if p.due < as_of]
    return _Course(start, deadline, final, speed, stuck, periods)


def _figures(course: _Course, rng: random.Random) -> list[float]:
    """One unit's completion in each period, whether or not it reports it."""
    figures: list[float] = []
    for p in course.periods:
        value = 100 * course.final * min(1.0, course.elapsed(p) * course.speed)
        value = 100.0 if course.closing(p) else max(0.0, min(100.0, value + rng.uniform(-4, 4)))
        figures.append(figures[0] if course.stuck and figures else value)
    return figures


def _summary(units: list[list[float]], rng: random.Random) -> list[float]:
    """The lead unit's summary in each period: near the mean of the responsible units'."""
    error = rng.uniform(-2.5, 2.5)
    means = [fmean(values) for values in zip(*units, strict=True)]
    return [m if m >= 100 else max(0.0, min(100.0, m + error)) for m in means]


def _report(
    task: Task,
    unit_id: int,
    p: Period,
    value: float,
    closing: bool,
    rng: random.Random,
    as_of: date,
) -> ProgressReport | None:
    """One unit's report for period `p`, or None when it never reported (5 %). Nothing is
    sent or accepted after the demo's date: a late report is sent by then at the latest."""
    if not closing and rng.random() < 0.05:
        return None
    late = rng.random() < 0.1
    sent = p.due + timedelta(days=rng.randint(3, 20) if late else -rng.randint(0, 4))
    sent = min(sent, as_of - timedelta(days=4))  # accepted (3 days later) before `as_of`
    stamp = timezone.make_aware(datetime.combine(sent, time(10, 0)))
    status = (
        "accepted"
        if closing
        else rng.choices(["accepted", "unit_approved", "submitted"], [8, 1, 1])[0]
    )
    return ProgressReport(
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


def _reports_for(
    task: Task, as_of: date, rng: random.Random, frequency: str
) -> list[ProgressReport]:
    """The reports of every reporting unit of `task` (lead unit first, as `reporting_units`
    orders them; a lead unit that is also responsible files only its summary)."""
    course = _course(task, as_of, rng, frequency)
    units = [u.pk for u in reporting_units(task)]
    responsible = [u for u in units if u != task.lead_unit_id]
    figures = {u: _figures(course, rng) for u in responsible}
    if task.lead_unit_id is not None:
        lead = _summary(list(figures.values()), rng) if figures else _figures(course, rng)
        figures[task.lead_unit_id] = lead
    reports = []
    for unit_id in units:
        for p, value in zip(course.periods, figures[unit_id], strict=True):
            report = _report(task, unit_id, p, value, course.closing(p), rng, as_of)
            if report is not None:
                reports.append(report)
    return reports


def _evidence_file() -> tuple[str, str]:
    sha = hashlib.sha256(DEMO_PDF).hexdigest()
    name = f"evidence/{sha[:2]}/{sha}.pdf"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(DEMO_PDF))
    return name, sha


def add_reports(
    tasks: list[Task], as_of: date, rng: random.Random, actor: Actor
) -> tuple[int, int]:
    """Write the reports of `tasks` with their history, evidence and events; returns how
    many reports, and how many of them are the lead units' summaries."""
    prefetch_related_objects(tasks, "lead_unit", "responsible_units")  # for reporting_units
    rows: list[ProgressReport] = []
    for task in tasks:
        rows.extend(_reports_for(task, as_of, rng, task.annual_list.frequency))
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
    return len(created), sum(r.unit_id == r.task.lead_unit_id for r in created)
