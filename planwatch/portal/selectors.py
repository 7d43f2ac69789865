"""What the portal shows, read only through publication's selectors: published tasks with
their stored lights, published indicators with their VERIFIED observations only, published
projects with their yearly figures, and the index and result editions published to the
public. Nothing here takes a viewer: everything is what anyone may read."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from planwatch.assessment.index_methods import TOTAL
from planwatch.assessment.models import IndexEdition, IndexValue, ResultEdition
from planwatch.indicators.models import Indicator, Observation
from planwatch.indicators.selectors import latest_statuses, observations_for, path_for
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.projects.models import MonthlyReport, Project, Segment
from planwatch.publication import selectors as pub
from planwatch.publication.models import Publication
from planwatch.reports.choices import ReportStatus
from planwatch.supervision.models import TaskLight
from planwatch.tasks.models import AnnualList, Task

ANONYMOUS = AnonymousUser()

# the kinds the portal has a page for; anything else published is not linked from it
PAGE_KINDS = ("list", "task", "indicator", "project", "index_edition", "result_edition")


def zones() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(kind=OrgUnitKind.ZONE, is_active=True).order_by(
        "sort_order", "code"
    )


def zone_by_slug(slug: str) -> OrgUnit:
    zone = OrgUnit.objects.filter(code=f"zone:{slug}", kind=OrgUnitKind.ZONE).first()
    if zone is None:
        raise Http404
    return zone


def prefecture_by_code(code: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code, kind=OrgUnitKind.PREFECTURE).first()
    if unit is None:
        raise Http404
    return unit


def zone_of(unit: OrgUnit) -> OrgUnit | None:
    parent = unit.parent
    return parent if parent is not None and parent.kind == OrgUnitKind.ZONE else None


# --- tasks -------------------------------------------------------------------------------


def tasks_in(unit: OrgUnit) -> QuerySet[Task]:
    """Public tasks of a zone's plans, or those a prefecture leads or is responsible for."""
    qs = pub.public_tasks()
    if unit.kind == OrgUnitKind.ZONE:
        qs = qs.filter(plan__org_unit=unit)
    else:
        qs = qs.filter(
            Q(lead_unit=unit) | Q(co_lead_units=unit) | Q(responsible_units=unit)
        ).distinct()
    return qs.select_related("plan", "lead_unit").order_by("-year", "plan__sort_order", "seq")


def lights_of(tasks: list[Task]) -> dict[int, TaskLight]:
    rows = TaskLight.objects.filter(task_id__in=[t.pk for t in tasks])
    return {r.task_id: r for r in rows}


@dataclass
class TaskGroup:
    status: str
    label: str
    rows: list[tuple[Task, TaskLight | None]] = field(default_factory=list)


def tasks_by_status(
    tasks: list[Task], lights: dict[int, TaskLight] | None = None
) -> list[TaskGroup]:
    """Tasks grouped by their status (实施中, 已完成), each with its stored light, the worst
    light first (red, yellow, blue, green, none; stable within a light)."""
    lights = lights_of(tasks) if lights is None else lights
    groups: dict[str, TaskGroup] = {}
    severity = {"red": 0, "yellow": 1, "blue": 2, "green": 3}

    def worst_first(t: Task) -> int:
        light = lights.get(t.pk)
        return severity.get(light.light, 4) if light is not None else 4

    for t in sorted(tasks, key=worst_first):
        g = groups.setdefault(t.status, TaskGroup(t.status, str(t.get_status_display())))
        g.rows.append((t, lights.get(t.pk)))
    return sorted(groups.values(), key=lambda g: ("active", "completed", "draft").index(g.status))


def light_counts(lights: dict[int, TaskLight]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for light in lights.values():
        counts[light.light] += 1
    return dict(counts)


def public_task(task_id: int) -> Task:
    task = (
        pub.public_tasks()
        .select_related("plan", "lead_unit", "clause", "annual_list")
        .filter(pk=task_id)
        .first()
    )
    if task is None:
        raise Http404
    return task


def tasks_of_list(alist: AnnualList) -> QuerySet[Task]:
    return (
        pub.public_tasks()
        .filter(annual_list=alist)
        .select_related("plan", "lead_unit")
        .order_by("seq")
    )


def public_list(list_id: int) -> AnnualList:
    alist = pub.public_lists().select_related("plan").filter(pk=list_id).first()
    if alist is None:
        raise Http404
    return alist


# --- indicators --------------------------------------------------------------------------


def indicators_in(unit: OrgUnit) -> QuerySet[Indicator]:
    qs = pub.public_indicators()
    if unit.kind == OrgUnitKind.ZONE:
        qs = qs.filter(plan__org_unit=unit)
    else:
        qs = qs.filter(Q(place=unit) | Q(targets__place=unit)).distinct()
    return qs.select_related("plan", "place").order_by("plan__sort_order", "id")


def verified(indicator: Indicator) -> list[Observation]:
    """The indicator's current VERIFIED observations (an anonymous viewer's)."""
    return list(observations_for(user=ANONYMOUS, indicator=indicator))


def latest_verified(indicators: list[Indicator]) -> dict[int, Observation]:
    """indicator id → its latest current verified observation (of the indicator's own place
    first, else any)."""
    rows = (
        Observation.objects.filter(
            indicator_id__in=[i.pk for i in indicators],
            is_current=True,
            verified_at__isnull=False,
        )
        .select_related("place")
        .order_by("indicator_id", "year", "id")
    )
    own = {i.pk: i.place_id for i in indicators}
    out: dict[int, Observation] = {}
    for o in rows:
        best = out.get(o.indicator_id)
        mine = o.place_id == own.get(o.indicator_id)
        if best is None or mine or best.place_id != own.get(o.indicator_id):
            out[o.indicator_id] = o
    return out


def public_indicator(indicator_id: int) -> Indicator:
    ind = pub.public_indicators().select_related("plan", "place").filter(pk=indicator_id).first()
    if ind is None:
        raise Http404
    return ind


def indicator_story(ind: Indicator) -> dict[str, Any]:
    obs = verified(ind)
    statuses = latest_statuses(user=ANONYMOUS, indicator=ind)
    path = dict(path_for(ind))
    own = {o.year: o.value for o in obs if o.place_id == ind.place_id}
    return {
        "observations": [(o, statuses.get(o.pk), path.get(o.year)) for o in obs],
        "path": sorted(path.items()),
        "chart": {
            "years": sorted(set(path) | set(own)),
            "path": {str(y): v for y, v in path.items()},
            "observed": {str(y): v for y, v in own.items()},
        },
    }


# --- projects ----------------------------------------------------------------------------


def _projects() -> QuerySet[Project]:
    """Published projects, minus those of a plan withdrawn since (their source is gone)."""
    return pub.public_projects().filter(Q(plan__isnull=True) | Q(plan__status="published"))


def projects_in(unit: OrgUnit) -> QuerySet[Project]:
    qs = _projects()
    if unit.kind == OrgUnitKind.ZONE:
        qs = qs.filter(Q(zone=unit) | Q(zone__isnull=True, plan__org_unit=unit))
    else:
        qs = qs.filter(
            Q(places__path__startswith=unit.path) | Q(segments__place__path__startswith=unit.path)
        ).distinct()
    return qs.select_related("lead_unit", "plan").order_by("name", "id")


def public_project(project_id: int) -> Project:
    project = (
        _projects()
        .select_related("lead_unit", "plan", "source_node", "zone")
        .filter(pk=project_id)
        .first()
    )
    if project is None:
        raise Http404
    return project


@dataclass
class YearFigures:
    year: int
    planned: Decimal | None
    completed: Decimal | None


def yearly_figures(project: Project) -> list[YearFigures]:
    """Per year: the planned investment (the annual plans) and the investment completed as
    last accepted (the latest ACCEPTED monthly report of each segment, summed)."""
    planned: dict[int, Decimal] = defaultdict(Decimal)
    for year, amount in project.annual_plans.values_list("year", "amount"):
        planned[year] += amount
    latest: dict[tuple[int, int | None], MonthlyReport] = {}
    accepted = project.reports.filter(status=ReportStatus.ACCEPTED).order_by("year", "month")
    for r in accepted:
        latest[(r.year, r.segment_id)] = r
    completed: dict[int, Decimal] = defaultdict(Decimal)
    for (year, _seg), r in latest.items():
        if r.invested_ytd is not None:
            completed[year] += r.invested_ytd
    years = sorted(set(planned) | set(completed))
    return [YearFigures(y, planned.get(y), completed.get(y)) for y in years]


def map_of(projects: list[Project]) -> dict[str, Any]:
    """The cities (市州) of the projects — their places and their segments' places, a county
    counted in its city, as `projects.selectors.project_cities` counts them — each with how
    many of the projects it has, for the schematic Sichuan map. Three queries, whatever the
    number of projects."""
    ids = [p.pk for p in projects]
    through = Project.places.through
    pairs = set(through.objects.filter(project_id__in=ids).values_list("project_id", "orgunit_id"))
    pairs |= set(Segment.objects.filter(project_id__in=ids).values_list("project_id", "place_id"))
    units = OrgUnit.objects.in_bulk({u for _p, u in pairs})
    parents = OrgUnit.objects.in_bulk({u.parent_id for u in units.values() if u.parent_id})
    cities: dict[str, dict[str, Any]] = {}
    seen: set[tuple[int, str]] = set()
    for project_id, unit_id in pairs:
        unit = units.get(unit_id)
        if unit is None:
            continue
        city = unit if unit.kind == OrgUnitKind.PREFECTURE else parents.get(unit.parent_id or 0)
        if city is None or city.kind != OrgUnitKind.PREFECTURE or not city.adcode:
            continue
        if (project_id, city.adcode) in seen:
            continue
        seen.add((project_id, city.adcode))
        entry = cities.setdefault(city.adcode, {"adcode": city.adcode, "name": city.name})
        entry["count"] = entry.get("count", 0) + 1
    return {"cities": sorted(cities.values(), key=lambda c: c["adcode"])}


# --- assessment --------------------------------------------------------------------------


def index_editions(zone: OrgUnit | None = None) -> QuerySet[IndexEdition]:
    qs = IndexEdition.objects.filter(
        pk__in=pub.live().filter(kind="index_edition").values("subject_id"),
        status="published",
        method__plan__status="published",
    ).select_related("method__plan")
    if zone is not None:
        qs = qs.filter(method__plan__org_unit=zone)
    return qs.order_by("-published_at", "-pk")


def public_index_edition(edition_id: int) -> IndexEdition:
    edition = index_editions().filter(pk=edition_id).first()
    if edition is None:
        raise Http404
    return edition


def index_table(edition: IndexEdition) -> dict[str, Any]:
    """The index itself (code TOTAL) per place and year."""
    rows = IndexValue.objects.filter(edition=edition, code=TOTAL).values_list(
        "place_id", "year", "value"
    )
    values: dict[int, dict[int, float | None]] = defaultdict(dict)
    for place_id, year, value in rows:
        values[place_id][year] = value
    years = list(range(edition.year_from, edition.year_to + 1))
    places = [
        {
            "name": p.get("name", ""),
            "values": [values.get(p.get("id", 0), {}).get(y) for y in years],
        }
        for p in edition.places
    ]
    return {"years": years, "places": places}


def result_editions(zone: OrgUnit | None = None) -> QuerySet[ResultEdition]:
    qs = ResultEdition.objects.filter(
        pk__in=pub.live().filter(kind="result_edition").values("subject_id"),
        status="published",
    ).select_related("scheme", "zone")
    if zone is not None:
        qs = qs.filter(Q(zone=zone) | Q(zone__isnull=True))
    return qs.order_by("-published_at", "-pk")


def public_result_edition(edition_id: int) -> ResultEdition:
    edition = result_editions().filter(pk=edition_id).first()
    if edition is None:
        raise Http404
    return edition


# --- the latest publications -------------------------------------------------------------


def latest_publications(limit: int = 20) -> list[Publication]:
    """The newest live publications whose object the public may still read."""
    rows = list(pub.live().filter(kind__in=PAGE_KINDS).order_by("-published_at", "-pk")[:200])
    visible: dict[str, set[int]] = {}
    out = []
    for p in rows:
        if p.kind not in visible:
            visible[p.kind] = _visible_ids(p.kind)
        if p.subject_id in visible[p.kind]:
            out.append(p)
        if len(out) >= limit:
            break
    return out


def _visible_ids(kind: str) -> set[int]:
    if kind == "index_edition":
        return set(index_editions().values_list("pk", flat=True))
    if kind == "result_edition":
        return set(result_editions().values_list("pk", flat=True))
    if kind == "project":
        return set(_projects().values_list("pk", flat=True))
    return pub.public_ids(kind)
