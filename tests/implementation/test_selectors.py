"""Selectors start from what the viewer may see."""

from __future__ import annotations

from datetime import date
from typing import Any

from planwatch.reports.selectors import report_list_for, review_queue_for, task_report_slots
from planwatch.reports.services import (
    progress_report_approve,
    progress_report_start,
    progress_report_submit,
    progress_report_update,
)
from planwatch.supervision.selectors import case_list_for, notifications_for
from planwatch.supervision.services import case_assign, case_open, notification_mark_read
from planwatch.tasks.models import AnnualList
from tests.implementation.factories import Units


def _submitted(task: Any, unit: Any, reporter: Any) -> Any:
    r = progress_report_start(task=task, unit=unit, period_start=date(2024, 1, 1), actor=reporter)
    progress_report_update(
        report=r,
        actor=reporter,
        version=r.version,
        completion=10,
        progress_status="in_progress",
        narrative="推进",
    )
    return progress_report_submit(report=r, actor=reporter)


def test_reports_and_queues_by_viewer(
    issued: AnnualList,
    units: Units,
    yibin_reporter: Any,
    yibin_reviewer: Any,
    luzhou_reporter: Any,
    luzhou_reviewer: Any,
    planner: Any,
    panxi_planner: Any,
    leader: Any,
) -> None:
    task = issued.tasks.get(seq=1)
    yb = _submitted(task, units.yibin, yibin_reporter)
    lz = _submitted(task, units.luzhou, luzhou_reporter)
    assert list(report_list_for(user=yibin_reporter)) == [yb]
    assert list(report_list_for(user=luzhou_reviewer)) == [lz]
    assert set(report_list_for(user=planner)) == {yb, lz}
    assert set(report_list_for(user=leader)) == {yb, lz}
    assert list(report_list_for(user=panxi_planner)) == []
    assert list(review_queue_for(user=yibin_reviewer)) == [yb]
    assert list(review_queue_for(user=planner)) == []
    progress_report_approve(report=yb, actor=yibin_reviewer)
    assert list(review_queue_for(user=planner)) == [yb]
    assert list(review_queue_for(user=yibin_reviewer)) == []


def test_report_slots_show_only_the_viewers_units(
    issued: AnnualList, units: Units, yibin_reporter: Any, planner: Any, luzhou_reporter: Any
) -> None:
    task = issued.tasks.get(seq=1)
    yb = _submitted(task, units.yibin, yibin_reporter)
    slots = task_report_slots(user=yibin_reporter, task=task)
    assert {s.unit for s in slots} == {units.yibin} and len(slots) == 4
    assert slots[0].report == yb and slots[0].can_start and slots[1].report is None
    planner_slots = task_report_slots(user=planner, task=task)
    # The lead unit's four quarters come first, then each responsible unit's.
    assert [s.unit for s in planner_slots[::4]] == [units.transport, units.luzhou, units.yibin]
    assert [s.is_lead for s in planner_slots[::4]] == [True, False, False]
    assert len(planner_slots) == 12 and not any(s.can_start for s in planner_slots)
    assert all(s.report is None for s in task_report_slots(user=luzhou_reporter, task=task))


def test_cases_and_notifications_by_viewer(
    issued: AnnualList,
    units: Units,
    planner: Any,
    yibin_reporter: Any,
    luzhou_reporter: Any,
    panxi_planner: Any,
) -> None:
    task = issued.tasks.get(seq=1)
    case, _ = case_open(task=task, light="red", reason="逾期", actor=planner)
    case_assign(case=case, actor=planner, today=date(2024, 4, 1), unit=units.yibin)
    assert list(case_list_for(user=planner)) == [case]
    assert list(case_list_for(user=yibin_reporter)) == [case]
    assert list(case_list_for(user=panxi_planner)) == []
    note = notifications_for(user=yibin_reporter).get()
    assert notifications_for(user=luzhou_reporter).count() == 0
    notification_mark_read(notification_id=note.pk, actor=luzhou_reporter)  # not theirs
    assert notifications_for(user=yibin_reporter, unread_only=True).count() == 1
    notification_mark_read(notification_id=note.pk, actor=yibin_reporter)
    assert notifications_for(user=yibin_reporter, unread_only=True).count() == 0
