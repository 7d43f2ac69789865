"""The denied path of the services not already covered elsewhere: each refuses the wrong
person and changes nothing (no row, no audit event)."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from planwatch.audit.models import AuditEvent
from planwatch.plans.models import Plan
from planwatch.reports.evidence import evidence_add, evidence_remove
from planwatch.reports.services import progress_report_start
from planwatch.supervision.services import (
    case_acknowledge,
    case_assign,
    case_close,
    case_feedback,
    case_open,
    case_review,
    case_start,
)
from planwatch.tasks.models import AnnualList
from planwatch.tasks.services import (
    annual_list_get_or_create,
    task_create,
    task_delete,
    task_drafts_generate,
)
from tests.factories.implementation import Units


def _refused(action: Callable[[], Any]) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        action()
    assert AuditEvent.objects.count() == before


def test_task_and_list_services_refuse_outsiders(
    plan: Plan,
    chuannan_planner_user: Any,
    panxi_planner_user: Any,
    yibin_reporter_user: Any,
    chuannan_leader_user: Any,
) -> None:
    alist = task_drafts_generate(plan=plan, year=2024, actor=chuannan_planner_user).annual_list
    task = alist.tasks.first()
    assert task is not None
    for actor in (panxi_planner_user, yibin_reporter_user, chuannan_leader_user):
        _refused(lambda a=actor: annual_list_get_or_create(plan=plan, year=2025, actor=a))
        _refused(lambda a=actor: task_create(annual_list=alist, actor=a, changes={"title": "外人"}))
        _refused(lambda a=actor: task_delete(task=task, actor=a))
    assert not AnnualList.objects.filter(year=2025).exists()
    assert alist.tasks.count() == 4


def test_evidence_removal_refuses_others(
    issued: AnnualList,
    units: Units,
    yibin_reporter_user: Any,
    yibin_reviewer_user: Any,
    chuannan_planner_user: Any,
) -> None:
    task = issued.tasks.get(seq=1)
    report = progress_report_start(
        task=task, unit=units.yibin, period_start=date(2024, 1, 1), actor=yibin_reporter_user
    )
    ev = evidence_add(
        report=report, actor=yibin_reporter_user, name="a.pdf", content=io.BytesIO(b"%PDF-1.4\n")
    )
    for actor in (yibin_reviewer_user, chuannan_planner_user):
        _refused(lambda a=actor: evidence_remove(evidence=ev, actor=a))
    assert report.evidence.count() == 1


def test_case_steps_refuse_the_wrong_side(
    issued: AnnualList,
    units: Units,
    chuannan_planner_user: Any,
    panxi_planner_user: Any,
    yibin_reporter_user: Any,
    luzhou_reporter_user: Any,
) -> None:
    task = issued.tasks.get(seq=1)
    case, _ = case_open(task=task, light="red", reason="逾期", actor=chuannan_planner_user)
    _refused(lambda: case_assign(case=case, actor=panxi_planner_user, today=date(2024, 4, 1)))
    case_assign(case=case, actor=chuannan_planner_user, today=date(2024, 4, 1), unit=units.yibin)
    _refused(
        lambda: case_acknowledge(case=case, actor=chuannan_planner_user)
    )  # the unit acknowledges
    case_acknowledge(case=case, actor=yibin_reporter_user)
    _refused(lambda: case_start(case=case, actor=luzhou_reporter_user))
    case_start(case=case, actor=yibin_reporter_user)
    _refused(lambda: case_feedback(case=case, actor=luzhou_reporter_user, feedback="x"))
    case_feedback(case=case, actor=yibin_reporter_user, feedback="已办")
    _refused(lambda: case_review(case=case, actor=yibin_reporter_user, passed=True))
    case_review(case=case, actor=chuannan_planner_user, passed=True)
    for actor in (yibin_reporter_user, panxi_planner_user):
        _refused(lambda a=actor: case_close(case=case, actor=a))
    case.refresh_from_db()
    assert case.status == "reviewed"
