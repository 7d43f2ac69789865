"""Reporting health (填报健康度) per responsible unit — the commonest failure of plan
trackers is owners who never report, so it is counted and scored:

- due: report slots (task × responsible unit × period) whose due date has passed;
- on time / late: first submitted on or before / after the due date (Asia/Shanghai days;
  a report later returned still counts as submitted when it first was);
- missing: due and never submitted;
- without evidence: submitted, and the current revision has no evidence file;
- unchanged: task × unit pairs whose last `unchanged_periods` submitted reports all give
  the same completion below 100 %.

score = 100 × (on_time + ½·late) / due − 20 × without_evidence / submitted
        − 20 × unchanged / pairs, floored at 0; None when nothing is due yet."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.utils import timezone

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.reports.models import ProgressReport
from planwatch.reports.periods import periods_between
from planwatch.tasks.choices import TaskStatus
from planwatch.tasks.models import Task
from planwatch.tasks.permissions import visible_tasks_q

Slot = tuple[int, int, date]  # task id, unit id, period start


@dataclass
class UnitHealth:
    unit: OrgUnit
    pairs: int = 0
    due: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    without_evidence: int = 0
    unchanged: int = 0

    @property
    def submitted(self) -> int:
        return self.on_time + self.late

    @property
    def score(self) -> float | None:
        if not self.due:
            return None
        value = (self.on_time + 0.5 * self.late) / self.due
        value -= 0.2 * self.without_evidence / max(self.submitted, 1)
        value -= 0.2 * self.unchanged / max(self.pairs, 1)
        return round(max(0.0, 100 * value), 1)


@dataclass
class _SlotFacts:
    first_submitted: datetime | None = None
    current_evidence: int = 0
    current_completion: Decimal | None = None
    current_submitted: bool = False


def _health_tasks(user: Any, plan: Plan | None) -> list[Task]:
    if not (has_role(user, Role.PLANNER) or has_role(user, Role.LEADER)):
        return []
    qs = Task.objects.filter(
        visible_tasks_q(user),
        annual_list__issued_number__gte=1,
        status__in=(TaskStatus.ACTIVE, TaskStatus.COMPLETED),
    )
    if plan is not None:
        qs = qs.filter(plan=plan)
    ids = qs.values("pk").distinct()
    return list(Task.objects.filter(pk__in=ids).select_related("annual_list"))


def _slot_facts(tasks: list[Task]) -> dict[Slot, _SlotFacts]:
    facts: dict[Slot, _SlotFacts] = defaultdict(_SlotFacts)
    rows = (
        ProgressReport.objects.filter(task__in=tasks)
        .annotate(n_evidence=Count("evidence"))
        .values_list(
            "task_id",
            "unit_id",
            "period_start",
            "first_submitted_at",
            "is_current",
            "status",
            "completion",
            "n_evidence",
        )
    )
    for task_id, unit_id, start, first, current, status, completion, n_ev in rows:
        f = facts[(task_id, unit_id, start)]
        if first is not None and (f.first_submitted is None or first < f.first_submitted):
            f.first_submitted = first
        if current:
            f.current_evidence = n_ev
            f.current_completion = completion
            f.current_submitted = status in ("submitted", "unit_approved", "accepted")
    return facts


def _count_slot(h: UnitHealth, facts: _SlotFacts | None, due: date) -> None:
    h.due += 1
    if facts is None or facts.first_submitted is None:
        h.missing += 1
        return
    if timezone.localdate(facts.first_submitted) <= due:
        h.on_time += 1
    else:
        h.late += 1
    if facts.current_evidence == 0:
        h.without_evidence += 1


def _is_unchanged(values: list[Decimal | None], periods: int) -> bool:
    tail = values[-periods:]
    return (
        periods >= 2
        and len(tail) == periods
        and len(set(tail)) == 1
        and tail[0] is not None
        and tail[0] < 100
    )


def reporting_health_for(
    *, user: Any, today: date, plan: Plan | None = None, unchanged_periods: int = 3
) -> list[UnitHealth]:
    """The health table for the units responsible for tasks `user` may see — planners and
    leaders only (anyone else gets an empty table) — worst score first."""
    tasks = _health_tasks(user, plan)
    through = Task.responsible_units.through
    pairs = list(through.objects.filter(task__in=tasks).values_list("task_id", "orgunit_id"))
    units = OrgUnit.objects.in_bulk({u for _t, u in pairs})
    by_id = {t.pk: t for t in tasks}
    facts = _slot_facts(tasks)
    table: dict[int, UnitHealth] = {}
    for task_id, unit_id in pairs:
        task = by_id[task_id]
        h = table.setdefault(unit_id, UnitHealth(units[unit_id]))
        h.pairs += 1
        periods = periods_between(task.year, task.annual_list.frequency, task.start, task.deadline)
        completions: list[Decimal | None] = []
        for p in periods:
            f = facts.get((task_id, unit_id, p.start))
            if p.due < today:
                _count_slot(h, f, p.due)
            if f is not None and f.current_submitted:
                completions.append(f.current_completion)
        h.unchanged += _is_unchanged(completions, unchanged_periods)
    rows = [h for h in table.values() if _in_scope(user, h.unit)]
    return sorted(rows, key=lambda h: (h.score is None, h.score or 0, h.unit.path))


def _in_scope(user: Any, unit: OrgUnit) -> bool:
    """A unit's row is shown to planners and leaders whose scope covers it (a zone covers its
    cities); departments sit beside the zones, so their rows go to whoever sees the tasks."""
    return (
        unit.kind == OrgUnitKind.DEPARTMENT
        or has_role(user, Role.PLANNER, unit)
        or has_role(user, Role.LEADER, unit)
    )
