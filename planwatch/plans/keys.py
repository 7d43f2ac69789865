"""Position keys of plan nodes and the diff between two versions of a plan.

A key names a node by where it stands in the plan, not by its text, so that the same
provision in a revised document gets the same key and a changed wording shows as "changed"
rather than "removed + added". Keys read like the plan is cited: ``c3.s2.p4`` is the fourth
provision of 第二节 of 第三章, ``c5.s1.b2.i3`` item 3 of 专栏 2 in 第五章 第一节.

Numbered kinds (篇, 章, 节, 专栏, numbered items) use the number printed in the plan; the others
use their ordinal among siblings of the same kind, counted from 1.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypedDict

from planwatch.parsing.model import Node as ParsedNode

KEY_MAX = 64

# One or two letters per kind; numbered kinds use the printed number when there is one.
_PREFIX: dict[str, str] = {
    "part": "pt",
    "chapter": "c",
    "section": "s",
    "heading": "h",
    "item": "n",
    "provision": "p",
    "paragraph": "g",
    "box": "b",
    "box_item": "i",
    "table": "t",
    "figure": "f",
}
_NUMBERED = {"part", "chapter", "section", "box", "box_item", "item", "heading"}


@dataclass(frozen=True)
class KeyedNode:
    """A parsed node with its position key, its parent's key and its document order."""

    node: ParsedNode
    key: str
    parent_key: str | None
    seq: int


def _segment(node: ParsedNode, ordinal: int) -> str:
    prefix = _PREFIX.get(node.kind, "x")
    if node.kind in _NUMBERED and node.number is not None:
        return f"{prefix}{node.number}"
    return f"{prefix}{ordinal}"


def _bounded(key: str) -> str:
    """Keys longer than the column are shortened to a prefix plus a digest (still unique)."""
    if len(key) <= KEY_MAX:
        return key
    digest = hashlib.sha1(key.encode()).hexdigest()[:12]
    return f"{key[: KEY_MAX - 13]}~{digest}"


def keyed_nodes(nodes: Sequence[ParsedNode]) -> list[KeyedNode]:
    """Every node of a parsed tree, depth-first in document order, with a unique key."""
    out: list[KeyedNode] = []
    seen: set[str] = set()

    def walk(children: Sequence[ParsedNode], parent_key: str | None) -> None:
        ordinals: Counter[str] = Counter()
        for child in children:
            ordinals[child.kind] += 1
            segment = _segment(child, ordinals[child.kind])
            key = f"{parent_key}.{segment}" if parent_key else segment
            # A misnumbered plan can repeat a number among siblings: keep keys unique.
            base, extra = key, 1
            while _bounded(key) in seen:
                extra += 1
                key = f"{base}~{extra}"
            key = _bounded(key)
            seen.add(key)
            out.append(KeyedNode(child, key, parent_key, len(out)))
            walk(child.children, key)

    walk(nodes, None)
    return out


class DiffEntry(TypedDict):
    key: str
    kind: str
    label: str
    title: str


class VersionDiff(TypedDict):
    previous: int | None
    added: list[DiffEntry]
    removed: list[DiffEntry]
    changed: list[DiffEntry]


@dataclass(frozen=True)
class NodeSignature:
    """What of a node counts for "changed": its kind, wording, projects and table rows."""

    key: str
    kind: str
    label: str
    title: str
    text: str
    projects: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def entry(self) -> DiffEntry:
        return {"key": self.key, "kind": self.kind, "label": self.label, "title": self.title}

    def content(self) -> tuple[object, ...]:
        return (self.kind, self.label, self.title, self.text, self.projects, self.rows)


def signature(
    *,
    key: str,
    kind: str,
    label: str | None,
    title: str,
    text: str,
    projects: Iterable[str] | None,
    rows: Iterable[Iterable[str]] | None,
) -> NodeSignature:
    return NodeSignature(
        key=key,
        kind=kind,
        label=label or "",
        title=title,
        text=text,
        projects=tuple(projects or ()),
        rows=tuple(tuple(r) for r in rows or ()),
    )


def version_diff(
    old: Iterable[NodeSignature], new: Iterable[NodeSignature], *, previous: int | None
) -> VersionDiff:
    """Nodes added, removed and changed between two versions, matched by key, each list in
    document order of the version it comes from."""
    old_by_key = {s.key: s for s in old}
    new_list = list(new)
    new_keys = {s.key for s in new_list}
    return {
        "previous": previous,
        "added": [s.entry() for s in new_list if s.key not in old_by_key],
        "removed": [s.entry() for s in old_by_key.values() if s.key not in new_keys],
        "changed": [
            s.entry()
            for s in new_list
            if s.key in old_by_key and old_by_key[s.key].content() != s.content()
        ],
    }


def iter_signatures(items: Iterable[KeyedNode]) -> Iterator[NodeSignature]:
    for k in items:
        n = k.node
        yield signature(
            key=k.key,
            kind=n.kind,
            label=n.label,
            title=n.title,
            text=n.text,
            projects=n.projects,
            rows=n.rows,
        )
