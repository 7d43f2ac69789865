"""Writes of the summaries: recompute a slice (or the part of it a write touched) inside the
writer's transaction, rebuild them all, and check them against the raw rows.

Consistency: a refresh first locks its slice's row (SELECT … FOR UPDATE), so two
transactions changing reports of the same plan and year recompute one after the other; under
READ COMMITTED the later one's queries see the earlier one's committed reports. SQLite has a
single writer anyway."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.reports.health import HealthSummary
from planwatch.rollups.compute import (
    UNCHANGED_PERIODS,
    LightKey,
    Part,
    health_rows,
    slot_rows,
    task_rows,
    trend_rows,
    unchanged_rows,
)
from planwatch.rollups.models import (
    HealthRollup,
    LightRollup,
    MapRollup,
    RollupSlice,
    SlotRollup,
    TaskRollup,
    TrendRollup,
    UnchangedRollup,
)
from planwatch.rollups.selectors import health_counts, slot_groups
from planwatch.tasks.models import Task


def _lock_slice(plan_id: int, year: int) -> None:
    RollupSlice.objects.bulk_create(
        [RollupSlice(plan_id=plan_id, year=year)], ignore_conflicts=True
    )
    RollupSlice.objects.select_for_update().filter(plan_id=plan_id, year=year).update(
        refreshed_at=timezone.now()
    )


def _where(part: Part, *, period: bool, unit: bool) -> Q:
    q = Q(plan_id=part.plan_id, year=part.year)
    if period and part.period_start is not None:
        q &= Q(period_start=part.period_start)
    if unit and part.unit_id is not None:
        q &= Q(unit_id=part.unit_id)
    return q


def rollup_refresh(part: Part, *, reports: bool = True) -> None:
    """Recompute the summaries of `part` from the raw rows (in the caller's transaction):
    the task summaries when it is a whole slice, the report summaries unless `reports` is
    false (a change of lights alone)."""
    if not Plan.objects.filter(pk=part.plan_id).exists():
        return  # the plan is being deleted: its summaries go with it (CASCADE)
    with transaction.atomic():
        _lock_slice(part.plan_id, part.year)
        if part.period_start is None:
            _refresh_tasks(part)
        if reports:
            _refresh_reports(part)


def _refresh_tasks(part: Part) -> None:
    where = Q(plan_id=part.plan_id, year=part.year)
    TaskRollup.objects.filter(where).delete()
    MapRollup.objects.filter(where).delete()
    LightRollup.objects.filter(where).delete()
    SlotRollup.objects.filter(where).delete()
    SlotRollup.objects.bulk_create(
        (
            SlotRollup(
                plan_id=part.plan_id,
                year=part.year,
                unit_id=unit,
                frequency=frequency,
                start=start,
                deadline=deadline,
                pairs=n,
            )
            for (unit, frequency, start, deadline), n in slot_rows(part).items()
        ),
        batch_size=2000,
    )
    rows, maps, lights = task_rows(part)
    _store_lights(part, lights)
    TaskRollup.objects.bulk_create(
        (
            TaskRollup(
                plan_id=part.plan_id,
                year=part.year,
                unit_id=unit,
                status=status,
                light=light,
                frequency=frequency,
                start=start,
                deadline=deadline,
                tasks=n,
                actual_sum=total,
                actual_n=counted,
                lights_on=on,
            )
            for (unit, status, light, frequency, start, deadline), (n, total, counted, on) in (
                rows.items()
            )
        ),
        batch_size=2000,
    )
    MapRollup.objects.bulk_create(
        (
            MapRollup(
                plan_id=part.plan_id,
                year=part.year,
                unit_id=unit,
                area_id=area,
                tasks=n,
                completed=done,
            )
            for (unit, area), (n, done) in maps.items()
        ),
        batch_size=2000,
    )


def _store_lights(part: Part, lights: dict[LightKey, date | None]) -> None:
    LightRollup.objects.bulk_create(
        (
            LightRollup(
                plan_id=part.plan_id,
                year=part.year,
                unit_id=unit,
                light=light,
                deadline=deadline,
                task_id=task_id,
            )
            for (unit, light, task_id), deadline in lights.items()
        ),
        batch_size=2000,
    )


def rollup_fill_lights() -> int:
    """Write the light-list rows of every slice from the tasks (the migration that added
    them, on a database whose other summaries are already current); the number of slices."""
    done = 0
    for plan_id, year in slices():
        part = Part(plan_id, year)
        with transaction.atomic():
            _lock_slice(plan_id, year)
            LightRollup.objects.filter(plan_id=plan_id, year=year).delete()
            _store_lights(part, task_rows(part)[2])
        done += 1
    return done


def _refresh_reports(part: Part) -> None:
    # The trend is per scope unit, not per reporting unit: its whole period is redone.
    TrendRollup.objects.filter(_where(part, period=True, unit=False)).delete()
    TrendRollup.objects.bulk_create(_trend_objects(part), batch_size=2000)
    HealthRollup.objects.filter(_where(part, period=True, unit=True)).delete()
    HealthRollup.objects.bulk_create(_health_objects(part), batch_size=2000)
    # A pair's unchanged flag reads all its periods: that unit's pairs are redone whole.
    UnchangedRollup.objects.filter(_where(part, period=False, unit=True)).delete()
    UnchangedRollup.objects.bulk_create(_unchanged_objects(part), batch_size=2000)


def _trend_objects(part: Part) -> list[TrendRollup]:
    return [
        TrendRollup(
            plan_id=part.plan_id,
            year=part.year,
            unit_id=unit,
            period_start=start,
            period_end=end,
            completion_sum=total,
            reports=n,
            last_accepted=last,
        )
        for (unit, start, end), (total, n, last) in trend_rows(part).items()
    ]


def _health_objects(part: Part) -> list[HealthRollup]:
    return [
        HealthRollup(
            plan_id=part.plan_id,
            year=part.year,
            unit_id=unit,
            period_start=start,
            due=due,
            on_time=on_time,
            submitted=submitted,
            without_evidence=bare,
        )
        for (unit, start, due), (on_time, submitted, bare) in health_rows(part).items()
    ]


def _unchanged_objects(part: Part) -> list[UnchangedRollup]:
    return [
        UnchangedRollup(plan_id=part.plan_id, year=part.year, unit_id=unit, pairs=n)
        for unit, n in unchanged_rows(part).items()
    ]


def rollup_refresh_receiver(
    *,
    plan_id: int,
    year: int,
    period_start: date | None = None,
    unit_id: int | None = None,
    tasks_only: bool = False,
    **_: Any,
) -> None:
    """core.hooks.figures_changed: a write changed tasks or reports of the slice. A report's
    write names its period and unit: only the trend of that period, that unit's health
    slots of that period and that unit's unchanged pairs are recomputed."""
    if period_start is None:
        unit_id = None  # a task-level change touches every unit of the slice
    rollup_refresh(Part(plan_id, year, period_start, unit_id), reports=not tasks_only)


def slices() -> list[tuple[int, int]]:
    """Every (plan, year) that has tasks or stored summaries."""
    found = set(Task.objects.order_by().values_list("plan_id", "year").distinct())
    models = (RollupSlice, TrendRollup, HealthRollup, UnchangedRollup, TaskRollup, MapRollup)
    for model in (*models, SlotRollup, LightRollup):
        found |= set(model.objects.order_by().values_list("plan_id", "year").distinct())
    return sorted(found)


def rollup_rebuild(*, only: Iterable[tuple[int, int]] | None = None) -> int:
    """Recompute every slice (or `only` those) from the raw rows; the number recomputed.
    Used after bulk writes that bypass the services (the demo, the benchmark's COPY)."""
    done = 0
    for plan_id, year in only if only is not None else slices():
        with transaction.atomic():
            rollup_refresh(Part(plan_id, year))
        done += 1
    return done


def rollup_check() -> tuple[int, list[str]]:
    """Recompute every slice from the raw rows and compare: (slices checked, differences,
    each named by table, plan, year, unit and period)."""
    problems: list[str] = []
    checked = 0
    names = dict(OrgUnit.objects.values_list("pk", "code"))
    for plan_id, year in slices():
        checked += 1
        part = Part(plan_id, year)
        problems += _compare("trend", part, _stored_trend(part), trend_rows(part), names)
        problems += _compare("health", part, _stored_health(part), health_rows(part), names)
        stored_unchanged = dict(
            UnchangedRollup.objects.filter(plan_id=plan_id, year=year).values_list(
                "unit_id", "pairs"
            )
        )
        problems += _compare("unchanged", part, stored_unchanged, unchanged_rows(part), names)
        fresh_tasks, fresh_maps, fresh_lights = task_rows(part)
        problems += _compare("tasks", part, _stored_tasks(part), fresh_tasks, names)
        problems += _compare("map", part, _stored_maps(part), fresh_maps, names)
        problems += _compare("lights", part, _stored_lights(part), fresh_lights, names)
        problems += _compare("slots", part, _stored_slots(part), slot_rows(part), names)
    return checked, problems


def _stored_trend(part: Part) -> dict[Any, Any]:
    rows = TrendRollup.objects.filter(plan_id=part.plan_id, year=part.year)
    return {
        (r.unit_id, r.period_start, r.period_end): (r.completion_sum, r.reports, r.last_accepted)
        for r in rows
    }


def _stored_tasks(part: Part) -> dict[Any, Any]:
    rows = TaskRollup.objects.filter(plan_id=part.plan_id, year=part.year)
    return {
        (r.unit_id, r.status, r.light, r.frequency, r.start, r.deadline): (
            r.tasks,
            r.actual_sum,
            r.actual_n,
            r.lights_on,
        )
        for r in rows
    }


def _stored_slots(part: Part) -> dict[Any, Any]:
    rows = SlotRollup.objects.filter(plan_id=part.plan_id, year=part.year)
    return {(r.unit_id, r.frequency, r.start, r.deadline): r.pairs for r in rows}


def _stored_maps(part: Part) -> dict[Any, Any]:
    rows = MapRollup.objects.filter(plan_id=part.plan_id, year=part.year)
    return {(r.unit_id, r.area_id): (r.tasks, r.completed) for r in rows}


def _stored_lights(part: Part) -> dict[Any, Any]:
    rows = LightRollup.objects.filter(plan_id=part.plan_id, year=part.year)
    return {(r.unit_id, r.light, r.task_id): r.deadline for r in rows}


def _stored_health(part: Part) -> dict[Any, Any]:
    rows = HealthRollup.objects.filter(plan_id=part.plan_id, year=part.year)
    return {
        (r.unit_id, r.period_start, r.due): (r.on_time, r.submitted, r.without_evidence)
        for r in rows
    }


def _compare(
    table: str, part: Part, stored: dict[Any, Any], fresh: dict[Any, Any], names: dict[int, str]
) -> list[str]:
    out = []
    for key in sorted(set(stored) | set(fresh), key=str):
        if stored.get(key) != fresh.get(key):
            unit, *rest = key if isinstance(key, tuple) else (key,)
            where = " ".join(str(x) for x in rest)
            out.append(
                f"{table}: plan {part.plan_id} year {part.year} unit "
                f"{names.get(unit, '(all)') if unit is not None else '(all)'} {where}".rstrip()
                + f": stored {stored.get(key)}, recomputed {fresh.get(key)}"
            )
    return out


def health_summary_receiver(
    *, plan: Plan | None, today: date, unchanged_periods: int, **_: Any
) -> HealthSummary | None:
    """core.hooks.health_summary: the slot groups and report counts of the health table from
    the summaries (None when the rule asked for is not the summaries' own)."""
    if unchanged_periods != UNCHANGED_PERIODS:
        return None
    return {"slots": slot_groups(plan=plan), "counts": health_counts(plan=plan, today=today)}
