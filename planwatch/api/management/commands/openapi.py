"""`planwatch openapi` prints the API's OpenAPI document; `--write` writes it to
docs/openapi.json; `--check` exits 1 with a summary when the committed file has drifted
from what the code generates (run by `make openapi-check`)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from planwatch.api.openapi import COMMITTED, drift_summary, generated_schema, render


class Command(BaseCommand):
    help = "Print, write (--write) or check (--check) the committed OpenAPI document."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--write", action="store_true", help=f"write {COMMITTED}")
        group.add_argument("--check", action="store_true", help="exit 1 if it has drifted")

    def handle(self, *args: Any, **options: Any) -> None:
        text = render(generated_schema())
        if options["write"]:
            COMMITTED.parent.mkdir(parents=True, exist_ok=True)
            COMMITTED.write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {COMMITTED}")
        elif options["check"]:
            committed = COMMITTED.read_text(encoding="utf-8") if COMMITTED.exists() else ""
            if committed == text:
                self.stdout.write(f"{COMMITTED.name} is up to date")
                return
            self.stderr.write(
                f"{COMMITTED} differs from the API the code serves"
                " (run `planwatch openapi --write` and commit it):"
            )
            for line in drift_summary(committed or "{}", text):
                self.stderr.write(line)
            sys.exit(1)
        else:
            self.stdout.write(text, ending="")
