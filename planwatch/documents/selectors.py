"""Reads for documents, starting from what the viewer may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from planwatch.documents.models import Document
from planwatch.documents.permissions import can_manage_zone, documents_for
from planwatch.plans.models import Plan


def document_list_for(*, user: Any) -> QuerySet[Document]:
    return documents_for(user).order_by("-created_at", "-id")


def plans_manageable(user: Any) -> list[Plan]:
    """Plans whose documents `user` may draft."""
    plans = Plan.objects.select_related("org_unit").order_by("sort_order", "id")
    return [p for p in plans if p.org_unit is not None and can_manage_zone(user, p.org_unit)]
