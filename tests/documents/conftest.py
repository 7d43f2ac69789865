"""Fixtures of the document tests: the implementation slice (units, the small 川南 plan, its
personas and its issued 2024 list, tests/factories/implementation_fixtures.py) with monitoring
data for 2024 — two confirmed indicators with verified values and their statuses, task
lights (one red), and a project with its annual plan and an accepted monthly report."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from planwatch.indicators.models import Indicator, Observation
from planwatch.indicators.services import status_compute
from planwatch.projects.models import AnnualInvestmentPlan, MonthlyReport, Project
from planwatch.projects.summary import project_figures_rebuild
from planwatch.supervision.models import TaskLight
from planwatch.tasks.models import AnnualList
from tests.factories import implementation as f
from tests.factories.implementation_fixtures import *  # noqa: F403

NOW = timezone.make_aware(datetime(2025, 1, 10, 9, 0))


def _indicator(plan: Any, zone: Any, **kw: Any) -> Indicator:
    return Indicator.objects.create(plan=plan, status="confirmed", **kw)


def _observe(ind: Indicator, place: Any, value: float, user: User) -> Observation:
    obs = Observation.objects.create(
        indicator=ind,
        place=place,
        year=2024,
        value=value,
        source="统计公报 p.3",
        entered_by=user,
        entered_at=NOW,
        verified_by=user,
        verified_at=NOW,
    )
    status_compute(observation=obs, actor=None, settle=False)
    return obs


@pytest.fixture
def monitored(issued: AnnualList, units: f.Units, chuannan_planner_user: User) -> dict[str, Any]:
    """The 川南 plan's 2024 data behind an annual report."""
    plan, zone = issued.plan, units.chuannan
    gdp = _indicator(
        plan,
        zone,
        name="地区生产总值",
        unit="亿元",
        kind="level",
        baseline_year=2020,
        baseline_value=7884,
        target_year=2025,
        target_value=11000,
    )
    forest = _indicator(
        plan,
        zone,
        name="森林覆盖率",
        unit="%",
        kind="share",
        attribute="binding",
        baseline_year=2020,
        baseline_value=40.0,
        target_year=2025,
        target_value=45.0,
    )
    empty = _indicator(
        plan,
        zone,
        name="常住人口城镇化率",
        unit="%",
        kind="share",
        baseline_year=2020,
        baseline_value=50.0,
        target_year=2025,
        target_value=56.0,
    )
    o1 = _observe(gdp, zone, 10600.0, chuannan_planner_user)
    o2 = _observe(forest, zone, 40.5, chuannan_planner_user)
    tasks = list(issued.tasks.order_by("seq"))
    today = date(2025, 1, 5)
    for task, light in zip(tasks, ["red", "yellow", "green", "green"], strict=False):
        TaskLight.objects.update_or_create(
            task=task,
            defaults={
                "light": light,
                "expected": Decimal(100),
                "actual": Decimal(40),
                "computed_on": today,
                "changed_on": today,
            },
        )
    project = Project.objects.create(
        name="宜宾至泸州城际铁路",
        zone=zone,
        lead_unit=units.yibin,
        status="confirmed",
        plan=plan,
    )
    AnnualInvestmentPlan.objects.create(project=project, year=2024, amount=Decimal(200000))
    MonthlyReport.objects.create(
        project=project,
        unit=units.yibin,
        year=2024,
        month=12,
        due=date(2025, 1, 8),
        invested_ytd=Decimal(150000),
        invested_month=Decimal(10000),
        status="accepted",
    )
    project_figures_rebuild()  # written past the services: the 台账's summary rebuilt
    return {
        "plan": plan,
        "zone": zone,
        "gdp": gdp,
        "forest": forest,
        "empty": empty,
        "observations": [o1, o2],
        "tasks": tasks,
        "project": project,
    }
