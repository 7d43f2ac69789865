"""Reads for notices: the batches a planner may see, and a batch's items with each unit
name resolved, for review."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from planwatch.notices.models import NoticeBatch
from planwatch.notices.resolve import NoticeUnits, Resolution
from planwatch.notices.services import UNIT_ROLES
from planwatch.plans.models import Plan
from planwatch.tasks.permissions import plans_managed_q


def batch_list_for(*, user: Any) -> QuerySet[NoticeBatch]:
    """The batches of the plans `user` manages, newest first."""
    plans = Plan.objects.filter(plans_managed_q(user))
    return NoticeBatch.objects.filter(plan__in=plans).select_related("plan", "annual_list")


@dataclass
class ReviewRow:
    item: dict[str, Any]
    roles: dict[str, list[Resolution]]


@dataclass
class Review:
    rows: list[ReviewRow]
    unknown: list[Resolution]


def batch_review(batch: NoticeBatch) -> Review:
    """Each item with its names resolved, and the names still to be mapped (in order)."""
    units = NoticeUnits(batch.plan)
    rows: list[ReviewRow] = []
    unknown: dict[str, Resolution] = {}
    for item in batch.result.get("items", []):
        roles = {role: [units.resolve(name) for name in item[role]] for role in UNIT_ROLES}
        for resolutions in roles.values():
            for r in resolutions:
                if not r.resolved:
                    unknown.setdefault(r.name, r)
        rows.append(ReviewRow(item, roles))
    return Review(rows, list(unknown.values()))
