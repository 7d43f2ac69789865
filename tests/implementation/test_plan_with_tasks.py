"""A plan with tasks cannot be deleted (issue 9 item 12): it can be withdrawn, and deleting
it is refused with a clear message, leaving everything in place."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from planwatch.audit.models import AuditEvent
from planwatch.plans.choices import PlanStatus
from planwatch.plans.models import Plan
from planwatch.plans.services import plan_delete, plan_unpublish
from planwatch.tasks.models import AnnualList
from tests.factories.personas import logged_in


def test_a_withdrawn_plan_with_tasks_is_not_deleted(
    plan: Plan, issued: AnnualList, chuannan_planner_user: User
) -> None:
    tasks = issued.tasks.count()
    assert tasks > 0
    client = logged_in(chuannan_planner_user)
    client.post(f"/plans/{plan.slug}/unpublish/", {"reason": "规划修编中"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.UNPUBLISHED
    page = client.post(f"/plans/{plan.slug}/delete/", follow=True).content.decode()
    assert "不能删除" in page and "年度任务清单" in page
    assert Plan.objects.filter(pk=plan.pk).exists()
    assert issued.tasks.count() == tasks
    plan.refresh_from_db()
    assert plan.current_version is not None
    assert not AuditEvent.objects.filter(action="plan.delete").exists()
    with pytest.raises(ValidationError):
        plan_delete(plan=plan, actor=chuannan_planner_user)


def test_the_service_refuses_a_published_plan_and_an_empty_reason(
    plan: Plan, chuannan_planner_user: User
) -> None:
    with pytest.raises(ValidationError):
        plan_delete(plan=plan, actor=chuannan_planner_user)
    with pytest.raises(ValidationError):
        plan_unpublish(plan=plan, actor=chuannan_planner_user, reason="")
