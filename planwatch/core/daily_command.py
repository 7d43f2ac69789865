"""The shape every daily job's command shares (`planwatch supervise`, `project_lights`,
`indicator_warnings`): `--date` to run as of another day, `--dry-run` to compute and change
nothing, `--enqueue` to hand one run to the queue's worker instead of running it here, which
runs the job as scheduled and so takes no other option."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from planwatch.core.queue import describe


class DailyJobCommand(BaseCommand):
    """A job's command implements `run` and `enqueue`; one with options of its own adds them
    in `add_job_arguments` and says in `options_changed` whether any is off its default."""

    def add_job_arguments(self, parser: CommandParser) -> None:
        """The job's own options; none by default."""

    def options_changed(self, options: dict[str, Any]) -> bool:
        return False

    def run(self, *, today: date, now: datetime, dry_run: bool, options: dict[str, Any]) -> str:
        raise NotImplementedError

    def enqueue(self, day: str) -> Any:
        """Put one run as of `day` (ISO date) on the queue; returns huey's result."""
        raise NotImplementedError

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="run as of this day (YYYY-MM-DD); default today")
        self.add_job_arguments(parser)
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
            if options["dry_run"] or self.options_changed(options):
                raise CommandError("--enqueue runs the job as scheduled: no other options")
            result = self.enqueue(today.isoformat())
            self.stdout.write(f"{today}: enqueued on {describe(settings.HUEY)} ({result.id})")
            return
        summary = self.run(today=today, now=now, dry_run=options["dry_run"], options=options)
        prefix = "[dry run] " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{today}: {summary}")
