"""Selectors start from what the viewer may see."""

from __future__ import annotations

from datetime import date
from typing import Any

from planwatch.reports.selectors import report_list_for, review_queue_for, task_report_slots
from planwatch.reports.services import (
    progress_report_approve,
)
from planwatch.supervision.selectors import case_list_for, notifications_for
from planwatch.supervision.services import case_assign, case_open, notification_mark_read
from planwatch.tasks.models import AnnualList
from tests.factories.implementation import Units, report_filed


def _submitted(task: Any, unit: Any, reporter: Any) -> Any:
    return report_filed(task, unit, reporter, 10, narrative="推进")


def test_reports_and_queues_by_viewer(
    issued: AnnualList,
    units: Units,
    yibin_reporter_user: Any,
    yibin_reviewer_user: Any,
    luzhou_reporter_user: Any,
    luzhou_reviewer_user: Any,
    chuannan_planner_user: Any,
    panxi_planner_user: Any,
    chuannan_leader_user: Any,
) -> None:
    task = issued.tasks.get(seq=1)
    yb = _submitted(task, units.yibin, yibin_reporter_user)
    lz = _submitted(task, units.luzhou, luzhou_reporter_user)
    assert list(report_list_for(user=yibin_reporter_user)) == [yb]
    assert list(report_list_for(user=luzhou_reviewer_user)) == [lz]
    assert set(report_list_for(user=chuannan_planner_user)) == {yb, lz}
    assert set(report_list_for(user=chuannan_leader_user)) == {yb, lz}
    assert list(report_list_for(user=panxi_planner_user)) == []
    assert list(review_queue_for(user=yibin_reviewer_user)) == [yb]
    assert list(review_queue_for(user=chuannan_planner_user)) == []
    progress_report_approve(report=yb, actor=yibin_reviewer_user)
    assert list(review_queue_for(user=chuannan_planner_user)) == [yb]
    assert list(review_queue_for(user=yibin_reviewer_user)) == []


def test_report_slots_show_only_the_viewers_units(
    issued: AnnualList,
    units: Units,
    yibin_reporter_user: Any,
    chuannan_planner_user: Any,
    luzhou_reporter_user: Any,
) -> None:
    task = issued.tasks.get(seq=1)
    yb = _submitted(task, units.yibin, yibin_reporter_user)
    slots = task_report_slots(user=yibin_reporter_user, task=task)
    assert {s.unit for s in slots} == {units.yibin} and len(slots) == 4
    assert slots[0].report == yb and slots[0].can_start and slots[1].report is None
    planner_slots = task_report_slots(user=chuannan_planner_user, task=task)
    # The lead unit's four quarters come first, then each responsible unit's.
    assert [s.unit for s in planner_slots[::4]] == [units.transport, units.luzhou, units.yibin]
    assert [s.is_lead for s in planner_slots[::4]] == [True, False, False]
    assert len(planner_slots) == 12 and not any(s.can_start for s in planner_slots)
    assert all(s.report is None for s in task_report_slots(user=luzhou_reporter_user, task=task))


def test_cases_and_notifications_by_viewer(
    issued: AnnualList,
    units: Units,
    chuannan_planner_user: Any,
    yibin_reporter_user: Any,
    luzhou_reporter_user: Any,
    panxi_planner_user: Any,
) -> None:
    task = issued.tasks.get(seq=1)
    case, _ = case_open(task=task, light="red", reason="逾期", actor=chuannan_planner_user)
    case_assign(case=case, actor=chuannan_planner_user, today=date(2024, 4, 1), unit=units.yibin)
    assert list(case_list_for(user=chuannan_planner_user)) == [case]
    assert list(case_list_for(user=yibin_reporter_user)) == [case]
    assert list(case_list_for(user=panxi_planner_user)) == []
    note = notifications_for(user=yibin_reporter_user).get()
    assert notifications_for(user=luzhou_reporter_user).count() == 0
    notification_mark_read(notification_id=note.pk, actor=luzhou_reporter_user)  # not theirs
    assert notifications_for(user=yibin_reporter_user, unread_only=True).count() == 1
    notification_mark_read(notification_id=note.pk, actor=yibin_reporter_user)
    assert notifications_for(user=yibin_reporter_user, unread_only=True).count() == 0
