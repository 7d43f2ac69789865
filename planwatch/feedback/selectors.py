"""Reads of messages, each starting from who reads: the public sees accepted messages of a
public subject; a moderator the queue of their zones; a unit's staff what was routed to it."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role, is_admin, role_paths, scope_q
from planwatch.feedback.choices import AppealStatus, MessageStatus, Rating
from planwatch.feedback.models import Message
from planwatch.supervision.notify import unit_recipients

PUBLIC = (MessageStatus.ACCEPTED, MessageStatus.ANSWERED)


def public_messages(subject_kind: str, subject_id: int) -> QuerySet[Message]:
    """Accepted messages of one subject, newest first (the caller checked it is public)."""
    return Message.objects.filter(
        subject_kind=subject_kind, subject_id=subject_id, status__in=PUBLIC
    ).order_by("-created_at", "-pk")


def moderated_by(user: Any) -> QuerySet[Message]:
    """Every message `user` moderates: of zones inside their planner scope (messages with no
    zone: province-wide planners); all of them for administrators."""
    if is_admin(user):
        return Message.objects.all()
    paths = role_paths(user, Role.PLANNER)
    if not paths:
        return Message.objects.none()
    query = scope_q(user, Role.PLANNER, path_field="zone__path") or Q()
    if any(p.count("/") <= 2 for p in paths):
        query |= Q(zone__isnull=True)
    return Message.objects.filter(query)


def moderation_queue(user: Any) -> QuerySet[Message]:
    """Pending messages, oldest first; and answered ones whose rating is appealed."""
    return (
        moderated_by(user)
        .filter(Q(status=MessageStatus.PENDING) | Q(appeal_status="pending"))
        .select_related("unit")
        .order_by("created_at", "pk")
    )


def handling_queue(user: Any, *, open_only: bool = True) -> QuerySet[Message]:
    """Accepted messages routed to the units of `user` (reporter or unit reviewer), by
    deadline; with `open_only`, those unanswered or with a 回访 to fill in."""
    query = Q(pk__in=[])
    for role in (Role.REPORTER, Role.UNIT_REVIEWER):
        q = scope_q(user, role, path_field="unit__path")
        if q is None:
            query = Q()
            break
        query |= q
    qs = Message.objects.filter(query, status__in=PUBLIC).select_related("unit", "handler")
    if open_only:
        qs = qs.filter(
            Q(status=MessageStatus.ACCEPTED)
            | Q(follow_up__isnull=False, follow_up__filled_at__isnull=True)
        )
    return qs.order_by("due_on", "pk")


def assignable_staff(user: Any, message: Message) -> list[Any]:
    """Whom a unit reviewer of the message's unit may make its handler: the unit's reporters
    and reviewers (none for anyone else, or once the message is answered)."""
    unit = message.unit
    if unit is None or message.status != MessageStatus.ACCEPTED:
        return []
    if not has_role(user, Role.UNIT_REVIEWER, unit):
        return []
    return unit_recipients([unit])


def unit_figures(year: int) -> dict[int, dict[str, int]]:
    """Per handling unit (id), the messages accepted in `year` and how they went — for the
    assessment and the evaluation reports: accepted, answered, answered on time, overdue
    cases, and the ratings (a rating whose appeal was upheld is not counted)."""
    out: dict[int, dict[str, int]] = {}
    rows = Message.objects.filter(
        status__in=PUBLIC, accepted_on__year=year, unit__isnull=False
    ).values_list(
        "unit_id", "status", "due_on", "answered_at", "overdue_case_id", "rating", "appeal_status"
    )
    for unit_id, status, due_on, answered_at, case_id, rating, appeal in rows:
        row = out.setdefault(
            unit_id,
            dict.fromkeys(("accepted", "answered", "on_time", "overdue_cases", *Rating.values), 0),
        )
        row["accepted"] += 1
        if status == MessageStatus.ANSWERED:
            row["answered"] += 1
            if answered_at is not None and due_on is not None:
                row["on_time"] += timezone.localdate(answered_at) <= due_on
        row["overdue_cases"] += case_id is not None
        if rating and appeal != AppealStatus.UPHELD:
            row[rating] += 1
    return out
