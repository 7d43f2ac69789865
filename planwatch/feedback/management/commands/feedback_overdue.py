"""`planwatch feedback_overdue`: open a 督办 case, once, for every accepted message still
unanswered past its deadline. `--date` runs it as of another day (the clock passed in);
the queue's worker runs it daily by itself (planwatch/feedback/scheduled.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from planwatch.core.daily_command import DailyJobCommand
from planwatch.feedback.jobs import feedback_overdue_run
from planwatch.feedback.scheduled import feedback_overdue_now


class Command(DailyJobCommand):
    help = "Open 督办 cases for messages (留言) unanswered past their deadline."

    def run(self, *, today: date, now: datetime, dry_run: bool, options: dict[str, Any]) -> str:
        return feedback_overdue_run(today=today, now=now, dry_run=dry_run)

    def enqueue(self, day: str) -> Any:
        return feedback_overdue_now(day)
