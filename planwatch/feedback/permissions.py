"""Who may do what with messages (decision record 0024):

- moderators: the planners whose scope covers the message's zone (no zone: province-wide
  planners), and administrators; they accept or reject, and decide appeals;
- the unit's staff: the reporters and unit reviewers of the unit the message was routed to
  (or of a unit above it); they claim, answer, fill in the 回访 and appeal a rating;
- the handler: the one of them who claimed the message; only they see the contact whole.

`access_message` is the only way a staff view loads a message: missing and not allowed are
the same 404."""

from __future__ import annotations

from typing import Any, Literal

from django.http import Http404

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role, is_admin, role_paths
from planwatch.feedback.models import Message

Action = Literal["view", "moderate", "handle"]


def can_moderate(user: Any, message: Message) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if is_admin(user):
        return True
    if message.zone is not None:
        return has_role(user, Role.PLANNER, message.zone)
    return any(p.count("/") <= 2 for p in role_paths(user, Role.PLANNER))


def is_unit_staff(user: Any, message: Message) -> bool:
    unit = message.unit
    return unit is not None and (
        has_role(user, Role.REPORTER, unit) or has_role(user, Role.UNIT_REVIEWER, unit)
    )


def is_handler(user: Any, message: Message) -> bool:
    return (
        message.handler_id is not None
        and getattr(user, "pk", None) == message.handler_id
        and is_unit_staff(user, message)
    )


def can_view(user: Any, message: Message) -> bool:
    return can_moderate(user, message) or (message.is_public and is_unit_staff(user, message))


def access_message(user: Any, message_id: Any, *, action: Action = "view") -> Message:
    try:
        pk = int(message_id)
    except (TypeError, ValueError):
        raise Http404 from None
    message = (
        Message.objects.select_related("unit", "zone", "plan", "handler").filter(pk=pk).first()
    )
    if message is None:
        raise Http404
    if action == "moderate":
        allowed = can_moderate(user, message)
    elif action == "handle":
        allowed = message.is_public and is_unit_staff(user, message)
    else:
        allowed = can_view(user, message)
    if not allowed:
        raise Http404
    return message
