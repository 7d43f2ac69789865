"""督办: lights against 序时进度, cases and their workflow, reminders, escalation and the
scheduled job — with every date passed explicitly (frozen time)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from planwatch.audit.models import AuditEvent
from planwatch.core.models import Notification
from planwatch.core.workflow import InvalidTransition
from planwatch.supervision.choices import Light
from planwatch.supervision.jobs import supervise_run
from planwatch.supervision.lights import expected_progress, reported_progress, task_light
from planwatch.supervision.models import SupervisionCase, TaskLight
from planwatch.supervision.services import (
    case_acknowledge,
    case_assign,
    case_close,
    case_feedback,
    case_open,
    case_review,
    case_start,
)
from planwatch.tasks.models import AnnualList, Task
from planwatch.tasks.services import annual_list_issue, annual_list_reopen, task_update
from tests.factories.implementation import Units, report_filed

NOW = datetime(2024, 4, 10, 1, 0, tzinfo=UTC)


@pytest.fixture
def task(issued: AnnualList) -> Task:
    return issued.tasks.get(clause_key="c3.p1")


def _report(task: Task, unit: Any, actor: Any, completion: int, submit: bool = True) -> None:
    report_filed(task, unit, actor, completion, submit=submit)


def test_expected_progress_is_elapsed_share() -> None:
    start, end = date(2024, 1, 1), date(2024, 12, 31)
    assert expected_progress(start, end, date(2023, 12, 1)) == 0
    assert expected_progress(start, end, date(2024, 7, 1)) == Decimal("49.9")
    assert expected_progress(start, end, date(2025, 1, 1)) == 100


@pytest.mark.parametrize(
    ("today", "progress", "kwargs", "light"),
    [
        (date(2024, 7, 1), 45, {}, Light.GREEN),  # 4.9 points behind: within tolerance
        (date(2024, 7, 1), 45, {"tolerance": Decimal(2)}, Light.YELLOW),
        (date(2024, 7, 1), 30, {}, Light.YELLOW),
        (date(2024, 12, 20), 95, {}, Light.BLUE),  # 11 days left
        (date(2024, 12, 10), 95, {}, Light.GREEN),  # 21 days left
        (date(2024, 12, 10), 95, {"warning_days": 30}, Light.BLUE),
        (date(2024, 12, 20), 50, {}, Light.YELLOW),  # behind beats near
        (date(2025, 1, 2), 80, {}, Light.RED),
        (date(2025, 1, 2), 100, {}, Light.GREEN),
    ],
)
def test_task_light(
    task: Task, today: date, progress: int, kwargs: dict[str, Any], light: Light
) -> None:
    result = task_light(task, today=today, progress=Decimal(progress), **kwargs)
    assert result.light == light, result.reason


def test_reported_progress_is_mean_of_units_latest_reports(
    task: Task, units: Units, yibin_reporter_user: Any, luzhou_reporter_user: Any
) -> None:
    _report(task, units.yibin, yibin_reporter_user, 60)
    _report(task, units.luzhou, luzhou_reporter_user, 90, submit=False)  # a draft does not count
    assert reported_progress([task]) == {task.pk: Decimal("30.0")}
    result = task_light(task, today=date(2024, 4, 10))
    assert result.actual == Decimal("30.0") and result.light == Light.GREEN


def _overdue_rail(issued: AnnualList, task: Task, chuannan_planner_user: Any) -> None:
    annual_list_reopen(annual_list=issued, actor=chuannan_planner_user, reason="提前完成时限")
    task_update(task=task, actor=chuannan_planner_user, changes={"deadline": date(2024, 3, 31)})
    annual_list_issue(annual_list=issued, actor=chuannan_planner_user)


def test_supervise_turns_overdue_red_opens_cases_and_is_idempotent(
    issued: AnnualList, task: Task, chuannan_planner_user: Any
) -> None:
    _overdue_rail(issued, task, chuannan_planner_user)
    summary = supervise_run(today=date(2024, 4, 10), now=NOW)
    assert TaskLight.objects.get(task=task).light == Light.RED
    assert summary.lights == {"red": 1, "yellow": 3}  # nothing reported at 27 % elapsed
    assert summary.cases_opened == 4
    case = SupervisionCase.objects.get(task=task)
    assert case.status == "opened" and case.light == "red" and "逾期" in case.reason
    assert AuditEvent.objects.filter(action="case.open").count() == 4
    run = AuditEvent.objects.get(action="supervise.run")
    assert run.new is not None and run.new["cases_opened"] == 4
    again = supervise_run(today=date(2024, 4, 10), now=NOW)
    assert (again.cases_opened, again.reminders, again.escalations) == (0, 0, 0)
    assert SupervisionCase.objects.count() == 4 and TaskLight.objects.count() == 4


def test_one_open_case_per_task(
    task: Task, chuannan_planner_user: Any, yibin_reporter_user: Any
) -> None:
    case, created = case_open(task=task, light="yellow", reason="滞后", actor=chuannan_planner_user)
    again, created_again = case_open(
        task=task, light="red", reason="逾期", actor=chuannan_planner_user
    )
    assert created and not created_again and again == case
    with pytest.raises(IntegrityError), transaction.atomic():
        SupervisionCase.objects.create(task=task, light="red", reason="x", opened_at=NOW)
    with pytest.raises(PermissionDenied):
        case_open(task=task, light="red", reason="x", actor=yibin_reporter_user)
    with pytest.raises(ValidationError):
        case_open(task=task, light="green", reason="x", actor=chuannan_planner_user)


def test_case_workflow_with_notifications_and_audit(
    task: Task,
    units: Units,
    chuannan_planner_user: Any,
    yibin_reporter_user: Any,
    yibin_reviewer_user: Any,
    luzhou_reporter_user: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    case, _created = case_open(task=task, light="red", reason="逾期", actor=chuannan_planner_user)
    with pytest.raises(PermissionDenied):
        case_assign(case=case, actor=yibin_reporter_user, today=date(2024, 4, 10), unit=units.yibin)
    with django_capture_on_commit_callbacks(execute=True):
        case_assign(
            case=case, actor=chuannan_planner_user, today=date(2024, 4, 10), unit=units.yibin
        )
    assert (case.ack_due, case.feedback_due) == (date(2024, 4, 13), date(2024, 4, 25))
    notes = Notification.objects.filter(kind="case.assigned")
    assert {n.recipient for n in notes} == {yibin_reporter_user, yibin_reviewer_user}
    assert len(mail.outbox) == 2 and "督办交办" in mail.outbox[0].subject
    with pytest.raises(PermissionDenied):
        case_acknowledge(case=case, actor=luzhou_reporter_user)
    with pytest.raises(InvalidTransition):
        case_close(case=case, actor=chuannan_planner_user)
    case_acknowledge(case=case, actor=yibin_reporter_user)
    case_start(case=case, actor=yibin_reporter_user)
    with pytest.raises(ValidationError):
        case_feedback(case=case, actor=yibin_reporter_user, feedback=" ")
    case_feedback(case=case, actor=yibin_reviewer_user, feedback="已完成初步设计批复")
    with pytest.raises(ValidationError):
        case_review(case=case, actor=chuannan_planner_user, passed=False)
    with pytest.raises(PermissionDenied):
        case_review(case=case, actor=yibin_reviewer_user, passed=True)
    case_review(case=case, actor=chuannan_planner_user, passed=False, note="缺少批复文件")
    assert case.status == "in_progress"
    case_feedback(case=case, actor=yibin_reporter_user, feedback="补充批复文件")
    case_review(case=case, actor=chuannan_planner_user, passed=True)
    case_close(case=case, actor=chuannan_planner_user)
    case.refresh_from_db()
    assert case.status == "closed" and case.closed_at is not None
    assert [h.to_status for h in case.history.all()] == [
        "assigned",
        "acknowledged",
        "in_progress",
        "feedback",
        "in_progress",
        "feedback",
        "reviewed",
        "closed",
    ]
    assert AuditEvent.objects.filter(target_type="supervision.supervisioncase").count() == 9
    _new, created = case_open(
        task=task, light="red", reason="再次逾期", actor=chuannan_planner_user
    )
    assert created  # a closed case does not block a new one


def test_reminders_before_report_due_date(
    issued: AnnualList,
    task: Task,
    units: Units,
    yibin_reporter_user: Any,
    luzhou_reporter_user: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _report(task, units.yibin, yibin_reporter_user, 20)  # 宜宾 has reported Q1 for this task
    with django_capture_on_commit_callbacks(execute=True):
        summary = supervise_run(today=date(2024, 4, 3), now=NOW)  # Q1 due 4月5日
    mine = Notification.objects.filter(recipient=yibin_reporter_user, kind="remind.report")
    theirs = Notification.objects.filter(recipient=luzhou_reporter_user, kind="remind.report")
    assert mine.count() == 3 and theirs.count() == 4  # four tasks, one reported by 宜宾
    assert summary.reminders == 7 and len(mail.outbox) == 7
    assert all(n.emailed for n in Notification.objects.all())
    assert "2024Q1" in theirs.first().title  # type: ignore[union-attr]
    supervise_run(today=date(2024, 4, 4), now=NOW)
    assert Notification.objects.filter(kind="remind.report").count() == 7  # not sent twice
    supervise_run(today=date(2024, 3, 20), now=NOW)  # too early: nothing new
    assert Notification.objects.filter(kind="remind.report").count() == 7


def test_unacknowledged_case_escalates_to_leaders_once(
    task: Task,
    units: Units,
    chuannan_planner_user: Any,
    chuannan_leader_user: Any,
    yibin_reporter_user: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    case, _c = case_open(task=task, light="yellow", reason="滞后", actor=chuannan_planner_user)
    case_assign(case=case, actor=chuannan_planner_user, today=date(2024, 4, 10), unit=units.yibin)
    summary = supervise_run(today=date(2024, 4, 12), now=NOW)
    assert summary.escalations == 0
    assert Notification.objects.filter(
        kind="remind.case.ack", recipient=yibin_reporter_user
    ).exists()
    with django_capture_on_commit_callbacks(execute=True):
        summary = supervise_run(today=date(2024, 4, 14), now=NOW)
    assert summary.escalations == 1
    escalated = Notification.objects.get(kind="case.escalated")
    assert escalated.recipient == chuannan_leader_user and "宜宾市" in escalated.title
    assert any(m.to == [chuannan_leader_user.email] for m in mail.outbox)
    assert supervise_run(today=date(2024, 4, 15), now=NOW).escalations == 0
    assert AuditEvent.objects.filter(action="case.escalate").count() == 1


def test_supervise_command(issued: AnnualList, task: Task, chuannan_planner_user: Any) -> None:
    _overdue_rail(issued, task, chuannan_planner_user)
    out = io.StringIO()
    call_command("supervise", "--date", "2024-04-10", "--dry-run", stdout=out)
    assert "[dry run] 2024-04-10" in out.getvalue() and "cases opened: 4" in out.getvalue()
    # the lights stored when the list was issued (issue 9) are left as they were
    assert not SupervisionCase.objects.exists()
    assert not TaskLight.objects.filter(computed_on=date(2024, 4, 10)).exists()
    call_command("supervise", "--date", "2024-04-10", stdout=out)
    assert SupervisionCase.objects.count() == 4
    with pytest.raises(CommandError):
        call_command("supervise", "--date", "2024-13-01")
