"""`planwatch search_reindex`: rebuild the full-text index from the current plan versions
(after changing the segmenter or its dictionary, or restoring a database). `--dry-run`
says what would be indexed and changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from planwatch.search.backends import get_backend
from planwatch.search.services import reindex_all, reindex_plan_versions


class Command(BaseCommand):
    help = "Rebuild the full-text search index from every plan's current version."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            versions = reindex_plan_versions()
            nodes = sum(v.nodes.count() for v in versions)
            now = get_backend().count_all()
            self.stdout.write(
                f"would index {nodes} nodes of {len(versions)} plans (the index holds {now} now)"
            )
            return
        plans, docs = reindex_all()
        self.stdout.write(f"indexed {docs} nodes of {plans} plans")
