"""Keeping the full-text index in step with the plans (implemented by the search work)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planwatch.plans.models import PlanVersion


def index_plan_version(*, version: PlanVersion) -> int:
    """Index every node of `version`; returns the number of documents indexed. Called by the
    ingest service inside its transaction."""
    return 0
