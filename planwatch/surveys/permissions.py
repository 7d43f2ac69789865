"""Who may run a survey: a planner whose scope covers its unit (the zone, or the province for
a province-wide survey), or an administrator."""

from __future__ import annotations

from typing import Any

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role, is_admin
from planwatch.orgunits.models import OrgUnit


def can_run(user: Any, org_unit: OrgUnit | None) -> bool:
    if org_unit is None or not getattr(user, "is_authenticated", False):
        return False
    return is_admin(user) or has_role(user, Role.PLANNER, org_unit)


def can_run_any(user: Any) -> bool:
    return is_admin(user) or has_role(user, Role.PLANNER)
