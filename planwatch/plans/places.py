"""Reading organisation units and where the plans name them. Every function takes the
viewer; the reference tree and the plans are public, so everyone sees every active unit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, QuerySet, Sum
from django.http import Http404

from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.orgunits.places import first_span
from planwatch.plans.models import Node, NodePlace, Plan
from planwatch.plans.selectors import node_page_of, plan_list_for, plans_readable_by

SNIPPET_RADIUS = 40


def orgunit_list_for(*, viewer: Any) -> QuerySet[OrgUnit]:
    """The active units `viewer` may see (all of them: the reference tree is public)."""
    return OrgUnit.objects.filter(is_active=True)


def access_orgunit(viewer: Any, code: str) -> OrgUnit:
    """An active unit by its code (the adcode for divisions, "zone:…" or "dept:…"); a missing
    one and one the viewer may not see both raise Http404."""
    unit = orgunit_list_for(viewer=viewer).filter(code=code).select_related("parent").first()
    if unit is None:
        raise Http404
    return unit


@dataclass
class UnitTree:
    unit: OrgUnit
    children: list[UnitTree] = field(default_factory=list)
    mentions: int = 0


def orgunit_tree_for(*, viewer: Any) -> tuple[list[UnitTree], list[OrgUnit]]:
    """The province's zones with their prefectures and counties, each with how many nodes of
    the current plans name it, and the provincial departments (two queries)."""
    units = list(orgunit_list_for(viewer=viewer).order_by("sort_order", "path"))
    counts = _mention_counts(viewer, [u.pk for u in units if u.kind != OrgUnitKind.DEPARTMENT])
    trees = {u.pk: UnitTree(u, mentions=counts.get(u.pk, 0)) for u in units}
    for u in units:
        if u.parent_id in trees and u.kind != OrgUnitKind.DEPARTMENT:
            trees[u.parent_id].children.append(trees[u.pk])
    zones = [trees[u.pk] for u in units if u.kind == OrgUnitKind.ZONE]
    departments = [u for u in units if u.kind == OrgUnitKind.DEPARTMENT]
    return zones, departments


def _current_links(viewer: Any) -> Any:
    """Node–place links of the current version of every plan `viewer` may read (drafts and
    withdrawn plans count for planners only)."""
    return NodePlace.objects.filter(
        node__version=F("node__version__plan__current_version"),
        node__version__plan__in=plans_readable_by(viewer).values("pk"),
    )


def _mention_counts(viewer: Any, unit_ids: list[int]) -> dict[int, int]:
    rows = (
        _current_links(viewer)
        .filter(org_unit__in=unit_ids)
        .values("org_unit")
        .annotate(n=Count("node", distinct=True))
    )
    return {r["org_unit"]: int(r["n"]) for r in rows}


@dataclass
class Mention:
    """One node that names the unit: where it is and the words around the name."""

    node: Node
    page_key: str
    count: int
    before: str
    match: str
    after: str
    # The chapter or section page the node is shown on (None when it is that page).
    page: Node | None = None


@dataclass
class PlanMentions:
    plan: Plan
    mentions: list[Mention] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(m.count for m in self.mentions)


def place_mentions_for(*, viewer: Any, unit: OrgUnit) -> list[PlanMentions]:
    """Every node of the current plans that names `unit`, grouped by plan in plan order and
    in document order within a plan, with a snippet around the first naming (one query)."""
    readable = plan_list_for(viewer=viewer).values("pk")
    links = (
        _current_links(viewer)
        .filter(org_unit=unit, node__version__plan__in=readable)
        .select_related("node__version__plan")
        .order_by("node__version__plan__sort_order", "node__version__plan_id", "node__seq")
    )
    names = _names_of(unit)
    groups: dict[int, PlanMentions] = {}
    mentions: list[Mention] = []
    for link in links:
        node = link.node
        group = groups.setdefault(node.version.plan_id, PlanMentions(node.version.plan))
        before, match, after = mention_snippet(node, unit.code, names)
        mention = Mention(node, node_page_of(node), link.count, before, match, after)
        group.mentions.append(mention)
        mentions.append(mention)
    _attach_pages(mentions)
    return list(groups.values())


def _attach_pages(mentions: list[Mention]) -> None:
    """Load the chapter/section page node of every mention in one query."""
    wanted = {(m.node.version_id, m.page_key) for m in mentions if m.page_key != m.node.key}
    if not wanted:
        return
    pages = Node.objects.filter(
        version_id__in={v for v, _k in wanted}, key__in={k for _v, k in wanted}
    ).only("version_id", "key", "kind", "label", "title")
    by_key = {(n.version_id, n.key): n for n in pages}
    for m in mentions:
        m.page = by_key.get((m.node.version_id, m.page_key))


def mention_snippet(node: Node, code: str, names: list[str]) -> tuple[str, str, str]:
    """The words around where `node` names the unit: located by the gazetteer's matcher (so
    a composite such as 成自宜 is found too), in the text first, else in the title."""
    for text in (node.text, node.title):
        span = first_span(text, code) if text else None
        if span is not None:
            return _cut(text, *span)
    return snippet(node.text or node.title, names)


def _cut(text: str, start: int, end: int, radius: int = SNIPPET_RADIUS) -> tuple[str, str, str]:
    lo, hi = max(0, start - radius), end + radius
    before = ("…" if lo > 0 else "") + text[lo:start]
    after = text[end:hi] + ("…" if hi < len(text) else "")
    return before, text[start:end], after


def _names_of(unit: OrgUnit) -> list[str]:
    former = [n for n in unit.former_names.split("、") if n]
    names = {unit.name, unit.short_name, *former} - {""}
    return sorted(names, key=len, reverse=True)


def snippet(text: str, names: list[str], radius: int = SNIPPET_RADIUS) -> tuple[str, str, str]:
    """The first occurrence of any of `names` in `text` with `radius` characters either side,
    as (before, name, after); the start of the text when no name occurs literally."""
    hits = [(text.find(n), n) for n in names if n and n in text]
    if not hits:
        return "", "", text[: radius * 2] + ("…" if len(text) > radius * 2 else "")
    at, name = min(hits, key=lambda h: (h[0], -len(h[1])))
    return _cut(text, at, at + len(name), radius)


def unit_children_for(*, viewer: Any, unit: OrgUnit) -> list[UnitTree]:
    """The active units directly below `unit`, each with its mention count (two queries)."""
    children = list(
        orgunit_list_for(viewer=viewer).filter(parent=unit).order_by("sort_order", "path")
    )
    counts = _mention_counts(viewer, [c.pk for c in children])
    return [UnitTree(c, mentions=counts.get(c.pk, 0)) for c in children]


def unit_mention_total_for(*, viewer: Any, unit: OrgUnit) -> int:
    """How many times the current plans name `unit` itself."""
    total = _current_links(viewer).filter(org_unit=unit).aggregate(n=Sum("count"))["n"]
    return int(total or 0)


def zone_plans_for(*, viewer: Any, zone: OrgUnit) -> list[Plan]:
    """The readable plans made for `zone`."""
    return list(plan_list_for(viewer=viewer).filter(org_unit=zone))


def zone_for(*, viewer: Any, unit: OrgUnit) -> OrgUnit | None:
    """The zone a prefecture or county lies in, read off the unit's path (one query)."""
    codes = [c for c in unit.path.strip("/").split("/") if c.startswith("zone:")]
    if not codes:
        return None
    return orgunit_list_for(viewer=viewer).filter(code=codes[0]).first()
