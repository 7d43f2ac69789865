"""Publishing and withdrawing: who may, what must be true first, what the public then sees,
and the audit trail."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError

from planwatch.audit.models import AuditEvent
from planwatch.publication import selectors
from planwatch.publication.models import Publication
from planwatch.publication.services import can_publish, publish, withdraw
from planwatch.tasks.models import AnnualList, Task

pytestmark = pytest.mark.django_db


def test_nothing_is_public_until_published(issued: AnnualList) -> None:
    assert issued.tasks.exists()
    assert not selectors.public_tasks().exists()
    assert not selectors.public_lists().exists()
    assert not selectors.is_public(issued.tasks.first())


def test_publishing_a_list_makes_its_tasks_public_and_is_audited(
    issued: AnnualList, chuannan_planner_user: User
) -> None:
    pub = publish(actor=chuannan_planner_user, subject=issued, note="2024年清单")
    assert pub.kind == "list" and pub.is_live
    assert set(selectors.public_tasks().values_list("pk", flat=True)) == set(
        issued.tasks.values_list("pk", flat=True)
    )
    assert selectors.public_ids("list") == {issued.pk}
    event = AuditEvent.objects.filter(action="publication.publish").get()
    assert event.target_id == str(issued.pk) and event.target_type == "list"
    # publishing again changes nothing
    assert publish(actor=chuannan_planner_user, subject=issued).pk == pub.pk
    assert AuditEvent.objects.filter(action="publication.publish").count() == 1


def test_one_task_alone(issued: AnnualList, chuannan_planner_user: User) -> None:
    task = issued.tasks.order_by("seq").first()
    assert task is not None
    publish(actor=chuannan_planner_user, subject=task)
    assert list(selectors.public_tasks()) == [task]
    other = issued.tasks.exclude(pk=task.pk).first()
    assert other is not None and not selectors.is_public(other)


def test_withdraw_needs_a_reason_and_keeps_the_record(
    issued: AnnualList, chuannan_planner_user: User
) -> None:
    publish(actor=chuannan_planner_user, subject=issued)
    with pytest.raises(ValidationError):
        withdraw(actor=chuannan_planner_user, subject=issued, reason="  ")
    assert selectors.public_tasks().exists()
    withdraw(actor=chuannan_planner_user, subject=issued, reason="数据有误，核实后再公开")
    assert not selectors.public_tasks().exists()
    old = Publication.objects.get()
    assert old.withdrawal_reason == "数据有误，核实后再公开" and old.withdrawn_by is not None
    event = AuditEvent.objects.get(action="publication.withdraw")
    assert event.new == {"reason": "数据有误，核实后再公开"}
    # published again: a new row, the old one kept
    publish(actor=chuannan_planner_user, subject=issued)
    assert Publication.objects.count() == 2
    with pytest.raises(ValidationError):
        withdraw(actor=chuannan_planner_user, subject=Task.objects.first(), reason="x")


def test_only_the_zones_planners_publish(
    issued: AnnualList,
    panxi_planner_user: User,
    yibin_reporter_user: User,
    planner_user: User,
    chuannan_planner_user: User,
) -> None:
    assert can_publish(chuannan_planner_user, issued)
    assert can_publish(planner_user, issued)  # the province's planner
    assert not can_publish(panxi_planner_user, issued)
    assert not can_publish(yibin_reporter_user, issued)
    with pytest.raises(PermissionDenied):
        publish(actor=panxi_planner_user, subject=issued)
    assert not Publication.objects.exists()


def test_a_draft_list_cannot_be_published(plan: object, chuannan_planner_user: User) -> None:
    draft = AnnualList.objects.create(plan=plan, year=2025)
    with pytest.raises(ValidationError, match="尚未下达"):
        publish(actor=chuannan_planner_user, subject=draft)
    assert not Publication.objects.exists()
