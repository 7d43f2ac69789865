"""Access predicates — the one module that answers "may this user do this here?".

A role held on an organisation unit covers that unit and every unit below it (scope is
inherited down the tree through OrgUnit.path). A user's memberships are read once per user
object (one query) and kept on it, so a page that asks many questions about the same
`request.user` costs one query; `forget_memberships` drops that memo after a grant or revoke.

Decisions (docs/decisions/0002-roles-and-scopes.md):
- superusers hold every role everywhere;
- the `admin` role is granted on the root unit only and makes its holder a system
  administrator (users, roles, reference data, the audit log);
- a planner manages the users whose every membership lies inside the planner's scope, and
  grants any role but `admin` on units inside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from planwatch.accounts.choices import Role
from planwatch.orgunits.models import OrgUnit

_MEMO = "_planwatch_memberships"

# Roles a planner may hand out inside their scope; only admins grant `admin`.
PLANNER_GRANTABLE_ROLES: tuple[Role, ...] = (
    Role.PLANNER,
    Role.LEADER,
    Role.UNIT_REVIEWER,
    Role.REPORTER,
    Role.DATA_STEWARD,
    Role.DATA_CLERK,
)


def _is_authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(
        getattr(user, "is_active", False)
    )


def _memberships(user: Any) -> list[tuple[str, str]]:
    """(role, unit path) of each of the user's memberships, memoised on the user object."""
    cached: list[tuple[str, str]] | None = getattr(user, _MEMO, None)
    if cached is None:
        cached = [
            (role, path)
            for role, path in user.memberships.values_list("role", "org_unit__path")
            if path
        ]
        setattr(user, _MEMO, cached)
    return cached


def membership_paths(user: Any, *roles: str) -> list[str]:
    """The unit paths of `user`'s own memberships in one of `roles`, in no particular order,
    from the memo the predicates share (a superuser holds no more than their memberships
    here)."""
    return [path for role, path in _memberships(user) if role in roles]


def holds_any_role(user: Any) -> bool:
    """Whether `user` holds some role somewhere (a superuser always does), from the memo the
    predicates share: a page asking it several times reads the memberships once."""
    if not _is_authenticated(user):
        return False
    return bool(user.is_superuser) or bool(_memberships(user))


def forget_memberships(user: Any) -> None:
    """Drop the memo kept by the predicates (after the user's memberships changed)."""
    if hasattr(user, _MEMO):
        delattr(user, _MEMO)


def minimal_paths(paths: Iterable[str]) -> list[str]:
    """The given paths without those already covered by an ancestor among them."""
    result: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(kept) for kept in result):
            result.append(path)
    return sorted(result)


def role_paths(user: Any, role: Role | str) -> list[str]:
    """The minimal set of unit paths on which `user` holds `role` directly (the scope covers
    their subtrees); ["/"], the whole tree, for a superuser, who holds every role everywhere.
    The one definition: tasks, reports and dashboards use it too."""
    if not _is_authenticated(user):
        return []
    if user.is_superuser:
        return ["/"]
    return minimal_paths(path for r, path in _memberships(user) if r == role)


def has_role(user: Any, role: Role | str, org_unit: OrgUnit | None = None) -> bool:
    """Whether `user` holds `role` on `org_unit` or on one of its ancestors (any unit when
    `org_unit` is None). Superusers hold every role everywhere; inactive users none."""
    if not _is_authenticated(user):
        return False
    if user.is_superuser:
        return True
    if org_unit is None:
        return any(r == role for r, _ in _memberships(user))
    return any(r == role and org_unit.path.startswith(p) for r, p in _memberships(user))


def scope_q(user: Any, role: Role | str, *, path_field: str = "path") -> Q | None:
    """A filter selecting rows whose unit (reached through `path_field`, e.g.
    "lead_unit__path") lies in the user's scope for `role`. None means "everything"
    (superuser); an empty `Q(pk__in=[])` means nothing."""
    if _is_authenticated(user) and user.is_superuser:
        return None
    paths = role_paths(user, role)
    if not paths:
        return Q(pk__in=[])
    query = Q()
    for path in paths:
        query |= Q(**{f"{path_field}__startswith": path})
    return query


def units_for(user: Any, role: Role | str) -> QuerySet[OrgUnit]:
    """Every unit on which `user` holds `role`, directly or inherited from an ancestor."""
    if not _is_authenticated(user):
        return OrgUnit.objects.none()
    query = scope_q(user, role)
    if query is None:
        return OrgUnit.objects.all()
    if not role_paths(user, role):
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(query)


def is_admin(user: Any) -> bool:
    """A system administrator: a superuser or a holder of the `admin` role."""
    return has_role(user, Role.ADMIN)


def is_planner(user: Any) -> bool:
    """A planner anywhere (or an administrator)."""
    return has_role(user, Role.PLANNER) or is_admin(user)


def can_manage_users(user: Any) -> bool:
    """May open the 用户管理 page at all."""
    return is_planner(user)


def grantable_roles(user: Any) -> list[Role]:
    """Roles `user` may grant (on units inside their scope)."""
    if is_admin(user):
        return list(Role)
    if has_role(user, Role.PLANNER):
        return list(PLANNER_GRANTABLE_ROLES)
    return []


def manageable_units(user: Any) -> QuerySet[OrgUnit]:
    """Units on which `user` may grant and revoke roles."""
    if is_admin(user):
        return OrgUnit.objects.all()
    return units_for(user, Role.PLANNER)


def can_grant(user: Any, org_unit: OrgUnit, role: Role | str) -> bool:
    """May `user` grant or revoke `role` on `org_unit`?"""
    if is_admin(user):
        return True
    return role in PLANNER_GRANTABLE_ROLES and has_role(user, Role.PLANNER, org_unit)


def can_manage_user(manager: Any, user: Any) -> bool:
    """May `manager` reset the password of, (de)activate and change the roles of `user`?
    Administrators manage everyone but superusers (unless they are one); a planner manages
    an ordinary account whose memberships all lie inside the planner's scope."""
    if not _is_authenticated(manager):
        return False
    if manager.is_superuser:
        return True
    if user.is_superuser:
        return False
    if is_admin(manager):
        return True
    if user.is_staff or not has_role(manager, Role.PLANNER):
        return False
    held = [(r, p) for r, p in user.memberships.values_list("role", "org_unit__path")]
    scope = role_paths(manager, Role.PLANNER)
    return bool(held) and all(
        r in PLANNER_GRANTABLE_ROLES and any(p.startswith(s) for s in scope) for r, p in held
    )
