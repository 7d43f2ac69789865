"""The 演示数据 badge on the task, annual-list, report and case pages: shown on what
`planwatch demo` created (a DemoMarker), never on real objects beside it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import Client
from django.urls import reverse

from planwatch.dashboards.models import DemoMarker
from planwatch.reports.models import ProgressReport
from planwatch.reports.services import (
    progress_report_start,
    progress_report_submit,
    progress_report_update,
)
from planwatch.supervision.models import SupervisionCase
from planwatch.supervision.services import case_open
from planwatch.tasks.models import AnnualList, Task
from tests.implementation.factories import Units

BADGE = 'class="demo-badge"'


def _mark(obj: models.Model) -> None:
    ct = ContentType.objects.get_for_model(type(obj))
    DemoMarker.objects.create(content_type=ct, object_id=obj.pk)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _row(html: str, href: str) -> str:
    """The table row holding the link `href`."""
    return next(row for row in html.split("<tr")[1:] if f'href="{href}"' in row)


def _assert_row_badges(html: str, demo_href: str, real_href: str) -> None:
    assert BADGE in _row(html, demo_href)
    assert BADGE not in _row(html, real_href)
    assert html.count(BADGE) == 1


def _report(task: Task, unit: Any, actor: Any) -> ProgressReport:
    r = progress_report_start(task=task, unit=unit, period_start=date(2024, 1, 1), actor=actor)
    progress_report_update(
        report=r,
        actor=actor,
        version=r.version,
        completion=20,
        progress_status="in_progress",
        narrative="推进中",
    )
    return progress_report_submit(report=r, actor=actor, now=datetime(2024, 4, 1, tzinfo=UTC))


@pytest.fixture
def demo_and_real(issued: AnnualList) -> tuple[Task, Task]:
    demo, real = issued.tasks.get(seq=1), issued.tasks.get(seq=2)
    _mark(demo)
    return demo, real


def test_task_list_badges_demo_tasks_only(
    demo_and_real: tuple[Task, Task], planner: Any, django_assert_max_num_queries: Any
) -> None:
    demo, real = demo_and_real
    html = _client(planner).get(reverse("tasks:task_list")).content.decode()
    _assert_row_badges(html, f"/tasks/{demo.pk}/", f"/tasks/{real.pk}/")
    _mark(real)  # more demo rows cost no more queries
    client = _client(planner)
    client.get(reverse("tasks:task_list"))
    with django_assert_max_num_queries(30) as captured:
        html = client.get(reverse("tasks:task_list")).content.decode()
    assert html.count(BADGE) == 2
    assert sum("dashboards_demomarker" in q["sql"] for q in captured.captured_queries) == 1


def test_task_detail_badge(demo_and_real: tuple[Task, Task], planner: Any) -> None:
    demo, real = demo_and_real
    client = _client(planner)
    assert BADGE in client.get(reverse("tasks:task_detail", args=[demo.pk])).content.decode()
    assert BADGE not in client.get(reverse("tasks:task_detail", args=[real.pk])).content.decode()


def test_annual_list_pages_badge_demo_lists_and_tasks(
    demo_and_real: tuple[Task, Task], issued: AnnualList, planner: Any
) -> None:
    demo, real = demo_and_real
    client = _client(planner)
    detail = reverse("tasks:list_detail", args=[issued.pk])
    html = client.get(detail).content.decode()
    _assert_row_badges(html, f"/tasks/{demo.pk}/", f"/tasks/{real.pk}/")
    assert BADGE not in html.split("<h1")[1].split("</h1>")[0]
    assert BADGE not in client.get(reverse("tasks:list_index")).content.decode()

    _mark(issued)
    html = client.get(detail).content.decode()
    assert BADGE in html.split("<h1")[1].split("</h1>")[0]
    index = client.get(reverse("tasks:list_index")).content.decode()
    assert BADGE in _row(index, detail)


def test_report_pages_badge_demo_reports(
    demo_and_real: tuple[Task, Task], units: Units, yibin_reporter: Any, yibin_reviewer: Any
) -> None:
    demo_task, real_task = demo_and_real
    demo = _report(demo_task, units.yibin, yibin_reporter)
    real = _report(real_task, units.yibin, yibin_reporter)
    _mark(demo)
    client = _client(yibin_reviewer)
    demo_url = reverse("reports:report_detail", args=[demo.pk])
    real_url = reverse("reports:report_detail", args=[real.pk])
    html = client.get(reverse("reports:review_queue")).content.decode()
    _assert_row_badges(html, demo_url, real_url)
    assert BADGE in client.get(demo_url).content.decode()
    assert BADGE not in client.get(real_url).content.decode()


def test_case_pages_badge_demo_cases(demo_and_real: tuple[Task, Task], planner: Any) -> None:
    demo_task, real_task = demo_and_real
    demo, _ = case_open(task=demo_task, light="red", reason="逾期", actor=planner)
    real, _ = case_open(task=real_task, light="red", reason="逾期", actor=planner)
    assert isinstance(demo, SupervisionCase)
    DemoMarker.objects.all().delete()  # only the case is demo here, not its task
    _mark(demo)
    client = _client(planner)
    demo_url = reverse("supervision:case_detail", args=[demo.pk])
    real_url = reverse("supervision:case_detail", args=[real.pk])
    html = client.get(reverse("supervision:case_list")).content.decode()
    _assert_row_badges(html, demo_url, real_url)
    assert BADGE in client.get(demo_url).content.decode()
    assert BADGE not in client.get(real_url).content.decode()
