"""Models every domain uses: markers of demonstration data (`planwatch demo`), in core below
every domain so that any page can badge what the demo created, and the in-app notifications."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
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
        # The table of the app it was first made in (dashboards), kept when the model moved.
        db_table = "dashboards_demomarker"
        verbose_name = _("演示数据标记")
        verbose_name_plural = _("演示数据标记")

    def __str__(self) -> str:
        return f"demo {self.content_type_id}:{self.object_id}"

    @classmethod
    def ids_among(cls, objects: Iterable[models.Model]) -> set[int]:
        """The primary keys of `objects` (all of one model) that `planwatch demo` created — one
        query for a whole page, so list rows can be badged without a query each."""
        items = [o for o in objects if o.pk is not None]
        if not items:
            return set()
        ct = ContentType.objects.get_for_model(type(items[0]))
        marked = cls.objects.filter(content_type=ct, object_id__in=[o.pk for o in items])
        return set(marked.values_list("object_id", flat=True))

    @classmethod
    def ids_of(cls, model: type[models.Model]) -> models.QuerySet[DemoMarker, int]:
        """The ids of every `model` object `planwatch demo` created, as a lazy queryset: use it
        as a subquery (`.exclude(pk__in=DemoMarker.ids_of(Task))`) to keep demo objects off a
        real person's page, or `set(...)` it for a few thousand ids."""
        ct = ContentType.objects.get_for_model(model)
        return cls.objects.filter(content_type=ct).values_list("object_id", flat=True)

    @classmethod
    def is_marked(cls, model: type[models.Model], pk: int | None) -> bool:
        """Whether the `model` object with primary key `pk` was created by `planwatch demo`."""
        if pk is None:
            return False
        ct = ContentType.objects.get_for_model(model)
        return cls.objects.filter(content_type=ct, object_id=pk).exists()


class Notification(models.Model):
    """A message to one user inside planwatch (催办, 督办交办, escalation, a report's next
    step), also e-mailed (`core.notify.notification_send`). `key` names what it is about so
    that a job run twice never sends it twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, db_index=True)
    key = models.CharField(max_length=128)
    title = models.CharField(_("标题"), max_length=255)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        # The table of the app it was first made in (supervision), kept when the model moved.
        db_table = "supervision_notification"
        ordering = ("-created_at",)
        constraints = (
            models.UniqueConstraint(fields=("recipient", "key"), name="notification_once"),
        )
        verbose_name = _("通知")
        verbose_name_plural = _("通知")

    def __str__(self) -> str:
        return self.title


class RateCount(models.Model):
    """How many times one (action, client) pair acted in one fixed window (core.ratelimit).
    The client is stored only as a keyed hash, never as an address; rows of past windows
    are deleted as new ones are written."""

    bucket = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("bucket", "window_start"), name="ratecount_once"),
        )
        indexes = (models.Index(fields=("window_start",), name="ratecount_window"),)
