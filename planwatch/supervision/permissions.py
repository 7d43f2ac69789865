"""Who may see and act on 督办 cases: the planner of the plan opens, assigns, reviews and
closes; the reporters and reviewers of the assigned unit acknowledge, handle and answer;
whoever may see the task sees its cases."""

from __future__ import annotations

from typing import Any, Literal

from django.http import Http404

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role
from planwatch.supervision.models import SupervisionCase
from planwatch.tasks.permissions import can_manage_plan, can_view_task

CaseAction = Literal["view", "manage", "handle"]


def can_handle_case(user: Any, case: SupervisionCase) -> bool:
    return case.unit is not None and (
        has_role(user, Role.REPORTER, case.unit) or has_role(user, Role.UNIT_REVIEWER, case.unit)
    )


def access_case(user: Any, case_id: int, *, action: CaseAction) -> SupervisionCase:
    """Load a case for `action` or raise Http404, alike for missing and not allowed."""
    case = (
        SupervisionCase.objects.select_related("task__plan__org_unit", "task__lead_unit", "unit")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404
    if action == "manage":
        allowed = can_manage_plan(user, case.task.plan)
    elif action == "handle":
        allowed = can_handle_case(user, case)
    else:
        allowed = can_view_task(user, case.task) or can_handle_case(user, case)
    if not allowed:
        raise Http404
    return case
