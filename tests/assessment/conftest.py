"""The index tests run on the five bundled plans as ingested: 成都平原's zone and its 8 cities,
two confirmed indicators of the plan and verified observations for 2020–2021. The people
are personas of tests/factories/personas.py: `chengdu_planner_user` (username cd_planner)
plans it, `chuannan_planner_user` is a planner outside it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from planwatch.assessment.models import IndexMethod, IndexNode
from planwatch.assessment.services import index_indicator_attach, index_method_create_default
from planwatch.indicators.choices import Direction, IndicatorStatus
from planwatch.indicators.models import Indicator, Observation
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from tests.factories.plans import ensure_bundled

# Two indicators: A (positive) under D1.1 同城化, B (lower is better) under D2.1 协同创新.
# Values per city index i = 0..7 (the cities in their order):
#   A 2020 = 100 + 10·i, A 2021 = 110 + 10·i;  B 2020 = 50, B 2021 = 40 + i
# 成都市 (i = 0): A = 110/100·100 = 110; B = 50/40·100 = 125; index = (110 + 125)/2 = 117.5
# 德阳市 … the last city has no B in 2021 (missing, named on the page).


@dataclass
class World:
    plan: Plan
    zone: OrgUnit
    cities: list[OrgUnit]
    method: IndexMethod
    a: Indicator
    b: Indicator
    planner: User
    outsider: User


def _indicator(plan: Plan, name: str, direction: str) -> Indicator:
    return Indicator.objects.create(
        plan=plan,
        place=plan.org_unit,
        name=name,
        unit="%",
        direction=direction,
        status=IndicatorStatus.CONFIRMED,
        target_year=2025,
        target_value=1.0,
    )


def observe(ind: Indicator, place: OrgUnit, year: int, value: float, verified: bool = True) -> None:
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


@pytest.fixture
def world(chengdu_planner_user: User, chuannan_planner_user: User) -> World:
    return build_world(chengdu_planner_user, chuannan_planner_user)


def build_world(planner: User, outsider: User) -> World:
    """The world, planned by `planner` (a 成都平原 planner), with `outsider` planning elsewhere."""
    ensure_bundled()
    plan = Plan.objects.get(title__startswith="成都平原")
    zone = plan.org_unit
    assert zone is not None
    cities = list(
        OrgUnit.objects.filter(parent=zone, kind=OrgUnitKind.PREFECTURE).order_by(
            "sort_order", "path"
        )
    )
    method = index_method_create_default(plan=plan, actor=planner)
    a = _indicator(plan, "同城化指标甲", Direction.HIGHER)
    b = _indicator(plan, "创新指标乙", Direction.LOWER)
    index_indicator_attach(
        method=method,
        parent=IndexNode.objects.get(method=method, code="D1.1"),
        indicator=a,
        actor=planner,
    )
    index_indicator_attach(
        method=method,
        parent=IndexNode.objects.get(method=method, code="D2.1"),
        indicator=b,
        actor=planner,
    )
    for i, city in enumerate(cities):
        observe(a, city, 2020, 100 + 10 * i)
        observe(a, city, 2021, 110 + 10 * i)
        observe(b, city, 2020, 50)
        if i < len(cities) - 1:
            observe(b, city, 2021, 40 + i)
    return World(plan, zone, cities, method, a, b, planner, outsider)
