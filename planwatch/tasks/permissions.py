"""Who may see and change tasks and annual lists. Built on the role predicates of
`planwatch.accounts.permissions`; `access_*` helpers are the only way views load objects, and
they answer "missing" and "not allowed" with the same 404."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role, role_paths, units_for
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.tasks.choices import TaskStatus
from planwatch.tasks.models import AnnualList, Task

TaskAction = Literal["view", "edit", "report"]
UNIT_ROLES = (Role.REPORTER, Role.UNIT_REVIEWER, Role.LEADER)


def holds_on_any(user: Any, role: Role | str, units: Iterable[OrgUnit]) -> bool:
    """Whether `user` holds `role` on any of `units` (or on an ancestor of one of them)."""
    paths = role_paths(user, role)
    return any(unit.path.startswith(p) for unit in units for p in paths)


def can_manage_plan(user: Any, plan: Plan) -> bool:
    """A planner whose scope covers the plan's zone (a plan without a zone needs a
    province-wide planner)."""
    if plan.org_unit is not None:
        return has_role(user, Role.PLANNER, plan.org_unit)
    return any(p.count("/") <= 2 for p in role_paths(user, Role.PLANNER))


def require_plan_manager(user: Any, plan: Plan) -> None:
    if not can_manage_plan(user, plan):
        raise PermissionDenied(_("只有负责该规划的规划处室人员可以执行此操作。"))


def task_units(task: Task) -> list[OrgUnit]:
    """Every unit named on the task: lead, responsible and supporting."""
    units = [*task.responsible_units.all(), *task.supporting_units.all()]
    if task.lead_unit is not None:
        units.append(task.lead_unit)
    return units


def reporting_units(task: Task) -> list[OrgUnit]:
    """The units that report on the task, each once: the lead unit (牵头单位, which files the
    summary report, 汇总) first, then the responsible units (责任单位) by path. Uses
    `task.lead_unit` and `task.responsible_units.all()`, so a prefetch saves the queries."""
    lead = [task.lead_unit] if task.lead_unit is not None else []
    rest = sorted(
        (u for u in task.responsible_units.all() if u.pk != task.lead_unit_id),
        key=lambda u: u.path,
    )
    return [*lead, *rest]


def can_view_task(user: Any, task: Task) -> bool:
    if can_manage_plan(user, task.plan):
        return True
    if task.status == TaskStatus.DRAFT:
        return False
    if task.plan.org_unit is not None and has_role(user, Role.LEADER, task.plan.org_unit):
        return True
    units = task_units(task)
    return any(holds_on_any(user, role, units) for role in UNIT_ROLES)


def can_report_task(user: Any, task: Task, unit: OrgUnit | None = None) -> bool:
    """A reporter of one of the task's reporting units — its lead unit or a responsible
    unit (of `unit`, when given)."""
    units = reporting_units(task)
    if unit is not None:
        if unit.pk not in {u.pk for u in units}:
            return False
        units = [unit]
    return holds_on_any(user, Role.REPORTER, units)


def access_task(user: Any, task_id: int, *, action: TaskAction) -> Task:
    """Load a task for `action` or raise Http404 — the same whether it is missing or not
    allowed, so that nobody learns which tasks exist outside their scope."""
    task = (
        Task.objects.select_related("plan", "lead_unit", "annual_list").filter(pk=task_id).first()
    )
    if task is None:
        raise Http404
    if action == "view":
        allowed = can_view_task(user, task)
    elif action == "edit":
        allowed = can_manage_plan(user, task.plan)
    else:
        allowed = can_report_task(user, task)
    if not allowed:
        raise Http404
    return task


def access_annual_list(user: Any, list_id: int, *, action: Literal["view", "manage"]) -> AnnualList:
    alist = AnnualList.objects.select_related("plan").filter(pk=list_id).first()
    if alist is None:
        raise Http404
    if can_manage_plan(user, alist.plan):
        return alist
    if action == "view" and (
        (alist.plan.org_unit is not None and has_role(user, Role.LEADER, alist.plan.org_unit))
        or is_unit_of_list(user, alist)
    ):
        return alist
    raise Http404


def is_unit_of_list(user: Any, alist: AnnualList) -> bool:
    """Whether `user` works for a unit named on a task of the issued list `alist` (its lead,
    responsible or supporting units): such units read the list issued to them, read-only."""
    if not alist.issued_number:
        return False
    return alist.tasks.filter(units_of_user_q(user), ~Q(status=TaskStatus.DRAFT)).exists()


def units_of_user_q(user: Any) -> Q:
    """Tasks naming one of the units on which `user` holds a unit role (reporter, reviewer,
    leader), as a filter on tasks."""
    unit_ids: QuerySet[OrgUnit] = OrgUnit.objects.none()
    for role in UNIT_ROLES:
        unit_ids = unit_ids | units_for(user, role)
    return _naming_units_q(unit_ids)


def _naming_units_q(unit_ids: QuerySet[OrgUnit]) -> Q:
    """Tasks led by, or naming as responsible or supporting, one of `unit_ids`. The
    many-to-many parts are subqueries on their link tables, not joins: a join gives a task
    once per matching link, which every caller then had to DISTINCT away (on PostgreSQL the
    largest cost of the task list and the API's)."""
    links = (Task.responsible_units.through, Task.supporting_units.through)
    return (
        Q(lead_unit__in=unit_ids)
        | Q(pk__in=links[0].objects.filter(orgunit__in=unit_ids).values("task_id"))
        | Q(pk__in=links[1].objects.filter(orgunit__in=unit_ids).values("task_id"))
    )


def visible_tasks_q(user: Any) -> Q:
    """The tasks `user` may see, as a filter (nothing for anonymous visitors)."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    planned = Q(plan__org_unit__in=units_for(user, Role.PLANNER))
    if any(p.count("/") <= 2 for p in role_paths(user, Role.PLANNER)):
        planned |= Q(plan__org_unit__isnull=True)
    unit_ids: QuerySet[OrgUnit] = OrgUnit.objects.none()
    for role in UNIT_ROLES:
        unit_ids = unit_ids | units_for(user, role)
    # Leaders and units see a task once its list is issued; drafts are the planner's.
    issued = (Q(plan__org_unit__in=units_for(user, Role.LEADER)) | _naming_units_q(unit_ids)) & ~Q(
        status=TaskStatus.DRAFT
    )
    return planned | issued


def plans_managed_q(user: Any) -> Q:
    """Plans `user` plans (the query form of can_manage_plan)."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    query = Q(org_unit__in=units_for(user, Role.PLANNER))
    if any(p.count("/") <= 2 for p in role_paths(user, Role.PLANNER)):
        query |= Q(org_unit__isnull=True)
    return query


def plans_led_q(user: Any) -> Q:
    """Plans whose zone `user` leads."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return Q(org_unit__in=units_for(user, Role.LEADER))
