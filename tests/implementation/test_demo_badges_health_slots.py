"""The 演示数据 badge on the reporting-health table and on the report slots of a task page.

What counts as demo (see planwatch/reports/health.py `_mark_demo`): a health row when its
unit reports on a task that `planwatch demo` created (a DemoMarker on the task), the table
when any row is; a report slot when its report carries a DemoMarker."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from planwatch.reports.health import reporting_health_for
from planwatch.reports.models import ProgressReport
from planwatch.tasks.models import AnnualList, Task
from planwatch.tasks.services import annual_list_issue, annual_list_reopen, task_update
from tests.factories.implementation import Units, demo_mark, report_filed
from tests.factories.personas import logged_in

BADGE = 'class="demo-badge"'


def _rows(html: str) -> list[str]:
    return html.split("<tr")[1:]


def _row_with(html: str, text: str) -> str:
    return next(row for row in _rows(html) if text in row)


def _report(task: Task, unit: Any, actor: Any, start: date) -> ProgressReport:
    submitted = datetime(2024, 4, 1, tzinfo=UTC)
    return report_filed(
        task, unit, actor, 20, start=start, narrative="推进中", submitted_at=submitted
    )


def _demomarker_queries(captured: Any) -> int:
    return sum("dashboards_demomarker" in q["sql"] for q in captured.captured_queries)


# Report slots on the task page


@pytest.fixture
def slot_reports(
    issued: AnnualList, units: Units, yibin_reporter_user: Any, luzhou_reporter_user: Any
) -> dict[str, ProgressReport]:
    """Reports on task 1: 宜宾 Q1 (demo) and Q2 (real), 泸州 Q1 (demo)."""
    task = issued.tasks.get(seq=1)
    made = {
        "yb_q1": _report(task, units.yibin, yibin_reporter_user, date(2024, 1, 1)),
        "yb_q2": _report(task, units.yibin, yibin_reporter_user, date(2024, 4, 1)),
        "lz_q1": _report(task, units.luzhou, luzhou_reporter_user, date(2024, 1, 1)),
    }
    demo_mark(made["yb_q1"])
    demo_mark(made["lz_q1"])
    return made


def _link(report: ProgressReport) -> str:
    return f'href="{reverse("reports:report_detail", args=[report.pk])}"'


def test_task_page_badges_the_demo_report_slots(
    slot_reports: dict[str, ProgressReport],
    chuannan_planner_user: Any,
    django_assert_max_num_queries: Any,
) -> None:
    task = slot_reports["yb_q1"].task
    client = logged_in(chuannan_planner_user)
    url = reverse("tasks:task_detail", args=[task.pk])
    html = client.get(url).content.decode()
    assert BADGE in _row_with(html, _link(slot_reports["yb_q1"]))
    assert BADGE in _row_with(html, _link(slot_reports["lz_q1"]))
    assert BADGE not in _row_with(html, _link(slot_reports["yb_q2"]))
    assert html.count(BADGE) == 2  # the task itself is real: no badge on its title
    # A slot nobody has reported on has no badge either.
    assert all(BADGE not in row for row in _rows(html) if "未填报" in row)

    demo_mark(slot_reports["yb_q2"])  # more demo slots cost no more queries
    with django_assert_max_num_queries(40) as captured:
        html = client.get(url).content.decode()
    assert html.count(BADGE) == 3
    # One for the slots (DemoMarker.ids_among), one for the task's own title.
    assert _demomarker_queries(captured) == 2


def test_task_page_shows_a_reporter_only_their_units_demo_slots(
    slot_reports: dict[str, ProgressReport], yibin_reporter_user: Any
) -> None:
    html = (
        logged_in(yibin_reporter_user)
        .get(reverse("tasks:task_detail", args=[slot_reports["yb_q1"].task_id]))
        .content.decode()
    )
    assert BADGE in _row_with(html, _link(slot_reports["yb_q1"]))
    assert _link(slot_reports["lz_q1"]) not in html  # 泸州's slot is not shown to 宜宾
    assert html.count(BADGE) == 1


def test_task_page_of_another_zone_is_not_shown(
    slot_reports: dict[str, ProgressReport], panxi_planner_user: Any
) -> None:
    url = reverse("tasks:task_detail", args=[slot_reports["yb_q1"].task_id])
    assert logged_in(panxi_planner_user).get(url).status_code == 404


# The reporting-health table


@pytest.fixture
def demo_task(issued: AnnualList, chuannan_planner_user: Any, units: Units) -> Task:
    """Task 1 made a demo task, led by 省交通运输厅 with 宜宾 alone responsible."""
    task = issued.tasks.get(seq=1)
    annual_list_reopen(annual_list=issued, actor=chuannan_planner_user, reason="调整")
    task_update(
        task=task, actor=chuannan_planner_user, changes={"responsible_units": [units.yibin]}
    )
    annual_list_issue(annual_list=issued, actor=chuannan_planner_user)
    assert task.lead_unit == units.transport
    demo_mark(task)
    return task


def test_health_rows_of_units_reporting_on_demo_tasks_are_flagged(
    demo_task: Task, chuannan_planner_user: Any, units: Units
) -> None:
    table = reporting_health_for(user=chuannan_planner_user, today=date(2024, 7, 20))
    flagged = {h.unit for h in table if h.demo}
    # 宜宾 and the lead unit report on the demo task; 泸州, 省生态环境厅 and 省发展改革委
    # report only on real ones.
    assert flagged == {units.yibin, units.transport}
    assert {h.unit for h in table} - flagged == {units.luzhou, units.ecology, units.ndrc}


def test_health_page_badges_demo_rows_and_the_table(
    demo_task: Task, chuannan_planner_user: Any, units: Units, django_assert_max_num_queries: Any
) -> None:
    client = logged_in(chuannan_planner_user)
    html = client.get(reverse("reports:health")).content.decode()
    assert BADGE in html.split("<h1")[1].split("</h1>")[0]
    for unit in (units.yibin, units.transport):
        assert BADGE in _row_with(html, unit.name)
    for unit in (units.luzhou, units.ecology, units.ndrc):
        assert BADGE not in _row_with(html, unit.name)

    demo_mark(demo_task.annual_list.tasks.get(seq=2))  # more demo tasks, no more queries
    with django_assert_max_num_queries(20) as captured:
        html = client.get(reverse("reports:health")).content.decode()
    assert BADGE in _row_with(html, units.luzhou.name)
    assert _demomarker_queries(captured) == 1


def test_health_page_without_demo_data_has_no_badge(
    issued: AnnualList, chuannan_planner_user: Any, chuannan_leader_user: Any
) -> None:
    for user in (chuannan_planner_user, chuannan_leader_user):
        html = logged_in(user).get(reverse("reports:health")).content.decode()
        assert "省发展和改革委员会" in html and BADGE not in html


def test_health_page_denied_to_reporters_and_anonymous(
    demo_task: Task, yibin_reporter_user: Any
) -> None:
    assert logged_in(yibin_reporter_user).get(reverse("reports:health")).status_code == 404
    anonymous = Client().get(reverse("reports:health"))
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
