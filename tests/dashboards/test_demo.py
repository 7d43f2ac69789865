"""`planwatch demo`: loads simulated lists on the bundled plans, marks everything it creates,
refuses to run twice, shows the 演示数据 badge, and `--clear` removes exactly it."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import models
from django.test import Client
from django.urls import reverse

from planwatch.dashboards.demo import demo_load
from planwatch.dashboards.models import DemoMarker
from planwatch.plans.models import Plan
from planwatch.reports.health import reporting_health_for
from planwatch.reports.models import Evidence, ProgressReport
from planwatch.supervision.models import Notification, SupervisionCase, TaskLight
from planwatch.tasks.models import AnnualList, Task

pytestmark = pytest.mark.django_db

MARKED: list[type[models.Model]] = [
    AnnualList,
    Task,
    ProgressReport,
    Evidence,
    SupervisionCase,
    Notification,
    get_user_model(),
]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def ids(model: type[models.Model]) -> set[int]:
    return set(model._default_manager.values_list("pk", flat=True))


def marked(model: type[models.Model]) -> set[int]:
    ct = ContentType.objects.get_for_model(model)
    return set(DemoMarker.objects.filter(content_type=ct).values_list("object_id", flat=True))


@pytest.fixture
def loaded(bundled_plans: list[Plan], planner_user: Any) -> dict[type[models.Model], set[int]]:
    """The demo for 2024 and 2025 on the five bundled plans; what existed before it."""
    before = {m: ids(m) for m in MARKED}
    demo_load(years=(2024, 2025), as_of=date(2025, 10, 20))
    return before


def test_load_mark_badge_refuse_clear(
    loaded: dict[type[models.Model], set[int]], planner: Client, planner_user: Any
) -> None:
    """One test (loading the bundled plans and the demo takes a while): everything created
    is marked; the data is plausible; dashboards carry the badge; a second run is refused;
    --clear removes it all."""
    for model, before in loaded.items():
        created = ids(model) - before
        # no unit has accounts, so case assignments notify nobody
        assert created or model is Notification, model
        assert created == marked(model), model
    assert AnnualList.objects.filter(status="issued").count() == 10
    _check_plausible()
    health = reporting_health_for(user=planner_user, today=date(2025, 10, 20))
    assert any(h.unchanged for h in health) and any(h.missing for h in health)
    assert any(h.late for h in health) and any(h.without_evidence for h in health)
    assert "演示数据" in planner.get(reverse("dashboards:province")).content.decode()
    with pytest.raises(CommandError, match="演示数据已加载"):
        call_command("demo")
    out = StringIO()
    call_command("demo", "--clear", stdout=out)
    assert "removed" in out.getvalue()
    for model, before in loaded.items():
        assert ids(model) == before, model
    assert not DemoMarker.objects.exists()
    assert not TaskLight.objects.exists()
    assert Plan.objects.count() == 5  # the bundled plans are real data and stay
    assert "演示数据" not in planner.get(reverse("dashboards:province")).content.decode()


def _check_plausible() -> None:
    lights = set(TaskLight.objects.values_list("light", flat=True))
    assert lights == {"green", "blue", "yellow", "red"}
    completed = Task.objects.filter(year=2024, status="completed").count()
    assert completed > Task.objects.filter(year=2024, status="active").count()
    assert SupervisionCase.objects.filter(status="assigned").exists()
    assert SupervisionCase.objects.filter(status="opened").exists()
    reports = ProgressReport.objects.all()
    assert any(r.first_submitted_at and r.first_submitted_at.date() > r.due for r in reports)
    assert reports.filter(evidence__isnull=True).exists()
    assert reports.filter(evidence__isnull=False).exists()
    assert not reports.filter(period_start__gte=date(2025, 10, 1)).exists()


def test_leaves_real_lists_alone(bundled_plans: list[Plan], planner_user: Any) -> None:
    real = AnnualList.objects.create(plan=bundled_plans[0], year=2024)
    summary = demo_load(years=(2024,))
    assert summary.skipped_lists == 1 and summary.lists == 4
    assert real.pk not in marked(AnnualList)
    call_command("demo", "--clear", stdout=StringIO())
    assert AnnualList.objects.filter(pk=real.pk).exists()
