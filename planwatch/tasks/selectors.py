"""Reads of tasks and lists, always starting from what the viewer may see."""

from __future__ import annotations

from typing import Any, TypedDict

from django.db.models import Q, QuerySet

from planwatch.plans.models import Plan
from planwatch.tasks.choices import TaskStatus
from planwatch.tasks.models import AnnualList, Task
from planwatch.tasks.permissions import (
    can_manage_plan,
    plans_led_q,
    plans_managed_q,
    units_of_user_q,
    visible_tasks_q,
)


class TaskFilters(TypedDict, total=False):
    plan_id: int
    year: int
    unit_id: int
    status: str
    light: str


def task_list_for(*, user: Any, filters: TaskFilters | None = None) -> QuerySet[Task]:
    """The tasks `user` may see, filtered, in list order."""
    filters = filters or {}
    qs = Task.objects.filter(visible_tasks_q(user))
    if "plan_id" in filters:
        qs = qs.filter(plan_id=filters["plan_id"])
    if "year" in filters:
        qs = qs.filter(year=filters["year"])
    if "status" in filters:
        qs = qs.filter(status=filters["status"])
    if "unit_id" in filters:
        qs = qs.filter(responsible_units=filters["unit_id"])
    if "light" in filters:
        qs = qs.filter(light__light=filters["light"])
    ids = qs.values("pk").distinct()
    return (
        Task.objects.filter(pk__in=ids)
        .select_related("plan", "lead_unit", "annual_list")
        .prefetch_related("responsible_units")
        .order_by("plan_id", "-year", "seq")
    )


def annual_list_tasks(*, annual_list: AnnualList) -> QuerySet[Task]:
    """A list's tasks with what the list page and the xlsx export show."""
    return (
        annual_list.tasks.select_related("lead_unit", "clause")
        .prefetch_related("co_lead_units", "responsible_units", "supporting_units", "milestones")
        .order_by("seq")
    )


def annual_list_rows_for(*, user: Any, annual_list: AnnualList) -> QuerySet[Task]:
    """The rows of a list `user` reads, on its page and in its xlsx: every row for the
    plan's planners; for everyone else the rows they may see (a unit its own rows)."""
    rows = annual_list_tasks(annual_list=annual_list)
    if can_manage_plan(user, annual_list.plan):
        return rows
    return rows.filter(pk__in=Task.objects.filter(visible_tasks_q(user)))


def _annual_lists_for(user: Any) -> QuerySet[AnnualList]:
    plans = Plan.objects.filter(plans_managed_q(user) | plans_led_q(user)).values("pk")
    named = Task.objects.filter(
        units_of_user_q(user), ~Q(status=TaskStatus.DRAFT), annual_list__issued_number__gte=1
    ).values("annual_list_id")
    return AnnualList.objects.filter(Q(plan__in=plans) | Q(pk__in=named))


def annual_list_list_for(*, user: Any) -> list[AnnualList]:
    """Lists of the plans the viewer plans or leads, and the issued lists that name one of
    the viewer's units on a task (read-only for them)."""
    lists = _annual_lists_for(user).select_related("plan")
    return list(lists.order_by("plan", "-year"))


def has_annual_lists(*, user: Any) -> bool:
    """Whether `annual_list_list_for` has any list (one EXISTS, not the lists)."""
    return _annual_lists_for(user).exists()
