"""The portal tests run on the bundled plans with a published world (tests/portal/world.py)
and the personas of tests/factories/personas.py: `chuannan_planner_user` publishes 川南's
list, indicator and project; `chengdu_planner_user` publishes 成都平原's index edition."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.portal.world import World, build_world


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(chuannan_planner_user: User, chengdu_planner_user: User) -> World:
    return build_world(chuannan_planner_user, chengdu_planner_user)
