"""Reads for project pages, each taking the viewer: the 台账 (ledger) of a zone or city with
every project's figures for a month, sorted by 完成率 lowest first; a project's monthly plan
against actual; the reports a viewer may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from planwatch.orgunits.models import OrgUnit
from planwatch.projects import methods as m
from planwatch.projects.choices import ProjectStatus
from planwatch.projects.models import AnnualInvestmentPlan, MonthlyReport, Project
from planwatch.projects.permissions import can_manage_project, can_view_report, is_insider
from planwatch.reports.choices import ReportStatus


def visible_projects(user: Any) -> QuerySet[Project]:
    """Confirmed projects (drafts are seen on the planners' pages only)."""
    return Project.objects.filter(merged_into=None, status=ProjectStatus.CONFIRMED)


@dataclass
class LedgerRow:
    project: Project
    annual_plan: Decimal
    ytd: Decimal
    assessment: m.Assessment


def _figures(projects: list[Project], year: int, month: int) -> dict[int, tuple[Decimal, Decimal]]:
    """(annual plan, YTD from accepted reports) per project id, in two queries."""
    ids = [p.pk for p in projects]
    plan: dict[int, Decimal] = {}
    has_segments: set[int] = set()
    for a in AnnualInvestmentPlan.objects.filter(project_id__in=ids, year=year).values(
        "project_id", "segment_id", "amount"
    ):
        if a["segment_id"] is not None:
            has_segments.add(a["project_id"])
    for a in AnnualInvestmentPlan.objects.filter(project_id__in=ids, year=year).values(
        "project_id", "segment_id", "amount"
    ):
        if (a["segment_id"] is not None) == (a["project_id"] in has_segments):
            plan[a["project_id"]] = plan.get(a["project_id"], Decimal(0)) + a["amount"]
    latest: dict[tuple[int, int | None], Decimal] = {}
    for r in (
        MonthlyReport.objects.filter(
            project_id__in=ids, year=year, month__lte=month, status=ReportStatus.ACCEPTED
        )
        .order_by("month")
        .values("project_id", "segment_id", "invested_ytd")
    ):
        latest[(r["project_id"], r["segment_id"])] = r["invested_ytd"] or Decimal(0)
    ytd: dict[int, Decimal] = {}
    for (pid, _sid), v in latest.items():
        ytd[pid] = ytd.get(pid, Decimal(0)) + v
    return {pid: (plan.get(pid, Decimal(0)), ytd.get(pid, Decimal(0))) for pid in ids}


def ledger(
    *,
    user: Any,
    year: int,
    month: int,
    place: OrgUnit | None = None,
    sector: str = "",
    stage: str = "",
    light: str = "",
) -> list[LedgerRow]:
    """Projects of `place` (a zone: its projects; a city: those built or led there), with their
    figures at the end of (year, month), lowest 完成率 first (no plan last)."""
    qs = visible_projects(user).select_related("lead_unit", "zone")
    if place is not None:
        qs = qs.filter(
            Q(zone__path__startswith=place.path)
            | Q(places=place)
            | Q(segments__place=place)
            | Q(lead_unit__path__startswith=place.path)
        )
        qs = qs.distinct()
    if sector:
        qs = qs.filter(sector=sector)
    if stage:
        qs = qs.filter(stage=stage)
    projects = list(qs)
    figures = _figures(projects, year, month)
    rows = []
    for p in projects:
        annual, ytd = figures[p.pk]
        started = p.actual_start is not None or ytd > 0
        a = m.assess(
            year=year,
            month=month,
            ytd=float(ytd),
            annual_plan=float(annual),
            started=started,
            planned_start=p.planned_start,
        )
        if light and a.light != light:
            continue
        rows.append(LedgerRow(p, annual, ytd, a))
    rows.sort(key=lambda r: (r.assessment.rate is None, r.assessment.rate or 0, r.project.name))
    return rows


def monthly_series(project: Project, year: int) -> dict[str, list[float | None]]:
    """Plan (monthly cumulative, when given) against actual cumulative investment by month."""
    plans = list(AnnualInvestmentPlan.objects.filter(project=project, year=year))
    segmented = any(a.segment_id for a in plans)
    plan_by_month: list[float | None] = [None] * 12
    use = [a for a in plans if (a.segment_id is not None) == segmented]
    if use and all(a.monthly for a in use):
        monthly: list[list[Any]] = [list(a.monthly or []) for a in use]
        plan_by_month = [sum(float(x[i]) for x in monthly) for i in range(12)]
    elif use:
        total = sum(float(a.amount) for a in use)
        plan_by_month = [round(total * (i + 1) / 12, 2) for i in range(12)]
    actual: list[float | None] = [None] * 12
    latest: dict[int | None, float] = {}
    reports = MonthlyReport.objects.filter(
        project=project, year=year, status=ReportStatus.ACCEPTED
    ).order_by("month")
    by_month: dict[int, list[MonthlyReport]] = {}
    for r in reports:
        by_month.setdefault(r.month, []).append(r)
    for month in range(1, 13):
        for r in by_month.get(month, []):
            latest[r.segment_id] = float(r.invested_ytd or 0)
        if month in by_month:
            actual[month - 1] = round(sum(latest.values()), 2)
    return {"plan": plan_by_month, "actual": actual}


def reports_for(*, user: Any, project: Project) -> list[MonthlyReport]:
    """The project's reports the viewer may see (public visitors: none)."""
    if not is_insider(user):
        return []
    qs = project.reports.select_related("segment__place", "unit").order_by(
        "-year", "-month", "segment"
    )
    if can_manage_project(user, project):
        return list(qs)
    return [r for r in qs if can_view_report(user, r)]


def yearly_plans(project: Project) -> list[tuple[int, Decimal]]:
    """(year, planned investment) for each year: the segments' sum for a segmented project."""
    plans = list(AnnualInvestmentPlan.objects.filter(project=project))
    segmented = any(a.segment_id for a in plans)
    totals: dict[int, Decimal] = {}
    for a in plans:
        if (a.segment_id is not None) == segmented:
            totals[a.year] = totals.get(a.year, Decimal(0)) + a.amount
    return sorted(totals.items())


@dataclass
class Rates:
    """开工率, 竣工率 and 资金到位率 of a set of projects at the end of (year, month), with the
    counts and amounts they come from (methods.md §4; `planwatch.projects.methods`)."""

    planned_starts: int
    started: int
    start_rate: float | None
    planned_completions: int
    completed: int
    completion_rate: float | None
    planned: Decimal
    funds_in_place: Decimal
    funds_rate: float | None


def rates(projects: list[Project], year: int, month: int) -> Rates:
    """开工率 = projects planned to start in `year` that have started by the month's end ÷
    those planned; 竣工率 likewise for completion; 资金到位率 = the funds in place of the
    latest accepted reports (segments summed) ÷ the year's planned investment."""
    end = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    starts = [p for p in projects if p.planned_start and p.planned_start.year == year]
    started = sum(1 for p in starts if p.actual_start is not None and p.actual_start <= end)
    completions = [
        p for p in projects if p.planned_completion and p.planned_completion.year == year
    ]
    completed = sum(
        1 for p in completions if p.actual_completion is not None and p.actual_completion <= end
    )
    figures = _figures(projects, year, month)
    planned = sum((f[0] for f in figures.values()), Decimal(0))
    latest: dict[tuple[int, int | None], Decimal] = {}
    for r in (
        MonthlyReport.objects.filter(
            project_id__in=[p.pk for p in projects],
            year=year,
            month__lte=month,
            status=ReportStatus.ACCEPTED,
        )
        .order_by("month")
        .values("project_id", "segment_id", "funds_in_place")
    ):
        latest[(r["project_id"], r["segment_id"])] = r["funds_in_place"] or Decimal(0)
    funds = sum(latest.values(), Decimal(0))
    return Rates(
        planned_starts=len(starts),
        started=started,
        start_rate=m.start_rate(started=started, planned_starts=len(starts)),
        planned_completions=len(completions),
        completed=completed,
        completion_rate=m.completion_count_rate(
            completed=completed, planned_completions=len(completions)
        ),
        planned=planned,
        funds_in_place=funds,
        funds_rate=m.funds_rate(funds_in_place=float(funds), planned=float(planned)),
    )
