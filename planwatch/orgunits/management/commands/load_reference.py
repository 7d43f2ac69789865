"""`planwatch load_reference` — bring the organisation-unit tree in line with the reference
files (the parser's gazetteer and zones, the departments file). `planwatch setup` runs it too."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from planwatch.orgunits.services import orgunits_load_reference


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = "Load or update the organisation units from the reference files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change, change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                result = orgunits_load_reference(actor=None)
                if options["dry_run"]:
                    raise _DryRun
        except _DryRun:
            pass
        prefix = "would be " if options["dry_run"] else ""
        self.stdout.write(
            f"organisation units: {result.created} {prefix}created, {result.updated} "
            f"{prefix}updated, {result.deactivated} {prefix}deactivated"
        )
