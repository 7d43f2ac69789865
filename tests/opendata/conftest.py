"""The open-data tests' world: the 川南 slice and its issued 2024 list
(tests/factories/implementation_fixtures.py), plus one published and one unpublished object
of every kind, each named so that a leak is found by searching for 未公开."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from planwatch.assessment.models import (
    AssessmentScheme,
    IndexEdition,
    IndexMethod,
    IndexNode,
    IndexValue,
    ResultEdition,
    UnitScore,
)
from planwatch.indicators.models import Indicator, IndicatorTarget, Observation
from planwatch.projects.models import AnnualInvestmentPlan, MonthlyReport, Project
from planwatch.publication.models import Publication
from planwatch.publication.services import publish
from planwatch.tasks.models import AnnualList, Task
from tests.api.conftest import wsgi_app  # noqa: F401
from tests.factories import implementation as f
from tests.factories.implementation_fixtures import *  # noqa: F403

# Every unpublished or unverified thing carries this mark in its name or value.
SECRET = "秘而不宣"
SECRET_VALUE = 987654.5


@dataclass
class World:
    annual_list: AnnualList
    public_task: Task
    hidden_tasks: list[Task]
    indicator: Indicator
    hidden_indicator: Indicator
    project: Project
    hidden_project: Project
    index_edition: IndexEdition
    hidden_index_edition: IndexEdition
    result_edition: ResultEdition
    hidden_result_edition: ResultEdition


def publish_raw(kind: str, subject: Any) -> Publication:
    """A live publication for kinds the assessment app registers (maybe not yet on main)."""
    return Publication.objects.create(
        kind=kind,
        subject_type=ContentType.objects.get_for_model(type(subject)),
        subject_id=subject.pk,
        label=str(subject)[:500],
        published_at=timezone.now(),
    )


def _indicators(plan: Any, units: f.Units, planner: User) -> tuple[Indicator, Indicator]:
    now = timezone.now()
    shown = Indicator.objects.create(
        plan=plan,
        place=units.chuannan,
        name="地区生产总值公开指标",
        unit="亿元",
        status="confirmed",
        target_year=2025,
        target_value=11000,
        attribute="binding",
    )
    IndicatorTarget.objects.create(indicator=shown, place=units.yibin, value=4500)
    hidden = Indicator.objects.create(
        plan=plan, name=f"{SECRET}指标", unit="%", status="confirmed", target_value=1
    )
    common = {"entered_at": now, "source": "统计公报"}
    Observation.objects.create(
        indicator=shown, place=units.yibin, year=2023, value=3400.5, verified_at=now, **common
    )
    Observation.objects.create(
        indicator=shown, place=units.luzhou, year=2023, value=SECRET_VALUE, **common
    )
    Observation.objects.create(
        indicator=hidden, place=units.yibin, year=2023, value=42.25, verified_at=now, **common
    )
    publish(actor=planner, subject=shown)
    return shown, hidden


def _projects(plan: Any, units: f.Units, planner: User) -> tuple[Project, Project]:
    shown = Project.objects.create(
        name="宜宾至泸州城际铁路公开项目",
        status="confirmed",
        zone=units.chuannan,
        lead_unit=units.yibin,
        total_investment=Decimal("250000.00"),
        sector="infrastructure",
        stage="continuing",
        plan=plan,
        source_page=17,
    )
    AnnualInvestmentPlan.objects.create(project=shown, year=2024, amount=Decimal("1000"))
    AnnualInvestmentPlan.objects.create(project=shown, year=2025, amount=Decimal("2000"))
    for month, ytd, status in ((5, "300", "accepted"), (6, "400", "accepted"), (7, "999", "draft")):
        MonthlyReport.objects.create(
            project=shown,
            unit=units.yibin,
            year=2024,
            month=month,
            due=date(2024, month, 5),
            invested_ytd=Decimal(ytd),
            status=status,
        )
    hidden = Project.objects.create(name=f"{SECRET}项目", status="confirmed", zone=units.chuannan)
    AnnualInvestmentPlan.objects.create(project=hidden, year=2024, amount=Decimal("77"))
    publish(actor=planner, subject=shown)
    return shown, hidden


def _index(plan: Any, units: f.Units, title: str, *, published: bool) -> IndexEdition:
    method = IndexMethod.objects.create(
        plan=plan, version="2024.1" if published else "2024.9", title=title, base_year=2020
    )
    IndexNode.objects.create(method=method, level="dimension", code="D1", name="基础设施互联互通")
    edition = IndexEdition.objects.create(
        method=method,
        number=1,
        status="published",
        year_from=2020,
        year_to=2023,
        computed_at=timezone.now(),
        published_at=timezone.now(),
    )
    for code, value in (("TOTAL", 103.5), ("D1", 101.25)):
        IndexValue.objects.create(
            edition=edition, place=units.yibin, year=2023, code=code, value=value
        )
    if published:
        publish_raw("index_edition", edition)
    return edition


def _results(units: f.Units, title: str, *, published: bool) -> ResultEdition:
    scheme = AssessmentScheme.objects.create(year=2024, series="prefectures", title=title)
    edition = ResultEdition.objects.create(
        scheme=scheme,
        number=1,
        status="published",
        as_of=date(2024, 12, 31),
        computed_at=timezone.now(),
        published_at=timezone.now(),
    )
    UnitScore.objects.create(edition=edition, unit=units.yibin, total=91.5, grade="优秀", rank=1)
    UnitScore.objects.create(edition=edition, unit=units.luzhou, total=85, grade="良好", rank=2)
    if published:
        publish_raw("result_edition", edition)
    return edition


@pytest.fixture
def world(issued: AnnualList, plan: Any, units: f.Units, chuannan_planner_user: User) -> World:
    """One task of the 2024 list published alone (the others not); one indicator published
    with a verified 宜宾 value and an unverified 泸州 one; one project; one index edition and
    one assessment result edition published — and one of each kind left unpublished."""
    tasks = list(issued.tasks.order_by("seq"))
    public_task = tasks[0]
    publish(actor=chuannan_planner_user, subject=public_task)
    hidden_tasks = tasks[1:]
    for t in hidden_tasks:
        Task.objects.filter(pk=t.pk).update(title=f"{SECRET}{t.title}")
    indicator, hidden_indicator = _indicators(plan, units, chuannan_planner_user)
    project, hidden_project = _projects(plan, units, chuannan_planner_user)
    return World(
        annual_list=issued,
        public_task=public_task,
        hidden_tasks=hidden_tasks,
        indicator=indicator,
        hidden_indicator=hidden_indicator,
        project=project,
        hidden_project=hidden_project,
        index_edition=_index(plan, units, "川南一体化发展指数", published=True),
        hidden_index_edition=_index(plan, units, f"{SECRET}指数", published=False),
        result_edition=_results(units, "2024年度川南市州绩效考核", published=True),
        hidden_result_edition=_results(units, f"{SECRET}考核方案", published=False),
    )
