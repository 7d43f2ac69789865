"""Who may do what to a progress report: the reporter of the reporting unit edits and
submits, that unit's reviewer approves or returns, the planner of the plan accepts or
returns; leaders of the plan's zone read."""

from __future__ import annotations

from typing import Any, Literal

from django.http import Http404

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role
from planwatch.reports.models import ProgressReport
from planwatch.tasks.permissions import can_manage_plan

ReportAction = Literal["view", "edit", "review", "accept"]


def can_edit_report(user: Any, report: ProgressReport) -> bool:
    return has_role(user, Role.REPORTER, report.unit)


def can_review_report(user: Any, report: ProgressReport) -> bool:
    return has_role(user, Role.UNIT_REVIEWER, report.unit)


def can_accept_report(user: Any, report: ProgressReport) -> bool:
    return can_manage_plan(user, report.task.plan)


def can_view_report(user: Any, report: ProgressReport) -> bool:
    zone = report.task.plan.org_unit
    return (
        can_edit_report(user, report)
        or can_review_report(user, report)
        or can_accept_report(user, report)
        or (zone is not None and has_role(user, Role.LEADER, zone))
        or has_role(user, Role.LEADER, report.unit)
    )


def holds_report_role(user: Any, report: ProgressReport, role: str) -> bool:
    """Whether `user` may act in `role` (a role of ALLOWED_TRANSITIONS) on `report`."""
    if role == Role.REPORTER:
        return can_edit_report(user, report)
    if role == Role.UNIT_REVIEWER:
        return can_review_report(user, report)
    return role == Role.PLANNER and can_accept_report(user, report)


def access_report(user: Any, report_id: int, *, action: ReportAction) -> ProgressReport:
    """Load a report for `action` or raise Http404, alike for missing and not allowed."""
    report = (
        ProgressReport.objects.select_related("task__plan__org_unit", "unit")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise Http404
    check = {
        "view": can_view_report,
        "edit": can_edit_report,
        "review": can_review_report,
        "accept": can_accept_report,
    }[action]
    if not check(user, report):
        raise Http404
    return report
