"""What the public may see (公开): a planner publishes an object — an issued annual list, a
task, an indicator, a project, an assessment or index edition, a document — and may withdraw
it with a reason. Nothing reaches the portal, its feed, its downloads or the public API
without a live `Publication` (issue 13, item 1)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from planwatch.publication.kinds import KINDS


class Publication(models.Model):
    """One act of publishing one object. Withdrawing keeps the row (with who, when and why);
    publishing the object again is a new row. At most one live (not withdrawn) row per
    object."""

    kind = models.CharField(_("类别"), max_length=32)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    # the object's name when published, for the feed and the audit page
    label = models.CharField(_("名称"), max_length=500)
    note = models.CharField(_("发布说明"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_reason = models.TextField(_("撤回原因"), blank=True)

    class Meta:
        ordering = ("-published_at", "-pk")
        constraints = (
            models.UniqueConstraint(
                fields=("subject_type", "subject_id"),
                condition=Q(withdrawn_at__isnull=True),
                name="publication_live_once",
            ),
        )
        indexes = (models.Index(fields=("kind", "withdrawn_at"), name="publication_kind_live"),)
        verbose_name = _("公开发布")
        verbose_name_plural = _("公开发布")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.label}"

    @property
    def is_live(self) -> bool:
        return self.withdrawn_at is None

    def get_kind_display(self) -> str:
        spec = KINDS.get(self.kind)
        return str(spec.title) if spec else self.kind
