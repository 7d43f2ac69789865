"""Annual key-task lists: completeness check, issue (lock + version), revision with a diff."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from planwatch.audit.models import AuditEvent
from planwatch.core.workflow import ConcurrentUpdate, InvalidTransition, ServiceError
from planwatch.plans.models import Plan
from planwatch.tasks.models import AnnualList, ListVersion, Task
from planwatch.tasks.permissions import access_annual_list
from planwatch.tasks.services import (
    ListIncomplete,
    annual_list_check,
    annual_list_issue,
    annual_list_reopen,
    annual_list_set_frequency,
    task_drafts_generate,
    task_update,
)
from tests.factories.implementation import Units, complete_tasks


@pytest.fixture
def drafted(plan: Plan, chuannan_planner_user: Any) -> AnnualList:
    return task_drafts_generate(plan=plan, year=2024, actor=chuannan_planner_user).annual_list


def test_check_lists_every_failure(drafted: AnnualList, chuannan_planner_user: Any) -> None:
    rail = drafted.tasks.get(clause_key="c3.p1")
    task_update(
        task=rail, actor=chuannan_planner_user, changes={"lead_unit": None, "deadline": None}
    )
    failures = annual_list_check(annual_list=drafted)
    # Four tasks without a criterion, and the rail task also lacks lead unit and deadline.
    assert sorted((f.seq, f.field) for f in failures) == [
        (1, "criterion"),
        (1, "deadline"),
        (1, "lead_unit"),
        (2, "criterion"),
        (3, "criterion"),
        (4, "criterion"),
    ]
    assert "缺少牵头单位" in next(f.message for f in failures if f.field == "lead_unit")


def test_check_flags_missing_responsible_unit_and_empty_list(
    drafted: AnnualList, chuannan_planner_user: Any, units: Units, plan: Plan
) -> None:
    complete_tasks(drafted, chuannan_planner_user, units)
    rail = drafted.tasks.get(clause_key="c3.p1")
    task_update(task=rail, actor=chuannan_planner_user, changes={"responsible_units": []})
    assert [(f.seq, f.field) for f in annual_list_check(annual_list=drafted)] == [
        (1, "responsible_units")
    ]
    empty = AnnualList.objects.create(plan=plan, year=2025)
    assert [f.field for f in annual_list_check(annual_list=empty)] == ["tasks"]


def test_issue_refuses_incomplete_list_and_changes_nothing(
    drafted: AnnualList, chuannan_planner_user: Any
) -> None:
    with pytest.raises(ListIncomplete) as exc:
        annual_list_issue(annual_list=drafted, actor=chuannan_planner_user)
    assert len(exc.value.failures) == 4
    drafted.refresh_from_db()
    assert drafted.status == "draft" and not ListVersion.objects.exists()
    assert not AuditEvent.objects.filter(action="annual_list.issue").exists()


def test_issue_locks_activates_and_snapshots(
    drafted: AnnualList, chuannan_planner_user: Any, units: Units
) -> None:
    complete_tasks(drafted, chuannan_planner_user, units)
    lv = annual_list_issue(annual_list=drafted, actor=chuannan_planner_user)
    drafted.refresh_from_db()
    assert drafted.status == "issued" and drafted.issued_number == 1 and drafted.is_locked
    assert lv.number == 1 and lv.diff == {} and len(lv.snapshot) == 4
    assert lv.snapshot[0]["responsible_units"] in (["宜宾市", "泸州市"], ["泸州市", "宜宾市"])
    assert set(drafted.tasks.values_list("status", flat=True)) == {"active"}
    event = AuditEvent.objects.get(action="annual_list.issue")
    assert event.new == {"status": "issued", "version": 1, "tasks": 4}
    with pytest.raises(InvalidTransition):
        annual_list_issue(annual_list=drafted, actor=chuannan_planner_user)
    with pytest.raises(ServiceError):
        task_drafts_generate(plan=drafted.plan, year=2024, actor=chuannan_planner_user)
    with pytest.raises(ServiceError):
        annual_list_set_frequency(
            annual_list=drafted, actor=chuannan_planner_user, frequency="monthly"
        )


def test_revision_makes_a_new_version_with_a_visible_diff(
    issued: AnnualList, chuannan_planner_user: Any, units: Units
) -> None:
    with pytest.raises(ValidationError):
        annual_list_reopen(annual_list=issued, actor=chuannan_planner_user, reason=" ")
    annual_list_reopen(annual_list=issued, actor=chuannan_planner_user, reason="省政府调整年度目标")
    assert issued.status == "revising"
    rail = issued.tasks.get(clause_key="c3.p1")
    task_update(task=rail, actor=chuannan_planner_user, changes={"deadline": date(2024, 9, 30)})
    annual_list_set_frequency(annual_list=issued, actor=chuannan_planner_user, frequency="monthly")
    lv2 = annual_list_issue(annual_list=issued, actor=chuannan_planner_user)
    assert lv2.number == 2 and lv2.frequency == "monthly"
    assert lv2.diff["added"] == [] and lv2.diff["removed"] == []
    assert lv2.diff["changed"] == [
        {"id": rail.pk, "seq": 1, "fields": {"deadline": ["2024-12-31", "2024-09-30"]}}
    ]
    v1 = issued.versions.get(number=1)
    assert v1.snapshot[0]["deadline"] == "2024-12-31"  # the old version is kept as issued
    reopen = AuditEvent.objects.get(action="annual_list.reopen")
    assert reopen.new == {"status": "revising", "reason": "省政府调整年度目标"}


def test_issue_races_with_an_edit(
    drafted: AnnualList, chuannan_planner_user: Any, units: Units
) -> None:
    complete_tasks(drafted, chuannan_planner_user, units)
    drafted.refresh_from_db()
    stale = AnnualList.objects.get(pk=drafted.pk)
    annual_list_issue(annual_list=drafted, actor=chuannan_planner_user)
    # A second planner's issue, prepared on the old state, cannot issue it twice.
    with pytest.raises((ConcurrentUpdate, InvalidTransition)):
        annual_list_issue(annual_list=stale, actor=chuannan_planner_user)
    assert ListVersion.objects.count() == 1


def test_list_services_denied_outside_scope(
    drafted: AnnualList,
    panxi_planner_user: Any,
    yibin_reporter_user: Any,
    chuannan_leader_user: Any,
    chuannan_planner_user: Any,
    units: Units,
) -> None:
    complete_tasks(drafted, chuannan_planner_user, units)
    for actor in (panxi_planner_user, yibin_reporter_user, chuannan_leader_user):
        with pytest.raises(PermissionDenied):
            annual_list_issue(annual_list=drafted, actor=actor)
        with pytest.raises(PermissionDenied):
            annual_list_set_frequency(annual_list=drafted, actor=actor, frequency="monthly")
    annual_list_issue(annual_list=drafted, actor=chuannan_planner_user)
    with pytest.raises(PermissionDenied):
        annual_list_reopen(annual_list=drafted, actor=yibin_reporter_user, reason="x")
    assert access_annual_list(chuannan_leader_user, drafted.pk, action="view") == drafted
    # a unit named on the issued list reads it (issue 9), but does not manage it
    assert access_annual_list(yibin_reporter_user, drafted.pk, action="view") == drafted
    for user, action in (
        (chuannan_leader_user, "manage"),
        (yibin_reporter_user, "manage"),
        (panxi_planner_user, "view"),
    ):
        with pytest.raises(Http404):
            access_annual_list(user, drafted.pk, action=action)  # type: ignore[arg-type]
    assert Task.objects.filter(status="active").count() == 4
