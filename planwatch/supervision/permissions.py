"""Who may see and act on 督办 cases: the planner of the plan opens, assigns, reviews and
closes (a case on no plan: a province-wide planner); the reporters and reviewers of the
assigned unit acknowledge, handle and answer; whoever may see the task sees its cases (a case
on another subject: the plan's planners and leaders, and the assigned unit)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import Http404

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role, role_paths
from planwatch.plans.models import Plan
from planwatch.supervision.models import SupervisionCase
from planwatch.tasks.permissions import can_manage_plan, can_view_task

CaseAction = Literal["view", "manage", "handle"]


def manages_plan(user: Any, plan: Plan | None) -> bool:
    """A planner of `plan`; for no plan (a case on a black listing of units), a
    province-wide planner."""
    if plan is not None:
        return can_manage_plan(user, plan)
    return any(p.count("/") <= 2 for p in role_paths(user, Role.PLANNER))


def can_manage_case(user: Any, case: SupervisionCase) -> bool:
    return manages_plan(user, case.plan)


def can_view_case(user: Any, case: SupervisionCase) -> bool:
    if case.task is not None:
        return can_view_task(user, case.task) or can_handle_case(user, case)
    if can_manage_case(user, case) or can_handle_case(user, case):
        return True
    zone = case.plan.org_unit if case.plan is not None else None
    return zone is not None and has_role(user, Role.LEADER, zone)


def can_handle_case(user: Any, case: SupervisionCase) -> bool:
    return case.unit is not None and (
        has_role(user, Role.REPORTER, case.unit) or has_role(user, Role.UNIT_REVIEWER, case.unit)
    )


def access_case(user: Any, case_id: int, *, action: CaseAction) -> SupervisionCase:
    """Load a case for `action` or raise Http404, alike for missing and not allowed."""
    case = (
        SupervisionCase.objects.select_related(
            "task__plan__org_unit", "task__lead_unit", "plan__org_unit", "unit"
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404
    if action == "manage":
        allowed = can_manage_case(user, case)
    elif action == "handle":
        allowed = can_handle_case(user, case)
    else:
        allowed = can_view_case(user, case)
    if not allowed:
        raise Http404
    return case
