"""`planwatch indicator_warnings`: recompute the statuses of the confirmed indicators and
raise or close the warnings (预警) of the binding ones, a raised warning opening its 督办 case
once. Safe to run as often as wanted. The queue's worker runs it daily by itself
(planwatch/indicators/scheduled.py); `--enqueue` hands one run to the worker instead."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from planwatch.core.queue import describe
from planwatch.indicators.scheduled import indicator_warnings_now
from planwatch.indicators.services import indicator_warnings_run


class Command(BaseCommand):
    help = "Recompute indicator statuses and raise or close the warnings of binding indicators."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="run as of this day (YYYY-MM-DD); default today")
        parser.add_argument("--dry-run", action="store_true", help="compute, change nothing")
        parser.add_argument(
            "--enqueue", action="store_true", help="put one run on the job queue for the worker"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        try:
            today = (
                date.fromisoformat(options["date"]) if options["date"] else timezone.localdate(now)
            )
        except ValueError as exc:
            raise CommandError(f"--date: {exc}") from exc
        if options["enqueue"]:
            if options["dry_run"]:
                raise CommandError("--enqueue runs the job as scheduled: no other options")
            result = indicator_warnings_now(today.isoformat())
            self.stdout.write(f"{today}: enqueued on {describe(settings.HUEY)} ({result.id})")
            return
        summary = indicator_warnings_run(now=now, today=today, dry_run=options["dry_run"])
        prefix = "[dry run] " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{today}: {summary}")
