"""`planwatch supervise`: the scheduled supervision job (lights, cases, reminders,
escalations). Safe to run as often as wanted. The queue's worker runs it daily by itself
(planwatch/supervision/scheduled.py); `--enqueue` hands one run to the worker instead of
running it here."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.management.base import CommandParser

from planwatch.core.daily_command import DailyJobCommand
from planwatch.supervision.jobs import supervise_run
from planwatch.supervision.lights import DEFAULT_TOLERANCE, DEFAULT_WARNING_DAYS
from planwatch.supervision.scheduled import supervise_now


class Command(DailyJobCommand):
    help = "Recompute task lights, open 督办 cases, send reminders (催办) and escalations."

    def add_job_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--warning-days", type=int, default=DEFAULT_WARNING_DAYS)
        parser.add_argument("--tolerance", type=Decimal, default=DEFAULT_TOLERANCE)

    def options_changed(self, options: dict[str, Any]) -> bool:
        return bool(
            options["warning_days"] != DEFAULT_WARNING_DAYS
            or options["tolerance"] != DEFAULT_TOLERANCE
        )

    def run(self, *, today: date, now: datetime, dry_run: bool, options: dict[str, Any]) -> str:
        summary = supervise_run(
            today=today,
            now=now,
            warning_days=options["warning_days"],
            tolerance=options["tolerance"],
            dry_run=dry_run,
        )
        return str(summary)

    def enqueue(self, day: str) -> Any:
        return supervise_now(day)
