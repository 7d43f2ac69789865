"""Notifications: an in-app row per recipient (`core.models.Notification`), and an e-mail
through Django's mail backend (console by default) sent after the transaction commits. A
notification's `key` makes sending idempotent: the same reminder is never created — or
mailed — twice. Any domain may send one; who receives it and what it says are the caller's.

What a key is about is the domains' business: before sending, the `notification_withheld`
hook asks them whether a notification with this key must not be sent (supervision withholds
those about demonstration data)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from planwatch.core import hooks
from planwatch.core.models import Notification

logger = logging.getLogger(__name__)


def notification_send(
    *,
    recipients: Iterable[Any],
    kind: str,
    key: str,
    title: str,
    body: str,
    now: datetime,
    link: str = "",
) -> list[Notification]:
    """Create the notification for each recipient who does not have it yet (by `key`) and
    e-mail those after commit. Returns the notifications created now.

    Nothing is sent when a receiver of `notification_withheld` says so for `key` (a demo
    object never reaches a real person's notifications, workbench badge or e-mail)."""
    created: list[Notification] = []
    if any(hooks.notification_withheld.send(key=key)):
        return created
    for user in recipients:
        if Notification.objects.filter(recipient=user, key=key).exists():
            continue
        try:
            with transaction.atomic():
                note = Notification.objects.create(
                    recipient=user,
                    kind=kind,
                    key=key,
                    title=title,
                    body=body,
                    link=link,
                    created_at=now,
                )
        except IntegrityError:  # a concurrent run created it first
            continue
        created.append(note)
    if created:
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: _email(ids))
    return created


def _email(ids: list[int]) -> None:
    """Mail each new notification; a failure is logged and leaves `emailed` False (the
    in-app notification is there either way)."""
    for note in Notification.objects.filter(pk__in=ids, emailed=False).select_related("recipient"):
        address = getattr(note.recipient, "email", "")
        if not address:
            continue
        try:
            send_mail(
                subject=f"[planwatch] {note.title}",
                message=f"{note.body}\n\n{note.link}".strip(),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[address],
            )
        except Exception:  # the mail server is not ours to crash on
            logger.warning("notification %s: e-mail to %s failed", note.pk, address, exc_info=True)
            continue
        Notification.objects.filter(pk=note.pk).update(emailed=True)
