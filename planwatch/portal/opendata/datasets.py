"""The published datasets, in the order the index page lists them, and when they last
changed."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Max

from planwatch.portal.opendata.base import Dataset, Row
from planwatch.portal.opendata.editions import INDEX_VALUES, SCORES
from planwatch.portal.opendata.monitoring import OBSERVATIONS, TASKS
from planwatch.portal.opendata.projects import PROJECTS, project_records
from planwatch.publication.models import Publication

__all__ = [
    "DATASETS",
    "INDEX_VALUES",
    "OBSERVATIONS",
    "PROJECTS",
    "SCORES",
    "TASKS",
    "Dataset",
    "Row",
    "last_modified",
    "last_published",
    "project_records",
]

DATASETS: dict[str, Dataset] = {
    d.name: d for d in (TASKS, OBSERVATIONS, PROJECTS, INDEX_VALUES, SCORES)
}


def last_published() -> datetime | None:
    """The latest publishing or withdrawing of anything."""
    agg = Publication.objects.aggregate(p=Max("published_at"), w=Max("withdrawn_at"))
    stamps = [s for s in (agg["p"], agg["w"]) if s is not None]
    return max(stamps) if stamps else None


def last_modified(dataset: Dataset | None = None) -> datetime | None:
    """When `dataset` (or any) last changed: its own content or any publication."""
    sets = [dataset] if dataset is not None else list(DATASETS.values())
    stamps = [last_published()] + [d.changed() for d in sets]
    real = [s for s in stamps if s is not None]
    return max(real) if real else None
