"""Reading the search index: `search_nodes` turns whatever a user typed into hits they may
see, with highlighted snippets. It never raises on any input."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.safestring import SafeString

from planwatch.orgunits.models import OrgUnit
from planwatch.plans.choices import NodeKind
from planwatch.plans.models import Node, Plan
from planwatch.plans.selectors import plans_readable_by
from planwatch.search import highlight, segment
from planwatch.search.backends import Filters, get_backend

# Longer queries are cut: nobody searches with a paragraph, and each word is a clause.
MAX_QUERY_CHARS = 200
MAX_QUERY_GROUPS = 24
MAX_LIMIT = 100
TITLE_CHARS = 60


@dataclass(frozen=True)
class SearchHit:
    """One node found: where it is (plan, kind, page) and the snippet to show."""

    node: Node
    plan: Plan
    kind: str
    kind_label: str
    title: str
    snippet: SafeString
    score: float
    # Where the node sits, when its own title says little: the box of a box item.
    context: str = ""


@dataclass(frozen=True)
class SearchResults:
    query: str
    total: int
    limit: int
    offset: int
    hits: list[SearchHit] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)


def plans_visible_to(viewer: Any) -> QuerySet[Plan]:
    """Published plans for everyone; drafts and withdrawn plans for planners only
    (plans.selectors.plans_readable_by)."""
    return plans_readable_by(viewer)


def _hidden_plan_ids(viewer: Any) -> tuple[int, ...]:
    """Plans whose nodes the index holds but `viewer` may not see (drafts, withdrawn)."""
    visible = plans_visible_to(viewer).values("pk")
    return tuple(Plan.objects.exclude(pk__in=visible).values_list("pk", flat=True))


def hit_title(node: Node) -> str:
    """A heading for a hit: the node's own label and title, else the start of its text."""
    title = " ".join(p for p in (node.label, node.title) if p).strip()
    if title:
        return title
    text = " ".join(node.text.split())
    return text if len(text) <= TITLE_CHARS else text[:TITLE_CHARS] + highlight.ELLIPSIS


def _clean_kind(kind: str | None) -> str | None:
    return kind if kind in NodeKind.values else None


def _plan_id(viewer: Any, plan: Plan | int | None) -> int | None:
    if plan is None:
        return None
    plan_id = plan.pk if isinstance(plan, Plan) else plan
    return plan_id if plans_visible_to(viewer).filter(pk=plan_id).exists() else -1


def search_nodes(
    *,
    viewer: Any,
    q: str,
    plan: Plan | int | None = None,
    kind: str | None = None,
    place: OrgUnit | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchResults:
    """Nodes of the plans `viewer` may read whose text has every word of `q`, best first.
    An unknown kind is ignored; a plan the viewer may not see gives no hits."""
    q = (q or "")[:MAX_QUERY_CHARS]
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    groups = segment.group_query_tokens(segment.tokens_for_query(q))[:MAX_QUERY_GROUPS]
    filters = Filters(
        plan_id=_plan_id(viewer, plan),
        kind=_clean_kind(kind),
        place_path=place.path if place is not None else None,
        hidden_plan_ids=_hidden_plan_ids(viewer),
    )
    total, matches = get_backend().safe_search(groups, filters, limit=limit, offset=offset)
    terms = highlight.terms_of(groups)
    visible = plans_visible_to(viewer).values("pk")
    if not matches:
        return SearchResults(q, total, limit, offset, [], terms)
    nodes = (
        Node.objects.select_related("version__plan")
        .defer("version__diff")  # a hit shows its plan, never the version's stored diff
        .filter(pk__in=[m.node_id for m in matches], version__plan__in=visible)
        .order_by()
    )
    by_id = {n.pk: n for n in nodes}
    boxes = _box_titles(by_id.values())
    hits = [_hit(by_id[m.node_id], terms, m.score, boxes) for m in matches if m.node_id in by_id]
    return SearchResults(q, total, limit, offset, hits, terms)


def _box_titles(nodes: Iterable[Node]) -> dict[int, str]:
    """Titles of the boxes holding the box items among `nodes` (one query; joining the
    parent in the main query made PostgreSQL scan every node)."""
    ids = {n.parent_id for n in nodes if n.kind == NodeKind.BOX_ITEM and n.parent_id}
    rows = Node.objects.filter(pk__in=ids).values_list("pk", "label", "title") if ids else []
    return {pk: " ".join(p for p in (label, title) if p) for pk, label, title in rows}


def _hit(node: Node, terms: list[str], score: float, boxes: dict[int, str]) -> SearchHit:
    from planwatch.search.services import node_body

    body = node_body(node)
    title = " ".join(p for p in (node.label, node.title) if p)
    # The words may be in the title only (a box item named after a project): then the
    # snippet starts with the title, so that the reader sees why the node was found.
    if not body or (title and not highlight.contains_any(body, terms)):
        body = f"{title}：{body}" if body else title
    return SearchHit(
        node=node,
        plan=node.version.plan,
        kind=node.kind,
        kind_label=str(NodeKind(node.kind).label) if node.kind in NodeKind.values else node.kind,
        title=hit_title(node),
        snippet=highlight.snippet(body, terms),
        score=score,
        context=boxes.get(node.parent_id or 0, ""),
    )
