"""Suggestions made when tasks are drafted from a plan: responsible units from the places a
clause names, and a lead department from the subject of its chapter. Both are visible to and
corrected by the planner; nothing here is authoritative."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.db.models import Q
from django.utils.translation import gettext as _

from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.choices import NodeKind
from planwatch.plans.models import Node, NodePlace, Plan, PlanVersion

MAPPING_FILE = Path(__file__).parent / "data" / "lead_departments.csv"
DEFAULT_LEAD = "省发展改革委"


@lru_cache(maxsize=1)
def lead_mapping() -> tuple[tuple[str, str], ...]:
    """(keyword, department name) pairs in file order — the mapping a planner can read."""
    with MAPPING_FILE.open(encoding="utf-8", newline="") as fh:
        return tuple((row["keyword"], row["department"]) for row in csv.DictReader(fh))


@dataclass(frozen=True)
class LeadSuggestion:
    unit: OrgUnit | None
    reason: str


class LeadSuggester:
    """Resolves the mapping's department names to OrgUnits once per drafting run."""

    def __init__(self, mapping: Sequence[tuple[str, str]] | None = None) -> None:
        self.mapping = tuple(mapping if mapping is not None else lead_mapping())
        names = {dept for _kw, dept in self.mapping} | {DEFAULT_LEAD}
        units = OrgUnit.objects.filter(kind=OrgUnitKind.DEPARTMENT, is_active=True).filter(
            Q(name__in=names) | Q(short_name__in=names)
        )
        # The mapping may name a department by its full or its short name.
        self.departments = {n: u for u in units for n in (u.name, u.short_name) if n in names}

    def suggest(self, subjects: Sequence[tuple[str, str]]) -> LeadSuggestion:
        """`subjects`: (label, title) of the chapter, then the section, of a clause."""
        for label, title in subjects:
            for keyword, dept in self.mapping:
                if keyword in title and dept in self.departments:
                    reason = _("%(label)s含“%(kw)s” → %(dept)s") % {
                        "label": label,
                        "kw": keyword,
                        "dept": dept,
                    }
                    return LeadSuggestion(self.departments[dept], reason)
        default = self.departments.get(DEFAULT_LEAD)
        return LeadSuggestion(default, _("未匹配主题，默认 → %(dept)s") % {"dept": DEFAULT_LEAD})


def clause_subjects(node: Node, by_id: dict[int, Node]) -> list[tuple[str, str]]:
    """(label, title) of the chapter and section a node sits in, chapter first."""
    found: dict[str, str] = {}
    current: Node | None = node
    while current is not None:
        if current.kind in (NodeKind.CHAPTER, NodeKind.SECTION) and current.kind not in found:
            found[current.kind] = current.title
        current = by_id.get(current.parent_id) if current.parent_id else None
    subjects = []
    if NodeKind.CHAPTER in found:
        subjects.append((_("章标题"), found[NodeKind.CHAPTER]))
    if NodeKind.SECTION in found:
        subjects.append((_("节标题"), found[NodeKind.SECTION]))
    return subjects


def prefecture_of(unit: OrgUnit, by_id: dict[int, OrgUnit]) -> OrgUnit | None:
    """The prefecture a unit is (or lies in); None for units above prefecture level."""
    if unit.kind == OrgUnitKind.PREFECTURE:
        return unit
    if unit.kind == OrgUnitKind.COUNTY and unit.parent_id is not None:
        parent = by_id.get(unit.parent_id) or OrgUnit.objects.filter(pk=unit.parent_id).first()
        return parent if parent is not None and parent.kind == OrgUnitKind.PREFECTURE else None
    return None


def places_by_node(nodes: Iterable[Node]) -> dict[int, list[OrgUnit]]:
    """The prefectures each node names (a county counts for its prefecture: the plans make
    the cities the responsible subjects)."""
    links = NodePlace.objects.filter(node__in=list(nodes)).select_related("org_unit")
    units = {link.org_unit_id: link.org_unit for link in links}
    result: dict[int, list[OrgUnit]] = defaultdict(list)
    for link in links:
        pref = prefecture_of(link.org_unit, units)
        if pref is not None and pref not in result[link.node_id]:
            result[link.node_id].append(pref)
    return result


def plan_prefectures(plan: Plan, version: PlanVersion) -> list[OrgUnit]:
    """The prefectures a plan covers: those of its zone, else those the version lists."""
    if plan.org_unit is not None and plan.org_unit.kind == OrgUnitKind.ZONE:
        found = list(plan.org_unit.children.filter(kind=OrgUnitKind.PREFECTURE))
        if found:
            return found
    names = [str(c) for c in version.cities or []]
    if not names:
        return []
    return list(
        OrgUnit.objects.filter(kind=OrgUnitKind.PREFECTURE).filter(
            Q(name__in=names) | Q(short_name__in=names) | Q(adcode__in=names)
        )
    )
