"""Supervision (督办): each task's light and the cases opened for tasks behind or overdue.
The in-app notifications they send (催办, escalations) are core's `Notification`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from planwatch.supervision.choices import CaseStatus, Light


class TaskLight(models.Model):
    """A task's light as last computed by the `supervise` job, with the figures behind it
    (expected progress from elapsed time, reported progress)."""

    task = models.OneToOneField(
        "tasks.Task", primary_key=True, on_delete=models.CASCADE, related_name="light"
    )
    light = models.CharField(_("灯号"), max_length=8, choices=Light.choices, db_index=True)
    expected = models.DecimalField(_("序时进度（%）"), max_digits=5, decimal_places=1)
    actual = models.DecimalField(_("实际进度（%）"), max_digits=5, decimal_places=1)
    computed_on = models.DateField()
    changed_on = models.DateField()

    class Meta:
        verbose_name = _("任务灯号")
        verbose_name_plural = _("任务灯号")

    def __str__(self) -> str:
        return f"{self.task_id}: {self.light}"


class SupervisionCase(models.Model):
    """A 督办事项 on one task: opened (立项) when the task turns yellow or red, assigned (交办)
    to a unit with due dates, acknowledged (签收), handled (办理), answered (反馈), checked
    (复核) and closed (办结销号). At most one open case per task."""

    task = models.ForeignKey("tasks.Task", on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(
        _("状态"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPENED
    )
    light = models.CharField(_("立项灯号"), max_length=8, choices=Light.choices)
    reason = models.TextField(_("督办事由"))
    unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("承办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ack_due = models.DateField(_("签收时限"), null=True, blank=True)
    feedback_due = models.DateField(_("反馈时限"), null=True, blank=True)
    feedback = models.TextField(_("办理情况"), blank=True)
    opened_at = models.DateTimeField()
    assigned_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-opened_at",)
        constraints = (
            models.UniqueConstraint(
                fields=("task",), condition=~Q(status="closed"), name="case_one_open_per_task"
            ),
        )
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")

    def __str__(self) -> str:
        return f"督办 #{self.pk} {self.get_status_display()}"


class CaseTransition(models.Model):
    """One step of a case (who moved it, from what to what, with what note)."""

    case = models.ForeignKey(SupervisionCase, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=16)
    to_status = models.CharField(max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("case", "id")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
