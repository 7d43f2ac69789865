"""Who may do what with major projects: planners of a project's zone draft, confirm, merge,
discard and edit it and accept its monthly reports; a filler (填报人) of a segment's (or the
project's) responsible unit files the monthly report, that unit's reviewer approves or
returns it. Public visitors see confirmed projects with their yearly figures only."""

from __future__ import annotations

from typing import Any, Literal

from django.http import Http404

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role, holds_any_role, role_paths
from planwatch.projects.choices import ProjectStatus
from planwatch.projects.models import MonthlyReport, Project

Action = Literal["view", "manage"]
ReportAction = Literal["view", "edit", "review", "accept"]


def can_manage_project(user: Any, project: Project) -> bool:
    """A planner whose scope covers the project's zone (no zone: a province-wide planner)."""
    if project.zone is not None:
        return has_role(user, Role.PLANNER, project.zone)
    if getattr(user, "is_superuser", False):
        return True
    return any(p.count("/") <= 2 for p in role_paths(user, Role.PLANNER))


def is_insider(user: Any) -> bool:
    return holds_any_role(user)


def can_view_project(user: Any, project: Project) -> bool:
    if project.status == ProjectStatus.CONFIRMED and project.merged_into_id is None:
        return True
    return can_manage_project(user, project)


def access_project(user: Any, project_id: int, *, action: Action = "view") -> Project:
    """Load a project for `action` or raise Http404, alike for missing and not allowed."""
    project = Project.objects.select_related("zone", "lead_unit", "plan").filter(pk=project_id)
    found = project.first()
    if found is None:
        raise Http404
    allowed = can_view_project if action == "view" else can_manage_project
    if not allowed(user, found):
        raise Http404
    return found


def can_fill(user: Any, report: MonthlyReport) -> bool:
    return has_role(user, Role.REPORTER, report.unit)


def can_review(user: Any, report: MonthlyReport) -> bool:
    return has_role(user, Role.UNIT_REVIEWER, report.unit)


def can_accept(user: Any, report: MonthlyReport) -> bool:
    return can_manage_project(user, report.project)


def can_view_report(user: Any, report: MonthlyReport) -> bool:
    return (
        can_fill(user, report)
        or can_review(user, report)
        or can_accept(user, report)
        or has_role(user, Role.LEADER, report.unit)
    )


def holds_role(user: Any, report: MonthlyReport, role: str) -> bool:
    """Whether `user` may act in `role` (a role of the review transitions) on `report`."""
    if role == Role.REPORTER:
        return can_fill(user, report)
    if role == Role.UNIT_REVIEWER:
        return can_review(user, report)
    return role == Role.PLANNER and can_accept(user, report)


def access_report(user: Any, report_id: int, *, action: ReportAction = "view") -> MonthlyReport:
    report = (
        MonthlyReport.objects.select_related("project__zone", "segment", "unit")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise Http404
    check = {
        "view": can_view_report,
        "edit": can_fill,
        "review": can_review,
        "accept": can_accept,
    }[action]
    if not check(user, report):
        raise Http404
    return report
