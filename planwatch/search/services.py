"""Keeping the full-text index in step with the plans.

The index holds the nodes of each plan's current version. `index_plan_version` is called by
the ingest service inside its transaction, so a failed ingest leaves the index as it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction

from planwatch.plans.models import Node, Plan
from planwatch.search import segment
from planwatch.search.backends import IndexDoc, get_backend

if TYPE_CHECKING:
    from planwatch.plans.models import Node, PlanVersion

BATCH = 500


def node_title(node: Node) -> str:
    return " ".join(p for p in (node.label, node.title) if p)


def node_body(node: Node) -> str:
    """The searchable text of a node besides its title: its words, its project names and
    the cells of its table rows."""
    parts = [node.text]
    parts.extend(segment.project_names(node.projects))
    if isinstance(node.rows, list):
        for row in node.rows:
            if isinstance(row, list):
                parts.extend(str(cell) for cell in row)
    return "\n".join(p for p in parts if p)


def index_doc(node: Node, plan_id: int, seg: segment.Segmenter) -> IndexDoc:
    return IndexDoc(
        node_id=node.pk,
        plan_id=plan_id,
        version_id=node.version_id,
        kind=node.kind,
        title_tokens=" ".join(segment.tokens_for_index(node_title(node), seg)),
        body_tokens=" ".join(segment.tokens_for_index(node_body(node), seg)),
    )


def _add_nodes(nodes: Iterable[Node], plan_id: int, seg: segment.Segmenter) -> int:
    backend = get_backend()
    batch: list[IndexDoc] = []
    count = 0
    for node in nodes:
        batch.append(index_doc(node, plan_id, seg))
        if len(batch) >= BATCH:
            backend.add(batch)
            count += len(batch)
            batch = []
    if batch:
        backend.add(batch)
        count += len(batch)
    return count


def version_projects(version: PlanVersion | None) -> set[str]:
    """The project names listed in the boxes of `version`."""
    if version is None:
        return set()
    words: set[str] = set()
    for projects in version.nodes.exclude(projects=[]).values_list("projects", flat=True):
        words.update(segment.project_names(projects))
    return words


def index_plan_version(*, version: PlanVersion) -> int:
    """Index every node of `version` in place of whatever its plan had in the index; returns
    the number of documents indexed (see `index_plan_versions`)."""
    return index_plan_versions(versions=[version])


def index_plan_versions(*, versions: list[PlanVersion]) -> int:
    """Index every node of `versions` (of one document; the last version of a plan wins) in
    place of whatever their plans had in the index; returns the number of documents indexed.

    The dictionary is the one of the other plans plus these versions' project names (they
    may not be marked current yet while the ingest transaction is open): one dictionary, so
    one segmenter built (about 0.3 s each) for a document of five plans, not five. Nodes of
    other plans containing a word that this changes — added with these versions, or gone
    with the previous ones — are cut again, so that a query for that word still finds them."""
    latest = {version.plan_id: version for version in versions}
    if not latest:
        return 0
    with transaction.atomic():
        base = segment.dictionary_words(exclude_plans=set(latest))
        before, words = set(base), set(base)
        for version in latest.values():
            # What the index holds for this plan now: its current version (the previous one
            # while an ingest is under way; this one when it is indexed again).
            before |= version_projects(version.plan.current_version)
            words |= version_projects(version)
        seg = segment.segmenter_for(words)
        backend = get_backend()
        count = 0
        for plan_id, version in latest.items():
            backend.delete_plan(plan_id)
            count += _add_nodes(version.nodes.order_by("seq").iterator(), plan_id, seg)
        _reindex_containing(seg.words ^ before, seg, exclude_plans=set(latest))
    segment.reset()
    return count


def _reindex_containing(
    words: Iterable[str], seg: segment.Segmenter, *, exclude_plans: set[int]
) -> int:
    """Cut again the nodes of the other plans' current versions whose text contains one of
    `words` (one pass over their text with an Aho–Corasick automaton)."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for word in {segment.normalize(w) for w in words}:
        if word:
            automaton.add_word(word, word)
    if len(automaton) == 0:
        return 0
    automaton.make_automaton()
    current = Plan.objects.exclude(pk__in=exclude_plans).exclude(current_version=None)
    plan_of = dict(current.values_list("current_version_id", "pk"))
    nodes = Node.objects.filter(version_id__in=list(plan_of)).order_by("version_id", "seq")
    count = 0
    for version_id in plan_of:
        hits = [
            n
            for n in nodes.filter(version_id=version_id).iterator()
            if next(automaton.iter(segment.normalize(f"{node_title(n)}\n{node_body(n)}")), None)
        ]
        count += _add_nodes(hits, plan_of[version_id], seg)
    return count


def unindex_plan(*, plan_id: int) -> None:
    """Receiver of hooks.plan_deleted: the deleted plan's nodes leave the index."""
    get_backend().delete_plan(plan_id)


def reindex_plan_versions() -> list[PlanVersion]:
    """The version of each plan that the index holds: its current one, or its newest when
    none is marked current."""

    versions = []
    for plan in Plan.objects.select_related("current_version"):
        version = plan.current_version or plan.versions.order_by("-number").first()
        if version is not None:
            versions.append(version)
    return versions


def reindex_all() -> tuple[int, int]:
    """Rebuild the whole index from each plan's current version (or its newest version when
    none is marked current), all cut with one dictionary. Returns (plans, documents)."""

    segment.reset()
    versions = reindex_plan_versions()
    words = segment.dictionary_words()
    projects = Node.objects.filter(version__in=versions).exclude(projects=[])
    for value in projects.values_list("projects", flat=True):
        words.update(segment.project_names(value))
    seg = segment.segmenter_for(words)
    docs = 0
    with transaction.atomic():
        backend = get_backend()
        backend.clear()
        for version in versions:
            docs += _add_nodes(version.nodes.order_by("seq").iterator(), version.plan_id, seg)
    segment.reset()
    return len(versions), docs
