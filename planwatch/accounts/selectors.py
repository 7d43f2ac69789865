"""Reads of accounts and memberships, each starting from what the viewer may see."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from planwatch.accounts.choices import Role
from planwatch.accounts.models import Membership
from planwatch.accounts.permissions import (
    PLANNER_GRANTABLE_ROLES,
    can_grant,
    can_manage_user,
    can_manage_users,
    is_admin,
    role_paths,
)
from planwatch.orgunits.models import OrgUnit


def _memberships_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.select_related("org_unit").order_by("org_unit__path", "role"),
    )


def user_list_for(
    *, viewer: Any, q: str = "", unit: OrgUnit | None = None, role: str = ""
) -> QuerySet[User]:
    """The accounts `viewer` manages (see `permissions.can_manage_user`), with their
    memberships prefetched; `q` narrows by login name, name or e-mail, `unit` and `role` to
    accounts holding (that) role on the unit or below it."""
    users: QuerySet[User] = User.objects.all()
    if not can_manage_users(viewer):
        return users.none()
    if not viewer.is_superuser:
        users = users.filter(is_superuser=False)
    if not is_admin(viewer):
        scope = Q()
        for path in role_paths(viewer, Role.PLANNER):
            scope |= Q(org_unit__path__startswith=path)
        outside = Membership.objects.filter(user=OuterRef("pk")).exclude(
            scope & Q(role__in=PLANNER_GRANTABLE_ROLES)
        )
        inside = Membership.objects.filter(user=OuterRef("pk"))
        users = users.filter(Exists(inside), is_staff=False).exclude(Exists(outside))
    if q:
        users = users.filter(
            Q(username__icontains=q) | Q(first_name__icontains=q) | Q(email__icontains=q)
        )
    if unit is not None or role:
        held = Membership.objects.filter(user=OuterRef("pk"))
        if unit is not None:
            held = held.filter(org_unit__path__startswith=unit.path)
        if role:
            held = held.filter(role=role)
        users = users.filter(Exists(held))
    return users.prefetch_related(_memberships_prefetch()).order_by("username")


def access_user(viewer: Any, user_id: int) -> User:
    """The account `user_id` if `viewer` may manage it; a missing account and one outside
    the viewer's scope both raise Http404."""
    user = User.objects.filter(pk=user_id).prefetch_related(_memberships_prefetch()).first()
    if user is None or not can_manage_users(viewer) or not can_manage_user(viewer, user):
        raise Http404
    return user


def access_membership(viewer: Any, membership_id: int) -> Membership:
    """The membership if `viewer` may revoke it (they manage its user and may grant its role
    on its unit); otherwise Http404, exactly as for a missing one."""
    membership = (
        Membership.objects.select_related("user", "org_unit").filter(pk=membership_id).first()
    )
    if (
        membership is None
        or not can_grant(viewer, membership.org_unit, membership.role)
        or not can_manage_user(viewer, membership.user)
    ):
        raise Http404
    return membership
