"""Fixtures of the implementation tests: the unit tree slice, the 川南 plan and the personas
(a 川南 planner, a 攀西 planner, 宜宾 reporter and reviewer, a 泸州 reporter, a 川南 leader)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planwatch.accounts.choices import Role
from planwatch.plans.models import Plan
from planwatch.tasks.models import AnnualList
from tests.implementation import factories as f


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
def planner(units: f.Units) -> Any:
    return f.make_user("planner_cn", Role.PLANNER, units.chuannan)


@pytest.fixture
def panxi_planner(units: f.Units) -> Any:
    return f.make_user("planner_px", Role.PLANNER, units.panxi)


@pytest.fixture
def yibin_reporter(units: f.Units) -> Any:
    return f.make_user("yb_reporter", Role.REPORTER, units.yibin)


@pytest.fixture
def yibin_reviewer(units: f.Units) -> Any:
    return f.make_user("yb_reviewer", Role.UNIT_REVIEWER, units.yibin)


@pytest.fixture
def luzhou_reporter(units: f.Units) -> Any:
    return f.make_user("lz_reporter", Role.REPORTER, units.luzhou)


@pytest.fixture
def luzhou_reviewer(units: f.Units) -> Any:
    return f.make_user("lz_reviewer", Role.UNIT_REVIEWER, units.luzhou)


@pytest.fixture
def leader(units: f.Units) -> Any:
    return f.make_user("leader_cn", Role.LEADER, units.chuannan)


@pytest.fixture
def issued(plan: Plan, planner: Any, units: f.Units) -> AnnualList:
    """The 2024 list of the 川南 plan, complete and issued (quarterly reporting)."""
    return f.issued_list(plan, planner, units)
