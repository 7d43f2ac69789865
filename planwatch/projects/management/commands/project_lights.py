"""`planwatch project_lights`: recompute every confirmed project's light for the last month
that has ended, opening a 督办 case for a red project once. Safe to run as often as wanted.
The queue's worker runs it daily by itself (planwatch/projects/scheduled.py); `--enqueue`
hands one run to the worker instead of running it here."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from planwatch.core.queue import describe
from planwatch.projects.scheduled import project_lights_now, project_lights_run


class Command(BaseCommand):
    help = "Recompute the major projects' lights (项目调度) and open 督办 cases for red ones."

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
            result = project_lights_now(today.isoformat())
            self.stdout.write(f"{today}: enqueued on {describe(settings.HUEY)} ({result.id})")
            return
        summary = project_lights_run(today=today, now=now, dry_run=options["dry_run"])
        prefix = "[dry run] " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{today}: {summary}")
