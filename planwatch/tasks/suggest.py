"""Suggestions made when tasks are drafted from a plan: which clauses are actions at all,
responsible units from the places a clause names, and a lead department from the subject of
its chapter. All are visible to and corrected by the planner; nothing here is authoritative.

Which clauses become draft tasks (`is_action_clause`): a provision or 专栏 item is an action
(重点任务) unless it sits in one of the plan's framing parts, recognised by heading:

- a chapter (or 篇) of background or general requirements — 规划背景/发展背景, 总体要求/总体
  思路: past results, opportunities, 指导思想, 基本原则, 发展定位 and 发展目标 are the plan's
  frame, not work a unit can do and report on;
- the chapter on carrying out the plan itself — titles with 规划实施, 规划组织实施 or 保障措施
  (组织领导, 主体责任, 督促考核, 政策保障): it describes the machinery planwatch *is* (lists,
  reports, assessment), not tasks of the list;
- wherever it appears, a section titled 发展基础, 机遇挑战, 发展环境, 面临形势, 指导思想,
  基本原则, 发展/战略/功能定位 or 发展/主要/总体/远景目标.

Goals stay monitorable through their targets and indicators, not as tasks. Section headings
are matched whole (an action section such as 强化水安全保障 is never caught by a keyword); a
planner can still add any task by hand."""

from __future__ import annotations

import csv
import re
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
# Headings of the plan's framing parts (see the module docstring); a leading 第…章/第…节 label
# is allowed because some documents keep it in the title.
FRAMING_CHAPTER = re.compile(
    r"(第\S{1,4}[篇章]\s*)?((规划|发展)背景|总体要求|总体思路)"
    r"|.*(规划(组织)?实施|保障措施).*"
)
FRAMING_SECTION = re.compile(
    r"(第\S{1,4}节\s*)?(发展基础|机遇挑战|发展环境|面临形势|指导思想|基本原则"
    r"|(发展|战略|功能)定位|(发展|主要|总体|远景)目标)"
)
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


def _ancestors(node: Node, by_id: dict[int, Node]) -> Iterable[Node]:
    current = by_id.get(node.parent_id) if node.parent_id else None
    while current is not None:
        yield current
        current = by_id.get(current.parent_id) if current.parent_id else None


def is_action_clause(node: Node, by_id: dict[int, Node]) -> bool:
    """Whether a provision or 专栏 item is a task to draft rather than part of the plan's
    frame (background, goals, principles, the implementation chapter): see the module
    docstring. `by_id` holds the node's ancestors."""
    for parent in _ancestors(node, by_id):
        title = parent.title.strip()
        if parent.kind in (NodeKind.CHAPTER, NodeKind.PART) and FRAMING_CHAPTER.fullmatch(title):
            return False
        if parent.kind == NodeKind.SECTION and FRAMING_SECTION.fullmatch(title):
            return False
    return True


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
