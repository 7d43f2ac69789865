"""Who may take documents in: a data clerk (数据填报) turns communiqués into observations,
a planner who manages a plan's projects turns project lists into its draft projects; an
intake is seen by whoever may upload its kind for its plan ("missing" and "forbidden" give
the same 404)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from planwatch.accounts.permissions import is_planner
from planwatch.indicators.permissions import can_enter_any
from planwatch.intake.choices import IntakeKind
from planwatch.intake.models import Intake
from planwatch.plans.models import Plan
from planwatch.projects.models import Project
from planwatch.projects.permissions import can_manage_project


def can_upload(user: Any, kind: str, plan: Plan) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if kind == IntakeKind.OBSERVATIONS:
        return can_enter_any(user)
    if kind == IntakeKind.PROJECTS:
        return can_manage_project(user, Project(zone=plan.org_unit))
    return False


def kinds_for(user: Any) -> list[str]:
    """The kinds `user` may take in for some plan (for the upload form)."""
    kinds = []
    if getattr(user, "is_authenticated", False) and can_enter_any(user):
        kinds.append(IntakeKind.OBSERVATIONS.value)
    if getattr(user, "is_authenticated", False) and is_planner(user):
        kinds.append(IntakeKind.PROJECTS.value)
    return kinds


def access_intake(user: Any, intake_id: int) -> Intake:
    try:
        intake = Intake.objects.select_related("plan", "uploaded_by").get(pk=int(intake_id))
    except (Intake.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_upload(user, intake.kind, intake.plan):
        raise Http404
    return intake
