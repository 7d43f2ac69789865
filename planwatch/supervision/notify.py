"""Notifications: an in-app row per recipient, and an e-mail through Django's mail backend
(console by default) sent after the transaction commits. A notification's `key` makes
sending idempotent: the same reminder is never created — or mailed — twice."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from planwatch.accounts.choices import Role
from planwatch.accounts.models import Membership
from planwatch.orgunits.models import OrgUnit
from planwatch.supervision.models import Notification

UNIT_ROLES = (Role.REPORTER, Role.UNIT_REVIEWER)
logger = logging.getLogger(__name__)


def ancestor_paths(unit: OrgUnit) -> list[str]:
    """ "/a/b/c/" → ["/a/", "/a/b/", "/a/b/c/"]: the units whose roles cover `unit`."""
    parts = [p for p in unit.path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def recipients_for(units: Iterable[OrgUnit], roles: Iterable[str]) -> list[Any]:
    """Active users holding one of `roles` on one of `units` or on an ancestor of it."""
    paths = {p for u in units for p in ancestor_paths(u)}
    user_ids = Membership.objects.filter(
        role__in=list(roles), org_unit__path__in=paths
    ).values_list("user_id", flat=True)
    return list(get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))


def unit_recipients(units: Iterable[OrgUnit]) -> list[Any]:
    return recipients_for(units, UNIT_ROLES)


def leader_recipients(units: Iterable[OrgUnit]) -> list[Any]:
    return recipients_for(units, (Role.LEADER,))


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
    e-mail those after commit. Returns the notifications created now."""
    created: list[Notification] = []
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
