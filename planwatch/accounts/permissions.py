"""Access predicates — the one module that answers "may this user do this here?".

A role held on an organisation unit covers that unit and every unit below it (scope is
inherited down the tree through OrgUnit.path)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from planwatch.accounts.choices import Role
from planwatch.orgunits.models import OrgUnit


def has_role(user: Any, role: Role | str, org_unit: OrgUnit | None = None) -> bool:
    """Whether `user` holds `role` on `org_unit` or on one of its ancestors (any unit when
    `org_unit` is None). Superusers hold every role everywhere."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    memberships = user.memberships.filter(role=role).select_related("org_unit")
    if org_unit is None:
        return bool(memberships.exists())
    return any(org_unit.path.startswith(m.org_unit.path) for m in memberships)


def units_for(user: Any, role: Role | str) -> QuerySet[OrgUnit]:
    """Every unit on which `user` holds `role`, directly or inherited from an ancestor."""
    if not getattr(user, "is_authenticated", False):
        return OrgUnit.objects.none()
    if user.is_superuser:
        return OrgUnit.objects.all()
    paths = list(user.memberships.filter(role=role).values_list("org_unit__path", flat=True))
    if not paths:
        return OrgUnit.objects.none()
    from django.db.models import Q

    query = Q()
    for p in paths:
        query |= Q(path__startswith=p)
    return OrgUnit.objects.filter(query)


def is_planner(user: Any) -> bool:
    return has_role(user, Role.PLANNER) or has_role(user, Role.ADMIN)
