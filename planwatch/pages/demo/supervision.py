"""After the reports: the tasks they complete, then the lights and 督办 cases as of the
demo's date, through the supervision job's and the case services' own code."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from planwatch.audit.services import AuditEntry, audit_record, audit_record_many
from planwatch.core.models import Notification
from planwatch.core.types import Actor
from planwatch.pages.demo.common import demo_values, mark
from planwatch.reports.models import ProgressReport
from planwatch.supervision.choices import Light
from planwatch.supervision.jobs import lights_recompute
from planwatch.supervision.lights import DEFAULT_TOLERANCE, DEFAULT_WARNING_DAYS, HUNDRED
from planwatch.supervision.services import case_assign, case_open
from planwatch.tasks.choices import TaskStatus
from planwatch.tasks.models import Task


def _completed_ids(tasks: list[Task]) -> set[int]:
    """Tasks the report service would have completed on acceptance (`_complete_task_if_done`,
    the same precedence as the lights): the lead unit's latest accepted report (its summary)
    says 100 %, or, where it has none accepted, every responsible unit's latest does. Two
    queries."""
    ids = [t.pk for t in tasks]
    latest: dict[tuple[int, int], Decimal | None] = {}
    accepted = (
        ProgressReport.objects.filter(task_id__in=ids, status="accepted", is_current=True)
        .order_by("period_start")
        .values_list("task_id", "unit_id", "completion")
    )
    for task_id, unit_id, completion in accepted:
        latest[(task_id, unit_id)] = completion
    units: dict[int, list[int]] = defaultdict(list)
    through = Task.responsible_units.through
    for task_id, unit_id in through.objects.filter(task_id__in=ids).values_list(
        "task_id", "orgunit_id"
    ):
        units[task_id].append(unit_id)
    done = set()
    for task in tasks:
        lead = task.lead_unit_id
        if lead is not None and (task.pk, lead) in latest:
            finished = latest[(task.pk, lead)] == HUNDRED
        else:
            finished = bool(units[task.pk]) and all(
                latest.get((task.pk, u)) == HUNDRED for u in units[task.pk]
            )
        if finished:
            done.add(task.pk)
    return done


def complete_tasks(tasks: list[Task], actor: Actor) -> None:
    """Mark completed the tasks whose reports say they are done (see `_completed_ids`), as
    the report service does on acceptance (a `task.complete` event each)."""
    done = _completed_ids(tasks)
    Task.objects.filter(pk__in=done, status=TaskStatus.ACTIVE).update(status=TaskStatus.COMPLETED)
    audit_record_many(
        actor=actor,
        entries=(
            AuditEntry(
                "task.complete",
                "tasks.task",
                t.pk,
                str(t),
                old={"status": TaskStatus.ACTIVE},
                new=demo_values({"status": TaskStatus.COMPLETED}),
            )
            for t in tasks
            if t.pk in done
        ),
    )


def open_cases(tasks: list[Task], as_of: date, actor: Actor, rng: random.Random) -> int:
    now = timezone.make_aware(datetime.combine(as_of, time(9, 0)))
    lights = lights_recompute(
        tasks=tasks, today=as_of, warning_days=DEFAULT_WARNING_DAYS, tolerance=DEFAULT_TOLERANCE
    )
    cases = []
    for task in tasks:
        light, reason = lights[task.pk]
        if light in (Light.YELLOW, Light.RED):
            case, created = case_open(task=task, light=light, reason=reason, actor=actor, now=now)
            if created:
                cases.append(case)
    # marked before they are handed out, so notification_send tells no real person about them
    mark(cases)
    last_note = Notification.objects.aggregate(m=Max("pk"))["m"] or 0
    to_assign = [case for case in cases if rng.random() < 0.6]
    for case in to_assign:
        case_assign(case=case, actor=actor, today=as_of, now=now)
    mark(Notification.objects.filter(pk__gt=last_note))
    # Like the supervise job's one `supervise.run` per run (lights are derived data), but
    # under its own name: the scheduler reads `supervise.run` as "today's job has run".
    counts = Counter(light for light, _reason in lights.values())
    values = {"lights": dict(counts), "cases_opened": len(cases), "assigned": len(to_assign)}
    audit_record(
        actor=actor,
        action="demo.supervise",
        target_type="supervision",
        target_label=as_of.isoformat(),
        new=demo_values(values),
    )
    return len(cases)
