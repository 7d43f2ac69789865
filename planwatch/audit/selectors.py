"""Reads of the audit log, starting from what the viewer may see (administrators only)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, TypedDict

from django.db.models import QuerySet
from django.utils import timezone

from planwatch.audit.models import AuditEvent
from planwatch.core import hooks


class AuditFilters(TypedDict, total=False):
    actor: str
    action: str
    target_type: str
    target_id: str
    date_from: date | None
    date_to: date | None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def can_view_audit(viewer: Any) -> bool:
    """Administrators (audit sits below accounts: accounts answers through the
    `audit_reader` hook)."""
    return any(hooks.audit_reader.send(user=viewer))


def audit_event_list_for(*, viewer: Any, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """Events matching `filters`, newest first. Dates are whole days in the local time zone
    (Asia/Shanghai), both ends included."""
    if not can_view_audit(viewer):
        return AuditEvent.objects.none()
    events = AuditEvent.objects.select_related("actor").order_by("-id")
    if actor := filters.get("actor"):
        events = events.filter(actor_label__iexact=actor)
    if action := filters.get("action"):
        events = events.filter(action=action)
    if target_type := filters.get("target_type"):
        events = events.filter(target_type=target_type)
    if target_id := filters.get("target_id"):
        events = events.filter(target_id=target_id)
    if date_from := filters.get("date_from"):
        events = events.filter(created_at__gte=_day_start(date_from))
    if date_to := filters.get("date_to"):
        events = events.filter(created_at__lt=_day_start(date_to + timedelta(days=1)))
    return events


def audit_choices(field: str) -> list[str]:
    """The distinct values of `action` or `target_type` present in the log."""
    values = AuditEvent.objects.order_by(field).values_list(field, flat=True).distinct()
    return list(values)
