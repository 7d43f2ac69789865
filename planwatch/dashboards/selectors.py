"""Reads behind the dashboards. Every figure is aggregated in the database (GROUP BY over
the tasks of a scope), so a page costs a fixed number of queries whatever the number of
tasks; Python only loops over the few groups that come back (lights, statuses, periods,
units).

A dashboard's tasks are the issued tasks (active or completed, of a list issued at least
once) of its scope, intersected with what the viewer may see:

- province: every task;
- zone: the tasks of the zone's plans;
- prefecture, department: tasks whose lead or responsible unit is the unit or lies below it;
- plan: the plan's tasks.

A dashboard shows one year (`year`: by default the current year, or the latest year before
it that has tasks) and one reporting period of it (`period`: by default the latest one
ended). Its figures are as of `as_of`: the last time a report of the scope was accepted;
lights say when they were computed (`lights_on`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Avg, Count, Max, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role, role_paths, units_for
from planwatch.core.models import DemoMarker
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.projects.selectors import ProjectsPanel, projects_panel
from planwatch.reports.choices import ReportStatus
from planwatch.reports.health import UnitHealth, reporting_health_for
from planwatch.reports.models import ProgressReport
from planwatch.reports.periods import Period, periods_for
from planwatch.rollups.selectors import (
    TaskGroup,
    area_counts,
    light_list_ids,
    scope_plan_ids,
    task_groups_by_year,
    trend_sums,
)
from planwatch.supervision.choices import Light
from planwatch.supervision.lights import expected_progress
from planwatch.tasks.choices import ReportingFrequency, TaskStatus
from planwatch.tasks.models import Task
from planwatch.tasks.permissions import visible_tasks_q

LIGHT_ORDER = (Light.GREEN, Light.BLUE, Light.YELLOW, Light.RED)
LIST_LIMIT = 50
NO_LIGHT = "none"
DASHBOARD_ROLES = (Role.PLANNER, Role.LEADER)
HEALTH_SUMS = ("pairs", "due", "on_time", "late", "missing", "without_evidence", "unchanged")


@dataclass(frozen=True)
class Scope:
    """What a dashboard covers: a unit (province, zone, prefecture, department) or a plan."""

    kind: str  # "province", "zone", "prefecture", "department" or "plan"
    title: str
    unit: OrgUnit | None = None
    plan: Plan | None = None

    @property
    def owner_unit(self) -> OrgUnit | None:
        """The unit whose planners and leaders may see the dashboard."""
        return self.plan.org_unit if self.plan is not None else self.unit


@dataclass
class Count_:
    key: str
    label: str
    count: int


@dataclass
class TrendPoint:
    """One reporting period of the year: the mean cumulative completion reported for it
    (current, submitted reports; None when none was), and 序时进度, the mean share of
    their time the year's tasks have used by the period's end."""

    label: str
    average: float | None
    reports: int
    expected: float | None = None
    end: date | None = None


@dataclass
class MapValue:
    adcode: str
    name: str
    tasks: int
    completed: int
    code: str = ""
    path: str = ""
    url: str = ""  # the unit's dashboard, when the viewer may open it (set by the view)

    @property
    def rate(self) -> float | None:
        return round(100 * self.completed / self.tasks, 1) if self.tasks else None


@dataclass
class Dashboard:
    scope: Scope
    total: int
    completed: int
    average_progress: float | None
    by_status: list[Count_]
    by_light: list[Count_]
    yellow: list[LightRow]
    red: list[LightRow]
    trend: list[TrendPoint]
    prefectures: list[MapValue]
    has_demo: bool
    light_counts: dict[str, int] = field(default_factory=dict)
    year: int | None = None
    years: list[int] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)
    period: Period | None = None
    as_of: date | None = None  # the latest acceptance of a report of the scope
    lights_on: date | None = None  # when the lights were last computed
    children: list[MapValue] = field(default_factory=list)  # a prefecture's counties

    @property
    def scope_code(self) -> str:
        return self.scope.unit.code if self.scope.unit is not None else ""

    @property
    def period_point(self) -> TrendPoint | None:
        if self.period is None:
            return None
        return next((p for p in self.trend if p.label == self.period.label), None)

    @property
    def completion_rate(self) -> float | None:
        return round(100 * self.completed / self.total, 1) if self.total else None


def scope_tasks(*, user: Any, scope: Scope, year: int | None = None) -> QuerySet[Task]:
    """The issued tasks of `scope` (of `year`, if given) that `user` may see (one query when
    evaluated; a subquery when filtered on)."""
    qs = Task.objects.filter(
        annual_list__issued_number__gte=1, status__in=(TaskStatus.ACTIVE, TaskStatus.COMPLETED)
    )
    if year is not None:
        qs = qs.filter(year=year)
    if scope.plan is not None:
        qs = qs.filter(plan=scope.plan)
    elif scope.unit is not None and scope.kind == OrgUnitKind.ZONE:
        qs = qs.filter(plan__org_unit=scope.unit)
    elif scope.unit is not None and scope.kind != OrgUnitKind.PROVINCE:
        # The units under the scope as a list of ids (a dozen): PostgreSQL then reads their
        # links by index, where a join on the path made it scan every link.
        units = list(
            OrgUnit.objects.filter(path__startswith=scope.unit.path).values_list("pk", flat=True)
        )
        through = Task.responsible_units.through
        inside = through.objects.filter(orgunit_id__in=units)
        qs = qs.filter(Q(pk__in=inside.values("task_id")) | Q(lead_unit_id__in=units))
    if not sees_every_scope_task(user, scope):
        qs = qs.filter(pk__in=Task.objects.filter(visible_tasks_q(user)).values("pk"))
    return qs


def sees_every_issued_task(user: Any) -> bool:
    """A superuser, or a planner or leader of the whole province: every issued task is
    visible to them (tasks.permissions.visible_tasks_q), so the costly visibility subquery
    is skipped."""
    if getattr(user, "is_superuser", False):
        return True
    return any(path.count("/") <= 2 for role in DASHBOARD_ROLES for path in role_paths(user, role))


def sees_every_scope_task(user: Any, scope: Scope) -> bool:
    """Whether `user` may see every issued task of `scope` (tasks.permissions.
    visible_tasks_q), so that the visibility subquery is a no-op and the scope's figures may
    be read from the summaries (planwatch.rollups), which count every issued task:

    - a province-level planner or leader, a superuser (`sees_every_issued_task`);
    - a zone's or a plan's dashboard: a planner or leader of the plan's or zone's unit (or
      above it), who sees every task of the plans that unit owns once issued;
    - a prefecture's or department's dashboard: a leader of the unit (or above it), who sees
      every issued task whose lead or responsible unit lies at or below it. A planner there
      sees only the plans of their own units, so their figures stay counted from the rows.
    """
    if sees_every_issued_task(user):
        return True
    if scope.plan is not None or scope.kind == OrgUnitKind.ZONE:
        owner = scope.owner_unit
        return owner is not None and any(has_role(user, role, owner) for role in DASHBOARD_ROLES)
    return scope.unit is not None and has_role(user, Role.LEADER, scope.unit)


def _by_status(tasks: QuerySet[Task]) -> list[Count_]:
    rows = dict(tasks.order_by().values_list("status").annotate(n=Count("pk")))
    return [
        Count_(str(s), str(TaskStatus(s).label), rows.get(s, 0))
        for s in (TaskStatus.ACTIVE, TaskStatus.COMPLETED)
    ]


def _by_light(tasks: QuerySet[Task]) -> list[Count_]:
    return _lights_and_date(tasks)[0]


def _lights_and_date(tasks: QuerySet[Task]) -> tuple[list[Count_], date | None]:
    """Tasks per light, and the day the lights were last computed (one GROUP BY)."""
    grouped = list(
        tasks.order_by()
        .values_list("light__light")
        .annotate(n=Count("pk"), on=Max("light__computed_on"))
    )
    rows = {light: n for light, n, _on in grouped}
    days = [on for _light, _n, on in grouped if on is not None]
    result = [Count_(str(light), str(light.label), rows.get(light, 0)) for light in LIGHT_ORDER]
    result.append(Count_(NO_LIGHT, _("尚未计算"), rows.get(None, 0)))
    return result, max(days, default=None)


@dataclass(frozen=True)
class LightRow:
    """One task of a dashboard's red or yellow list: only what the list shows, with its
    link and label made once here rather than per row in the template."""

    pk: int
    url: str
    label: str  # "2024·7. title" (title cut at 40 characters)
    plan: str  # the plan's title cut at 12 characters
    lead: str
    deadline: date | None
    expected: Decimal
    actual: Decimal


_URL_MARK = 987654321


_LIST_COLUMNS = (
    "pk",
    "year",
    "seq",
    "title",
    "plan__title",
    "lead_unit__name",
    "deadline",
    "light__expected",
    "light__actual",
)


def _light_list(tasks: QuerySet[Task], light: Light) -> list[LightRow]:
    """The first `LIST_LIMIT` tasks of `light`, earliest deadline first: one query reading
    the shown columns only (no model instances, one URL reversal for the whole list)."""
    rows = tasks.filter(light__light=light).order_by("deadline", "pk").values_list(*_LIST_COLUMNS)
    return _light_rows(rows[:LIST_LIMIT])


def _light_rows(rows: Iterable[tuple[Any, ...]]) -> list[LightRow]:
    pattern = reverse("tasks:task_detail", args=[_URL_MARK])
    mark = str(_URL_MARK)
    return [
        LightRow(
            pk=pk,
            url=pattern.replace(mark, str(pk)),
            label=f"{year}·{seq}. {Truncator(title).chars(40)}",
            plan=Truncator(plan or "").chars(12),
            lead=lead or "—",
            deadline=deadline,
            expected=expected,
            actual=actual,
        )
        for pk, year, seq, title, plan, lead, deadline, expected, actual in rows
    ]


def rollup_light_lists(scope: Scope, year: int) -> dict[str, list[LightRow]]:
    """`_light_list` of red and of yellow for a viewer who sees every issued task of the
    scope: each list's 50 tasks are chosen through the light-list summaries' index
    (planwatch.rollups, a subquery limited first) and only their shown columns read — one
    query for both lists (UNION ALL of the two limited subqueries) where the database allows
    a limit inside a compound query (PostgreSQL), else one per list (SQLite). An OR of the two
    subqueries instead made PostgreSQL scan every task."""
    where = _rollup_scope(scope)
    chosen = [
        light_list_ids(year=year, light=light, limit=LIST_LIMIT, **where)
        for light in (Light.RED, Light.YELLOW)
    ]
    if not connection.features.supports_slicing_ordering_in_compound:
        return {
            light: _light_rows(
                Task.objects.filter(pk__in=ids)
                .order_by("deadline", "pk")
                .values_list(*_LIST_COLUMNS)
            )
            for light, ids in zip((Light.RED, Light.YELLOW), chosen, strict=True)
        }
    rows = (
        Task.objects.filter(pk__in=chosen[0].union(chosen[1], all=True))
        .order_by("deadline", "pk")
        .values_list("light__light", *_LIST_COLUMNS)
    )
    split: dict[str, list[tuple[Any, ...]]] = {Light.RED: [], Light.YELLOW: []}
    for light, *row in rows:
        split.setdefault(light, []).append(tuple(row))
    return {light: _light_rows(split[light]) for light in (Light.RED, Light.YELLOW)}


def scope_years(tasks: QuerySet[Task]) -> list[int]:
    """The years that have issued tasks in the scope, latest first."""
    return sorted(set(tasks.order_by().values_list("year", flat=True).distinct()), reverse=True)


def default_year(years: list[int], today: date) -> int:
    """The current year; if it has no tasks, the latest year before it that has (else the
    earliest after it)."""
    if today.year in years or not years:
        return today.year
    past = [y for y in years if y < today.year]
    return max(past) if past else min(years)


def scope_frequency(tasks: QuerySet[Task]) -> str:
    """The reporting frequency of most of the tasks' lists (quarterly when there are none)."""
    row = (
        tasks.order_by()
        .values_list("annual_list__frequency")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    return row[0] if row and row[0] else ReportingFrequency.QUARTERLY


def default_period(periods: list[Period], today: date) -> Period | None:
    """The latest period that has ended by `today` (the first one if none has)."""
    ended = [p for p in periods if p.end < today]
    return ended[-1] if ended else (periods[0] if periods else None)


def expected_by_period(tasks: QuerySet[Task], periods: list[Period]) -> list[float | None]:
    """序时进度 at the end of each period: the mean over the tasks of the share of their time
    (start to deadline) elapsed, from one GROUP BY over (start, deadline)."""
    spans = list(tasks.order_by().values_list("start", "deadline").annotate(n=Count("pk")))
    return expected_from_spans(spans, periods)


Span = tuple[date | None, date | None, int]  # start, deadline, number of tasks


def expected_from_spans(spans: list[Span], periods: list[Period]) -> list[float | None]:
    """`expected_by_period` from the tasks grouped by (start, deadline)."""
    result: list[float | None] = []
    for p in periods:
        weighted = total = 0.0
        for start, deadline, n in spans:
            first, last = start or date(p.end.year, 1, 1), deadline or date(p.end.year, 12, 31)
            weighted += n * float(expected_progress(first, last, p.end))
            total += n
        result.append(round(weighted / total, 1) if total else None)
    return result


def period_trend(
    tasks: QuerySet[Task], *, year: int | None = None, frequency: str | None = None
) -> list[TrendPoint]:
    """Every reporting period of `year` (none missing, with or without reports): the mean
    cumulative completion of the current, submitted reports whose period ends in it (one
    GROUP BY period end; a monthly report counts in the quarter it ends in when the year is
    shown by quarter) against 序时进度. Without `year`, the years of the tasks in turn."""
    return _trend_and_as_of(tasks, year=year, frequency=frequency)[0]


def _trend_and_as_of(
    tasks: QuerySet[Task], *, year: int | None = None, frequency: str | None = None
) -> tuple[list[TrendPoint], date | None]:
    """`period_trend`, and the latest acceptance of a report of the tasks (same query)."""
    frequency = frequency or scope_frequency(tasks)
    years = [year] if year is not None else sorted(scope_years(tasks))
    points: list[TrendPoint] = []
    last: datetime | None = None
    for y in years:
        periods = periods_for(y, frequency)
        rows = (
            ProgressReport.objects.filter(
                task__in=tasks.filter(year=y).values("pk"),
                is_current=True,
                status__in=ReportStatus.REPORTED,
                period_end__year=y,
            )
            .order_by()
            .values_list("period_end")
            .annotate(
                total=Sum("completion"),
                n=Count("pk"),
                last=Max("accepted_at", filter=Q(status=ReportStatus.ACCEPTED)),
            )
        )
        sums: dict[int, tuple[float, int]] = {}
        for end, total, n, accepted in rows:
            slot = next((i for i, p in enumerate(periods) if p.start <= end <= p.end), None)
            if slot is not None:
                before = sums.get(slot, (0.0, 0))
                sums[slot] = (before[0] + float(total or 0), before[1] + n)
            if accepted is not None and (last is None or accepted > last):
                last = accepted
        expected = expected_by_period(tasks.filter(year=y), periods)
        for i, (p, exp) in enumerate(zip(periods, expected, strict=True)):
            total, n = sums.get(i, (0.0, 0))
            average = round(total / n, 1) if n else None
            points.append(TrendPoint(p.label, average, n, exp, p.end))
    return points, (timezone.localdate(last) if last is not None else None)


def _rollup_scope(scope: Scope) -> dict[str, Any]:
    """The summaries' rows of `scope` (the same cases as `scope_tasks`)."""
    if scope.plan is not None:
        return {"plan": scope.plan}
    if scope.unit is not None and scope.kind == OrgUnitKind.ZONE:
        return {"zone": scope.unit}
    if scope.unit is not None and scope.kind != OrgUnitKind.PROVINCE:
        return {"unit": scope.unit}
    return {}


def rollup_trend(
    scope: Scope, spans: list[Span], *, year: int, frequency: str
) -> tuple[list[TrendPoint], date | None]:
    """`_trend_and_as_of` for a viewer who sees every issued task of the scope, read from
    the per-period summaries (planwatch.rollups) instead of the reports: the same figures,
    from a few thousand rows whatever the number of reports."""
    periods = periods_for(year, frequency)
    sums: dict[int, tuple[float, int]] = {}
    last: datetime | None = None
    for end, (summed, n, accepted) in trend_sums(year=year, **_rollup_scope(scope)).items():
        slot = next((i for i, p in enumerate(periods) if p.start <= end <= p.end), None)
        if slot is not None:
            before = sums.get(slot, (0.0, 0))
            sums[slot] = (before[0] + float(summed), before[1] + n)
        if accepted is not None and (last is None or accepted > last):
            last = accepted
    expected = expected_from_spans(spans, periods)
    points = []
    for i, (p, exp) in enumerate(zip(periods, expected, strict=True)):
        total, n = sums.get(i, (0.0, 0))
        points.append(TrendPoint(p.label, round(total / n, 1) if n else None, n, exp, p.end))
    return points, (timezone.localdate(last) if last is not None else None)


def unit_completion(tasks: QuerySet[Task], units: list[OrgUnit]) -> list[MapValue]:
    """For each of `units`: the tasks naming it or a unit below it as responsible, and how
    many of them are completed — each task once, even when it names a prefecture and one of
    its counties. One query over the (task, unit) pairs of the scope, rolled up by path."""
    if not units:
        return []
    through = Task.responsible_units.through
    pairs = (
        through.objects.filter(task__in=tasks.values("pk"))
        .order_by()
        .values_list("task_id", "orgunit__path", "task__status")
        .distinct()
    )
    seen: dict[int, set[int]] = {u.pk: set() for u in units}
    done: dict[int, set[int]] = {u.pk: set() for u in units}
    for task_id, path, status in pairs:
        for u in units:
            if path.startswith(u.path):
                seen[u.pk].add(task_id)
                if status == TaskStatus.COMPLETED:
                    done[u.pk].add(task_id)
    return [
        MapValue(u.adcode or "", u.name, len(seen[u.pk]), len(done[u.pk]), u.code, u.path)
        for u in units
    ]


def map_units(scope: Scope) -> list[OrgUnit]:
    """The units a dashboard's map colours: the prefecture itself on its own dashboard, a
    zone's prefectures on the zone's (or its plan's), every prefecture otherwise."""
    prefectures = OrgUnit.objects.filter(kind=OrgUnitKind.PREFECTURE)
    if scope.kind == OrgUnitKind.PREFECTURE and scope.unit is not None:
        return [scope.unit]
    zone = scope.unit if scope.kind == OrgUnitKind.ZONE else None
    if scope.plan is not None and scope.plan.org_unit is not None:
        zone = scope.plan.org_unit if scope.plan.org_unit.kind == OrgUnitKind.ZONE else None
    if zone is not None:
        inside = list(prefectures.filter(path__startswith=zone.path).order_by("adcode"))
        if inside:
            return inside
    return list(prefectures.order_by("adcode"))


def scope_has_demo(tasks: QuerySet[Task]) -> bool:
    """Whether any task of the scope was created by `planwatch demo`."""
    ct = ContentType.objects.get_for_model(Task)
    return DemoMarker.objects.filter(content_type=ct, object_id__in=tasks.values("pk")).exists()


@dataclass
class TaskFigures:
    """What a dashboard shows of its tasks of one year (not of their reports), counted from
    the tasks or read from the summaries."""

    by_status: list[Count_]
    by_light: list[Count_]
    lights_on: date | None
    average_progress: float | None
    frequency: str
    spans: list[Span]


def figures_from_tasks(tasks: QuerySet[Task]) -> TaskFigures:
    """The figures counted from the tasks (a viewer who sees only some of the scope's)."""
    by_light, lights_on = _lights_and_date(tasks)
    avg = tasks.aggregate(avg=Avg("light__actual"))["avg"]
    spans = list(tasks.order_by().values_list("start", "deadline").annotate(n=Count("pk")))
    return TaskFigures(
        by_status=_by_status(tasks),
        by_light=by_light,
        lights_on=lights_on,
        average_progress=round(float(avg), 1) if isinstance(avg, Decimal | float) else None,
        frequency=scope_frequency(tasks),
        spans=spans,
    )


def figures_from_groups(groups: list[TaskGroup]) -> TaskFigures:
    """The same figures from the summaries' task groups (planwatch.rollups)."""
    status: dict[str, int] = {}
    light: dict[str, int] = {}
    frequency: dict[str, int] = {}
    spans: dict[tuple[date | None, date | None], int] = {}
    total, counted = Decimal(0), 0
    for g in groups:
        status[g.status] = status.get(g.status, 0) + g.tasks
        light[g.light] = light.get(g.light, 0) + g.tasks
        frequency[g.frequency] = frequency.get(g.frequency, 0) + g.tasks
        spans[(g.start, g.deadline)] = spans.get((g.start, g.deadline), 0) + g.tasks
        total, counted = total + g.actual_sum, counted + g.actual_n
    by_light = [Count_(str(lt), str(lt.label), light.get(lt, 0)) for lt in LIGHT_ORDER]
    by_light.append(Count_(NO_LIGHT, _("尚未计算"), light.get("", 0)))
    return TaskFigures(
        by_status=[
            Count_(str(s), str(TaskStatus(s).label), status.get(s, 0))
            for s in (TaskStatus.ACTIVE, TaskStatus.COMPLETED)
        ],
        by_light=by_light,
        lights_on=max((g.lights_on for g in groups if g.lights_on), default=None),
        average_progress=round(float(total / counted), 1) if counted else None,
        frequency=(
            max(frequency, key=lambda f: frequency[f])
            if frequency
            else ReportingFrequency.QUARTERLY
        ),
        spans=[(start, end, n) for (start, end), n in spans.items()],
    )


def rollup_completion(scope: Scope, year: int, units: list[OrgUnit]) -> list[MapValue]:
    """`unit_completion` read from the summaries."""
    counts = area_counts(year=year, areas=units, **_rollup_scope(scope))
    return [
        MapValue(u.adcode or "", u.name, *counts.get(u.pk, (0, 0)), u.code, u.path) for u in units
    ]


def dashboard_for(
    *,
    user: Any,
    scope: Scope,
    year: int | None = None,
    period: str | None = None,
    today: date | None = None,
) -> Dashboard:
    """Every figure of a dashboard for one year and period (the reporting-health table is
    `health_for`). `year` None is the default year (`default_year`); an unknown `period`
    label is the default period.

    A viewer who sees every issued task of the scope (`sees_every_scope_task`: a province
    planner or leader, a superuser, a zone's planner or leader on its zone's and plans'
    dashboards, a unit's leader on its dashboard) gets the figures from the per-period
    summaries (planwatch.rollups, decision record 0029): the same figures, read from a few
    thousand rows at any number of reports.
    Anyone else's are counted from the tasks and reports they may see."""
    today = today or timezone.localdate()
    every = scope_tasks(user=user, scope=scope)
    summary = sees_every_scope_task(user, scope)
    where = _rollup_scope(scope)
    by_year = task_groups_by_year(**where) if summary else {}
    years = sorted(by_year, reverse=True) if summary else scope_years(every)
    year = year if year is not None else default_year(years, today)
    if year not in years:
        years = sorted({*years, year}, reverse=True)
    tasks = every.filter(year=year)
    figures = figures_from_groups(by_year.get(year, [])) if summary else figures_from_tasks(tasks)
    periods = periods_for(year, figures.frequency)
    chosen = next((p for p in periods if p.label == period), None) or default_period(periods, today)
    if summary:
        trend, as_of = rollup_trend(scope, figures.spans, year=year, frequency=figures.frequency)
    else:
        trend, as_of = _trend_and_as_of(tasks, year=year, frequency=figures.frequency)

    def completion(units: list[OrgUnit]) -> list[MapValue]:
        if summary:
            return rollup_completion(scope, year, units)
        return unit_completion(tasks, units)

    children: list[MapValue] = []
    if scope.kind == OrgUnitKind.PREFECTURE and scope.unit is not None:
        counties = OrgUnit.objects.filter(parent=scope.unit).order_by("sort_order", "path")
        children = completion(list(counties))
    if summary:
        lists = rollup_light_lists(scope, year)
    else:
        lists = {light: _light_list(tasks, light) for light in (Light.RED, Light.YELLOW)}
    completed = next(c.count for c in figures.by_status if c.key == TaskStatus.COMPLETED)
    return Dashboard(
        scope=scope,
        total=sum(c.count for c in figures.by_status),
        completed=completed,
        average_progress=figures.average_progress,
        by_status=figures.by_status,
        by_light=figures.by_light,
        yellow=lists[Light.YELLOW],
        red=lists[Light.RED],
        trend=trend,
        prefectures=completion(map_units(scope)),
        has_demo=scope_has_demo(tasks),
        light_counts={c.key: c.count for c in figures.by_light},
        year=year,
        years=years,
        periods=periods,
        period=chosen,
        as_of=as_of,
        lights_on=figures.lights_on,
        children=children,
    )


def health_for(*, user: Any, scope: Scope, today: date) -> list[UnitHealth]:
    """The reporting-health table (planwatch.reports.health) of the units in `scope`.

    The table is built per plan holding tasks of the scope (a prefecture's tasks usually lie
    in its zone's plan alone), so a prefecture does not walk the whole province; rows of one
    unit from several plans are added up (every figure is a sum over report slots)."""
    if scope.plan is not None or scope.unit is None or scope.kind == OrgUnitKind.PROVINCE:
        return reporting_health_for(user=user, today=today, plan=scope.plan)
    plan_ids: Any = scope_tasks(user=user, scope=scope).order_by().values("plan_id").distinct()
    if sees_every_scope_task(user, scope):
        plan_ids = scope_plan_ids(**_rollup_scope(scope))
    merged: dict[int, UnitHealth] = {}
    for plan in Plan.objects.filter(pk__in=plan_ids).order_by("pk"):
        for row in reporting_health_for(user=user, today=today, plan=plan):
            if scope.kind != OrgUnitKind.ZONE and not row.unit.path.startswith(scope.unit.path):
                continue
            total = merged.setdefault(row.unit.pk, UnitHealth(row.unit))
            for name in HEALTH_SUMS:
                setattr(total, name, getattr(total, name) + getattr(row, name))
            total.demo = total.demo or row.demo
    return sorted(merged.values(), key=lambda h: (h.score is None, h.score or 0, h.unit.path))


@dataclass
class Directory:
    """The dashboards a viewer may open, for the index page."""

    province: bool
    zones: list[OrgUnit]
    prefectures: list[OrgUnit]
    departments: list[OrgUnit]
    plans: list[Plan]

    @property
    def empty(self) -> bool:
        return not (
            self.province or self.zones or self.prefectures or self.departments or self.plans
        )


def directory_for(*, user: Any) -> Directory:
    """Units and plans whose dashboards `user` (a planner or leader) may open."""

    units = (units_for(user, Role.PLANNER) | units_for(user, Role.LEADER)).distinct()
    kinds = (OrgUnitKind.PROVINCE, OrgUnitKind.ZONE, OrgUnitKind.PREFECTURE)
    listed = list(units.filter(kind__in=(*kinds, OrgUnitKind.DEPARTMENT)).order_by("path"))
    zone_ids = [u.pk for u in listed if u.kind in (OrgUnitKind.ZONE, OrgUnitKind.PROVINCE)]
    is_province = any(u.kind == OrgUnitKind.PROVINCE for u in listed)
    plans = Plan.objects.filter(org_unit__in=zone_ids)
    if is_province:
        plans = Plan.objects.filter(Q(org_unit__in=zone_ids) | Q(org_unit__isnull=True))
    return Directory(
        province=is_province,
        zones=[u for u in listed if u.kind == OrgUnitKind.ZONE],
        prefectures=[u for u in listed if u.kind == OrgUnitKind.PREFECTURE],
        departments=[u for u in listed if u.kind == OrgUnitKind.DEPARTMENT],
        plans=list(plans.order_by("pk")),
    )


def map_payload(board: Dashboard) -> dict[str, Any]:
    """The figures the charts draw (passed to charts.js through json_script)."""
    return {
        "status": [{"key": c.key, "name": c.label, "value": c.count} for c in board.by_status],
        "lights": [{"key": c.key, "name": c.label, "value": c.count} for c in board.by_light],
        "trend": {
            "labels": [p.label for p in board.trend],
            "values": [p.average for p in board.trend],
            "expected": [p.expected for p in board.trend],
            "reports": [p.reports for p in board.trend],
            "current": board.period.label if board.period else None,
        },
        "prefectures": [
            {
                "adcode": v.adcode,
                "name": v.name,
                "value": v.rate,
                "tasks": v.tasks,
                "url": v.url,
            }
            for v in board.prefectures
        ],
        "labels": {
            "trend": _("平均累计完成进度（%）"),
            "expected": _("序时进度（%）"),
            "rate": _("完成率（%）"),
            "tasks": _("任务数"),
            "nodata": _("无任务"),
        },
    }


def panel_month(year: int, today: date) -> int:
    """The month a dashboard's projects panel shows for `year`: the last month ended by
    `today` (December for a past year, January for a year not yet begun)."""
    if year < today.year:
        return 12
    if year > today.year:
        return 1
    return max(today.month - 1, 1)


PANEL_KINDS = (OrgUnitKind.PROVINCE, OrgUnitKind.ZONE)


def projects_panel_for(*, user: Any, scope: Scope, year: int, today: date) -> ProjectsPanel | None:
    """The major-projects panel of a province or zone dashboard for `year` (None on the
    other dashboards)."""
    if scope.kind not in PANEL_KINDS:
        return None
    place = scope.unit if scope.kind == OrgUnitKind.ZONE else None
    return projects_panel(user=user, place=place, year=year, month=panel_month(year, today))


def projects_chart(panel: ProjectsPanel) -> dict[str, Any]:
    """The figures of the panel's plan-against-actual chart (charts.js)."""
    return {
        "months": [_("%(m)s月") % {"m": i} for i in range(1, 13)],
        "plan": panel.plan_by_month,
        "actual": panel.actual_by_month,
        "labels": {
            "plan": _("计划投资（累计，万元）"),
            "actual": _("完成投资（累计，万元）"),
        },
    }
