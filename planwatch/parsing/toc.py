"""Tables of contents: their entries, and the cross-check of a plan's body against them.

A TOC is never emitted as body nodes. Its entries (章 and 节 with printed pages) are compared
with the body's chapters and sections by number; every disagreement in title or page, and
every entry missing on either side, becomes a `toc-body-mismatch` warning for a reviewer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from planwatch.parsing.cleaning import clean_text
from planwatch.parsing.model import Node, Plan, TocEntry, Warning
from planwatch.parsing.numbering import match_numbering

# title, then the page: before the leaders (this PDF layout) or after them (most others), or
# simply at the end after a space.
_ENTRY = re.compile(
    r"^(?P<title>.*?)[\s\u3000]*(?P<before>\d{1,4})?[\s\u3000]*(?:…+|[\.·．]{3,})[\s\u3000]*"
    r"(?P<after>\d{1,4})?[\s\u3000]*$"
)
_PLAIN_PAGE = re.compile(r"^(?P<title>.*?\S)[\s\u3000]+(?P<page>\d{1,4})$")
_SPACES = re.compile(r"[\s\u3000][\s\u3000]*")  # `[\s\u3000]+`, opening with its class
TOC_KINDS: dict[str, Literal["part", "chapter", "section"]] = {
    "part": "part",
    "chapter": "chapter",
    "section": "section",
}

Key = tuple[int, int, int]


def parse_entry(text: str, line: int) -> TocEntry | None:
    """A TOC entry (篇, 章 or 节 with its page, if printed), or None for any other line."""
    title, page = _split_page(text.strip())
    numbering = match_numbering(title)
    if numbering is None or numbering.style not in TOC_KINDS or not numbering.title:
        return None
    kind = TOC_KINDS[numbering.style]
    return TocEntry(kind, numbering.number, clean_text(numbering.title), page, line)


def _split_page(text: str) -> tuple[str, int | None]:
    """(entry text, printed page) of a TOC line, the page before or after the leaders."""
    found = _ENTRY.match(text)
    if found is not None:
        page = found.group("before") or found.group("after")
        return found.group("title"), int(page) if page else None
    plain = _PLAIN_PAGE.match(text)
    if plain is not None:
        return plain.group("title"), int(plain.group("page"))
    return text, None


def entry_keys(entries: list[TocEntry]) -> Iterator[tuple[Key, TocEntry]]:
    """(part, chapter, section) numbers of each entry, in TOC order."""
    part = chapter = 0
    for entry in entries:
        if entry.kind == "part":
            part, chapter = entry.number, 0
            yield (part, 0, 0), entry
        elif entry.kind == "chapter":
            chapter = entry.number
            yield (part, chapter, 0), entry
        else:
            yield (part, chapter, entry.number), entry


def body_keys(nodes: list[Node]) -> Iterator[tuple[Key, Node]]:
    """(part, chapter, section) numbers of the body's 篇, 章 and 节 nodes, in document order."""
    part = chapter = 0
    for node in _walk(nodes):
        if node.number is None:
            continue
        if node.kind == "part":
            part, chapter = node.number, 0
            yield (part, 0, 0), node
        elif node.kind == "chapter":
            chapter = node.number
            yield (part, chapter, 0), node
        elif node.kind == "section":
            yield (part, chapter, node.number), node


def _walk(nodes: list[Node]) -> Iterator[Node]:
    for node in nodes:
        yield node
        if node.kind in ("part", "chapter", "section", "heading"):
            yield from _walk(node.children)


def check_toc(plan: Plan, entries: list[TocEntry]) -> list[Warning]:
    """Warnings for every title or page where the plan body and its TOC disagree."""
    body = dict(body_keys(plan.nodes))
    warnings: list[Warning] = []
    seen: set[Key] = set()
    for key, entry in entry_keys(entries):
        seen.add(key)
        node = body.get(key)
        if node is None:
            warnings.append(
                _warning(
                    f"TOC entry {_label(entry)} {entry.title} (page "
                    f"{entry.page}) has no heading in the body",
                    entry.line,
                )
            )
            continue
        warnings.extend(_compare(entry, node))
    for key, node in body.items():
        if key not in seen:
            message = f"body heading {node.label} {node.title} is missing from the TOC"
            warnings.append(_warning(message, node.line))
    return warnings


def _compare(entry: TocEntry, node: Node) -> list[Warning]:
    """Warnings for one TOC entry and the body heading with the same numbers."""
    out: list[Warning] = []
    if _norm(entry.title) != _norm(node.title):
        out.append(
            _warning(
                f"{node.label}: TOC title “{entry.title}” (line {entry.line}) differs from body "
                f"title “{node.title}”",
                node.line,
            )
        )
    if entry.page is not None and node.page is not None and entry.page != node.page:
        out.append(
            _warning(
                f"{node.label} {node.title}: TOC page {entry.page} (line {entry.line}) differs "
                f"from body page {node.page}",
                node.line,
            )
        )
    return out


def _label(entry: TocEntry) -> str:
    suffix = {"part": "篇", "chapter": "章", "section": "节"}[entry.kind]
    return f"第{entry.number}{suffix}"


def _norm(title: str) -> str:
    return _SPACES.sub("", title)


def _warning(message: str, line: int) -> Warning:
    return Warning("toc-body-mismatch", message, line)
