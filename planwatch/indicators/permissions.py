"""Who may do what with indicators: planners of a plan's zone draft, edit, merge and confirm
its indicators and methods; a data clerk (数据填报) of a unit enters observations for that unit
(and the units below it); the unit's reviewer (单位审核人) verifies them. Public visitors see
confirmed indicators with verified observations only."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role, holds_any_role, is_planner
from planwatch.indicators.choices import IndicatorStatus
from planwatch.indicators.models import Indicator
from planwatch.orgunits.models import OrgUnit
from planwatch.tasks.permissions import can_manage_plan

VIEW, EDIT, ENTER = "view", "edit", "enter"


def can_manage_indicator(user: Any, indicator: Indicator) -> bool:
    return can_manage_plan(user, indicator.plan)


def can_enter(user: Any, place: OrgUnit) -> bool:
    """May enter or import observations for `place`."""
    return has_role(user, Role.DATA_CLERK, place)


def can_verify(user: Any, place: OrgUnit) -> bool:
    return has_role(user, Role.UNIT_REVIEWER, place)


def is_insider(user: Any) -> bool:
    """Signed in and holding some role: sees unverified observations too."""
    return holds_any_role(user)


def can_view_indicator(user: Any, indicator: Indicator) -> bool:
    if indicator.status == IndicatorStatus.CONFIRMED:
        return True
    return can_manage_indicator(user, indicator)


def can_enter_any(user: Any) -> bool:
    return has_role(user, Role.DATA_CLERK)


def access_indicator(user: Any, indicator_id: int | str, *, action: str = VIEW) -> Indicator:
    """The indicator if `user` may `action` it; Http404 alike when missing or forbidden."""
    try:
        indicator = Indicator.objects.select_related("plan", "place").get(pk=int(indicator_id))
    except (Indicator.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if action == VIEW:
        allowed = can_view_indicator(user, indicator)
    elif action == EDIT:
        allowed = can_manage_indicator(user, indicator)
    elif action == ENTER:
        allowed = indicator.status == IndicatorStatus.CONFIRMED and can_enter_any(user)
    else:
        allowed = False
    if not allowed:
        raise Http404
    return indicator


def may_confirm_methods(user: Any) -> bool:
    return is_planner(user)
