"""The defaults of messages, each overridable in settings (from the environment, see
.env.example): the answer deadline in working days, the rate limits per client address and
the window of duplicate detection."""

from __future__ import annotations

from django.conf import settings

from planwatch.core.ratelimit import Limit


def _int(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def answer_workdays() -> int:
    """Working days a unit has to answer an accepted message (methods.md §5: 15)."""
    return _int("PLANWATCH_FEEDBACK_ANSWER_WORKDAYS", 15)


def duplicate_days() -> int:
    """The same text on the same subject within this many days is refused as a duplicate."""
    return _int("PLANWATCH_FEEDBACK_DUPLICATE_DAYS", 7)


def submit_limits() -> tuple[Limit, ...]:
    """Messages one client address may leave: per hour and per day."""
    return (
        Limit("feedback.submit.hour", _int("PLANWATCH_FEEDBACK_PER_HOUR", 5), 3600),
        Limit("feedback.submit.day", _int("PLANWATCH_FEEDBACK_PER_DAY", 20), 86400),
    )


def rating_limit() -> Limit:
    """Ratings and receipt look-ups one client address may make per hour (receipt codes are
    unguessable; this keeps anyone from trying)."""
    return Limit("feedback.receipt", _int("PLANWATCH_FEEDBACK_RECEIPT_PER_HOUR", 60), 3600)
