"""What the parts of the demo share: its constants, its error and summary, the markers that
set its objects apart (DemoMarker) and the flag on the audit events it writes itself."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from planwatch.core.models import DemoMarker
from planwatch.core.workflow import ServiceError
from planwatch.reports.periods import periods_for

DEMO_YEARS = 5  # the demo's lists: the year of its date and the four before it
SETTLE_DAYS = 15  # the demo's date: this many days after its latest period's due date
DEMO_USERNAME = "demo_planner"
BUNDLED = Path(settings.PROJECT_DIR) / "data" / "plans" / "sichuan-2021-five-regional-plans.txt"
DEMO_PDF = b"%PDF-1.4\n% planwatch demo evidence\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


class DemoError(ServiceError):
    """The demo cannot be loaded (already loaded, or nothing to load it on)."""


@dataclass
class DemoSummary:
    lists: int = 0
    tasks: int = 0
    reports: int = 0
    lead_reports: int = 0  # of `reports`, the lead units' summaries (汇总)
    cases: int = 0
    skipped_lists: int = 0
    audit_events: int = 0

    def __str__(self) -> str:
        return (
            f"lists: {self.lists}; tasks: {self.tasks}; reports: {self.reports} "
            f"(lead units' summaries: {self.lead_reports}); "
            f"cases: {self.cases}; lists left alone (real data present): {self.skipped_lists}; "
            f"audit events: {self.audit_events}"
        )


def default_as_of(today: date | None = None) -> date:
    """The demo's simulated date when none is given, relative to the day it is loaded: two
    weeks after the due date of the last quarterly report due before today (most reports
    of that period are in by then), never after today. Its latest period is thus the last
    one due before today, and its lights compare that period's figures with the 序时进度 of a
    day soon after it — as a real list looks then — where judging them against today would
    turn most tasks yellow in the last weeks of a quarter. The daily supervision run judges
    demo tasks as of this date too (supervision/demo.py)."""
    today = today or timezone.localdate()
    due = [p.due for y in (today.year - 1, today.year) for p in periods_for(y, "quarterly")]
    latest = max(d for d in due if d < today)
    return min(today, latest + timedelta(days=SETTLE_DAYS))


def demo_years(as_of: date) -> range:
    """The years of the demo's annual lists: the year of `as_of` (in progress) and the
    four before it (closed)."""
    return range(as_of.year - DEMO_YEARS + 1, as_of.year + 1)


def demo_present() -> bool:
    return DemoMarker.objects.exists()


def mark(objects: Iterable[models.Model]) -> None:
    items = list(objects)
    if not items:
        return
    ct = ContentType.objects.get_for_model(type(items[0]))
    DemoMarker.objects.bulk_create(
        [DemoMarker(content_type=ct, object_id=o.pk) for o in items], batch_size=2000
    )


def marked_ids(model: type[models.Model]) -> list[int]:
    ct = ContentType.objects.get_for_model(model)
    return list(DemoMarker.objects.filter(content_type=ct).values_list("object_id", flat=True))


def demo_values(values: dict[str, Any] | None = None, at: date | None = None) -> dict[str, Any]:
    """New values of an event the demo writes: flagged, with the simulated time if any."""
    extra: dict[str, Any] = {"demo": True} | ({"at": at.isoformat()} if at else {})
    return (values or {}) | extra
