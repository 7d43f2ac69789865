"""Documents taken in to become data (issue 16): a statistics bureau's communiqué whose
figures become observations, a project list whose rows become draft projects."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from planwatch.intake.choices import IntakeKind, IntakeStatus


class Intake(models.Model):
    """One uploaded document and what the extractor proposed from it. The proposals wait
    here until a person confirms them (then the observations or draft projects are created
    through the indicators' or projects' services) or discards them: nothing reaches the
    indicators or projects unconfirmed. The file stays as the source the created records
    cite with their line and page."""

    kind = models.CharField(_("类型"), max_length=16, choices=IntakeKind.choices)
    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("规划"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to="intake/%Y/", max_length=255)
    name = models.CharField(_("文件名"), max_length=255)
    proposal = models.JSONField(default=dict)
    status = models.CharField(
        _("状态"), max_length=16, choices=IntakeStatus.choices, default=IntakeStatus.PROPOSED
    )
    # ids of what the confirmation created or updated, by kind
    result = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-uploaded_at", "-id")
        verbose_name = _("待提取文件")
        verbose_name_plural = _("待提取文件")

    def __str__(self) -> str:
        return self.name
