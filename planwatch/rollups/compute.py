"""The summaries recomputed from the raw rows (tasks, their unit links, progress reports,
evidence) for one slice — a plan's tasks of one year — or a part of it. The same functions
serve the services (recompute what a write touched), `rollup rebuild` and `rollup check`, so
what is stored is by construction what the raw rows give."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Max, Q, QuerySet, Sum

from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.reports.choices import ReportStatus
from planwatch.reports.health import (
    STUCK_SQL,
    _per_slot,
    _Scored,
    _slot_groups,
    _slot_reports,
    _union_sql,
)
from planwatch.reports.models import ProgressReport
from planwatch.supervision.choices import Light
from planwatch.tasks.choices import TaskStatus
from planwatch.tasks.models import Task

# The summaries' own 「连续未更新」 rule: the last three submitted reports of a pair
# (reports.health's default `unchanged_periods`).
UNCHANGED_PERIODS = 3

TrendKey = tuple[int | None, date, date]  # unit (None: every task), period start, end
TrendValue = tuple[Decimal, int, datetime | None]  # completion sum, reports, last accepted
HealthKey = tuple[int, date, date]  # unit, period start, due
HealthValue = tuple[int, int, int]  # on time, submitted, without evidence
# unit (None: every task), status, light ("" none), frequency, start, deadline
TaskKey = tuple[int | None, str, str, str, date | None, date | None]
TaskValue = tuple[int, Decimal, int, date | None]  # tasks, actual sum and count, lights on
MapKey = tuple[int | None, int]  # scope unit (None: every task), area
MapValue = tuple[int, int]  # tasks, completed
SlotKey = tuple[int, str, date | None, date | None]  # unit, frequency, start, deadline
LightKey = tuple[int | None, str, int]  # scope unit (None: every task), light, task
LISTED_LIGHTS = (Light.RED, Light.YELLOW)  # the dashboards' two task lists


@dataclass(frozen=True)
class Part:
    """What to recompute: a slice, narrowed to one period (`period_start`) and, for the
    health figures, to one reporting unit (`unit_id`) when given."""

    plan_id: int
    year: int
    period_start: date | None = None
    unit_id: int | None = None


def issued_tasks(plan_id: int, year: int) -> QuerySet[Task]:
    """The tasks a dashboard counts: issued (active or completed, of a list issued once)."""
    return Task.objects.filter(
        plan_id=plan_id,
        year=year,
        annual_list__issued_number__gte=1,
        status__in=(TaskStatus.ACTIVE, TaskStatus.COMPLETED),
    )


def scope_units() -> dict[int, list[int]]:
    """For each unit, the units whose dashboard scope holds it: itself and the units above
    it, less the province and the zones (their dashboards select by plan, not by path)."""
    units = list(OrgUnit.objects.values_list("pk", "path", "kind"))
    scoped = {path: pk for pk, path, kind in units if kind not in _PLAN_SCOPED}
    # A path is "/510000/zone:…/511500/": the units above are its shorter prefixes that end
    # at a "/" (what `path__startswith` matches, as every path ends with one).
    return {
        pk: [
            scoped[path[: i + 1]]
            for i, ch in enumerate(path)
            if ch == "/" and path[: i + 1] in scoped
        ]
        for pk, path, _k in units
    }


_PLAN_SCOPED = (OrgUnitKind.PROVINCE, OrgUnitKind.ZONE)


def _task_scopes(
    tasks: QuerySet[Task], above: dict[int, list[int]] | None = None
) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """Task id → the units in whose scope it lies (from its lead and responsible units),
    and task id → the units its responsible units are or lie below (for the map)."""
    above = scope_units() if above is None else above
    scopes: dict[int, set[int]] = {}
    areas: dict[int, set[int]] = {}
    through = Task.responsible_units.through
    links = through.objects.filter(task__in=tasks.values("pk")).values_list("task_id", "orgunit_id")
    for task_id, unit_id in links:
        scopes.setdefault(task_id, set()).update(above.get(unit_id, ()))
        areas.setdefault(task_id, set()).update(above.get(unit_id, ()))
    leads = tasks.filter(lead_unit__isnull=False).values_list("pk", "lead_unit_id")
    for task_id, unit_id in leads:
        scopes.setdefault(task_id, set()).update(above.get(unit_id, ()))
    return scopes, areas


def trend_rows(part: Part) -> dict[TrendKey, TrendValue]:
    """Per scope unit and period: the current, submitted reports of the slice's issued tasks
    whose period ends in the year (dashboards' trend and 数据截至)."""
    tasks = issued_tasks(part.plan_id, part.year)
    reports = ProgressReport.objects.filter(
        task__in=tasks.values("pk"),
        is_current=True,
        status__in=ReportStatus.REPORTED,
        period_end__year=part.year,
    )
    if part.period_start is not None:
        reports = reports.filter(period_start=part.period_start)
    per_task = (
        reports.order_by()
        .values_list("task_id", "period_start", "period_end")
        .annotate(
            total=Sum("completion"),
            n=Count("pk"),
            last=Max("accepted_at", filter=Q(status=ReportStatus.ACCEPTED)),
        )
    )
    scopes, _areas = _task_scopes(tasks)
    rows: dict[TrendKey, TrendValue] = {}
    for task_id, start, end, total, n, last in per_task:
        for unit in (None, *scopes.get(task_id, ())):
            before, count, latest = rows.get((unit, start, end), (Decimal(0), 0, None))
            if last is not None and (latest is None or last > latest):
                latest = last
            rows[(unit, start, end)] = (before + (total or Decimal(0)), count + n, latest)
    return rows


def _slot_parts(part: Part, *, by_period: bool) -> tuple[str, tuple[Any, ...]]:
    """The SQL of reports.health's per-slot rows for the slice (narrowed by `part`)."""
    scored = _Scored(None, None)
    narrowed = []
    for reports in _slot_reports(scored):
        reports = reports.filter(task__plan_id=part.plan_id, task__year=part.year)
        if by_period and part.period_start is not None:
            reports = reports.filter(period_start=part.period_start)
        if part.unit_id is not None:
            reports = reports.filter(unit_id=part.unit_id)
        narrowed.append(_per_slot(reports))
    return _union_sql(tuple(narrowed))


_HEALTH_SQL = """
    SELECT s.slot_unit, s.slot_start, s.slot_due,
        SUM(CASE WHEN s.first_day <= s.slot_due THEN 1 ELSE 0 END),
        COUNT(s.first_day),
        SUM(CASE WHEN s.first_day IS NOT NULL AND NOT s.has_evidence THEN 1 ELSE 0 END)
    FROM ({slots}) s
    GROUP BY s.slot_unit, s.slot_start, s.slot_due"""

_UNCHANGED_SQL = """
    SELECT slot_unit, SUM(stuck) FROM (
        SELECT s.slot_task, s.slot_unit,
            {stuck} AS stuck
        FROM ({slots}) s
        GROUP BY s.slot_task, s.slot_unit
    ) pairs
    GROUP BY slot_unit""".replace("{stuck}", STUCK_SQL.strip())


def _date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def health_rows(part: Part) -> dict[HealthKey, HealthValue]:
    """Per reporting unit and period of the slice: on time, submitted, without evidence
    (the report counts of reports.health, before the due date is compared with today)."""
    slots, params = _slot_parts(part, by_period=True)
    with connection.cursor() as cursor:
        cursor.execute(_HEALTH_SQL.format(slots=slots), params)
        fetched = cursor.fetchall()
    # Slots with nothing submitted (a draft) add nothing: no row, so that a draft's creation
    # (which tells the summaries nothing) leaves them equal to a recomputation.
    return {
        (unit, _date(start), _date(due)): (int(on_time), int(submitted), int(bare))
        for unit, start, due, on_time, submitted, bare in fetched
        if int(submitted) or int(on_time) or int(bare)
    }


def unchanged_rows(part: Part) -> dict[int, int]:
    """Per reporting unit of the slice (or `part.unit_id` alone): its unchanged pairs."""
    slots, params = _slot_parts(part, by_period=False)
    n = UNCHANGED_PERIODS
    sql = _UNCHANGED_SQL.format(tail=f"s.reported = 1 AND s.newest <= {n}", n=n, slots=slots)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {unit: int(stuck) for unit, stuck in cursor.fetchall() if int(stuck)}


def task_rows(
    part: Part,
) -> tuple[dict[TaskKey, TaskValue], dict[MapKey, MapValue], dict[LightKey, date | None]]:
    """The slice's issued tasks per scope unit by status, light, frequency, start and
    deadline (with their lights' actual progress), per scope unit and map area, and those
    with a red or yellow light per scope unit (with their deadline, for the lists)."""
    tasks = issued_tasks(part.plan_id, part.year)
    facts = tasks.order_by().values_list(
        "pk",
        "status",
        "light__light",
        "annual_list__frequency",
        "start",
        "deadline",
        "light__actual",
        "light__computed_on",
    )
    scopes, areas = _task_scopes(tasks)
    rows: dict[TaskKey, TaskValue] = {}
    maps: dict[MapKey, MapValue] = {}
    lights: dict[LightKey, date | None] = {}
    for pk, status, light, frequency, start, deadline, actual, on in facts:
        for unit in (None, *scopes.get(pk, ())):
            if light in LISTED_LIGHTS:
                lights[(unit, light, pk)] = deadline
            key = (unit, status, light or "", frequency, start, deadline)
            n, total, counted, latest = rows.get(key, (0, Decimal(0), 0, None))
            if on is not None and (latest is None or on > latest):
                latest = on
            if actual is not None:
                total, counted = total + actual, counted + 1
            rows[key] = (n + 1, total, counted, latest)
            for area in areas.get(pk, ()):
                seen, done = maps.get((unit, area), (0, 0))
                maps[(unit, area)] = (seen + 1, done + (status == TaskStatus.COMPLETED))
    return rows, maps, lights


def slot_rows(part: Part) -> dict[SlotKey, int]:
    """The slice's (task, reporting unit) pairs per unit, frequency, start and deadline."""
    scored = _Scored(Plan(pk=part.plan_id), None, part.year)
    rows: dict[SlotKey, int] = {}
    for unit, (_year, frequency, start, deadline), n in _slot_groups(scored):
        key = (unit, frequency, start, deadline)
        rows[key] = rows.get(key, 0) + n
    return rows
