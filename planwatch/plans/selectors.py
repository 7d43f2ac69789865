"""Reading plans. Every function takes the viewer: a published plan is a public document that
everyone sees; a draft (an upload not yet published) or a withdrawn plan is seen by planners
and administrators only (`plans_readable_by`, used by search and the API as well)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from planwatch.accounts.permissions import is_planner
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.parsing import ParseError
from planwatch.parsing.decode import decode_text
from planwatch.plans.choices import IngestJobStatus, NodeKind, PlanStatus, QuantityRole
from planwatch.plans.models import IngestJob, Node, Plan, PlanVersion, Quantity, SourceDocument

# Kinds that get a page of their own; everything else is shown on its chapter or section page.
PAGE_KINDS = (NodeKind.PART, NodeKind.CHAPTER, NodeKind.SECTION)
TOC_KINDS = (NodeKind.PART, NodeKind.CHAPTER, NodeKind.SECTION)


def may_read_unpublished(viewer: Any) -> bool:
    """Planners (anywhere) and administrators read drafts and withdrawn plans."""
    return is_planner(viewer)


def plans_readable_by(viewer: Any) -> QuerySet[Plan]:
    """Every plan `viewer` may read: published ones, and for planners all of them."""
    if may_read_unpublished(viewer):
        return Plan.objects.all()
    return Plan.objects.filter(status=PlanStatus.PUBLISHED)


def plan_list_for(*, viewer: Any) -> QuerySet[Plan]:
    """The plans `viewer` may read, in their order, with the current version loaded."""
    return (
        plans_readable_by(viewer)
        .filter(current_version__isnull=False)
        .select_related("current_version", "org_unit")
        # The stored diff is shown by the version pages alone, which read it themselves.
        .defer("current_version__diff")
    )


def access_plan(viewer: Any, slug: str) -> Plan:
    """The plan `slug` if `viewer` may read it; missing and not allowed both raise Http404."""
    plan = plan_list_for(viewer=viewer).filter(slug=slug).first()
    if plan is None:
        raise Http404
    return plan


def access_version(viewer: Any, plan: Plan, number: int | None) -> PlanVersion:
    """One version of a plan the viewer may read (the current one when `number` is None)."""
    if number is None:
        if plan.current_version is None:
            raise Http404
        return plan.current_version
    version = (
        plan.versions.filter(number=number)
        .select_related("document")
        .defer("document__content")
        .first()
    )
    if version is None:
        raise Http404
    return version


@dataclass
class PlanSummary:
    """A plan on the home page: its current version and what it contains."""

    plan: Plan
    version: PlanVersion
    counts: dict[str, int]
    cities: list[tuple[str, OrgUnit | None]] = field(default_factory=list)


def plan_summaries_for(*, viewer: Any) -> list[PlanSummary]:
    """Every readable plan with counts of chapters, sections, provisions, boxes, box items,
    targets and baselines, and the cities it covers linked to their units (four queries)."""
    plans = list(plan_list_for(viewer=viewer))
    version_ids = [p.current_version_id for p in plans]
    node_counts: dict[int, dict[str, Any]] = {
        row["version"]: dict(row)
        for row in Node.objects.filter(version__in=version_ids)
        .values("version")
        .annotate(**{k: Count("id", filter=Q(kind=k)) for k in NodeKind.values})
    }
    q_counts: dict[int, dict[str, Any]] = {
        row["version"]: dict(row)
        for row in Quantity.objects.filter(version__in=version_ids)
        .values("version")
        .annotate(**{k: Count("id", filter=Q(role=k)) for k in QuantityRole.values})
    }
    prefectures = _prefectures_by_short_name()
    out = []
    for plan in plans:
        version = plan.current_version
        assert version is not None
        counts: dict[str, int] = {}
        rows: tuple[dict[str, Any], ...] = (
            node_counts.get(version.pk, {}),
            q_counts.get(version.pk, {}),
        )
        for row in rows:
            counts.update({k: int(str(v)) for k, v in row.items() if k != "version"})
        cities = [(c, prefectures.get(c)) for c in version.cities]
        out.append(PlanSummary(plan=plan, version=version, counts=counts, cities=cities))
    return out


def _prefectures_by_short_name() -> dict[str, OrgUnit]:
    units = OrgUnit.objects.filter(kind=OrgUnitKind.PREFECTURE, is_active=True)
    return {u.short_name: u for u in units if u.short_name}


def plan_cities_for(*, viewer: Any, version: PlanVersion) -> list[tuple[str, OrgUnit | None]]:
    """The cities a version says it covers, each with its unit when known (one query)."""
    prefectures = _prefectures_by_short_name()
    return [(c, prefectures.get(c)) for c in version.cities]


def plan_toc_for(*, viewer: Any, version: PlanVersion) -> list[Node]:
    """The table of contents: parts, chapters and sections of a version, in order."""
    return list(
        version.nodes.filter(kind__in=TOC_KINDS)
        .only("key", "kind", "label", "title", "level", "page", "line", "seq", "version_id")
        .order_by("seq")
    )


def access_node(viewer: Any, version: PlanVersion, key: str) -> Node:
    """A node of a readable version by its position key, or Http404."""
    node = version.nodes.filter(key=key).first()
    if node is None:
        raise Http404
    return node


@dataclass
class NodeTree:
    """A node with its descendants attached, for rendering a page in the plan's own words."""

    node: Node
    children: list[NodeTree] = field(default_factory=list)


def node_subtree_for(*, viewer: Any, node: Node) -> NodeTree:
    """`node` and all its descendants (two queries: document order keeps a subtree
    contiguous, so it is the run of nodes after `node` up to the next one as shallow)."""
    end = (
        Node.objects.filter(version_id=node.version_id, seq__gt=node.seq, level__lte=node.level)
        .order_by("seq")
        .values_list("seq", flat=True)
        .first()
    )
    rows = Node.objects.filter(version_id=node.version_id, seq__gt=node.seq)
    if end is not None:
        rows = rows.filter(seq__lt=end)
    root = NodeTree(node)
    by_id: dict[int, NodeTree] = {node.pk: root}
    for n in rows.order_by("seq"):
        tree = NodeTree(n)
        by_id[n.pk] = tree
        parent = by_id.get(n.parent_id) if n.parent_id is not None else None
        if parent is not None:
            parent.children.append(tree)
    return root


def node_page_of(node: Node) -> str:
    """The key of the page a node is shown on: itself for parts, chapters and sections, else
    its nearest such ancestor (read off the key, which is a path)."""
    if node.kind in PAGE_KINDS:
        return node.key
    segments = node.key.split(".")
    for i in range(len(segments) - 1, 0, -1):
        head = segments[i - 1]
        if head[:1] in {"c", "s"} or head.startswith("pt"):
            return ".".join(segments[:i])
    return node.key


def node_neighbours_for(*, viewer: Any, node: Node) -> tuple[Node | None, Node | None]:
    """The previous and next page-level nodes of the same kind (for 上一章 / 下一章)."""
    same = Node.objects.filter(version_id=node.version_id, kind=node.kind).only(
        "key", "kind", "label", "title", "seq"
    )
    prev = same.filter(seq__lt=node.seq).order_by("-seq").first()
    nxt = same.filter(seq__gt=node.seq).order_by("seq").first()
    return prev, nxt


def node_ancestors_for(*, viewer: Any, node: Node) -> list[Node]:
    """The nodes above `node`, outermost first (one query, by key prefixes)."""
    segments = node.key.split(".")
    keys = [".".join(segments[:i]) for i in range(1, len(segments))]
    if not keys:
        return []
    found = {
        n.key: n
        for n in Node.objects.filter(version_id=node.version_id, key__in=keys).only(
            "key", "kind", "label", "title", "seq"
        )
    }
    return [found[k] for k in keys if k in found]


def plan_quantities_for(*, viewer: Any, version: PlanVersion) -> dict[str, list[Quantity]]:
    """Targets, baselines and action targets of a version, each with the node it stands in."""
    out: dict[str, list[Quantity]] = {role: [] for role in QuantityRole.values}
    rows = version.quantities.select_related("node").order_by("role", "seq")
    for q in rows:
        out.setdefault(q.role, []).append(q)
    return out


def plan_versions_for(*, viewer: Any, plan: Plan) -> QuerySet[PlanVersion]:
    return (
        plan.versions.select_related("document", "document__ingested_by")
        .defer("document__content")
        .order_by("-number")
    )


@dataclass
class DiffRow:
    """One node of a diff: its entry from the stored diff, its old and new state and, for a
    changed node, what changed: the wording as runs of kept/deleted/inserted text, and the
    project names removed and added."""

    entry: dict[str, Any]
    old: Node | None
    new: Node | None
    title_runs: list[tuple[str, str]] = field(default_factory=list)
    text_runs: list[tuple[str, str]] = field(default_factory=list)
    projects_removed: list[str] = field(default_factory=list)
    projects_added: list[str] = field(default_factory=list)
    rows_changed: bool = False


def text_runs(old: str, new: str) -> list[tuple[str, str]]:
    """`old` → `new` as runs of ("same" | "del" | "ins", text), character by character (a
    Chinese sentence has no spaces to split on)."""
    runs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(("same", old[i1:i2]))
            continue
        if i2 > i1:
            runs.append(("del", old[i1:i2]))
        if j2 > j1:
            runs.append(("ins", new[j1:j2]))
    return runs


def _diff_row(entry: dict[str, Any], old: Node | None, new: Node | None) -> DiffRow:
    row = DiffRow(entry=entry, old=old, new=new)
    if old is None or new is None:
        return row
    if old.title != new.title:
        row.title_runs = text_runs(old.title, new.title)
    if old.text != new.text:
        row.text_runs = text_runs(old.text, new.text)
    row.projects_removed = [p for p in old.projects if p not in new.projects]
    row.projects_added = [p for p in new.projects if p not in old.projects]
    row.rows_changed = old.rows != new.rows
    return row


def version_diff_for(*, viewer: Any, version: PlanVersion) -> dict[str, list[DiffRow]]:
    """The stored diff of a version against its predecessor, with the nodes on both sides
    (three queries)."""
    diff: dict[str, Any] = version.diff or {}
    previous = None
    if diff.get("previous") is not None:
        previous = version.plan.versions.filter(number=diff["previous"]).first()
    keys_new = [e["key"] for e in diff.get("added", []) + diff.get("changed", [])]
    keys_old = [e["key"] for e in diff.get("removed", []) + diff.get("changed", [])]
    new_nodes = {n.key: n for n in version.nodes.filter(key__in=keys_new)}
    old_nodes = (
        {n.key: n for n in previous.nodes.filter(key__in=keys_old)} if previous is not None else {}
    )
    return {
        section: [
            _diff_row(e, old_nodes.get(e["key"]), new_nodes.get(e["key"]))
            for e in diff.get(section, [])
        ]
        for section in ("added", "removed", "changed")
    }


def source_lines_for(
    *, viewer: Any, version: PlanVersion, around: int, before: int = 20, after: int = 60
) -> tuple[list[tuple[int, str]], int] | None:
    """Lines of the version's source document around line `around` as (number, text), and the
    number of lines in the file; None when the source is not line-based text (DOCX, PDF)."""
    document = version.document  # the one page that shows the bytes reads them here
    if document.format in {"docx", "pdf"}:
        return None
    raw = bytes(document.content)
    try:
        # The parser's own decoding, so line numbers are the ones it recorded.
        text, _encoding = decode_text(raw, document.name)
    except ParseError:
        text = raw.decode(document.encoding or "utf-8", errors="replace")
    lines = text.split("\n")
    first = max(1, around - before)
    last = min(len(lines), around + after)
    return [(n, lines[n - 1]) for n in range(first, last + 1)], len(lines)


def document_list_for(*, viewer: Any, limit: int = 20) -> list[SourceDocument]:
    """The latest ingested documents with their versions and parser warnings, for planners
    (nobody else sees the upload page); without their bytes (two queries)."""

    if not is_planner(viewer):
        return []
    return list(
        SourceDocument.objects.defer("content")
        .select_related("ingested_by")
        .prefetch_related(
            Prefetch("versions", PlanVersion.objects.defer("diff").select_related("plan"))
        )
        .order_by("-ingested_at", "-id")[:limit]
    )


def ingest_jobs_for(*, viewer: Any, ids: list[int] | None = None, limit: int = 20) -> list[Any]:
    """The viewer's own upload jobs (planwatch/plans/ingest_jobs.py): those named by `ids`,
    or else the latest that are still pending or have failed. Without their bytes."""

    if not is_planner(viewer):
        return []
    jobs = IngestJob.objects.defer("content").filter(requested_by=viewer)
    jobs = jobs.filter(pk__in=ids) if ids is not None else jobs.exclude(status=IngestJobStatus.DONE)
    return list(jobs.order_by("-created_at", "-id")[:limit])
