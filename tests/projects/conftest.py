"""The project tests run on the five bundled plans as ingested and the reference tree of units
(tests/factories/plans.py), with accounts made by tests/factories/personas.py. Beside the
named persona `yibin_reviewer_user` (unit_reviewer on 宜宾市) of that module, this folder has
its own:

| fixture                 | role          | on       |
|-------------------------|---------------|----------|
| `south_planner_user`    | planner       | 川南经济区 |
| `yibin_filler_user`     | reporter      | 宜宾市    |
| `zigong_filler_user`    | reporter      | 自贡市    |
| `zigong_reviewer_user`  | unit_reviewer | 自贡市    |
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from planwatch.accounts.choices import Role
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.projects import services as s
from planwatch.projects.models import Project, Segment
from tests.factories.personas import make_user
from tests.factories.plans import ensure_bundled
from tests.projects.helpers import confirmed_from_plan


@pytest.fixture
def south(db: None) -> Plan:
    ensure_bundled()
    return Plan.objects.get(title__startswith="川南经济区")


@pytest.fixture
def zone(south: Plan) -> OrgUnit:
    assert south.org_unit is not None
    return south.org_unit


@pytest.fixture
def yibin(south: Plan) -> OrgUnit:
    return OrgUnit.objects.get(name="宜宾市")


@pytest.fixture
def zigong(south: Plan) -> OrgUnit:
    return OrgUnit.objects.get(name="自贡市")


@pytest.fixture
def south_planner_user(zone: OrgUnit) -> User:
    return make_user("south_planner", (zone, Role.PLANNER))


@pytest.fixture
def yibin_filler_user(yibin: OrgUnit) -> User:
    return make_user("yibin_filler", (yibin, Role.REPORTER))


@pytest.fixture
def zigong_filler_user(zigong: OrgUnit) -> User:
    return make_user("zigong_filler", (zigong, Role.REPORTER))


@pytest.fixture
def zigong_reviewer_user(zigong: OrgUnit) -> User:
    return make_user("zigong_reviewer", (zigong, Role.UNIT_REVIEWER))


@pytest.fixture
def cheng_zi_yi(
    south: Plan, south_planner_user: User, yibin: OrgUnit, zigong: OrgUnit
) -> tuple[Project, Segment, Segment]:
    """成自宜高铁 confirmed with a segment in 自贡 and 宜宾 and their 2026 plans."""
    p = confirmed_from_plan(south, south_planner_user, "成自宜高铁")
    p.lead_unit = yibin
    p.save()
    s.project_update(
        project=p,
        actor=south_planner_user,
        version=p.version,
        changes={"total_investment": "3500000"},
    )
    zg = s.segment_set(
        project=p, place=zigong, unit=zigong, investment="1500000", actor=south_planner_user
    )
    yb = s.segment_set(
        project=p, place=yibin, unit=yibin, investment="2000000", actor=south_planner_user
    )
    s.annual_plan_set(project=p, segment=zg, year=2026, amount="80000", actor=south_planner_user)
    s.annual_plan_set(project=p, segment=yb, year=2026, amount="120000", actor=south_planner_user)
    return p, zg, yb
