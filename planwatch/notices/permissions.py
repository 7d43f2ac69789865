"""Who may see a notice batch: the planners of its plan (anyone else gets the same 404)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from planwatch.notices.models import NoticeBatch
from planwatch.plans.models import Plan
from planwatch.tasks.permissions import can_manage_plan, plans_managed_q


def managed_plans(user: Any) -> QuerySet[Plan]:
    return Plan.objects.filter(plans_managed_q(user))


def access_batch(user: Any, batch_id: int) -> NoticeBatch:
    """The batch, if `user` manages its plan; "missing" and "not allowed" are one 404."""
    batch = NoticeBatch.objects.select_related("plan", "annual_list").filter(pk=batch_id).first()
    if batch is None or not can_manage_plan(user, batch.plan):
        raise Http404
    return batch
