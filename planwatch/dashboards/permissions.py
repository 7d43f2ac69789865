"""Who may see a dashboard: planners and leaders whose scope covers the dashboard's unit
(a plan's dashboard belongs to the plan's zone). Everyone else — reporters, reviewers,
anonymous visitors — gets the same 404 whether the dashboard exists or not."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role, role_paths
from planwatch.dashboards.selectors import Scope
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan

DASHBOARD_ROLES = (Role.PLANNER, Role.LEADER)
UNIT_KINDS = (OrgUnitKind.PREFECTURE, OrgUnitKind.DEPARTMENT)


def province() -> OrgUnit | None:
    return OrgUnit.objects.filter(kind=OrgUnitKind.PROVINCE).order_by("path").first()


def can_view_dashboard(user: Any, scope: Scope) -> bool:
    unit = scope.owner_unit or province()
    if unit is None:
        return False
    return any(has_role(user, role, unit) for role in DASHBOARD_ROLES)


def _allowed(user: Any, scope: Scope) -> Scope:
    if not can_view_dashboard(user, scope):
        raise Http404
    return scope


def access_province(user: Any) -> Scope:
    unit = province()
    if unit is None:
        raise Http404
    return _allowed(user, Scope("province", _("全省总览"), unit=unit))


def access_zone(user: Any, slug: str) -> Scope:
    unit = OrgUnit.objects.filter(code=f"zone:{slug}", kind=OrgUnitKind.ZONE).first()
    if unit is None:
        raise Http404
    return _allowed(user, Scope("zone", unit.name, unit=unit))


def access_unit(user: Any, code: str) -> Scope:
    """A prefecture's or a department's dashboard."""
    unit = OrgUnit.objects.filter(code=code, kind__in=UNIT_KINDS).first()
    if unit is None:
        raise Http404
    return _allowed(user, Scope(str(unit.kind), unit.name, unit=unit))


def access_plan(user: Any, slug: str) -> Scope:
    plan = Plan.objects.select_related("org_unit").filter(slug=slug).first()
    if plan is None:
        raise Http404
    return _allowed(user, Scope("plan", plan.title, plan=plan))


def viewable_unit_paths(user: Any) -> list[str]:
    """The unit paths under which `user` may open dashboards (their planner and leader
    scopes), to link map regions without a query per unit."""
    return [p for role in DASHBOARD_ROLES for p in role_paths(user, role)]


def may_open_unit(paths: list[str], unit_path: str) -> bool:
    return any(unit_path.startswith(p) for p in paths)
