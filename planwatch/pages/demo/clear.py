"""`demo_clear`: remove what the demo created, and record that in one `demo.clear` event."""

from __future__ import annotations

from itertools import batched

from django.contrib.auth import get_user_model
from django.db import models, transaction

from planwatch.audit.services import audit_record
from planwatch.core.models import DemoMarker, Notification
from planwatch.core.types import Actor
from planwatch.pages.demo.common import demo_values, marked_ids
from planwatch.reports.models import Evidence, ProgressReport
from planwatch.rollups.services import rollup_rebuild
from planwatch.supervision.models import SupervisionCase, TaskLight
from planwatch.supervision.notify import notifications_concerning_demo
from planwatch.tasks.models import AnnualList, Task


def _demo_notification_ids() -> list[int]:
    """Notifications the demo sent, and those the jobs sent since about its tasks, reports
    and cases (they would point at nothing once these are gone)."""
    found: list[int] = []
    notes = Notification.objects.only("pk", "key").order_by("pk").iterator(chunk_size=500)
    for chunk in batched(notes, 500):
        found += notifications_concerning_demo(chunk)
    return found


def _count_cascaded(
    counts: dict[str, int], model: type[models.Model], deleted: dict[str, int]
) -> None:
    """Add to `counts` the rows deleted along with `model`'s (a report's review history, a
    case's steps, a list's versions …), so that `demo.clear` says all that went."""
    for label, n in deleted.items():
        if n and label.lower() != model._meta.label_lower:
            counts[label.lower()] = counts.get(label.lower(), 0) + n


def demo_clear(*, actor: Actor = None) -> int:
    """Remove every object the demo created and record one `demo.clear` event with what was
    removed, including what went with it by cascade such as the reports' review history (the
    demo's own audit events stay: see the package docstring); returns how many rows.
    `actor=None` is the command line."""
    user_model = get_user_model()
    order: list[type[models.Model]] = [
        Notification,
        SupervisionCase,
        Evidence,
        ProgressReport,
        Task,
        AnnualList,
        user_model,
    ]
    counts: dict[str, int] = {}
    with transaction.atomic():
        for model in order:
            ids = marked_ids(model)
            if model is Notification:
                ids += _demo_notification_ids()
            if model is SupervisionCase:
                ids += list(
                    SupervisionCase.objects.filter(task__in=marked_ids(Task)).values_list(
                        "pk", flat=True
                    )
                )
            if model is Task:
                TaskLight.objects.filter(task__in=ids).delete()
            if model is ProgressReport:
                # Reports the demo tasks received through the pages belong to them too.
                ids += list(
                    ProgressReport.objects.filter(task__in=marked_ids(Task)).values_list(
                        "pk", flat=True
                    )
                )
                Evidence.objects.filter(report__in=ids).delete()
            counts[model._meta.label_lower] = len(set(ids))
            _total, deleted = model._default_manager.filter(pk__in=set(ids)).delete()
            _count_cascaded(counts, model, deleted)
        DemoMarker.objects.all().delete()
        rollup_rebuild()  # the reports and tasks went in bulk, past the services
        removed = sum(counts.values())
        if removed:
            audit_record(
                actor=actor,
                action="demo.clear",
                target_type="dashboards.demo",
                new=demo_values({"removed": counts}),
            )
    return removed
