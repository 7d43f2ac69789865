"""Reads behind the dashboards. Every figure is aggregated in the database (GROUP BY over
the tasks of a scope), so a page costs a fixed number of queries whatever the number of
tasks; Python only loops over the few groups that come back (lights, statuses, periods,
units).

A dashboard's tasks are the issued tasks (active or completed, of a list issued at least
once) of its scope, intersected with what the viewer may see:

- province: every task;
- zone: the tasks of the zone's plans;
- prefecture, department: tasks whose lead or responsible unit is the unit or lies below it;
- plan: the plan's tasks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count, Q, QuerySet
from django.utils.translation import gettext as _

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import role_paths, units_for
from planwatch.core.models import DemoMarker
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.reports.choices import ReportStatus
from planwatch.reports.health import UnitHealth, reporting_health_for
from planwatch.reports.models import ProgressReport
from planwatch.supervision.choices import Light
from planwatch.tasks.choices import TaskStatus
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
    label: str
    average: float
    reports: int


@dataclass
class MapValue:
    adcode: str
    name: str
    tasks: int
    completed: int

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
    yellow: list[Task]
    red: list[Task]
    trend: list[TrendPoint]
    prefectures: list[MapValue]
    has_demo: bool
    light_counts: dict[str, int] = field(default_factory=dict)

    @property
    def completion_rate(self) -> float | None:
        return round(100 * self.completed / self.total, 1) if self.total else None


def scope_tasks(*, user: Any, scope: Scope) -> QuerySet[Task]:
    """The issued tasks of `scope` that `user` may see (one query when evaluated; a
    subquery when filtered on)."""
    qs = Task.objects.filter(
        annual_list__issued_number__gte=1, status__in=(TaskStatus.ACTIVE, TaskStatus.COMPLETED)
    )
    if scope.plan is not None:
        qs = qs.filter(plan=scope.plan)
    elif scope.unit is not None and scope.kind == OrgUnitKind.ZONE:
        qs = qs.filter(plan__org_unit=scope.unit)
    elif scope.unit is not None and scope.kind != OrgUnitKind.PROVINCE:
        through = Task.responsible_units.through
        inside = through.objects.filter(orgunit__path__startswith=scope.unit.path)
        qs = qs.filter(
            Q(pk__in=inside.values("task_id")) | Q(lead_unit__path__startswith=scope.unit.path)
        )
    if not sees_every_issued_task(user):
        qs = qs.filter(pk__in=Task.objects.filter(visible_tasks_q(user)).values("pk"))
    return qs


def sees_every_issued_task(user: Any) -> bool:
    """A superuser, or a planner or leader of the whole province: every issued task is
    visible to them (tasks.permissions.visible_tasks_q), so the costly visibility subquery
    is skipped."""
    if getattr(user, "is_superuser", False):
        return True
    return any(path.count("/") <= 2 for role in DASHBOARD_ROLES for path in role_paths(user, role))


def _by_status(tasks: QuerySet[Task]) -> list[Count_]:
    rows = dict(tasks.order_by().values_list("status").annotate(n=Count("pk")))
    return [
        Count_(str(s), str(TaskStatus(s).label), rows.get(s, 0))
        for s in (TaskStatus.ACTIVE, TaskStatus.COMPLETED)
    ]


def _by_light(tasks: QuerySet[Task]) -> list[Count_]:
    rows = dict(tasks.order_by().values_list("light__light").annotate(n=Count("pk")))
    result = [Count_(str(light), str(light.label), rows.get(light, 0)) for light in LIGHT_ORDER]
    result.append(Count_(NO_LIGHT, _("尚未计算"), rows.get(None, 0)))
    return result


def _light_list(tasks: QuerySet[Task], light: Light) -> list[Task]:
    return list(
        tasks.filter(light__light=light)
        .select_related("plan", "lead_unit", "light")
        .order_by("deadline", "pk")[:LIST_LIMIT]
    )


def period_trend(tasks: QuerySet[Task]) -> list[TrendPoint]:
    """Mean reported completion (current, submitted reports) per reporting period."""
    rows = (
        ProgressReport.objects.filter(
            task__in=tasks.values("pk"), is_current=True, status__in=ReportStatus.REPORTED
        )
        .order_by()
        .values_list("period_start", "period_label")
        .annotate(avg=Avg("completion"), n=Count("pk"))
        .order_by("period_start", "period_label")
    )
    return [TrendPoint(label, round(float(avg or 0), 1), n) for _start, label, avg, n in rows]


def prefecture_completion(tasks: QuerySet[Task]) -> list[MapValue]:
    """Tasks and completed tasks per prefecture (its own and its counties' responsibilities),
    for the map. A task naming a prefecture and one of its counties counts twice there."""
    through = Task.responsible_units.through
    rows = (
        through.objects.filter(task__in=tasks.values("pk"))
        .order_by()
        .values_list("orgunit_id")
        .annotate(
            n=Count("task_id"), done=Count("task_id", filter=Q(task__status=TaskStatus.COMPLETED))
        )
    )
    per_unit = {unit_id: (n, done) for unit_id, n, done in rows}
    units = OrgUnit.objects.filter(
        kind__in=(OrgUnitKind.PREFECTURE, OrgUnitKind.COUNTY)
    ).values_list("pk", "kind", "parent_id", "adcode", "name", "sort_order", "path")
    prefectures: dict[int, MapValue] = {}
    parents: dict[int, int | None] = {}
    for pk, kind, parent_id, adcode, name, _order, _path in units:
        if kind == OrgUnitKind.PREFECTURE:
            prefectures[pk] = MapValue(adcode or "", name, 0, 0)
        else:
            parents[pk] = parent_id
    for unit_id, (n, done) in per_unit.items():
        target = unit_id if unit_id in prefectures else parents.get(unit_id)
        if target is not None and target in prefectures:
            prefectures[target].tasks += n
            prefectures[target].completed += done
    return sorted(prefectures.values(), key=lambda v: v.adcode)


def scope_has_demo(tasks: QuerySet[Task]) -> bool:
    """Whether any task of the scope was created by `planwatch demo`."""
    ct = ContentType.objects.get_for_model(Task)
    return DemoMarker.objects.filter(content_type=ct, object_id__in=tasks.values("pk")).exists()


def dashboard_for(*, user: Any, scope: Scope) -> Dashboard:
    """Every figure of a dashboard (the reporting-health table is `health_for`)."""
    tasks = scope_tasks(user=user, scope=scope)
    by_status = _by_status(tasks)
    by_light = _by_light(tasks)
    avg = tasks.aggregate(avg=Avg("light__actual"))["avg"]
    completed = next(c.count for c in by_status if c.key == TaskStatus.COMPLETED)
    return Dashboard(
        scope=scope,
        total=sum(c.count for c in by_status),
        completed=completed,
        average_progress=round(float(avg), 1) if isinstance(avg, Decimal | float) else None,
        by_status=by_status,
        by_light=by_light,
        yellow=_light_list(tasks, Light.YELLOW),
        red=_light_list(tasks, Light.RED),
        trend=period_trend(tasks),
        prefectures=prefecture_completion(tasks),
        has_demo=scope_has_demo(tasks),
        light_counts={c.key: c.count for c in by_light},
    )


def health_for(*, user: Any, scope: Scope, today: date) -> list[UnitHealth]:
    """The reporting-health table (planwatch.reports.health) of the units in `scope`.

    The table is built per plan holding tasks of the scope (a prefecture's tasks usually lie
    in its zone's plan alone), so a prefecture does not walk the whole province; rows of one
    unit from several plans are added up (every figure is a sum over report slots)."""
    if scope.plan is not None or scope.unit is None or scope.kind == OrgUnitKind.PROVINCE:
        return reporting_health_for(user=user, today=today, plan=scope.plan)
    plan_ids = scope_tasks(user=user, scope=scope).order_by().values("plan_id").distinct()
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
            "reports": [p.reports for p in board.trend],
        },
        "prefectures": [
            {"adcode": v.adcode, "name": v.name, "value": v.rate, "tasks": v.tasks}
            for v in board.prefectures
        ],
        "labels": {
            "trend": _("平均完成进度（%）"),
            "rate": _("完成率（%）"),
            "tasks": _("任务数"),
            "nodata": _("无任务"),
        },
    }
