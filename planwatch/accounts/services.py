"""Changes to accounts and roles. Each service validates, checks that `actor` may make the
change (`actor=None` is the system itself: set-up, the CLI), writes one audit event in the same
transaction, and is used alike by the views, the Django admin and the commands."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from planwatch.accounts.choices import Role
from planwatch.accounts.models import Membership
from planwatch.accounts.permissions import (
    can_grant,
    can_manage_user,
    forget_memberships,
    is_admin,
)
from planwatch.audit.services import audit_record
from planwatch.core import hooks
from planwatch.core.types import Actor
from planwatch.orgunits.models import OrgUnit


def _user_snapshot(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "name": user.first_name,
        "email": user.email,
        "is_active": user.is_active,
    }


def _membership_snapshot(membership: Membership) -> dict[str, Any]:
    return {
        "user": membership.user.get_username(),
        "org_unit": membership.org_unit.code,
        "org_unit_name": membership.org_unit.name,
        "role": membership.role,
    }


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("无权进行此操作。"))


@transaction.atomic
def user_create(
    *,
    actor: Actor,
    username: str,
    password: str | None,
    name: str = "",
    email: str = "",
    org_unit: OrgUnit | None = None,
    role: Role | str | None = None,
) -> User:
    """Create an account, optionally with its first role. A planner must give a role on a
    unit in their scope (otherwise the account would be outside everyone's reach but the
    administrators'). `password=None` leaves the account without a usable password."""
    username = username.strip()
    if not username:
        raise ValidationError({"username": _("请填写登录名。")})
    try:  # letters (Chinese too), digits and @.+-_ only, at most 150 characters
        User._meta.get_field("username").run_validators(username)
    except ValidationError as exc:
        raise ValidationError({"username": exc.messages}) from exc
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("登录名已被使用。")})
    if (org_unit is None) != (role is None):
        raise ValidationError(_("组织单位和角色须同时填写。"))
    if actor is not None:
        _require(org_unit is not None and role is not None and can_grant(actor, org_unit, role))
    user = User(username=username, first_name=name.strip(), email=email.strip())
    if password is None:
        user.set_unusable_password()
    else:
        password_validation.validate_password(password, user)
        user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # the same name taken concurrently
        raise ValidationError({"username": _("登录名已被使用。")}) from exc
    audit_record(
        actor=actor,
        action="user.create",
        target_type="user",
        target_id=user.pk,
        target_label=user.username,
        new=_user_snapshot(user),
    )
    if org_unit is not None and role is not None:
        membership_grant(actor=actor, user=user, org_unit=org_unit, role=role)
    return user


@transaction.atomic
def user_set_active(*, actor: Actor, user: User, is_active: bool) -> User:
    """Enable or disable an account (accounts are disabled, never deleted, so the audit log
    and the history keep naming them)."""
    if actor is not None:
        _require(can_manage_user(actor, user))
        if actor.pk == user.pk and not is_active:
            raise ValidationError(_("不能停用自己的账号。"))
    if user.is_active == is_active:
        return user
    old = _user_snapshot(user)
    user.is_active = is_active
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="user.activate" if is_active else "user.deactivate",
        target_type="user",
        target_id=user.pk,
        target_label=user.username,
        old=old,
        new=_user_snapshot(user),
    )
    return user


@transaction.atomic
def membership_grant(
    *, actor: Actor, user: User, org_unit: OrgUnit, role: Role | str
) -> Membership:
    """Give `user` the role `role` on `org_unit` (and so on every unit below it)."""
    if role not in Role.values:
        raise ValidationError({"role": _("未知角色。")})
    if role == Role.ADMIN and org_unit.parent_id is not None:
        raise ValidationError({"org_unit": _("系统管理员角色只能授予在顶级单位上。")})
    if actor is not None:
        _require(can_grant(actor, org_unit, role))
        # A planner may extend a fresh account or one they already manage, nobody else's.
        fresh = not Membership.objects.filter(user=user).exists() and not user.is_staff
        _require(is_admin(actor) or fresh or can_manage_user(actor, user))
        _require(actor.is_superuser or not user.is_superuser)
    if Membership.objects.filter(user=user, org_unit=org_unit, role=role).exists():
        raise ValidationError(_("该用户已拥有此角色。"))
    try:
        with transaction.atomic():
            membership = Membership.objects.create(user=user, org_unit=org_unit, role=role)
    except IntegrityError as exc:  # a concurrent identical grant
        raise ValidationError(_("该用户已拥有此角色。")) from exc
    forget_memberships(user)
    audit_record(
        actor=actor,
        action="membership.grant",
        target_type="membership",
        target_id=membership.pk,
        target_label=str(membership),
        new=_membership_snapshot(membership),
    )
    return membership


@transaction.atomic
def membership_revoke(*, actor: Actor, membership: Membership) -> None:
    """Take a role away. A planner may not take away a user's last role (the account would
    leave their sight); they disable the account instead."""
    if actor is not None:
        _require(
            can_grant(actor, membership.org_unit, membership.role)
            and can_manage_user(actor, membership.user)
        )
        others = Membership.objects.filter(user_id=membership.user_id).exclude(pk=membership.pk)
        if not is_admin(actor) and not others.exists():
            raise ValidationError(_("不能撤销用户的最后一个角色；如需停用请停用账号。"))
    old = _membership_snapshot(membership)
    label = str(membership)
    pk = membership.pk
    deleted, _unused = Membership.objects.filter(pk=pk).delete()
    if not deleted:
        raise ValidationError(_("该角色已被撤销。"))
    forget_memberships(membership.user)
    audit_record(
        actor=actor,
        action="membership.revoke",
        target_type="membership",
        target_id=pk,
        target_label=label,
        old=old,
    )


@transaction.atomic
def password_change(
    *, actor: Actor, user: User, new_password: str, old_password: str | None = None
) -> User:
    """Set a new password. A user changing their own must give the current one; a manager
    resetting someone else's must be allowed to manage them. The password never reaches
    the audit log. The user's API tokens are revoked and their other sessions end."""
    own = actor is not None and actor.pk == user.pk
    if own:
        if old_password is None or not user.check_password(old_password):
            raise ValidationError({"old_password": _("当前密码不正确。")})
    elif actor is not None:
        _require(can_manage_user(actor, user))
    password_validation.validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(
        actor=actor,
        action="user.password_change" if own else "user.password_reset",
        target_type="user",
        target_id=user.pk,
        target_label=user.username,
    )
    # A new password ends what the old one opened: api revokes the user's tokens.
    hooks.password_changed.send(user=user, actor=actor)
    return user
