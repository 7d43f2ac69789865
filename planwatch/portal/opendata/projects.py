"""The projects dataset: each published project with its yearly planned and completed
investment (one row per project and year)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from planwatch.portal.opendata.base import Dataset, Row, latest, num
from planwatch.portal.opendata.fields import F
from planwatch.projects.models import AnnualInvestmentPlan, MonthlyReport, Project
from planwatch.publication import selectors as pub
from planwatch.reports.choices import ReportStatus

PROJECT_FIELDS = (
    F("project_id", "项目编号", "integer", "项目在本系统中的编号。"),
    F("name", "项目名称", "string", "重大项目名称。"),
    F("code", "项目代码", "string", "项目代码（如有）。"),
    F("sector", "领域", "string", "基础设施、产业、民生及社会事业或生态环保。"),
    F("stage", "阶段", "string", "前期、新开工、续建或竣工投产。"),
    F("lead_unit", "牵头单位", "string", "项目牵头单位。"),
    F("zone", "经济区", "string", "项目所属经济区。"),
    F("total_investment", "总投资", "number", "项目总投资。", "万元"),
    F("planned_start", "计划开工", "date", "计划开工日期。"),
    F("planned_completion", "计划竣工", "date", "计划竣工日期。"),
    F("actual_start", "实际开工", "date", "实际开工日期。"),
    F("actual_completion", "实际竣工", "date", "实际竣工日期。"),
    F("source_page", "原文页码", "integer", "规划专栏中列出该项目的原文页码。"),
    F("year", "年度", "integer", "下列年度数字所属年度；项目尚无年度数字时为空。"),
    F("annual_plan", "年度计划投资", "number", "该年度计划投资（分段项目为各段之和）。", "万元"),
    F(
        "completed_investment",
        "年度完成投资",
        "number",
        "该年度累计完成投资：各段最近一期审核通过的月度调度报告之和。",
        "万元",
    ),
    F("completion_rate", "投资完成率", "number", "年度完成投资 ÷ 年度计划投资。", "%"),
    F("reported_to_month", "数据截至月份", "integer", "年度完成投资所依据的最近月份。"),
)


def public_projects() -> QuerySet[Project]:
    """Published projects; one of a plan withdrawn since leaves with it (as on the portal)."""
    return pub.public_projects().filter(Q(plan__isnull=True) | Q(plan__status="published"))


def _projects() -> QuerySet[Project]:
    return public_projects().select_related("lead_unit", "zone").order_by("name", "pk")


def project_years(projects: list[Project]) -> dict[int, dict[int, dict[str, Any]]]:
    """project id → year → {annual_plan, completed_investment, reported_to_month}: a
    segmented project's figures are its segments' sums (two queries)."""
    ids = [p.pk for p in projects]
    plans = list(
        AnnualInvestmentPlan.objects.filter(project_id__in=ids).values_list(
            "project_id", "segment_id", "year", "amount"
        )
    )
    segmented = {pid for pid, sid, _y, _a in plans if sid is not None}
    out: dict[int, dict[int, dict[str, Any]]] = {pid: {} for pid in ids}
    for pid, sid, year, amount in plans:
        if (sid is not None) == (pid in segmented):
            fig = out[pid].setdefault(year, {"annual_plan": Decimal(0)})
            fig["annual_plan"] = fig.get("annual_plan", Decimal(0)) + amount
    latest: dict[tuple[int, int, int | None], tuple[int, Decimal]] = {}
    for pid, sid, year, month, ytd in (
        MonthlyReport.objects.filter(project_id__in=ids, status=ReportStatus.ACCEPTED)
        .order_by("month")
        .values_list("project_id", "segment_id", "year", "month", "invested_ytd")
    ):
        latest[(pid, year, sid)] = (month, ytd or Decimal(0))
    for (pid, year, _sid), (month, ytd) in latest.items():
        fig = out[pid].setdefault(year, {})
        fig["completed_investment"] = fig.get("completed_investment", Decimal(0)) + ytd
        fig["reported_to_month"] = max(fig.get("reported_to_month", 0), month)
    return out


def _project_base(p: Project) -> Row:
    return {
        "project_id": p.pk,
        "name": p.name,
        "code": p.code,
        "sector": p.get_sector_display(),
        "stage": p.get_stage_display(),
        "lead_unit": p.lead_unit.name if p.lead_unit else "",
        "zone": p.zone.name if p.zone else "",
        "total_investment": num(p.total_investment),
        "planned_start": p.planned_start,
        "planned_completion": p.planned_completion,
        "actual_start": p.actual_start,
        "actual_completion": p.actual_completion,
        "source_page": p.source_page,
    }


def year_row(year: int | None, fig: dict[str, Any]) -> Row:
    plan, done = fig.get("annual_plan"), fig.get("completed_investment")
    rate = round(float(done) / float(plan) * 100, 2) if plan and done is not None else None
    return {
        "year": year,
        "annual_plan": num(plan),
        "completed_investment": num(done),
        "completion_rate": rate,
        "reported_to_month": fig.get("reported_to_month"),
    }


def project_records(projects: list[Project]) -> Iterator[Row]:
    """Each project with its `years` (a list of year rows), for the API."""
    years = project_years(projects)
    for p in projects:
        rec = _project_base(p)
        rec["years"] = [year_row(y, f) for y, f in sorted(years[p.pk].items())]
        yield rec


def _project_rows(projects: list[Project], base: str) -> Iterator[Row]:
    for rec in project_records(projects):
        years = rec.pop("years") or [year_row(None, {})]
        for y in years:
            yield {**rec, **y}


def _projects_changed() -> datetime | None:
    return latest(
        MonthlyReport.objects.filter(
            project__in=public_projects().values("pk"), status=ReportStatus.ACCEPTED
        ),
        "accepted_at",
    )


class ProjectDataset(Dataset):
    def count(self) -> int:
        """Rows, not projects: one per project and year (one for a project without years)."""
        return sum(1 for _ in self.rows())


PROJECTS = ProjectDataset(
    "projects",
    "重大项目年度投资",
    "已公开的重大项目及其逐年计划投资与完成投资（一个项目每年一行）。",
    PROJECT_FIELDS,
    _projects,
    _project_rows,
    _projects_changed,
)
