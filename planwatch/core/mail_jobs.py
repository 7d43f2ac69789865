"""E-mail as queue jobs. Notifications (issue 15, item 4): `notification_email(ids)` mails
each notification not mailed yet; when the mail server refuses any, the job fails and the
queue retries it (PLANWATCH_MAIL_RETRIES times, every PLANWATCH_MAIL_RETRY_DELAY seconds),
mailing only those still unsent — `Notification.emailed` is set per message as it goes, so a
retry never mails anyone twice.

`mail_enqueue(subject, body, to)`: any other message (the audit checkpoints mailed to the
administrators), one job per address with the same retries."""

from __future__ import annotations

import logging
from typing import Any, cast

from django.conf import settings
from django.core.mail import send_mail
from huey.contrib.djhuey import db_task

from planwatch.core.models import Notification

logger = logging.getLogger(__name__)


class MailNotSent(RuntimeError):
    """Some notifications could not be mailed; the queue retries the job."""


def email_notifications(ids: list[int]) -> list[int]:
    """Mail each notification of `ids` not mailed yet; a failure is logged and leaves
    `emailed` False (the in-app notification is there either way). Returns the ids that
    failed."""
    failed: list[int] = []
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
            failed.append(note.pk)
            continue
        Notification.objects.filter(pk=note.pk).update(emailed=True)
    return failed


def _notification_email(ids: list[int]) -> int:
    failed = email_notifications(ids)
    if failed:
        raise MailNotSent(f"notifications {failed}: not mailed, will retry")
    return len(ids)


def _mail_job(name: str, func: Any) -> Any:
    """`func` registered as the queue job `name`, with the mail retries of the settings.
    huey's decorators are untyped: the registered task is typed as a plain callable here."""
    return cast(
        Any,
        db_task(
            retries=int(getattr(settings, "PLANWATCH_MAIL_RETRIES", 5)),
            retry_delay=int(getattr(settings, "PLANWATCH_MAIL_RETRY_DELAY", 300)),
            name=name,
        )(func),
    )


notification_email = _mail_job("notify.email", _notification_email)


def _mail_send(subject: str, body: str, to: str) -> int:
    """Send one message to one address; a refusal fails the job, which the queue retries."""
    send_mail(
        subject=subject, message=body, from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[to]
    )
    return 1


# One message to one address per job, so a retry never mails anyone twice.
mail_send = _mail_job("mail.send", _mail_send)


def mail_enqueue(*, subject: str, body: str, to: str) -> None:
    """Mail `body` to `to` by a queue job with retries (`mail_send`); when the queue itself
    cannot be reached, send it now (a failure then is logged, not raised)."""
    try:
        mail_send(subject, body, to)
    except Exception:
        logger.warning("mail to %s: queue unavailable, mailing directly", to, exc_info=True)
        try:
            _mail_send(subject, body, to)
        except Exception:  # the mail server is not ours to crash on
            logger.warning("mail to %s failed", to, exc_info=True)
