"""Suggestions made when tasks are drafted from a plan: which clauses are actions at all,
the title of a draft, and responsible units from the places a clause names (the lead
department comes from `tasks.leads`). All are visible to and corrected by the planner;
nothing here is authoritative.

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
from collections.abc import Iterable
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
# How long a drafted title may grow with the names of a 专栏 item's projects.
TITLE_PROJECTS_CHARS = 40


@lru_cache(maxsize=1)
def lead_mapping() -> tuple[tuple[str, str], ...]:
    """(keyword, department name) pairs in file order: the old suggestion from chapter
    titles, replaced by `tasks.leads` and kept only to measure against
    (`scripts/lead_accuracy.py`)."""
    with MAPPING_FILE.open(encoding="utf-8", newline="") as fh:
        return tuple((row["keyword"], row["department"]) for row in csv.DictReader(fh))


def draft_title(node: Node, by_id: dict[int, Node]) -> str:
    """The title of a task drafted from `node`. A provision keeps its own title (or first
    line). A 专栏 item is named from its box and itself, with its projects — 「专栏5 交通基础
    设施重点项目 — 铁路：成自宜高铁、渝昆高铁等」 — since its own title is only a category
    (铁路) that several boxes share. Projects are listed while they fit in
    TITLE_PROJECTS_CHARS characters, the rest is 等; an item without named projects shows the
    start of its text instead."""
    own = (
        (node.title or node.text).strip().splitlines()[0].strip()
        if (node.title or node.text)
        else ""
    )
    box = by_id.get(node.parent_id) if node.parent_id else None
    if node.kind != NodeKind.BOX_ITEM or box is None or box.kind != NodeKind.BOX:
        return own
    head = " ".join(p for p in (box.label.strip(), box.title.strip()) if p)
    head = re.sub(r"专栏\s*(\d+)\s*", r"专栏\1 ", head).strip()
    projects = [str(p).strip() for p in node.projects or [] if str(p).strip()]
    listed: list[str] = []
    for name in projects:
        if listed and len("、".join([*listed, name])) > TITLE_PROJECTS_CHARS:
            break
        listed.append(name)
    tail = "、".join(listed) + (_("等") if len(listed) < len(projects) else "")
    item = (node.title or "").strip() or own
    if not tail and node.title and node.text.strip():
        text = re.split(r"[。；;]", node.text.strip(), maxsplit=1)[0]
        over = len(text) > TITLE_PROJECTS_CHARS
        tail = text[:TITLE_PROJECTS_CHARS] + ("…" if over else "")
    title = f"{head} — {item}" if head else item
    return f"{title}{_('：')}{tail}" if tail else title


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
