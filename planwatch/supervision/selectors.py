"""Reads of supervision data, starting from what the viewer may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import role_paths, units_for
from planwatch.core.models import Notification
from planwatch.supervision.choices import CaseStatus
from planwatch.supervision.models import SupervisionCase, TaskLight
from planwatch.tasks.models import Task
from planwatch.tasks.permissions import visible_tasks_q


def case_list_for(*, user: Any, open_only: bool = True) -> QuerySet[SupervisionCase]:
    """Cases on tasks the viewer may see, plus cases assigned to the viewer's units."""
    unit_scope = Q(pk__in=[])
    for role in (Role.REPORTER, Role.UNIT_REVIEWER):
        unit_scope |= Q(unit__in=units_for(user, role))
    visible_tasks = Task.objects.filter(visible_tasks_q(user)).values("pk")
    qs = SupervisionCase.objects.filter(
        Q(task__in=visible_tasks) | unit_scope | Q(task__isnull=True) & _subject_scope(user)
    )
    if open_only:
        qs = qs.exclude(status=CaseStatus.CLOSED)
    return qs.select_related("task", "plan", "unit").order_by("-opened_at")


def _subject_scope(user: Any) -> Q:
    """Cases on a subject (not a task) that the viewer sees beyond its own units': those of
    the plans it plans or leads (no plan: province-wide planners)."""
    planner = role_paths(user, Role.PLANNER)
    scope = Q(pk__in=[])
    for path in [*planner, *role_paths(user, Role.LEADER)]:
        scope |= Q(plan__org_unit__path__startswith=path)
    if any(p.count("/") <= 2 for p in planner):
        scope |= Q(plan__isnull=True) | Q(plan__org_unit__isnull=True)
    return scope


def task_lights_for(*, user: Any, tasks: list[Task]) -> dict[int, TaskLight]:
    """The stored light of each of `tasks` the viewer may see."""
    if not tasks:
        return {}
    ids = Task.objects.filter(visible_tasks_q(user), pk__in=[t.pk for t in tasks]).values("pk")
    return {tl.task_id: tl for tl in TaskLight.objects.filter(task__in=ids)}


def notifications_for(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=user)
    return qs.filter(read_at__isnull=True) if unread_only else qs
