"""Tasks drawn from the plans (清单制 + 责任制) and the annual key-task lists that issue them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from planwatch.tasks.choices import (
    AnnualListStatus,
    OngoingDeadline,
    ReportingFrequency,
    TaskStatus,
)


class AnnualList(models.Model):
    """A 年度重点任务清单: the key tasks of one plan for one year, drawn up by 省发展改革委,
    checked for completeness, then issued (下达) and locked. Changes after issue happen in a
    revision that, when issued again, becomes a new `ListVersion`."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="annual_lists")
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(
        _("状态"), max_length=16, choices=AnnualListStatus.choices, default=AnnualListStatus.DRAFT
    )
    frequency = models.CharField(
        _("报送频次"),
        max_length=16,
        choices=ReportingFrequency.choices,
        default=ReportingFrequency.QUARTERLY,
    )
    # Number of the latest issued ListVersion (0 = never issued).
    issued_number = models.PositiveIntegerField(_("已下达版本"), default=0)
    issued_at = models.DateTimeField(null=True, blank=True)
    # Optimistic-lock counter, bumped by every conditional UPDATE (see core.workflow).
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("plan", "-year")
        constraints = (
            models.UniqueConstraint(fields=("plan", "year"), name="annuallist_plan_year"),
        )
        verbose_name = _("年度重点任务清单")
        verbose_name_plural = _("年度重点任务清单")

    def __str__(self) -> str:
        return f"{self.plan} {self.year}年重点任务清单"

    @property
    def is_locked(self) -> bool:
        return self.status == AnnualListStatus.ISSUED


class ListVersion(models.Model):
    """The list as it was issued: a frozen snapshot of every task, and what changed against
    the version issued before it."""

    annual_list = models.ForeignKey(AnnualList, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    frequency = models.CharField(max_length=16, choices=ReportingFrequency.choices)
    snapshot = models.JSONField(default=list)
    # {"added": [...], "removed": [...], "changed": [{"task": id, "seq": n, "fields": {...}}]}
    diff = models.JSONField(default=dict, blank=True)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("annual_list", "-number")
        constraints = (
            models.UniqueConstraint(fields=("annual_list", "number"), name="listversion_number"),
        )
        verbose_name = _("清单版本")
        verbose_name_plural = _("清单版本")

    def __str__(self) -> str:
        return f"{self.annual_list} v{self.number}"


class Task(models.Model):
    """A key task (重点任务) assigned to units: led by one unit (牵头单位), carried out by
    responsible units (责任单位) with supporting units (配合单位), with a deadline and a
    measurable completion criterion; usually drawn from a provision or 专栏 item."""

    annual_list = models.ForeignKey(AnnualList, on_delete=models.PROTECT, related_name="tasks")
    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="tasks")
    year = models.PositiveSmallIntegerField(_("年度"))
    seq = models.PositiveIntegerField(_("序号"))
    clause = models.ForeignKey(
        "plans.Node",
        verbose_name=_("规划条款"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    # The clause's position key, so a task still finds its clause in a later plan version.
    clause_key = models.CharField(max_length=64, blank=True, db_index=True)
    title = models.CharField(_("重点任务"), max_length=255)
    content = models.TextField(_("具体内容"), blank=True)
    lead_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("牵头单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tasks",
    )
    # Why the lead unit was suggested (the matched words and responsibility: tasks.leads),
    # shown to the planner.
    lead_suggestion = models.CharField(_("牵头单位建议依据"), max_length=255, blank=True)
    # Further lead units when a list names several (「省发展改革委、省经济和信息化厅」): the
    # first is `lead_unit`, who files the summary report; these lead with it.
    co_lead_units = models.ManyToManyField(
        "orgunits.OrgUnit", verbose_name=_("共同牵头单位"), blank=True, related_name="co_led_tasks"
    )
    responsible_units = models.ManyToManyField(
        "orgunits.OrgUnit", verbose_name=_("责任单位"), blank=True, related_name="responsible_tasks"
    )
    supporting_units = models.ManyToManyField(
        "orgunits.OrgUnit", verbose_name=_("配合单位"), blank=True, related_name="supporting_tasks"
    )
    start = models.DateField(_("开始日期"), null=True, blank=True)
    deadline = models.DateField(_("完成时限"), null=True, blank=True, db_index=True)
    # 长期坚持/持续推进 instead of a date: the task is supervised by reporting period.
    deadline_text = models.CharField(
        _("完成时限（持续性）"), max_length=16, blank=True, choices=OngoingDeadline.choices
    )
    criterion = models.TextField(_("完成标准"), blank=True)
    weight = models.DecimalField(_("权重"), max_digits=6, decimal_places=2, default=Decimal(1))
    status = models.CharField(
        _("状态"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("annual_list", "seq")
        constraints = (
            models.UniqueConstraint(fields=("annual_list", "seq"), name="task_list_seq"),
        )
        indexes = (
            models.Index(fields=("plan", "year")),
            # A dashboard's red and yellow lists: a year's tasks by deadline, first 50.
            models.Index(fields=("year", "deadline", "id"), name="task_year_deadline"),
        )
        verbose_name = _("重点任务")
        verbose_name_plural = _("重点任务")

    def __str__(self) -> str:
        return f"{self.seq}. {self.title}"

    @property
    def is_ongoing(self) -> bool:
        """Whether the task has no end date (长期坚持/持续推进) and is supervised by period."""
        return bool(self.deadline_text) and self.deadline is None


class Milestone(models.Model):
    """An intermediate result of a task with its own date (e.g. 6 月底前完成可研批复)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    seq = models.PositiveSmallIntegerField()
    title = models.CharField(_("节点目标"), max_length=255)
    due = models.DateField(_("时限"))

    class Meta:
        ordering = ("task", "seq")
        verbose_name = _("里程碑")
        verbose_name_plural = _("里程碑")

    def __str__(self) -> str:
        return self.title
