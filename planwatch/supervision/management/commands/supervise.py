"""`planwatch supervise`: the scheduled supervision job (lights, cases, reminders,
escalations). Safe to run as often as wanted. The queue's worker runs it daily by itself
(planwatch/supervision/scheduled.py); `--enqueue` hands one run to the worker instead of
running it here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from planwatch.core.queue import describe
from planwatch.supervision.jobs import supervise_run
from planwatch.supervision.lights import DEFAULT_TOLERANCE, DEFAULT_WARNING_DAYS
from planwatch.supervision.scheduled import supervise_now


class Command(BaseCommand):
    help = "Recompute task lights, open 督办 cases, send reminders (催办) and escalations."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="run as of this day (YYYY-MM-DD); default today")
        parser.add_argument("--warning-days", type=int, default=DEFAULT_WARNING_DAYS)
        parser.add_argument("--tolerance", type=Decimal, default=DEFAULT_TOLERANCE)
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
            if options["dry_run"] or options["warning_days"] != DEFAULT_WARNING_DAYS:
                raise CommandError("--enqueue runs the job as scheduled: no other options")
            if options["tolerance"] != DEFAULT_TOLERANCE:
                raise CommandError("--enqueue runs the job as scheduled: no other options")
            result = supervise_now(today.isoformat())
            self.stdout.write(f"{today}: enqueued on {describe(settings.HUEY)} ({result.id})")
            return
        summary = supervise_run(
            today=today,
            now=now,
            warning_days=options["warning_days"],
            tolerance=options["tolerance"],
            dry_run=options["dry_run"],
        )
        prefix = "[dry run] " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{today}: {summary}")
