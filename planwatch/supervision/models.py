"""Supervision (督办): each task's light and the cases opened for tasks behind or overdue.
The in-app notifications they send (催办, escalations) are core's `Notification`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
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
    """A 督办事项: opened (立项) when a task turns yellow or red — or on another subject that a
    higher app watches (an indicator's warning, a project's red light, a black listing) —
    assigned (交办) to a unit with due dates, acknowledged (签收), handled (办理), answered
    (反馈), checked (复核) and closed (办结销号). At most one open case per task and per
    subject.

    A case stands on a task or on a subject (any model, through contenttypes: supervision
    imports none of the apps above it). `plan` is the plan whose planners manage the case
    (none: the province-wide planners); `title` and `year` are the task's or the subject's,
    copied when the case is opened, so lists, filters and exports need no join. The subject
    links itself with `get_absolute_url()`."""

    task = models.ForeignKey(
        "tasks.Task", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("规划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("督办事项"), max_length=255, default="")
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
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
            models.UniqueConstraint(
                fields=("subject_type", "subject_id"),
                condition=~Q(status="closed") & Q(subject_id__isnull=False),
                name="case_one_open_per_subject",
            ),
            models.CheckConstraint(
                condition=Q(task__isnull=False)
                | Q(subject_type__isnull=False, subject_id__isnull=False),
                name="case_on_task_or_subject",
            ),
        )
        indexes = (models.Index(fields=("subject_type", "subject_id")),)
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")

    def __str__(self) -> str:
        return f"督办 #{self.pk} {self.get_status_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        task = self.task if self.task_id is not None else None
        if task is not None and not self.title:  # a case on a task describes it
            self.plan_id, self.title, self.year = task.plan_id, task.title[:255], task.year
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        """What the case is about, as shown: its task's title as it is now, else the title
        its subject had when the case was opened."""
        task = self.task if self.task_id is not None else None
        return task.title if task is not None else self.title

    @property
    def about_url(self) -> str:
        """Where the case's task or subject is shown ("" when the subject is gone or has no
        page of its own)."""
        if self.task_id is not None:
            return reverse("tasks:task_detail", args=[self.task_id])
        subject = self.subject
        get_url = getattr(subject, "get_absolute_url", None)
        return str(get_url()) if get_url is not None else ""


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
