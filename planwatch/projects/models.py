"""Major projects (重大项目) of the plans' 专栏, their segments per city, annual investment
plans and monthly 调度 reports (reviewed like progress reports), with the lights computed
from them under a versioned method (methods.md §4). Amounts are in 万元."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from planwatch.projects.choices import (
    LightColour,
    ListSeries,
    ListVerdict,
    ProjectStatus,
    Sector,
    Stage,
)
from planwatch.reports.choices import ReportStatus

# 全国投资项目在线审批监管平台 project code: year, 6-digit area code, industry, kind, serial.
PROJECT_CODE_RE = re.compile(r"^(?P<year>\d{4})-(?P<area>\d{6})-\d{2}-\d{2}-\d{6}$")


def validate_project_code(value: str) -> None:
    """The national 24-character project code, e.g. 2021-510000-48-01-000123."""
    m = PROJECT_CODE_RE.match(value or "")
    if m is None or len(value) != 24:
        raise ValidationError(
            _("项目代码应为 24 位，格式如 2021-510000-48-01-000123。"), code="project_code"
        )
    if not 2000 <= int(m["year"]) <= 2100 or m["area"][:2] == "00":
        raise ValidationError(_("项目代码中的年份或行政区划代码无效。"), code="project_code")


class Project(models.Model):
    """A project named in a plan's 专栏 item, or created by hand, or imported from the
    provincial key-project list. Drafted projects wait for a planner to confirm, merge (the
    same project named in two plans) or discard them."""

    name = models.CharField(_("项目名称"), max_length=255)
    code = models.CharField(
        _("项目代码"), max_length=24, blank=True, validators=[validate_project_code]
    )
    content = models.TextField(_("建设内容"), blank=True)
    sector = models.CharField(_("领域"), max_length=16, choices=Sector.choices, blank=True)
    stage = models.CharField(_("阶段"), max_length=16, choices=Stage.choices, blank=True)
    # the zone whose planners manage the project (the plan's zone for drafted ones)
    zone = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("所属区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lead_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("第一责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    places = models.ManyToManyField(
        "orgunits.OrgUnit", verbose_name=_("建设地点"), blank=True, related_name="+"
    )
    total_investment = models.DecimalField(
        _("总投资（万元）"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    planned_start = models.DateField(_("计划开工"), null=True, blank=True)
    planned_completion = models.DateField(_("计划竣工"), null=True, blank=True)
    actual_start = models.DateField(_("实际开工"), null=True, blank=True)
    actual_completion = models.DateField(_("实际竣工"), null=True, blank=True)
    in_statistics = models.BooleanField(_("入统"), default=False)
    tags = models.JSONField(_("标签"), default=list, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT
    )
    plan = models.ForeignKey(
        "plans.Plan", null=True, blank=True, on_delete=models.PROTECT, related_name="projects"
    )
    source_node = models.ForeignKey(
        "plans.Node", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_line = models.PositiveIntegerField(null=True, blank=True)
    source_page = models.PositiveIntegerField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("name", "id")
        constraints = (
            models.UniqueConstraint(fields=("code",), condition=~Q(code=""), name="project_code"),
            models.UniqueConstraint(
                fields=("plan", "source_node", "name"),
                condition=Q(source_node__isnull=False),
                name="project_one_draft_per_item",
            ),
        )
        indexes = (models.Index(fields=("status", "zone")),)
        verbose_name = _("重大项目")
        verbose_name_plural = _("重大项目")

    def __str__(self) -> str:
        return self.name


class Segment(models.Model):
    """The part of a cross-city project in one city, with its own unit and figures."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="segments")
    place = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("所在市州"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    investment = models.DecimalField(
        _("投资（万元）"), null=True, blank=True, max_digits=14, decimal_places=2
    )

    class Meta:
        ordering = ("project", "place__sort_order", "id")
        constraints = (
            models.UniqueConstraint(fields=("project", "place"), name="segment_one_per_place"),
        )
        verbose_name = _("分段")
        verbose_name_plural = _("分段")

    def __str__(self) -> str:
        return f"{self.project_id}·{self.place_id}"


class AnnualInvestmentPlan(models.Model):
    """The investment planned for a project (or one of its segments) in one year; `monthly`
    holds the twelve month-end cumulative amounts when the plan gives them."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="annual_plans")
    segment = models.ForeignKey(
        Segment, null=True, blank=True, on_delete=models.CASCADE, related_name="annual_plans"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(_("年度计划投资（万元）"), max_digits=14, decimal_places=2)
    monthly = models.JSONField(_("分月计划"), null=True, blank=True)
    planned_start = models.BooleanField(_("计划当年开工"), default=False)
    planned_completion = models.BooleanField(_("计划当年竣工"), default=False)

    class Meta:
        ordering = ("project", "year", "segment")
        constraints = (
            models.UniqueConstraint(
                fields=("project", "year"),
                condition=Q(segment__isnull=True),
                name="annual_plan_project_year",
            ),
            models.UniqueConstraint(
                fields=("segment", "year"),
                condition=Q(segment__isnull=False),
                name="annual_plan_segment_year",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="annual_plan_amount_ge0"),
        )
        verbose_name = _("年度投资计划")
        verbose_name_plural = _("年度投资计划")

    def __str__(self) -> str:
        return f"{self.project_id}·{self.year}"


class MonthlyReport(models.Model):
    """One month's 调度 report of a project (or segment) by its responsible unit, reviewed
    like a progress report: filler → unit reviewer → planner, each able to return it."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="reports")
    segment = models.ForeignKey(
        Segment, null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("填报单位"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    due = models.DateField(_("报送截止"))
    due_official = models.BooleanField(default=True)
    invested_month = models.DecimalField(
        _("本月完成投资（万元）"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    invested_ytd = models.DecimalField(
        _("年度累计完成投资（万元）"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    invested_total = models.DecimalField(
        _("开工累计完成投资（万元）"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    funds_in_place = models.DecimalField(
        _("资金到位（万元）"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    progress_text = models.TextField(_("形象进度"), blank=True)
    status = models.CharField(
        _("审核状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    return_reason = models.TextField(_("退回原因"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("project", "segment", "year", "month")
        constraints = (
            models.UniqueConstraint(
                fields=("project", "year", "month"),
                condition=Q(segment__isnull=True),
                name="monthly_report_project_month",
            ),
            models.UniqueConstraint(
                fields=("segment", "year", "month"),
                condition=Q(segment__isnull=False),
                name="monthly_report_segment_month",
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12), name="monthly_report_month"
            ),
        )
        indexes = (
            models.Index(fields=("unit", "year", "month")),
            models.Index(fields=("status",)),
            # the 台账's and panels' reads: the accepted reports of a set of projects in a year up
            # to a month, their figures read from the index without visiting the table's rows
            # (key columns rather than INCLUDE, which SQLite lacks)
            models.Index(
                fields=("project", "year", "month", "segment", "invested_ytd", "funds_in_place"),
                condition=Q(status="accepted"),
                name="monthly_report_accepted_ym",
            ),
        )
        verbose_name = _("月度调度报告")
        verbose_name_plural = _("月度调度报告")

    def __str__(self) -> str:
        return f"{self.project_id}·{self.year}-{self.month:02d}"


class MonthlyReportTransition(models.Model):
    """One step of a monthly report's review, kept forever."""

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=16)
    to_status = models.CharField(max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("report", "id")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class CoordinationIssue(models.Model):
    """A problem needing help (协调事项) raised in a monthly report; escalated, it is a 督办
    case."""

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="issues")
    text = models.TextField(_("协调事项"))
    case = models.ForeignKey(
        "supervision.SupervisionCase",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("report", "id")

    def __str__(self) -> str:
        return self.text[:40]

    def get_absolute_url(self) -> str:  # the page of the report that raised it
        return reverse("projects:report", args=[self.report_id]) + f"#issue-{self.pk}"


class MonthlyEvidence(models.Model):
    """A supporting file of a monthly report, stored by its sha256 like report evidence."""

    report = models.ForeignKey(MonthlyReport, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(max_length=255)
    name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("report", "id")

    def __str__(self) -> str:
        return self.name


def _figure() -> models.DecimalField:  # type: ignore[type-arg]
    return models.DecimalField(max_digits=16, decimal_places=2, default=0)


class ProjectYearFigures(models.Model):
    """A summary kept current by the monthly report services (decision 0033): for one
    project and year, at the end of each month, the YTD investment and the funds in place of
    its latest accepted report up to that month (a segmented project's: each segment's
    latest, summed). No row: no accepted report that year (every figure 0). The 台账 and the
    projects panel read one row per project here instead of the reports;
    `planwatch rollup check` recomputes it from the reports."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="year_figures")
    year = models.PositiveSmallIntegerField()
    ytd_01 = _figure()
    ytd_02 = _figure()
    ytd_03 = _figure()
    ytd_04 = _figure()
    ytd_05 = _figure()
    ytd_06 = _figure()
    ytd_07 = _figure()
    ytd_08 = _figure()
    ytd_09 = _figure()
    ytd_10 = _figure()
    ytd_11 = _figure()
    ytd_12 = _figure()
    funds_01 = _figure()
    funds_02 = _figure()
    funds_03 = _figure()
    funds_04 = _figure()
    funds_05 = _figure()
    funds_06 = _figure()
    funds_07 = _figure()
    funds_08 = _figure()
    funds_09 = _figure()
    funds_10 = _figure()
    funds_11 = _figure()
    funds_12 = _figure()

    class Meta:
        ordering = ("project", "year")
        constraints = (
            models.UniqueConstraint(fields=("year", "project"), name="project_year_figures"),
        )

    def __str__(self) -> str:
        return f"{self.project_id}·{self.year}"


class ProjectLight(models.Model):
    """A project's light at the end of one month, with the figures and the method version it
    was computed under."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="lights")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    annual_plan = models.DecimalField(max_digits=14, decimal_places=2)
    ytd = models.DecimalField(max_digits=14, decimal_places=2)
    rate = models.FloatField(null=True)
    time_progress = models.FloatField()
    gap = models.FloatField(null=True)
    light = models.CharField(max_length=8, choices=LightColour.choices)
    reason = models.CharField(max_length=16)
    method_version = models.CharField(max_length=32)
    case = models.ForeignKey(
        "supervision.SupervisionCase",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ("project", "year", "month")
        constraints = (
            models.UniqueConstraint(
                fields=("project", "year", "month"), name="project_light_month"
            ),
        )

    def __str__(self) -> str:
        return f"{self.project_id}·{self.year}-{self.month:02d} {self.light}"

    def get_absolute_url(self) -> str:  # the project's page (its lights month by month)
        return reverse("projects:detail", args=[self.project_id])


class QuarterList(models.Model):
    """The 红黑榜 of one series (prefectures, departments) for one quarter, computed by a
    planner under a versioned method (stored with it) and then published to signed-in users.
    A province-wide list has no zone; a zone's planners run the list of their zone's
    prefectures (`zone` set). Recomputing is allowed until it is published; a published
    list is never changed: a correction is a new edition (`edition` + 1, `previous` the one
    it corrects) with its reason, the old edition kept."""

    series = models.CharField(_("序列"), max_length=16, choices=ListSeries.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    zone = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    edition = models.PositiveSmallIntegerField(_("版次"), default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="correction"
    )
    correction_reason = models.TextField(_("更正理由"), blank=True)
    target = models.FloatField(_("季度目标（时间进度）"))
    method_version = models.CharField(_("方法版本"), max_length=32)
    computed_at = models.DateTimeField()
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-year", "-quarter", "series", "zone", "-edition")
        constraints = (
            models.UniqueConstraint(
                fields=("series", "year", "quarter", "edition"),
                condition=Q(zone__isnull=True),
                name="quarter_list_one",
            ),
            models.UniqueConstraint(
                fields=("series", "year", "quarter", "zone", "edition"),
                condition=Q(zone__isnull=False),
                name="quarter_list_one_zone",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="quarter_list_quarter"
            ),
        )
        verbose_name = _("红黑榜")
        verbose_name_plural = _("红黑榜")

    def __str__(self) -> str:
        return f"{self.series} {self.year}Q{self.quarter}"


class QuarterListEntry(models.Model):
    """One unit of a quarter's 红黑榜: its projects' figures, rank, verdict and, when exempted
    (force majeure), the reason stated by the planner; a black listing's 约谈 case."""

    quarter_list = models.ForeignKey(QuarterList, on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    rank = models.PositiveIntegerField(null=True)
    annual_plan = models.DecimalField(max_digits=16, decimal_places=2)
    ytd = models.DecimalField(max_digits=16, decimal_places=2)
    rate = models.FloatField(null=True)
    verdict = models.CharField(
        _("结果"), max_length=8, choices=ListVerdict.choices, default=ListVerdict.NONE
    )
    exempt_reason = models.TextField(_("免于上榜理由"), blank=True)
    case = models.ForeignKey(
        "supervision.SupervisionCase",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ("quarter_list", "rank", "unit__sort_order", "id")
        constraints = (
            models.UniqueConstraint(
                fields=("quarter_list", "unit"), name="quarter_list_entry_unit"
            ),
        )

    def __str__(self) -> str:
        return f"{self.quarter_list_id}·{self.unit_id} {self.verdict}"

    def get_absolute_url(self) -> str:  # the 红黑榜 page of its quarter
        lst = self.quarter_list
        query = f"?series={lst.series}&year={lst.year}&quarter={lst.quarter}"
        return reverse("projects:lists") + query + f"#entry-{self.pk}"
