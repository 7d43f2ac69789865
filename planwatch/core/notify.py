"""Notifications: an in-app row per recipient (`core.models.Notification`), and an e-mail
through Django's mail backend (console by default), sent by a queue job enqueued after the
transaction commits (`core.mail_jobs.notification_email`: retried with a growing delay while
the mail server refuses, so a reminder is not lost to a passing outage; sent at once if the
queue itself cannot be reached). A
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

from django.db import IntegrityError, transaction

from planwatch.core import hooks
from planwatch.core.mail_jobs import email_notifications, notification_email
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
        transaction.on_commit(lambda: _enqueue_email(ids), robust=True)
    return created


def _enqueue_email(ids: list[int]) -> None:
    try:
        notification_email(ids)
    except Exception:  # the queue is down: mail now rather than not at all
        logger.warning("notifications %s: queue unavailable, mailing directly", ids, exc_info=True)
        email_notifications(ids)
