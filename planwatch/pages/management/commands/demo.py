"""`planwatch demo`: load (or, with --clear, remove) the demonstration data."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from planwatch.pages.demo import DemoError, default_as_of, demo_clear, demo_load, demo_years


class Command(BaseCommand):
    help = (
        "Load simulated tasks, reports and 督办 cases for five years of lists of the plans, "
        "ending with the year of --as-of (default: just after the latest period due before "
        "today) "
        "(marked 演示数据, every simulated step in the audit log and each report's review "
        "history), or remove them with --clear "
        "(recorded as one demo.clear audit event: the log itself is append-only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clear", action="store_true", help="remove the demo data")
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=None,
            help="simulated date of the demo (YYYY-MM-DD; default: relative to today, two "
            "weeks after the last quarterly report due before today, never after today)",
        )
        parser.add_argument("--seed", type=int, default=2021)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["clear"]:
            removed = demo_clear()
            self.stdout.write(
                f"demo data removed: {removed} objects (recorded in the audit log as demo.clear)"
            )
            return
        as_of = options["as_of"] or default_as_of()
        try:
            summary = demo_load(as_of=as_of, seed=options["seed"], progress=self.stdout.write)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        years = demo_years(as_of)
        self.stdout.write(
            f"demo data loaded (as of {as_of}, lists {years[0]}–{years[-1]}): {summary}"
        )
