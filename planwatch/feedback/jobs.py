"""The daily job of messages: every accepted message still unanswered after its deadline
(`due_on` before `today`) gets a 督办 case — once: the case is remembered on the message, so
running the job again, or after the case is closed, opens no other. The clock is passed in
(`today`, `now`)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from planwatch.audit.services import audit_record
from planwatch.feedback.choices import MessageStatus
from planwatch.feedback.models import Message
from planwatch.supervision.choices import Light
from planwatch.supervision.services import case_open


def overdue_messages(today: dt.date) -> list[Message]:
    return list(
        Message.objects.filter(
            status=MessageStatus.ACCEPTED, due_on__lt=today, overdue_case__isnull=True
        )
        .select_related("plan", "unit")
        .order_by("due_on", "pk")
    )


def _open_case(message: Message, today: dt.date, now: dt.datetime) -> None:
    with transaction.atomic():
        case, _created = case_open(
            subject=message,
            plan=message.plan,
            title=_("留言逾期未答复：%(t)s") % {"t": message.title},
            year=today.year,
            unit=message.unit,
            light=Light.RED,
            reason=_("留言于 %(a)s 受理，应于 %(d)s 前答复，至 %(t)s 仍未答复。")
            % {"a": message.accepted_on, "d": message.due_on, "t": today},
            actor=None,
            now=now,
        )
        Message.objects.filter(pk=message.pk, overdue_case__isnull=True).update(overdue_case=case)


def feedback_overdue_run(
    *, today: dt.date, now: dt.datetime | None = None, dry_run: bool = False
) -> str:
    """Open the cases; a one-line summary."""
    now = now or timezone.now()
    overdue = overdue_messages(today)
    if not dry_run:
        for message in overdue:
            _open_case(message, today, now)
        audit_record(
            actor=None,
            action="feedback.overdue_run",
            target_type="feedback.message",
            target_label=today.isoformat(),
            new={"cases": len(overdue)},
        )
    return f"{len(overdue)} overdue message(s), {0 if dry_run else len(overdue)} case(s) opened"
