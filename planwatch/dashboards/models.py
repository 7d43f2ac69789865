"""Markers of demonstration data (`planwatch demo`)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoMarker(models.Model):
    """One object created by `planwatch demo` (a task, a report, a case, an account …): the
    simulated records a newcomer sees on the dashboards, kept apart from real data so every
    page can badge them 演示数据 and `planwatch demo --clear` can remove exactly them."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("content_type", "object_id"), name="demomarker_once"),
        )
        verbose_name = _("演示数据标记")
        verbose_name_plural = _("演示数据标记")

    def __str__(self) -> str:
        return f"demo {self.content_type_id}:{self.object_id}"
