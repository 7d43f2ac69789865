"""Publishing and withdrawing, each audited (`publication.publish`, `publication.withdraw`
with the reason)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role, is_admin, role_paths
from planwatch.audit.services import audit_record
from planwatch.publication.kinds import Kind, kind_of
from planwatch.publication.models import Publication
from planwatch.publication.selectors import live


def _kind(subject: Any) -> Kind:
    kind = kind_of(subject)
    if kind is None:
        raise ValidationError(_("这类对象不能公开发布。"))
    return kind


def can_publish(user: Any, subject: Any) -> bool:
    """A planner whose scope covers the subject's zone (no zone: a province-wide planner), or
    an administrator."""
    if user is None or not user.is_authenticated:
        return False
    if is_admin(user):
        return True
    zone = _kind(subject).zone_of(subject)
    if zone is not None:
        return has_role(user, Role.PLANNER, zone)
    return any(p.count("/") <= 2 for p in role_paths(user, Role.PLANNER))


def _require(actor: Any, subject: Any) -> Kind:
    kind = _kind(subject)
    if actor is not None and not can_publish(actor, subject):
        raise PermissionDenied(_("只有负责该区域的规划处室人员可以公开发布或撤回。"))
    return kind


@transaction.atomic
def publish(*, actor: Any, subject: Any, note: str = "") -> Publication:
    """Make `subject` public. Publishing what is already public returns its live publication
    unchanged."""
    kind = _require(actor, subject)
    refusal = kind.refusal(subject)
    if refusal:
        raise ValidationError(str(refusal))
    ct = ContentType.objects.get_for_model(type(subject))
    current = live().select_for_update().filter(subject_type=ct, subject_id=subject.pk).first()
    if current is not None:
        return current
    label = kind.label_of(subject)[:500]
    try:
        with transaction.atomic():
            pub = Publication.objects.create(
                kind=kind.key,
                subject_type=ct,
                subject_id=subject.pk,
                label=label,
                note=(note or "").strip()[:500],
                published_at=timezone.now(),
                published_by=actor if actor is not None and actor.is_authenticated else None,
            )
    except IntegrityError:  # published by someone else at the same moment
        return live().get(subject_type=ct, subject_id=subject.pk)
    audit_record(
        actor=actor,
        action="publication.publish",
        target_type=kind.key,
        target_id=subject.pk,
        target_label=label,
        new={"publication": pub.pk, "note": pub.note},
    )
    return pub


@transaction.atomic
def withdraw(*, actor: Any, subject: Any, reason: str) -> Publication:
    """Withdraw `subject` from the public, with a reason (required)."""
    kind = _require(actor, subject)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤回原因。")})
    ct = ContentType.objects.get_for_model(type(subject))
    pub = live().select_for_update().filter(subject_type=ct, subject_id=subject.pk).first()
    if pub is None:
        raise ValidationError(_("该对象没有公开，无需撤回。"))
    pub.withdrawn_at = timezone.now()
    pub.withdrawn_by = actor if actor is not None and actor.is_authenticated else None
    pub.withdrawal_reason = reason[:2000]
    pub.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    audit_record(
        actor=actor,
        action="publication.withdraw",
        target_type=kind.key,
        target_id=subject.pk,
        target_label=pub.label,
        old={"publication": pub.pk},
        new={"reason": pub.withdrawal_reason},
    )
    return pub
