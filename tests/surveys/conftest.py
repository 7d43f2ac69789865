"""The 川南 slice (tests/factories/implementation_fixtures.py) and a 川南 survey."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from planwatch.plans.models import Plan
from planwatch.surveys import services
from planwatch.surveys.models import Survey
from tests.factories.implementation_fixtures import *  # noqa: F403


@pytest.fixture
def survey(plan: Plan, chuannan_planner_user: User) -> Survey:
    """A draft 2024 survey on the 川南 plan."""
    return services.survey_create(
        actor=chuannan_planner_user, title="川南经济区规划实施满意度调查", year=2024, plan=plan
    )


@pytest.fixture
def open_survey(survey: Survey, chuannan_planner_user: User) -> Survey:
    return services.survey_open(actor=chuannan_planner_user, survey=survey)


@pytest.fixture
def open_survey_2(units: Any, chuannan_planner_user: User) -> Survey:
    """An open 川南 zone survey beside the draft `survey`."""
    s = services.survey_create(
        actor=chuannan_planner_user,
        title="川南经济区公众满意度",
        year=2024,
        org_unit=units.chuannan,
    )
    return services.survey_open(actor=chuannan_planner_user, survey=s)
