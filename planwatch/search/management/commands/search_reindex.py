"""`planwatch search_reindex`: rebuild the full-text index from the current plan versions
(after changing the segmenter or its dictionary, or restoring a database)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from planwatch.search.services import reindex_all


class Command(BaseCommand):
    help = "Rebuild the full-text search index from every plan's current version."

    def handle(self, *args: Any, **options: Any) -> None:
        plans, docs = reindex_all()
        self.stdout.write(f"indexed {docs} nodes of {plans} plans")
