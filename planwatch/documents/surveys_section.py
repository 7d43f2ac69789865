"""The 公众评价 section's data, read through one small function so the reports do not depend
on how the surveys app (issue 13, built alongside) stores its answers: `summary` answers
None — "no survey data" — while that app has no models, or no answers for the plan."""

from __future__ import annotations

from typing import Any

from django.apps import apps

from planwatch.documents.figures import Figures


def summary(*, plan: Any, zone: Any, year: int) -> dict[str, Any] | None:
    """Survey results of `plan` in `year`, or None when there are none to report."""
    if not apps.is_installed("planwatch.surveys"):
        return None
    if not list(apps.get_app_config("surveys").get_models()):
        return None
    return None  # wired once the surveys app's selectors land on main


def paragraphs(data: dict[str, Any], figures: Figures) -> list[str]:
    return []
