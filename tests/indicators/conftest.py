"""The indicator tests run on the real thing: the five bundled plans as ingested and the
reference tree of units (tests/factories/plans.py), with the personas of
tests/factories/personas.py: on 川南经济区 `chuannan_planner_user`, `chuannan_clerk_user` and
`chuannan_reviewer_user`; on 宜宾市 `yibin_clerk_user` and `yibin_reviewer_user`.
"""

from __future__ import annotations

import pytest

from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
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
