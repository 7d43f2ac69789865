"""The append-only audit log: one row per change made by anyone, chained by hashes so that
an edited or deleted row is detected by `planwatch audit verify`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One recorded change: who did what to which object, with the values before and after."""

    created_at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too, so the record still names the actor if the account is deleted.
    actor_label = models.CharField(_("操作人名称"), max_length=150)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=64, db_index=True)
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True, db_index=True)
    target_label = models.CharField(_("对象"), max_length=255, blank=True)
    old = models.JSONField(_("修改前"), null=True, blank=True)
    new = models.JSONField(_("修改后"), null=True, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # HMAC-SHA256 of `hash` under the audit key, which is kept outside the database
    # (planwatch/audit/anchor.py). Empty only on events written before the key existed; the
    # first checkpoint covers those.
    mac = models.CharField(max_length=64, blank=True, default="")
    # Which audit key made `mac` (anchor.key_id: a fingerprint, never the key): verify checks
    # each event with its own key, so events written before a rotation keep verifying with
    # the retired key kept in the keyring.
    key_id = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        ordering = ["-id"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit events are append-only")


class AuditChainHead(models.Model):
    """The single row holding the hash of the newest event; locking it serialises appends so
    two concurrent writers can never chain to the same predecessor."""

    last_hash = models.CharField(max_length=64)
    count = models.BigIntegerField(default=0)
