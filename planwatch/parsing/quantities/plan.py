"""Targets and baselines of one plan: find its goal and baseline sections by title, then read
every paragraph (and 主要指标 table) in them.

Goal sections: a chapter, section or heading titled 发展目标 / 主要目标 / 规划目标 / 总体目标 /
远景目标 (and 目标 alone); the 2035 远景 paragraphs inside are dated 2035 by their own
`展望(到)2035年`. Baseline sections: 发展基础 / 发展现状 / 现实基础 / 发展成就 … standing before
the first goal section (so a later `夯实…发展基础` section is not one). Indicator tables
elsewhere in the plan (with a 属性 or target column) count as goals too."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from planwatch.parsing.model import Node, Plan, Quantity
from planwatch.parsing.quantities.extract import Context, scan
from planwatch.parsing.quantities.goals import qualitative_targets
from planwatch.parsing.quantities.tables import is_indicator_table, table_targets
from planwatch.parsing.quantities.text import normalise

_GOAL_TITLE = re.compile(
    r"(?:发展|主要|规划|总体|远景|奋斗|近期|中期)目标(?:[和与及]主要指标)?$|^目标$|远景展望$"
)
_BASE_TITLE = re.compile(
    r"^(?:“?十三五”?(?:时期)?)?(?:发展基础|发展现状|现实基础|发展成就|主要成就|基础条件"
    r"|发展回顾|工作回顾|规划实施情况|取得成效|发展成效|现状基础|发展基础与现状)$"
)
# Numbering a title may still carry (`三、`, `（二）`, `2.`, `第四节`).
_NUMBERING = re.compile(
    r"^(?:第[一二三四五六七八九十百\d]+[章节篇]|[(（]?[一二三四五六七八九十\d]+[)）、.．])\s*"
)
_HEADINGS = ("part", "chapter", "section", "heading")
_PERIOD_END = re.compile(r"规划期[^。]{0,12}?(?:至|到|—|-|~)\s*((?:19|20)\d\d)\s*年")
_RANGE = re.compile(r"((?:19|20)\d\d)\s*[—\-－~至到]\s*((?:19|20)\d\d)\s*年")
_FIVE_YEAR = {
    "十四五": 2025,
    "第十四个五年": 2025,
    "十五五": 2030,
    "第十五个五年": 2030,
    "十三五": 2020,
    "第十三个五年": 2020,
}


@dataclass(frozen=True)
class PlanYears:
    """The plan's last year (targets' default) and the year before it starts (baselines')."""

    end: int | None
    base: int | None


def extract_targets(plan: Plan) -> tuple[list[Quantity], list[Quantity]]:
    """(targets, baselines) of `plan`, in document order."""
    years = plan_years(plan)
    goals, bases = find_sections(plan.nodes)
    targets: list[Quantity] = []
    for node in goals:
        targets += _read(node, goal=True, years=years)
    for table in _tables(plan.nodes):
        if not any(table is t for g in goals for t in _walk(g)):
            targets += table_targets(table, end_year=years.end, base_year=years.base)
    baselines: list[Quantity] = []
    for node in bases:
        baselines += _read(node, goal=False, years=years)
    return targets, baselines


def plan_years(plan: Plan) -> PlanYears:
    """Years from `规划期至2025年`, a `2021—2025年` range, or “十四五” in the title."""
    head = plan.title + "".join(n.title + n.text for n in plan.nodes[:3])
    end: int | None = None
    if m := _PERIOD_END.search(head):
        end = int(m.group(1))
    elif m := _RANGE.search(plan.title):
        end = int(m.group(2))
    else:
        end = next((y for word, y in _FIVE_YEAR.items() if word in plan.title), None)
    return PlanYears(end, end - 5 if end else None)


def find_sections(nodes: list[Node]) -> tuple[list[Node], list[Node]]:
    """(goal sections, baseline sections) of a plan body, outermost matches only."""
    goals: list[Node] = []
    bases: list[Node] = []
    for node in _walk_headings(nodes):
        title = _NUMBERING.sub("", normalise(node.title).text)
        if _GOAL_TITLE.search(title) and not _inside(node, goals):
            goals.append(node)
        elif _BASE_TITLE.match(title) and not goals and not _inside(node, bases):
            bases.append(node)
    return goals, bases


def _inside(node: Node, found: list[Node]) -> bool:
    return any(node is d for f in found for d in _walk(f))


def _walk(node: Node) -> Iterator[Node]:
    yield node
    for child in node.children:
        yield from _walk(child)


def _walk_headings(nodes: list[Node]) -> Iterator[Node]:
    for node in nodes:
        for sub in _walk(node):
            if sub.kind in _HEADINGS:
                yield sub


def _tables(nodes: list[Node]) -> Iterator[Node]:
    for node in nodes:
        for sub in _walk(node):
            if sub.kind == "table" and is_indicator_table(sub):
                yield sub


def _read(section: Node, *, goal: bool, years: PlanYears) -> list[Quantity]:
    """Quantities (and, for goals, qualitative targets) of a section's whole subtree."""
    out: list[Quantity] = []
    default = years.end if goal else years.base
    for node, year in _walk_dated(section, default, years):
        if node.kind == "table":
            if goal:
                out += table_targets(node, end_year=year, base_year=years.base)
            continue
        if node.kind == "figure":
            continue
        ctx = Context(goal, year, default_place=(node.line, node.page), base_year=years.base)
        # A provision's lead sentence is part of its text; a heading's or box's title is not.
        lead = node.title if node.kind in ("provision", "item", "paragraph") else ""
        if lead and not normalise(node.text).text.startswith(normalise(lead).text):
            out += _paragraph(lead, [], ctx)
        out += _paragraph(node.text, node.spans, ctx)
    return out


def _walk_dated(
    node: Node, year: int | None, years: PlanYears
) -> Iterator[tuple[Node, int | None]]:
    """The subtree with the default year of each node: a heading that names a year
    (`（二）2035年远景目标`) or 远景 (plan end + 10) dates everything under it."""
    if node.kind in _HEADINGS:
        title = normalise(node.title).text
        if m := _TITLE_YEAR.search(title):
            year = int(m.group(1))
        elif "远景" in title and years.end:
            year = years.end + 10
    yield node, year
    for child in node.children:
        yield from _walk_dated(child, year, years)


_TITLE_YEAR = re.compile(r"((?:19|20)\d\d)年")


def _paragraph(text: str, spans: list[tuple[int, int, int | None]], ctx: Context) -> list[Quantity]:
    """Quantities of one paragraph; in a goal paragraph also its qualitative goals."""
    if not text.strip():
        return []
    ctx.spans = spans
    norm = normalise(text)
    out: list[Quantity] = []
    for clause in scan(norm, ctx):
        if clause.quantities:
            out += clause.quantities
        elif ctx.goal:
            out += qualitative_targets(norm, clause.start, clause.end, ctx)
    return out
