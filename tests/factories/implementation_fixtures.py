"""Fixtures of the implementation tests (imported by the conftest.py of tests/tasks,
tests/reports, tests/supervision and tests/implementation): the unit tree slice, the 川南 plan
and the personas on that slice, made with tests/factories/personas.py. Each persona fixture
is an account (`*_user`), as in the reference-unit personas; the shared client fixtures of
the same persona (`planner`, `yibin_reporter`, …) log these accounts in.

| fixture                | role          | on         | username    |
|------------------------|---------------|------------|-------------|
| `planner_user`         | planner       | 川南经济区  | planner_cn  |
| `panxi_planner_user`   | planner       | 攀西经济区  | planner_px  |
| `yibin_reporter_user`  | reporter      | 宜宾市      | yb_reporter |
| `yibin_reviewer_user`  | unit_reviewer | 宜宾市      | yb_reviewer |
| `luzhou_reporter_user` | reporter      | 泸州市      | lz_reporter |
| `luzhou_reviewer_user` | unit_reviewer | 泸州市      | lz_reviewer |
| `leader_user`          | leader        | 川南经济区  | leader_cn   |
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from planwatch.accounts.choices import Role
from planwatch.plans.models import Plan
from planwatch.tasks.models import AnnualList
from tests.factories import implementation as f
from tests.factories.personas import make_user


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def units(db: None) -> f.Units:
    return f.make_units()


@pytest.fixture
def plan(units: f.Units) -> Plan:
    return f.make_plan(units)


@pytest.fixture
def planner_user(units: f.Units) -> User:
    return make_user("planner_cn", (units.chuannan, Role.PLANNER))


@pytest.fixture
def panxi_planner_user(units: f.Units) -> User:
    return make_user("planner_px", (units.panxi, Role.PLANNER))


@pytest.fixture
def yibin_reporter_user(units: f.Units) -> User:
    return make_user("yb_reporter", (units.yibin, Role.REPORTER))


@pytest.fixture
def yibin_reviewer_user(units: f.Units) -> User:
    return make_user("yb_reviewer", (units.yibin, Role.UNIT_REVIEWER))


@pytest.fixture
def luzhou_reporter_user(units: f.Units) -> User:
    return make_user("lz_reporter", (units.luzhou, Role.REPORTER))


@pytest.fixture
def luzhou_reviewer_user(units: f.Units) -> User:
    return make_user("lz_reviewer", (units.luzhou, Role.UNIT_REVIEWER))


@pytest.fixture
def leader_user(units: f.Units) -> User:
    return make_user("leader_cn", (units.chuannan, Role.LEADER))


@pytest.fixture
def issued(plan: Plan, planner_user: User, units: f.Units) -> AnnualList:
    """The 2024 list of the 川南 plan, complete and issued (quarterly reporting)."""
    return f.issued_list(plan, planner_user, units)
