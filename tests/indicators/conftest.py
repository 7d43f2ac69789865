"""The indicator tests run on the real thing: the five bundled plans as ingested and the
reference tree of units (tests/factories/plans.py), with accounts made by
tests/factories/personas.py. Beside the named persona `yibin_reviewer_user` (unit_reviewer
on 宜宾市) of that module, this folder has its own:

| fixture                 | role          | on       |
|-------------------------|---------------|----------|
| `south_planner_user`    | planner       | 川南经济区 |
| `south_clerk_user`      | data_clerk    | 川南经济区 |
| `south_reviewer_user`   | unit_reviewer | 川南经济区 |
| `yibin_clerk_user`      | data_clerk    | 宜宾市    |
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from planwatch.accounts.choices import Role
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from tests.factories.personas import make_user
from tests.factories.plans import ensure_bundled


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
def south_planner_user(zone: OrgUnit) -> User:
    return make_user("south_planner", (zone, Role.PLANNER))


@pytest.fixture
def south_clerk_user(zone: OrgUnit) -> User:
    return make_user("south_clerk", (zone, Role.DATA_CLERK))


@pytest.fixture
def south_reviewer_user(zone: OrgUnit) -> User:
    return make_user("south_reviewer", (zone, Role.UNIT_REVIEWER))


@pytest.fixture
def yibin_clerk_user(yibin: OrgUnit) -> User:
    return make_user("yibin_clerk", (yibin, Role.DATA_CLERK))
