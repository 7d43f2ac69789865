"""Shared steps of the project tests, all through the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from planwatch.projects import services as s
from planwatch.projects.models import MonthlyReport, Project, Segment


def confirmed_from_plan(plan: Any, planner: Any, name: str) -> Project:
    """Draft the plan's projects and confirm the one called `name`."""
    s.project_drafts_generate(plan=plan, actor=planner)
    project = Project.objects.get(plan=plan, name=name)
    return s.project_confirm(project=project, actor=planner)


def filed_and_accepted(
    *,
    project: Project,
    segment: Segment | None,
    year: int,
    month: int,
    ytd: Decimal | int,
    filler: Any,
    reviewer: Any,
    planner: Any,
    this_month: Decimal | int | None = None,
) -> MonthlyReport:
    """A monthly report filed, approved by the unit and accepted by the planner."""
    report = s.monthly_report_start(
        project=project, segment=segment, year=year, month=month, actor=filler
    )
    s.monthly_report_update(
        report=report,
        actor=filler,
        version=report.version,
        values={
            "invested_month": this_month if this_month is not None else ytd,
            "invested_ytd": ytd,
            "invested_total": Decimal(ytd) + 100000,
            "progress_text": "桥梁下部结构完成 60%",
        },
        issues=["征地拆迁需省级协调"],
    )
    s.monthly_report_submit(report=report, actor=filler)
    s.monthly_report_approve(report=report, actor=reviewer)
    return s.monthly_report_accept(report=report, actor=planner)
