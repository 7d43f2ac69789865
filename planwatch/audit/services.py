"""Writing the audit log. Every service that changes data calls `audit_record` inside its
own transaction, so the change and its record commit or roll back together."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from planwatch.audit.middleware import current_request_id
from planwatch.audit.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def event_digest(
    *,
    prev_hash: str,
    created_at: datetime,
    actor_label: str,
    action: str,
    target_type: str,
    target_id: str,
    target_label: str,
    old: Any,
    new: Any,
    request_id: str,
) -> str:
    """The hash of one event's content and its predecessor's hash."""
    payload = _canonical(
        [
            prev_hash,
            created_at.astimezone(UTC).isoformat(),
            actor_label,
            action,
            target_type,
            target_id,
            target_label,
            old,
            new,
            request_id,
        ]
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _actor_parts(actor: AbstractBaseUser | AnonymousUser | None) -> tuple[Any, str]:
    if actor is None or not actor.is_authenticated:
        return None, "system" if actor is None else "anonymous"
    return actor, actor.get_username()


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    target_type: str,
    target_id: str | int = "",
    target_label: str = "",
    old: Any = None,
    new: Any = None,
    request_id: str = "",
) -> AuditEvent:
    """Append one event. `actor=None` means the system itself (set-up, scheduled jobs).
    Without an explicit `request_id`, the id of the request being served (if any) is used."""
    request_id = request_id or current_request_id.get()
    user, label = _actor_parts(actor)
    # JSON round trip: what is hashed is exactly what the database stores.
    old_v = json.loads(_canonical(old)) if old is not None else None
    new_v = json.loads(_canonical(new)) if new is not None else None
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"last_hash": GENESIS}
        )
        now = timezone.now()
        fields: dict[str, Any] = {
            "created_at": now,
            "actor_label": label,
            "action": action,
            "target_type": target_type,
            "target_id": str(target_id),
            "target_label": target_label[:255],
            "old": old_v,
            "new": new_v,
            "request_id": request_id,
        }
        digest = event_digest(prev_hash=head.last_hash, **fields)
        event = AuditEvent.objects.create(
            actor=user, prev_hash=head.last_hash, hash=digest, **fields
        )
        AuditChainHead.objects.filter(pk=1).update(last_hash=digest, count=head.count + 1)
    return event


def audit_verify() -> tuple[int, list[str]]:
    """Recompute the chain. Returns the number of events checked and a list of problems
    (empty when the log is intact)."""
    problems: list[str] = []
    prev = GENESIS
    checked = 0
    for ev in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        checked += 1
        if ev.prev_hash != prev:
            problems.append(
                f"event {ev.pk}: chain broken (an event before it was removed or altered)"
            )
        digest = event_digest(
            prev_hash=ev.prev_hash,
            created_at=ev.created_at,
            actor_label=ev.actor_label,
            action=ev.action,
            target_type=ev.target_type,
            target_id=ev.target_id,
            target_label=ev.target_label,
            old=ev.old,
            new=ev.new,
            request_id=ev.request_id,
        )
        if digest != ev.hash:
            problems.append(f"event {ev.pk}: content does not match its hash (altered)")
        prev = ev.hash
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != prev or head.count != checked):
        problems.append("the newest events were removed (chain head does not match)")
    return checked, problems
