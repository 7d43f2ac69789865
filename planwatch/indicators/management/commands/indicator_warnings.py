"""`planwatch indicator_warnings`: recompute the statuses of the confirmed indicators and
raise or close the warnings (预警) of the binding ones, a raised warning opening its 督办 case
once. Safe to run as often as wanted. The queue's worker runs it daily by itself
(planwatch/indicators/scheduled.py); `--enqueue` hands one run to the worker instead."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from planwatch.core.daily_command import DailyJobCommand
from planwatch.indicators.scheduled import indicator_warnings_now
from planwatch.indicators.services import indicator_warnings_run


class Command(DailyJobCommand):
    help = "Recompute indicator statuses and raise or close the warnings of binding indicators."

    def run(self, *, today: date, now: datetime, dry_run: bool, options: dict[str, Any]) -> str:
        return str(indicator_warnings_run(now=now, today=today, dry_run=dry_run))

    def enqueue(self, day: str) -> Any:
        return indicator_warnings_now(day)
