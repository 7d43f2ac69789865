"""What a message may be left on — a published plan, a public task, a public project — and,
for each kind, its title, the zone whose planners moderate, the plan, and the unit an
accepted message goes to (decision record 0024):

- task: its lead unit (牵头单位);
- project: its first responsible unit (第一责任单位), else its zone;
- plan: 省发展改革委 (dept:ndrc), which draws up the zones' lists; else the plan's zone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planwatch.feedback.choices import SubjectKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.publication.selectors import public_plans, public_projects, public_tasks

NDRC_CODE = "dept:ndrc"


@dataclass(frozen=True)
class Subject:
    kind: str
    obj: Any
    title: str
    plan: Plan | None
    zone: OrgUnit | None
    unit: OrgUnit | None


def _ndrc() -> OrgUnit | None:
    return OrgUnit.objects.filter(code=NDRC_CODE).first()


def public_subject(kind: str, subject_id: Any) -> Subject | None:
    """The subject if the public may read it now, else None (missing and unpublished
    alike)."""
    try:
        pk = int(subject_id)
    except (TypeError, ValueError):
        return None
    if pk < 1 or pk > 2**62:
        return None
    if kind == SubjectKind.TASK:
        task = public_tasks().select_related("plan__org_unit", "lead_unit").filter(pk=pk).first()
        if task is None:
            return None
        zone = task.plan.org_unit
        return Subject(kind, task, task.title, task.plan, zone, task.lead_unit or zone)
    if kind == SubjectKind.PROJECT:
        project = (
            public_projects().select_related("plan__org_unit", "zone", "lead_unit").filter(pk=pk)
        ).first()
        if project is None:
            return None
        zone = project.zone or (project.plan.org_unit if project.plan is not None else None)
        return Subject(kind, project, project.name, project.plan, zone, project.lead_unit or zone)
    if kind == SubjectKind.PLAN:
        plan = public_plans().select_related("org_unit").filter(pk=pk).first()
        if plan is None:
            return None
        return Subject(kind, plan, plan.title, plan, plan.org_unit, _ndrc() or plan.org_unit)
    return None
