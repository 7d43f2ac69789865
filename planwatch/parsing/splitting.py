"""Multi-plan splitting: one input file can hold several plans (the bundled notice holds five),
each with its own table of contents, title, preamble and chapters.

A plan starts where the top-level numbering restarts — a 第一章 (or a 第一篇, and then chapters
restarting inside parts do not split) — and its title is the nearest title-like block before
that point which is not part of a TOC and not inside the previous plan's headings. Material
before the first plan's title (a covering notice, an encyclopedia preamble, web clutter) is
not plan text and is left out. TOC blocks — hinted by the reader, or recognised here by their
leaders/page numbers after a 目录 line — are collected per TOC for the cross-check."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from planwatch.parsing.cleaning import clean_text, is_clutter
from planwatch.parsing.model import Block, TocEntry
from planwatch.parsing.numbering import Numbering, match_numbering
from planwatch.parsing.toc import parse_entry

_TITLE = re.compile(
    r"^[^。,，;；:：!！?？]{4,60}(规划|纲要|计划|方案|意见|报告|建议)(（[^）]{1,30}）|\([^)]{1,30}\))?$"
)
_TOC_HEADER = re.compile(r"^目[\s\u3000]*录$")
_TOC_LIKE = re.compile(r"(…+|·{3,}|\.{4,})[\s\u3000]*\d{0,4}$|\d+[\s\u3000]*(…+|·{3,})$")
TOP_STYLES = ("part", "chapter")
TOC_STYLES = ("part", "chapter", "section")
TITLE_LOOKBACK = 12  # blocks between a title and its first chapter (preamble paragraphs)


@dataclass
class TocGroup:
    """The entries of one printed table of contents, with the plan title printed above it."""

    title: str | None
    line: int
    entries: list[TocEntry] = field(default_factory=list)


@dataclass
class PlanBlocks:
    """The blocks of one plan: its title block (None when the plan has no title line) and the
    body blocks after it."""

    title: Block | None
    body: list[Block]


def split_toc(blocks: list[Block]) -> tuple[list[Block], list[TocGroup]]:
    """Body blocks (TOC and clutter removed) and the TOCs found among `blocks`."""
    body: list[Block] = []
    groups: list[TocGroup] = []
    in_toc = False
    unmarked = _unmarked_toc(blocks)
    for index, block in enumerate(blocks):
        if is_clutter(block.text):
            continue
        kind = "entry" if index in unmarked else _toc_role(block, in_toc, groups)
        if kind == "body":
            in_toc = False
            body.append(block)
        elif kind == "title":
            groups.append(TocGroup(clean_text(block.text), block.line))
        elif kind == "header":
            in_toc = True
            if body and _is_title(body[-1]):  # the plan title printed above 目录
                title = body.pop()
                groups.append(TocGroup(clean_text(title.text), title.line))
            elif not groups or groups[-1].entries:
                groups.append(TocGroup(None, block.line))
        else:
            _add_entry(groups, block)
    return body, groups


def _unmarked_toc(blocks: list[Block]) -> set[int]:
    """Indices of a table of contents printed without 目录 and without page numbers: a run of
    at least three 篇/章/节 lines with nothing between them whose first two lines come again,
    in order, later on (where the body starts). Without this the list would be taken for a
    plan of its own."""
    keys = [_heading_key(block) if block.hint is None else None for block in blocks]
    seen: dict[str, list[int]] = {}
    for index, key in enumerate(keys):
        if key is not None:
            seen.setdefault(key, []).append(index)
    found: set[int] = set()
    run: list[int] = []
    for index, key in enumerate([*keys, None]):
        if key is not None:
            run.append(index)
            continue
        if len(run) >= 3 and _repeated_later(run, keys, seen):
            found.update(run)
        run = []
    return found


def _repeated_later(run: list[int], keys: list[str | None], seen: dict[str, list[int]]) -> bool:
    """Whether the run's first two headings occur again, in the same order, after it."""
    first, second = keys[run[0]], keys[run[1]]
    assert first is not None and second is not None
    again = next((i for i in seen[first] if i > run[-1]), None)
    return again is not None and any(i > again for i in seen[second])


def _heading_key(block: Block) -> str | None:
    """“第一章总则” for a short 篇/章/节 line, else None."""
    if len(block.text) > 60 or block.markup_level is not None:
        return None
    numbering = match_numbering(block.text.strip())
    if numbering is None or numbering.style not in TOC_STYLES or not numbering.title:
        return None
    return numbering.label + clean_text(numbering.title)


def _toc_role(block: Block, in_toc: bool, groups: list[TocGroup]) -> str:
    """ "title", "header", "entry" or "body" for one block."""
    text = block.text.strip()
    if block.hint == "toc_title":
        return "title"
    if block.hint == "toc_header" or _TOC_HEADER.match(text):
        return "header"
    if block.hint == "toc" or (_has_leaders(text) and match_numbering(text) is not None):
        return "entry"
    if in_toc and groups and _continues_toc(text, groups[-1]):
        return "entry"
    return "body"


def _has_leaders(text: str) -> bool:
    """Leader dots and a page number, as TOC entries have (cheap test first: every block)."""
    if "…" not in text and "..." not in text and "···" not in text:
        return False
    return _TOC_LIKE.search(text) is not None


def _continues_toc(text: str, group: TocGroup) -> bool:
    """After 目录, a short numbered line without page numbers is still an entry until a label
    repeats (the body's first 第一章 after a page-less TOC)."""
    entry = parse_entry(text, 0)
    if entry is None or len(text) > 60:
        return False
    return not any(
        e.kind == entry.kind and e.number == entry.number
        for e in group.entries
        if e.kind == "chapter" and entry.kind == "chapter"
    )


def _add_entry(groups: list[TocGroup], block: Block) -> None:
    """File a TOC entry under the current TOC (a restart at 第一章 opens a new one)."""
    entry = parse_entry(block.text, block.line)
    if entry is None:
        return
    if not groups:
        groups.append(TocGroup(None, block.line))
    group = groups[-1]
    if entry.kind in TOP_STYLES and entry.number == 1 and _has_top(group):
        group = TocGroup(None, block.line)
        groups.append(group)
    group.entries.append(entry)


def _has_top(group: TocGroup) -> bool:
    return any(e.kind in TOP_STYLES for e in group.entries)


def split_plans(body: list[Block]) -> list[PlanBlocks]:
    """The plans among the body blocks; [] when there is no recognisable structure."""
    numberings = [_top_numbering(block) for block in body]
    starts = _plan_starts(numberings)
    if not starts:
        first = _first_structure(body)
        if first is None:
            return []
        starts = [first]
    titles: list[int | None] = []
    floor = 0
    for start in starts:
        titles.append(_find_title(body, numberings, start, floor))
        floor = start
    heads = [
        title if title is not None else start for title, start in zip(titles, starts, strict=True)
    ]
    plans: list[PlanBlocks] = []
    for index, (title, head) in enumerate(zip(titles, heads, strict=True)):
        end = heads[index + 1] if index + 1 < len(heads) else len(body)
        first = head + 1 if title is not None else head
        plans.append(PlanBlocks(body[title] if title is not None else None, body[first:end]))
    _trim_tails(plans)
    return plans


def _top_numbering(block: Block) -> Numbering | None:
    """Numbering of a short block that may start a plan (no TOC or box hint)."""
    if block.hint is not None and block.hint not in ("title", "plan_title"):
        return None
    numbering = match_numbering(block.text.strip())
    if numbering is None or len(block.text) > 60:
        return None
    return numbering


def _plan_starts(numberings: list[Numbering | None]) -> list[int]:
    """Indices of the blocks where a plan's top-level numbering starts (第一篇, or 第一章 when
    the current plan has no parts)."""
    starts: list[int] = []
    in_parts = False
    for index, numbering in enumerate(numberings):
        if numbering is None or numbering.style not in TOP_STYLES or numbering.number != 1:
            continue
        if numbering.style == "part":
            starts.append(index)
            in_parts = True
        elif not in_parts:
            starts.append(index)
    return starts


def _first_structure(body: list[Block]) -> int | None:
    """Start of a plan without 章/篇: its first numbered or markup heading (the title is then
    looked for above it), else its first title-like block."""
    for index, block in enumerate(body):
        if block.markup_level is not None and not _is_title(block):
            return index
        numbering = match_numbering(block.text.strip())
        if numbering is not None and numbering.kind == "heading" and len(block.text) <= 60:
            return index
    return next((index for index, block in enumerate(body) if _is_title(block)), None)


def _find_title(
    body: list[Block], numberings: list[Numbering | None], start: int, floor: int
) -> int | None:
    """The nearest title block before `start`, not past a heading of the previous plan."""
    if start < len(body) and _is_title(body[start]):
        return start
    lowest = max(floor, start - TITLE_LOOKBACK)
    for index in range(start - 1, lowest - 1, -1):
        if _is_title(body[index]):
            return index
        if numberings[index] is not None and index >= floor and index != start:
            break
    return None


def _is_title(block: Block) -> bool:
    """A plan title: hinted by the reader, a level-1 markup heading, or a short line ending in
    规划/纲要/… with no sentence punctuation."""
    if block.hint in ("title", "plan_title"):
        return True
    text = clean_text(block.text)
    if block.markup_level == 1 and match_numbering(text) is None:
        return True
    return block.markup_level is None and len(text) <= 60 and _TITLE.match(text) is not None


def _trim_tails(plans: list[PlanBlocks]) -> None:
    """Drop from each plan's end the title-like blocks left before the next plan's title."""
    for plan in plans:
        while plan.body and plan.body[-1].hint in ("title", "plan_title"):
            plan.body.pop()
