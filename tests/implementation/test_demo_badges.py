"""The 演示数据 badge on the task, annual-list, report, case and notification pages: shown on
what `planwatch demo` created (a DemoMarker) or, for a notification, on one about it — never
on real objects beside it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from planwatch.core.models import DemoMarker, Notification
from planwatch.core.notify import notification_send
from planwatch.reports.models import ProgressReport
from planwatch.supervision.jobs import supervise_run
from planwatch.supervision.models import SupervisionCase
from planwatch.supervision.services import case_assign, case_open
from planwatch.tasks.models import AnnualList, Task
from tests.factories.implementation import Units, demo_mark, report_filed
from tests.factories.personas import logged_in

BADGE = 'class="demo-badge"'


def _row(html: str, href: str) -> str:
    """The table row holding the link `href`."""
    return next(row for row in html.split("<tr")[1:] if f'href="{href}"' in row)


def _assert_row_badges(html: str, demo_href: str, real_href: str) -> None:
    assert BADGE in _row(html, demo_href)
    assert BADGE not in _row(html, real_href)
    assert html.count(BADGE) == 1


def _report(task: Task, unit: Any, actor: Any) -> ProgressReport:
    submitted = datetime(2024, 4, 1, tzinfo=UTC)
    return report_filed(task, unit, actor, 20, narrative="推进中", submitted_at=submitted)


@pytest.fixture
def demo_and_real(issued: AnnualList) -> tuple[Task, Task]:
    demo, real = issued.tasks.get(seq=1), issued.tasks.get(seq=2)
    demo_mark(demo)
    return demo, real


def test_task_list_badges_demo_tasks_only(
    demo_and_real: tuple[Task, Task], chuannan_planner_user: Any, django_assert_max_num_queries: Any
) -> None:
    demo, real = demo_and_real
    html = logged_in(chuannan_planner_user).get(reverse("tasks:task_list")).content.decode()
    _assert_row_badges(html, f"/tasks/{demo.pk}/", f"/tasks/{real.pk}/")
    demo_mark(real)  # more demo rows cost no more queries
    client = logged_in(chuannan_planner_user)
    client.get(reverse("tasks:task_list"))
    with django_assert_max_num_queries(30) as captured:
        html = client.get(reverse("tasks:task_list")).content.decode()
    assert html.count(BADGE) == 2
    assert sum("dashboards_demomarker" in q["sql"] for q in captured.captured_queries) == 1


def test_task_detail_badge(demo_and_real: tuple[Task, Task], chuannan_planner_user: Any) -> None:
    demo, real = demo_and_real
    client = logged_in(chuannan_planner_user)
    assert BADGE in client.get(reverse("tasks:task_detail", args=[demo.pk])).content.decode()
    assert BADGE not in client.get(reverse("tasks:task_detail", args=[real.pk])).content.decode()


def test_annual_list_pages_badge_demo_lists_and_tasks(
    demo_and_real: tuple[Task, Task], issued: AnnualList, chuannan_planner_user: Any
) -> None:
    demo, real = demo_and_real
    client = logged_in(chuannan_planner_user)
    detail = reverse("tasks:list_detail", args=[issued.pk])
    html = client.get(detail).content.decode()
    _assert_row_badges(html, f"/tasks/{demo.pk}/", f"/tasks/{real.pk}/")
    assert BADGE not in html.split("<h1")[1].split("</h1>")[0]
    assert BADGE not in client.get(reverse("tasks:list_index")).content.decode()

    demo_mark(issued)
    html = client.get(detail).content.decode()
    assert BADGE in html.split("<h1")[1].split("</h1>")[0]
    index = client.get(reverse("tasks:list_index")).content.decode()
    assert BADGE in _row(index, detail)


def test_report_pages_badge_demo_reports(
    demo_and_real: tuple[Task, Task],
    units: Units,
    yibin_reporter_user: Any,
    yibin_reviewer_user: Any,
) -> None:
    demo_task, real_task = demo_and_real
    demo = _report(demo_task, units.yibin, yibin_reporter_user)
    real = _report(real_task, units.yibin, yibin_reporter_user)
    demo_mark(demo)
    client = logged_in(yibin_reviewer_user)
    demo_url = reverse("reports:report_detail", args=[demo.pk])
    real_url = reverse("reports:report_detail", args=[real.pk])
    html = client.get(reverse("reports:review_queue")).content.decode()
    _assert_row_badges(html, demo_url, real_url)
    assert BADGE in client.get(demo_url).content.decode()
    assert BADGE not in client.get(real_url).content.decode()


def test_case_pages_badge_demo_cases(
    demo_and_real: tuple[Task, Task], chuannan_planner_user: Any
) -> None:
    demo_task, real_task = demo_and_real
    demo, _ = case_open(task=demo_task, light="red", reason="逾期", actor=chuannan_planner_user)
    real, _ = case_open(task=real_task, light="red", reason="逾期", actor=chuannan_planner_user)
    assert isinstance(demo, SupervisionCase)
    DemoMarker.objects.all().delete()  # only the case is demo here, not its task
    demo_mark(demo)
    client = logged_in(chuannan_planner_user)
    demo_url = reverse("supervision:case_detail", args=[demo.pk])
    real_url = reverse("supervision:case_detail", args=[real.pk])
    html = client.get(reverse("supervision:case_list")).content.decode()
    _assert_row_badges(html, demo_url, real_url)
    assert BADGE in client.get(demo_url).content.decode()
    assert BADGE not in client.get(real_url).content.decode()


# Notifications (我的通知): badged when the notification concerns demo data — sent by the demo,
# or about a task (催办 of a report), a case (交办, 催办, escalation) or a report (a review step)
# that the demo created. A notification has no foreign key to what it is about; its key names it.

NOW = datetime(2024, 4, 10, 1, 0, tzinfo=UTC)


def _note(html: str, note: Notification) -> str:
    """The table row of one notification."""
    return next(row for row in html.split("<tr")[1:] if f'id="note-{note.pk}"' in row)


def _assert_note_badges(html: str, demo: list[Notification], real: list[Notification]) -> None:
    assert demo and real
    assert all(BADGE in _note(html, n) for n in demo)
    assert all(BADGE not in _note(html, n) for n in real)
    assert html.count(BADGE) == len(demo)


def _notes_of(user: Any, kind: str, about: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=kind, key__contains=about))


def test_notifications_badge_demo_cases_and_reports(
    demo_and_real: tuple[Task, Task],
    units: Units,
    chuannan_planner_user: Any,
    yibin_reporter_user: Any,
    yibin_reviewer_user: Any,
    django_assert_max_num_queries: Any,
) -> None:
    """交办 of a demo case and the review step of a demo report are badged for the unit's
    reviewer; the same notifications about real objects are not."""
    demo_task, real_task = demo_and_real
    cases = []
    for task in (demo_task, real_task):
        case, _ = case_open(task=task, light="red", reason="逾期", actor=chuannan_planner_user)
        case_assign(
            case=case, actor=chuannan_planner_user, today=date(2024, 4, 10), unit=units.yibin
        )
        cases.append(case)
    reports = [_report(t, units.yibin, yibin_reporter_user) for t in (demo_task, real_task)]
    DemoMarker.objects.all().delete()  # the case and the report are demo, their tasks not
    demo_mark(cases[0])
    demo_mark(reports[0])
    # nothing about the demo task's case and report reached the real reviewer (decision 0020)
    demo = _notes_of(yibin_reviewer_user, "case.assigned", f"case:{cases[0].pk}:")
    demo += _notes_of(yibin_reviewer_user, "report.submitted", f"report:{reports[0].pk}:")
    real = _notes_of(yibin_reviewer_user, "case.assigned", f"case:{cases[1].pk}:")
    real += _notes_of(yibin_reviewer_user, "report.submitted", f"report:{reports[1].pk}:")
    assert demo == [] and len(real) == 2
    # such notifications kept from before that rule are still badged
    demo = [
        Notification.objects.create(
            recipient=yibin_reviewer_user, kind=kind, key=key, title="演示", body="", created_at=NOW
        )
        for kind, key in (
            ("case.assigned", f"case:{cases[0].pk}:assigned"),
            ("report.submitted", f"report:{reports[0].pk}:v1:submitted"),
        )
    ]
    html = (
        logged_in(yibin_reviewer_user)
        .get(reverse("supervision:notification_list"))
        .content.decode()
    )
    _assert_note_badges(html, demo, real)

    demo_mark(cases[1])  # more demo rows cost no more queries: one DemoMarker query per page
    client = logged_in(yibin_reviewer_user)
    client.get(reverse("supervision:notification_list"))
    with django_assert_max_num_queries(20) as captured:
        html = client.get(reverse("supervision:notification_list")).content.decode()
    assert html.count(BADGE) == 3
    # one for the page's rows, one for the header's unread badge (issue 9)
    assert sum("dashboards_demomarker" in q["sql"] for q in captured.captured_queries) == 2


def test_notifications_badge_reminders_and_escalations_about_demo(
    demo_and_real: tuple[Task, Task],
    units: Units,
    chuannan_planner_user: Any,
    chuannan_leader_user: Any,
    yibin_reporter_user: Any,
) -> None:
    """The supervision job sends 催办 and escalations about real tasks and cases only: none
    about a demo task's report or a demo case reaches a real person (decision 0020)."""
    demo_task, real_task = demo_and_real
    supervise_run(today=date(2024, 4, 3), now=NOW)  # Q1 reports due 4月5日: 催办
    demo = _notes_of(yibin_reporter_user, "remind.report", f"remind:report:{demo_task.pk}:")
    real = _notes_of(yibin_reporter_user, "remind.report", f"remind:report:{real_task.pk}:")
    assert demo == [] and real

    cases = []
    for task in (demo_task, real_task):
        case, _ = case_open(task=task, light="yellow", reason="滞后", actor=chuannan_planner_user)
        case_assign(
            case=case, actor=chuannan_planner_user, today=date(2024, 4, 10), unit=units.yibin
        )
        cases.append(case)
    DemoMarker.objects.all().delete()
    demo_mark(cases[0])
    supervise_run(today=date(2024, 4, 14), now=NOW)  # not acknowledged in time: escalated
    html = (
        logged_in(chuannan_leader_user)
        .get(reverse("supervision:notification_list"))
        .content.decode()
    )
    demo = _notes_of(chuannan_leader_user, "case.escalated", f"case:{cases[0].pk}:")
    real = _notes_of(chuannan_leader_user, "case.escalated", f"case:{cases[1].pk}:")
    assert demo == [] and real
    assert real[0].title in html


def test_notifications_sent_by_the_demo_are_badged(
    issued: AnnualList, yibin_reporter_user: Any, luzhou_reporter_user: Any
) -> None:
    """A notification the demo sent is badged even when what it is about is not marked;
    nobody sees another person's notifications, and the page needs a login."""
    notes = [
        notification_send(
            recipients=[yibin_reporter_user],
            kind="case.assigned",
            key=f"case:{9000 + i}:assigned",
            title=f"督办交办：任务{i}",
            body="",
            now=NOW,
        )[0]
        for i in range(2)
    ]
    demo_mark(notes[0])
    url = reverse("supervision:notification_list")
    _assert_note_badges(
        logged_in(yibin_reporter_user).get(url).content.decode(), notes[:1], notes[1:]
    )
    other = logged_in(luzhou_reporter_user).get(url).content.decode()
    assert "督办交办" not in other and BADGE not in other
    response = Client().get(url)
    assert response.status_code == 302 and "login" in response["Location"]
