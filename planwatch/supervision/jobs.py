"""The scheduled supervision job: recompute every issued task's light, open cases for yellow
and red tasks, send reminders (催办) before due dates and escalate cases not acknowledged in
time. Idempotent: running it twice on the same day changes nothing the second time.

It is run by the job queue's worker once a day (planwatch/supervision/scheduled.py,
docs/decisions/0013-job-queue.md), or by hand with `planwatch supervise`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from planwatch.audit.services import audit_record
from planwatch.core import hooks
from planwatch.core.models import DemoMarker
from planwatch.core.notify import notification_send
from planwatch.reports.choices import ReportStatus
from planwatch.reports.models import ProgressReport
from planwatch.reports.periods import Period, periods_between
from planwatch.supervision.choices import CaseStatus, Light
from planwatch.supervision.demo import demo_as_of
from planwatch.supervision.lights import (
    DEFAULT_TOLERANCE,
    DEFAULT_WARNING_DAYS,
    reported_progress,
    task_light,
)
from planwatch.supervision.models import SupervisionCase, TaskLight
from planwatch.supervision.notify import leader_recipients, unit_recipients
from planwatch.supervision.services import case_mark_escalated, case_open
from planwatch.tasks.choices import TaskStatus
from planwatch.tasks.models import Task
from planwatch.tasks.permissions import reporting_units

REMIND_DAYS = 3  # remind this many days (or fewer) before a report or case is due


@dataclass
class SuperviseSummary:
    lights: Counter[str] = field(default_factory=Counter)
    cases_opened: int = 0
    reminders: int = 0
    escalations: int = 0
    demo_tasks: int = 0  # demo tasks, judged as of the demo's own date (not in `lights`)
    demo_as_of: date | None = None

    def __str__(self) -> str:
        lights = " ".join(f"{k}={v}" for k, v in sorted(self.lights.items()))
        demo = f"; demo tasks: {self.demo_tasks} as of {self.demo_as_of}" if self.demo_tasks else ""
        return (
            f"lights: {lights or '-'}; cases opened: {self.cases_opened}; "
            f"reminders: {self.reminders}; escalations: {self.escalations}{demo}"
        )


def supervised_tasks() -> list[Task]:
    """Tasks of lists that have been issued at least once."""
    return list(
        Task.objects.filter(
            annual_list__issued_number__gte=1,
            status__in=(TaskStatus.ACTIVE, TaskStatus.COMPLETED),
        )
        .select_related("annual_list", "plan", "lead_unit")
        .prefetch_related("responsible_units")
        .order_by("pk")
    )


def lights_recompute(
    *, tasks: list[Task], today: date, warning_days: int, tolerance: Decimal
) -> dict[int, tuple[str, str]]:
    """Store each task's light (one bulk upsert); returns {task id: (light, reason)}."""
    progress = reported_progress(tasks)
    stored = dict(TaskLight.objects.filter(task__in=tasks).values_list("task_id", "light"))
    since = dict(TaskLight.objects.filter(task__in=tasks).values_list("task_id", "changed_on"))
    result: dict[int, tuple[str, str]] = {}
    rows: list[TaskLight] = []
    for task in tasks:
        lr = task_light(
            task,
            today=today,
            warning_days=warning_days,
            tolerance=tolerance,
            progress=progress[task.pk],
        )
        result[task.pk] = (lr.light, lr.reason)
        changed = stored.get(task.pk) != lr.light
        rows.append(
            TaskLight(
                task=task,
                light=lr.light,
                expected=lr.expected,
                actual=lr.actual,
                computed_on=today,
                changed_on=today if changed else since[task.pk],
            )
        )
    TaskLight.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["task"],
        update_fields=["light", "expected", "actual", "computed_on", "changed_on"],
    )
    for plan_id, year in sorted({(t.plan_id, t.year) for t in tasks}):
        hooks.figures_changed.send(plan_id=plan_id, year=year, tasks_only=True)
    return result


def _reported_slots(tasks: list[Task], starts: set[date]) -> set[tuple[int, int, date]]:
    """(task, unit, period start) of every report already submitted for these periods."""
    rows = ProgressReport.objects.filter(
        task__in=tasks, period_start__in=starts, status__in=ReportStatus.REPORTED
    ).values_list("task_id", "unit_id", "period_start")
    return set(rows)


def _remind_reports(tasks: list[Task], today: date, now: datetime) -> int:
    """催办 each reporting unit (the lead unit and the responsible units) whose report for a
    period due within REMIND_DAYS is not yet submitted."""
    due_soon: list[tuple[Task, Period]] = []
    for task in (t for t in tasks if t.status == TaskStatus.ACTIVE):
        periods = periods_between(task.year, task.annual_list.frequency, task.start, task.deadline)
        due_soon += [(task, p) for p in periods if 0 <= (p.due - today).days <= REMIND_DAYS]
    if not due_soon:
        return 0
    done = _reported_slots([t for t, _p in due_soon], {p.start for _t, p in due_soon})
    sent = 0
    for task, period in due_soon:
        for unit in reporting_units(task):
            if (task.pk, unit.pk, period.start) in done:
                continue
            sent += len(
                notification_send(
                    recipients=unit_recipients([unit]),
                    kind="remind.report",
                    key=f"remind:report:{task.pk}:{unit.pk}:{period.label}",
                    title=_("催办：%(p)s 进展报告将于 %(d)s 截止")
                    % {"p": period.label, "d": period.due},
                    body=_("任务“%(t)s”（%(u)s）尚未报送。") % {"t": task.title, "u": unit.name},
                    now=now,
                )
            )
    return sent


def real_cases() -> QuerySet[SupervisionCase]:
    """Cases that are neither demo cases nor about a demo task: the only ones the job
    reminds about or escalates."""
    return SupervisionCase.objects.exclude(pk__in=DemoMarker.ids_of(SupervisionCase)).exclude(
        task__in=DemoMarker.ids_of(Task)
    )


def _remind_cases(today: date, now: datetime) -> int:
    """催办 units whose case must be acknowledged or answered within REMIND_DAYS."""
    sent = 0
    soon = today + timedelta(days=REMIND_DAYS)
    checks = (
        (CaseStatus.ASSIGNED, "ack_due", "ack", _("请尽快签收督办事项")),
        (CaseStatus.ACKNOWLEDGED, "feedback_due", "feedback", _("请按时反馈办理情况")),
        (CaseStatus.IN_PROGRESS, "feedback_due", "feedback", _("请按时反馈办理情况")),
    )
    for status, due_field, what, title in checks:
        cases = (
            real_cases()
            .filter(status=status, **{f"{due_field}__gte": today, f"{due_field}__lte": soon})
            .select_related("task", "unit")
        )
        for case in cases:
            if case.unit is None:
                continue
            due = getattr(case, due_field)
            sent += len(
                notification_send(
                    recipients=unit_recipients([case.unit]),
                    kind=f"remind.case.{what}",
                    key=f"remind:case:{case.pk}:{what}:{due}",
                    title=f"{title}（{due}）",
                    body=_("督办事项：%(t)s") % {"t": case.label},
                    now=now,
                )
            )
    return sent


def escalations_send(*, today: date, now: datetime) -> int:
    """Escalate to leaders every case assigned but not acknowledged by its due date."""
    count = 0
    overdue = (
        real_cases()
        .filter(status=CaseStatus.ASSIGNED, ack_due__lt=today, escalated_at__isnull=True)
        .select_related("task", "plan__org_unit", "unit")
    )
    for case in overdue:
        if not case_mark_escalated(case=case, now=now):
            continue
        zone = case.plan.org_unit if case.plan is not None else None
        scope = [u for u in (zone, case.unit) if u is not None]
        notification_send(
            recipients=leader_recipients(scope),
            kind="case.escalated",
            key=f"case:{case.pk}:escalated",
            title=_("督办升级：%(u)s 逾期未签收") % {"u": case.unit.name if case.unit else ""},
            body=_("“%(t)s”的督办事项应于 %(d)s 前签收。") % {"t": case.label, "d": case.ack_due},
            now=now,
        )
        count += 1
    return count


def _open_cases(tasks: list[Task], lights: dict[int, tuple[str, str]], now: datetime) -> int:
    opened = 0
    for task in tasks:
        light, reason = lights[task.pk]
        if light in (Light.YELLOW, Light.RED):
            _case, created = case_open(task=task, light=light, reason=reason, actor=None, now=now)
            opened += created
    return opened


def supervise_run(
    *,
    today: date,
    now: datetime,
    warning_days: int = DEFAULT_WARNING_DAYS,
    tolerance: Decimal = DEFAULT_TOLERANCE,
    dry_run: bool = False,
) -> SuperviseSummary:
    """One pass of the job (see the module docstring). `dry_run` computes and rolls back."""
    summary = SuperviseSummary()
    with transaction.atomic():
        every = supervised_tasks()
        demo_ids = set(DemoMarker.ids_of(Task))
        tasks = [t for t in every if t.pk not in demo_ids]
        lights = lights_recompute(
            tasks=tasks, today=today, warning_days=warning_days, tolerance=tolerance
        )
        summary.lights.update(light for light, _reason in lights.values())
        demo = [t for t in every if t.pk in demo_ids]
        summary.demo_as_of = demo_as_of() if demo else None
        if demo and summary.demo_as_of is not None:
            # as of the demo's own date: the lights it was loaded with, no new cases
            lights_recompute(
                tasks=demo,
                today=summary.demo_as_of,
                warning_days=warning_days,
                tolerance=tolerance,
            )
            summary.demo_tasks = len(demo)
        summary.cases_opened = _open_cases(tasks, lights, now)
        summary.reminders = _remind_reports(tasks, today, now) + _remind_cases(today, now)
        summary.escalations = escalations_send(today=today, now=now)
        # Lights are derived data, recomputed daily: one event per run, not one per light.
        audit_record(
            actor=None,
            action="supervise.run",
            target_type="supervision",
            target_label=today.isoformat(),
            new={"lights": dict(summary.lights)}
            | {k: getattr(summary, k) for k in ("cases_opened", "reminders", "escalations")}
            | {"demo_tasks": summary.demo_tasks},
        )
        if dry_run:
            transaction.set_rollback(True)
    return summary
