"""A published world for the portal tests, on the five bundled plans as ingested: 川南's
2024 list issued and published, a second 川南 list (2025) issued and NOT published, one
published indicator with a verified and an unverified observation, one unpublished
indicator, one published and one unpublished project, a published index edition (成都平原)
and an unpublished one. Everything left unpublished carries a distinctive name, so a page
that shows it can be caught (`World.secrets`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from planwatch.assessment.models import IndexEdition, IndexMethod, IndexNode
from planwatch.assessment.services import (
    index_edition_compute,
    index_edition_publish,
    index_indicator_attach,
    index_method_create_default,
)
from planwatch.indicators.choices import Direction, IndicatorStatus
from planwatch.indicators.models import Indicator, Observation
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.projects import services as ps
from planwatch.projects.models import Project
from planwatch.publication.services import publish
from planwatch.tasks.models import AnnualList, Task
from planwatch.tasks.services import annual_list_issue, task_drafts_generate, task_update
from tests.factories.plans import ensure_bundled

SECRET_TASK = "未公开任务甲QX71"
SECRET_INDICATOR = "未公开指标乙QX72"
SECRET_PROJECT = "未公开项目丙QX73"
UNVERIFIED_VALUE = 98765.4321
VERIFIED_VALUE = 12345.5


@dataclass
class World:
    south: Plan
    chengdu: Plan
    published_list: AnnualList
    hidden_list: AnnualList
    hidden_task: Task
    indicator: Indicator
    hidden_indicator: Indicator
    project: Project
    hidden_project: Project
    edition: IndexEdition
    hidden_edition: IndexEdition
    secrets: list[str] = field(default_factory=list)


def _unit(name: str) -> OrgUnit:
    return OrgUnit.objects.get(name=name)


def issued_list(plan: Plan, planner: User, year: int, limit: int = 6) -> AnnualList:
    """The plan's draft tasks of `year`, the first `limit` completed (the rest removed), and
    the list issued."""
    result = task_drafts_generate(plan=plan, year=year, actor=planner)
    alist = result.annual_list
    tasks = list(alist.tasks.order_by("seq"))
    Task.objects.filter(pk__in=[t.pk for t in tasks[limit:]]).delete()
    ndrc = OrgUnit.objects.get(code="dept:ndrc")
    for t in tasks[:limit]:
        task_update(
            task=t,
            actor=planner,
            changes={
                "criterion": f"完成{t.title}年度目标",
                "lead_unit": ndrc,
                "responsible_units": [_unit("宜宾市"), _unit("泸州市")],
                "deadline": date(year, 12, 31),
            },
        )
    annual_list_issue(annual_list=alist, actor=planner)
    alist.refresh_from_db()
    return alist


def _observe(ind: Indicator, place: OrgUnit, year: int, value: float, verified: bool) -> None:
    now = timezone.now()
    Observation.objects.create(
        indicator=ind,
        place=place,
        year=year,
        value=value,
        source="四川统计年鉴",
        entered_at=now,
        verified_at=now if verified else None,
    )


def _indicator(plan: Plan, name: str) -> Indicator:
    return Indicator.objects.create(
        plan=plan,
        place=plan.org_unit,
        name=name,
        unit="亿元",
        direction=Direction.HIGHER,
        status=IndicatorStatus.CONFIRMED,
        baseline_year=2020,
        baseline_value=10000.0,
        target_year=2025,
        target_value=15000.0,
    )


def _edition(plan: Plan, planner: User) -> tuple[IndexMethod, list[OrgUnit]]:
    cities = list(
        OrgUnit.objects.filter(parent=plan.org_unit, kind=OrgUnitKind.PREFECTURE).order_by(
            "sort_order", "path"
        )
    )
    method = index_method_create_default(plan=plan, actor=planner)
    ind = Indicator.objects.create(
        plan=plan,
        place=plan.org_unit,
        name="同城化指标甲",
        unit="%",
        direction=Direction.HIGHER,
        status=IndicatorStatus.CONFIRMED,
        target_year=2025,
        target_value=1.0,
    )
    index_indicator_attach(
        method=method,
        parent=IndexNode.objects.get(method=method, code="D1.1"),
        indicator=ind,
        actor=planner,
    )
    for i, city in enumerate(cities):
        _observe(ind, city, 2020, 100 + 10 * i, True)
        _observe(ind, city, 2021, 110 + 10 * i, True)
    return method, cities


def build_world(
    chuannan_planner: User, chengdu_planner: User, *, publish_all: bool = True
) -> World:
    ensure_bundled()
    south = Plan.objects.get(title__startswith="川南经济区")
    chengdu = Plan.objects.get(title__startswith="成都平原")
    published_list = issued_list(south, chuannan_planner, 2024)
    hidden_list = issued_list(south, chuannan_planner, 2025, limit=2)
    hidden_task = hidden_list.tasks.order_by("seq").first()
    assert hidden_task is not None
    Task.objects.filter(pk=hidden_task.pk).update(title=SECRET_TASK, content=SECRET_TASK)
    hidden_task.refresh_from_db()

    indicator = _indicator(south, "川南地区生产总值（公开）")
    _observe(indicator, south.org_unit, 2021, VERIFIED_VALUE, True)  # type: ignore[arg-type]
    _observe(indicator, south.org_unit, 2022, UNVERIFIED_VALUE, False)  # type: ignore[arg-type]
    _observe(indicator, _unit("宜宾市"), 2022, UNVERIFIED_VALUE + 1, False)
    hidden_indicator = _indicator(south, SECRET_INDICATOR)
    _observe(hidden_indicator, south.org_unit, 2021, 4242.5, True)  # type: ignore[arg-type]

    ps.project_drafts_generate(plan=south, actor=chuannan_planner)
    drafts = list(Project.objects.filter(plan=south).order_by("id")[:2])
    project, hidden_project = (
        ps.project_confirm(project=p, actor=chuannan_planner) for p in drafts
    )
    Project.objects.filter(pk=hidden_project.pk).update(name=SECRET_PROJECT)
    hidden_project.refresh_from_db()
    ps.annual_plan_set(project=project, year=2024, amount="52000", actor=chuannan_planner)

    method, _cities = _edition(chengdu, chengdu_planner)
    edition = index_edition_compute(method=method, actor=chengdu_planner, year_to=2021)
    edition = index_edition_publish(edition=edition, actor=chengdu_planner)
    hidden_edition = index_edition_compute(method=method, actor=chengdu_planner, year_to=2021)
    hidden_edition = index_edition_publish(edition=hidden_edition, actor=chengdu_planner)

    world = World(
        south=south,
        chengdu=chengdu,
        published_list=published_list,
        hidden_list=hidden_list,
        hidden_task=hidden_task,
        indicator=indicator,
        hidden_indicator=hidden_indicator,
        project=project,
        hidden_project=hidden_project,
        edition=edition,
        hidden_edition=hidden_edition,
        secrets=[
            SECRET_TASK,
            SECRET_INDICATOR,
            SECRET_PROJECT,
            str(UNVERIFIED_VALUE),
            str(UNVERIFIED_VALUE + 1),
            "98765",
            "4242.5",
        ],
    )
    if publish_all:
        publish(actor=chuannan_planner, subject=published_list, note="2024年清单")
        publish(actor=chuannan_planner, subject=indicator)
        publish(actor=chuannan_planner, subject=project)
        publish(actor=chengdu_planner, subject=edition)
    return world


def portal_ids(world: World) -> dict[str, Any]:
    return {
        "hidden_task": world.hidden_task.pk,
        "hidden_indicator": world.hidden_indicator.pk,
        "hidden_project": world.hidden_project.pk,
        "hidden_edition": world.hidden_edition.pk,
        "hidden_list": world.hidden_list.pk,
    }
