"""Who sees what: the live publications and the public subsets of each domain. The portal,
its feed, its downloads and the public API read only through these."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from planwatch.indicators.models import Indicator
from planwatch.plans.choices import PlanStatus
from planwatch.plans.models import Plan
from planwatch.projects.models import Project
from planwatch.publication.models import Publication
from planwatch.tasks.models import AnnualList, Task


def live() -> QuerySet[Publication]:
    return Publication.objects.filter(withdrawn_at__isnull=True)


def published_ids(kind: str) -> set[int]:
    """Ids of the objects of `kind` that are published now."""
    return set(live().filter(kind=kind).values_list("subject_id", flat=True))


def live_publication(subject: Any) -> Publication | None:
    ct = ContentType.objects.get_for_model(type(subject))
    return live().filter(subject_type=ct, subject_id=subject.pk).first()


def public_plans() -> QuerySet[Plan]:
    return Plan.objects.filter(status=PlanStatus.PUBLISHED)


def public_lists() -> QuerySet[AnnualList]:
    """Annual lists published whole (issued, of a published plan)."""
    return AnnualList.objects.filter(
        pk__in=live().filter(kind="list").values("subject_id"),
        issued_number__gt=0,
        plan__status=PlanStatus.PUBLISHED,
    )


def public_tasks() -> QuerySet[Task]:
    """Tasks of a published list, or published one by one (their list issued, their plan
    published)."""
    return Task.objects.filter(
        Q(annual_list_id__in=live().filter(kind="list").values("subject_id"))
        | Q(pk__in=live().filter(kind="task").values("subject_id")),
        annual_list__issued_number__gt=0,
        plan__status=PlanStatus.PUBLISHED,
    )


def public_indicators() -> QuerySet[Indicator]:
    """Published indicators (confirmed, of a published plan). Only their verified
    observations are shown."""
    return Indicator.objects.filter(
        pk__in=live().filter(kind="indicator").values("subject_id"),
        status="confirmed",
        plan__status=PlanStatus.PUBLISHED,
    )


def public_projects() -> QuerySet[Project]:
    return Project.objects.filter(
        pk__in=live().filter(kind="project").values("subject_id"), status="confirmed"
    )


# The built-in kinds: (model label, the objects of it the public may read).
PUBLIC_SETS: dict[str, tuple[str, Callable[[], QuerySet[Any]]]] = {
    "list": ("tasks.AnnualList", public_lists),
    "task": ("tasks.Task", public_tasks),
    "indicator": ("indicators.Indicator", public_indicators),
    "project": ("projects.Project", public_projects),
}


def public_ids(kind: str) -> set[int]:
    """Ids of the objects of `kind` the public may read now (with the rules above for the
    built-in kinds; the live publications for the others)."""
    if kind in PUBLIC_SETS:
        return set(PUBLIC_SETS[kind][1]().values_list("pk", flat=True))
    return published_ids(kind)


def is_public(subject: Any) -> bool:
    """May the public read `subject`? A task is public when it or its list is published."""
    label = subject._meta.label
    for model, readable in PUBLIC_SETS.values():
        if model == label:
            return readable().filter(pk=subject.pk).exists()
    return live_publication(subject) is not None
