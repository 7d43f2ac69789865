"""Task-division notices (重点工作任务分解 / 责任分工方案) uploaded by a planner, the unit
names they use, and where each task drawn from one came from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from planwatch.notices.choices import BatchStatus, ConfirmMode, UnitGroup


class NoticeBatch(models.Model):
    """One uploaded notice for a plan and year, with what the extractor proposed. While
    `unconfirmed` it is only a proposal: no task exists until the planner confirms."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(max_length=64)
    format = models.CharField(_("格式"), max_length=16)
    # The extractor's output (planwatch.parsing.extract.tasks), kept as proposed.
    result = models.JSONField(default=dict)
    status = models.CharField(
        _("状态"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.UNCONFIRMED
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    mode = models.CharField(max_length=8, choices=ConfirmMode.choices, blank=True)
    annual_list = models.ForeignKey(
        "tasks.AnnualList", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-uploaded_at",)
        verbose_name = _("任务分解通知")
        verbose_name_plural = _("任务分解通知")

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class NoticeTaskSource(models.Model):
    """Where a task drawn from a notice stands in it: the item's number, line and page, and
    its deadline as the notice wrote it (「6月底前」), which the task keeps as a date or as
    长期坚持/持续推进."""

    batch = models.ForeignKey(NoticeBatch, on_delete=models.PROTECT, related_name="sources")
    task = models.OneToOneField(
        "tasks.Task", on_delete=models.CASCADE, related_name="notice_source"
    )
    number = models.CharField(_("编号"), max_length=32)
    line = models.PositiveIntegerField(_("行"))
    page = models.PositiveIntegerField(_("页"), null=True, blank=True)
    deadline_as_written = models.CharField(_("完成时限（原文）"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("任务来源")
        verbose_name_plural = _("任务来源")


class UnitMapping(models.Model):
    """A unit name as notices write it (「区发改局」, 「各街道」), mapped once by a planner to
    a unit or to a group of units and used for every later notice."""

    name = models.CharField(_("通知中的名称"), max_length=64, unique=True)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("组织单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    group = models.CharField(_("单位组"), max_length=16, choices=UnitGroup.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)
        verbose_name = _("单位名称映射")
        verbose_name_plural = _("单位名称映射")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(org_unit__isnull=False, group="")
                | models.Q(org_unit__isnull=True) & ~models.Q(group=""),
                name="unitmapping_unit_or_group",
            ),
        )

    def __str__(self) -> str:
        return self.name
