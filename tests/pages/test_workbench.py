"""The workbench (工作台, issue 9 item 3): what waits for each person, with counts and
deadlines and links to the lists; the landing page after sign-in; the unread badge in the
header; demonstration objects kept out of a real person's workbench."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from planwatch.core.models import Notification
from planwatch.reports.services import progress_report_approve, progress_report_start
from planwatch.supervision.models import SupervisionCase
from planwatch.supervision.services import case_assign, case_open
from planwatch.tasks.models import AnnualList, Task
from tests.factories import implementation as f
from tests.factories.implementation_fixtures import *  # noqa: F403
from tests.factories.personas import PASSWORD, logged_in

Q1 = date(2024, 1, 1)


def _counts(client: Client) -> dict[str, int]:
    response = client.get(reverse("pages:workbench"))
    assert response.status_code == 200
    html = response.content.decode()
    return {k: int(n) for k, n in re.findall(r'data-key="(\w+)">(\d+)<', html)}


@pytest.fixture
def task(issued: AnnualList) -> Task:
    return issued.tasks.get(clause_key="c3.p1")


def test_signing_in_lands_on_the_workbench(yibin_reporter_user: Any) -> None:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": "yibin_reporter", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("pages:workbench")
    # the sign-in link of the public home page does not lead back to it
    home = Client().get("/").content.decode()
    assert 'href="/accounts/login/"' in home


def test_a_reporter_sees_the_reports_to_fill_in_with_their_deadlines(
    task: Task, yibin_reporter_user: Any, units: f.Units
) -> None:
    client = logged_in(yibin_reporter_user)
    counts = _counts(client)
    # every 2024 task of 宜宾 owes four quarterly reports; all have begun
    owed = sum(
        4 for t in Task.objects.filter(responsible_units=units.yibin, status="active").distinct()
    )
    assert counts["fill"] == owed > 0
    html = client.get(reverse("pages:workbench")).content.decode()
    assert "2024年4月5日" in html  # Q1's deadline, the nearest
    assert "已逾期" in html
    # filing one report takes one slot away
    f.report_filed(task, units.yibin, yibin_reporter_user, 30)
    assert _counts(client)["fill"] == owed - 1
    assert "review" not in counts and "accept" not in counts


def test_reviewer_and_planner_see_what_waits_for_their_step(
    task: Task,
    units: f.Units,
    yibin_reporter_user: Any,
    yibin_reviewer_user: Any,
    chuannan_planner_user: Any,
) -> None:
    report = f.report_filed(task, units.yibin, yibin_reporter_user, 30)
    assert _counts(logged_in(yibin_reviewer_user)).get("review") == 1
    assert "accept" not in _counts(logged_in(chuannan_planner_user))
    progress_report_approve(report=report, actor=yibin_reviewer_user)
    assert "review" not in _counts(logged_in(yibin_reviewer_user))
    planner_counts = _counts(logged_in(chuannan_planner_user))
    assert planner_counts.get("accept") == 1
    assert "fill" not in planner_counts


def test_cases_to_sign_for_and_the_unread_badge(
    task: Task, units: f.Units, chuannan_planner_user: Any, yibin_reporter_user: Any
) -> None:
    case, _created = case_open(task=task, light="red", reason="逾期", actor=chuannan_planner_user)
    assert _counts(logged_in(chuannan_planner_user)).get("assign") == 1
    case_assign(
        case=case, actor=chuannan_planner_user, unit=units.yibin, today=timezone.localdate()
    )
    client = logged_in(yibin_reporter_user)
    counts = _counts(client)
    assert counts.get("sign") == 1
    unread = Notification.objects.filter(recipient=yibin_reporter_user, read_at=None).count()
    assert unread >= 1 and counts.get("notes") == unread
    html = client.get(reverse("tasks:task_list")).content.decode()
    assert f'id="unread-badge">{unread}<' in html
    assert 'href="/workbench/"' in html


def test_demo_objects_do_not_reach_a_real_persons_workbench(
    task: Task, units: f.Units, chuannan_planner_user: Any, yibin_reporter_user: Any
) -> None:
    client = logged_in(yibin_reporter_user)
    before = _counts(client)["fill"]
    f.demo_mark(task)
    assert _counts(client)["fill"] == before - 4
    case, _ = case_open(task=task, light="red", reason="演示", actor=chuannan_planner_user)
    f.demo_mark(case)
    case_assign(
        case=case, actor=chuannan_planner_user, unit=units.yibin, today=timezone.localdate()
    )
    counts = _counts(client)
    assert "sign" not in counts
    assert "notes" not in counts  # the 交办 notice concerns a demo case
    html = client.get(reverse("tasks:task_list")).content.decode()
    assert "unread-badge" not in html
    assert SupervisionCase.objects.filter(status="assigned").count() == 1


def test_the_workbench_needs_sign_in(anon: Client) -> None:
    response = anon.get(reverse("pages:workbench"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_draft_being_filled_is_listed_once(
    task: Task, units: f.Units, yibin_reporter_user: Any
) -> None:
    client = logged_in(yibin_reporter_user)
    before = _counts(client)["fill"]
    report = progress_report_start(
        task=task, unit=units.yibin, period_start=Q1, actor=yibin_reporter_user
    )
    assert _counts(client)["fill"] == before
    html = client.get(reverse("pages:workbench")).content.decode()
    assert reverse("reports:report_detail", args=[report.pk]) in html
    assert timezone.localdate() >= Q1


def test_a_kind_with_nothing_waiting_reads_only_its_count(
    task: Task, units: f.Units, chuannan_planner_user: Any, yibin_reporter_user: Any
) -> None:
    """Cases and reports to review: when none waits, neither the overdue ones nor the rows
    are read (the count answers); when one waits, its row is read and shown."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = logged_in(yibin_reporter_user)
    with CaptureQueriesContext(connection) as nothing:
        assert "sign" not in _counts(client)
    case_reads = [
        q["sql"]
        for q in nothing.captured_queries
        if 'FROM "supervision_supervisioncase"' in q["sql"]
    ]
    assert case_reads and all("COUNT(*)" in sql for sql in case_reads)
    case, _created = case_open(task=task, light="red", reason="逾期", actor=chuannan_planner_user)
    case_assign(
        case=case, actor=chuannan_planner_user, unit=units.yibin, today=timezone.localdate()
    )
    with CaptureQueriesContext(connection) as one:
        html = client.get(reverse("pages:workbench")).content.decode()
    assert 'data-key="sign">1<' in html and f"/cases/{case.pk}/" in html
    assert any(
        'FROM "supervision_supervisioncase"' in q["sql"] and "COUNT(*)" not in q["sql"]
        for q in one.captured_queries
    )


def test_the_workbench_reads_the_memberships_once(
    task: Task, chuannan_planner_user: Any, yibin_reporter_user: Any
) -> None:
    """The reporter's units, the cases' units and the planner check all come from the
    memberships the permission checks read (one query), and still find the work."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for user, key in ((yibin_reporter_user, "fill"), (chuannan_planner_user, None)):
        with CaptureQueriesContext(connection) as queries:
            counts = _counts(logged_in(user))
        reads = [q for q in queries.captured_queries if "accounts_membership" in q["sql"]]
        assert len(reads) == 1, [q["sql"] for q in reads]
        if key:
            assert counts.get(key, 0) > 0
