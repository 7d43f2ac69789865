"""Fixtures of the implementation tests (imported by the conftest.py of tests/tasks,
tests/reports, tests/supervision and tests/implementation): the unit tree slice and the 川南
plan. The people are the one persona set of tests/factories/personas.py, sitting on this
slice (`persona_units` below): `chuannan_planner_user` plans the 川南 plan,
`chuannan_leader_user` leads 川南, `yibin_reporter_user`, `yibin_reviewer_user`,
`luzhou_reporter_user` and `luzhou_reviewer_user` report and review for their cities;
`panxi_planner_user` plans another zone (攀西); `planner_user` and `leader_user` stay the
provincial planner and leader.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.tasks.models import AnnualList
from tests.factories import implementation as f


@pytest.fixture(autouse=True)
def isolated_media(settings: Any, tmp_path: Path) -> None:
    """Uploaded files go to a directory of the test's own, never var/media (a public name:
    the conftests take these fixtures with `import *`, which skips names starting with _)."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def units(db: None) -> f.Units:
    return f.make_units()


@pytest.fixture
def plan(units: f.Units) -> Plan:
    return f.make_plan(units)


@pytest.fixture
def persona_units(units: f.Units, persona_units: dict[str, OrgUnit]) -> dict[str, OrgUnit]:
    """The named personas sit on this slice: it is built first, and the personas' units
    (tests/factories/personas.py) reuse its units of the same codes."""
    return persona_units


@pytest.fixture
def issued(plan: Plan, chuannan_planner_user: User, units: f.Units) -> AnnualList:
    """The 2024 list of the 川南 plan, complete and issued (quarterly reporting)."""
    return f.issued_list(plan, chuannan_planner_user, units)
