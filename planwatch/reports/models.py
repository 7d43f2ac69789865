"""Progress reports (进展报告) by the responsible units, their review and their evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from planwatch.reports.choices import ProgressStatus, ReportStatus


class ProgressReport(models.Model):
    """What one responsible unit reports on one task for one period (a month or a quarter):
    completion, status, narrative and evidence. Reviewed by the unit, then accepted by the
    planner; an accepted report is never changed — a correction is a new revision."""

    task = models.ForeignKey("tasks.Task", on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("报送期开始"))
    period_end = models.DateField(_("报送期结束"))
    period_label = models.CharField(_("报送期"), max_length=16)
    due = models.DateField(_("报送截止"))
    # 1 for the first report of the period; a correction of an accepted report is the next
    # revision, and only the newest revision is current.
    revision = models.PositiveSmallIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completion = models.DecimalField(
        _("完成进度（%）"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    progress_status = models.CharField(
        _("进展状态"),
        max_length=16,
        choices=ProgressStatus.choices,
        default=ProgressStatus.IN_PROGRESS,
    )
    narrative = models.TextField(_("进展情况"), blank=True)
    status = models.CharField(
        _("审核状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    return_reason = models.TextField(_("退回原因"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("task", "unit", "period_start", "revision")
        constraints = (
            models.UniqueConstraint(
                fields=("task", "unit", "period_start", "revision"), name="report_revision"
            ),
            models.UniqueConstraint(
                fields=("task", "unit", "period_start"),
                condition=Q(is_current=True),
                name="report_one_current",
            ),
            models.CheckConstraint(
                condition=Q(completion__isnull=True)
                | (Q(completion__gte=0) & Q(completion__lte=100)),
                name="report_completion_range",
            ),
        )
        indexes = (
            models.Index(fields=("unit", "period_start")),
            models.Index(fields=("status",)),
        )
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")

    def __str__(self) -> str:
        return f"{self.task_id}·{self.unit_id}·{self.period_label} r{self.revision}"


class ReportTransition(models.Model):
    """One step of a report's review, kept forever (who moved it, from what to what, why)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=16)
    to_status = models.CharField(max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("report", "id")
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class Evidence(models.Model):
    """A supporting file (佐证材料) attached to a report, stored under MEDIA_ROOT by its
    sha256 so identical files are kept once and any tampering is detectable."""

    report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(max_length=255)
    name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    kind = models.CharField(_("类型"), max_length=8)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("report", "id")
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def __str__(self) -> str:
        return self.name
