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
from dataclasses import dataclass, replace

from planwatch.parsing.model import Node, Plan, Quantity, QuantityOrigin
from planwatch.parsing.quantities.actions import TARGET_LIST
from planwatch.parsing.quantities.extract import Context, scan
from planwatch.parsing.quantities.goals import qualitative_targets
from planwatch.parsing.quantities.numbers import PERIOD, period_years
from planwatch.parsing.quantities.tables import is_indicator_table, table_targets
from planwatch.parsing.quantities.text import normalise

_GOAL_TITLE = re.compile(
    r"(?:发展|主要|规划|总体|远景|奋斗|近期|中期)目标(?:[和与及]主要指标)?$|^目标$|远景展望$"
    r"|主要目标任务$"
)
# `二、“十四五”时期主要目标任务`: the goals are the paragraphs before its first sub-heading;
# the sub-headings are tasks (action paragraphs).
_GOAL_AND_TASKS = re.compile(r"目标任务$")
# Looking back, before the first goal section: facts, not targets (`2020年工作回顾`).
_REVIEW_TITLE = re.compile(
    r"回顾|背景|发展形势|面临形势|发展环境|机遇|挑战|发展基础|现实基础|发展现状|发展成就|主要成就|取得成效|发展成效"
)
# A report's date line (`——2021年1月20日在…会议上`): the year it speaks for.
_REPORT_DATE = re.compile(r"((?:19|20)\d\d)\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
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
    goals = [_goal_part(g) for g in goals]
    targets: list[Quantity] = []
    for node in goals:
        targets += _read(node, goal=True, years=years)
    in_goals = {id(t) for g in goals for t in _walk(g)}
    for table in _tables(plan.nodes):
        if id(table) not in in_goals:
            targets += _origin(
                table_targets(table, end_year=years.end, base_year=years.base),
                "indicator-table",
            )
    targets += _target_lists(plan, goals, years)
    baselines: list[Quantity] = []
    for node in bases:
        baselines += _read(node, goal=False, years=years)
    return targets, baselines


def extract_action_targets(plan: Plan) -> list[Quantity]:
    """Targets stated in the plan's other paragraphs (`quantities.actions`), in document
    order: everything but the goal sections, target lists, indicator tables, baseline
    sections and the review sections standing before the first goal section."""
    years = plan_years(plan)
    out: list[Quantity] = []
    for node, year in _action_nodes(plan, years):
        texts = _texts(node)
        if not texts:
            continue  # most nodes: no number to read
        ctx = Context(
            True,
            year,
            default_place=(node.line, node.page),
            base_year=years.base,
            origin="action",
            action=True,
            items=True,
        )
        for text, spans in texts:
            ctx.paragraph_year = None
            out += _numeric(text, spans, ctx)
    return out


def _action_nodes(plan: Plan, years: PlanYears) -> Iterator[tuple[Node, int | None]]:
    """The dated nodes holding action text (see `extract_action_targets`)."""
    goals, bases = find_sections(plan.nodes)
    skipped = {id(n) for g in goals for n in [g, *_walk(_goal_part(g))]}
    skipped |= {id(n) for b in bases for n in _walk(b)}
    first_goal = goals[0].line if goals else None
    for top in plan.nodes:
        for node, year in _walk_dated(top, years.end, years):
            if (
                node.kind in _HEADINGS
                and (first_goal is None or node.line < first_goal)
                and _REVIEW_TITLE.search(normalise(node.title).text)
            ):
                skipped |= {id(n) for n in _walk(node)}
            if id(node) in skipped or node.kind in ("table", "figure"):
                continue
            yield node, year


def _target_lists(plan: Plan, goals: list[Node], years: PlanYears) -> list[Quantity]:
    """Targets of the `…主要预期目标是：…` paragraphs outside the goal sections."""
    inside = {id(n) for g in goals for n in _walk(g)}
    out: list[Quantity] = []
    for top in plan.nodes:
        for node, year in _walk_dated(top, years.end, years):
            if id(node) in inside or node.kind in ("table", "figure"):
                continue
            if "目标" not in node.text:
                continue
            norm = normalise(node.text)
            if not (m := TARGET_LIST.search(norm.text)):
                continue
            stated = _TITLE_YEAR.search(norm.text[: m.start()])
            end = norm.text.find("。", m.end())
            if end >= 0:  # the list is one sentence; what follows is action text
                norm = normalise(node.text[: norm.origin[end + 1]])
            ctx = Context(
                True,
                int(stated.group(1)) if stated else year,
                default_place=(node.line, node.page),
                base_year=years.base,
                origin="target-list",
                items=True,
            )
            ctx.spans = node.spans
            for clause in scan(norm, ctx):
                if clause.quantities:
                    out += clause.quantities
                else:
                    out += qualitative_targets(norm, clause.start, clause.end, ctx)
    return out


def _goal_part(section: Node) -> Node:
    """A `…目标任务` section without its task sub-headings; any other goal section whole."""
    if not _GOAL_AND_TASKS.search(normalise(section.title).text):
        return section
    first = next(
        (i for i, c in enumerate(section.children) if c.kind in _HEADINGS),
        len(section.children),
    )
    return replace(section, children=section.children[:first])


def _origin(quantities: list[Quantity], origin: QuantityOrigin) -> list[Quantity]:
    for q in quantities:
        q.origin = origin
    return quantities


Spans = list[tuple[int, int, int | None]]


def _texts(node: Node) -> list[tuple[str, Spans]]:
    """The action text of a node with its spans: its text, preceded by its lead sentence
    when the text does not already hold it (a heading's or box's title is no statement);
    of a paragraph holding a target list, only what follows the list's sentence."""
    if not _MAY_HOLD_NUMBER.search(node.text) and not _MAY_HOLD_NUMBER.search(node.title):
        return []
    if "目标" in node.text:
        norm = normalise(node.text)
        if m := TARGET_LIST.search(norm.text):
            end = norm.text.find("。", m.end())
            if end < 0:
                return []
            cut = norm.origin[end + 1]
            spans = [(max(0, o - cut), line, page) for o, line, page in node.spans]
            kept = [s for i, s in enumerate(spans) if i + 1 == len(spans) or spans[i + 1][0] > 0]
            return [(node.text[cut:], kept)]
    lead = node.title if node.kind in ("provision", "item", "paragraph") else ""
    if lead and not normalise(node.text).text.startswith(normalise(lead).text):
        return [(lead, []), (node.text, node.spans)]
    return [(node.text, node.spans)]


# A digit that is not only a year's (`2025 年`), or a number in words. Written as one character
# class first (then what each character needs, by look-behind over it) so that a search skips
# to the candidate characters; `[0-9０-９](?![0-9０-９]*\s*年)|百分|倍|番|台阶`, which the
# engine would try at every position of the text (measured several times slower).
_MAY_HOLD_NUMBER = re.compile(
    r"[0-9０-９百倍番台](?:(?<=[0-9０-９])(?![0-9０-９]*\s*年)|(?<=百)分|(?<=[倍番])|(?<=台)阶)"
)


def _numeric(text: str, spans: list[tuple[int, int, int | None]], ctx: Context) -> list[Quantity]:
    """Quantities of one action text (most hold no number and are skipped unread)."""
    if not _MAY_HOLD_NUMBER.search(text):
        return []
    ctx.spans = spans
    return [q for clause in scan(normalise(text), ctx) for q in clause.quantities]


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
    if end is None and "报告" in plan.title and (m := _REPORT_DATE.search(head)):
        year = int(m.group(1))  # a report speaks for its year and looks back on the last
        return PlanYears(year, year - 1)
    return PlanYears(end, end - 5 if end else None)


def find_sections(nodes: list[Node]) -> tuple[list[Node], list[Node]]:
    """(goal sections, baseline sections) of a plan body, outermost matches only."""
    goals: list[Node] = []
    bases: list[Node] = []
    in_goals: set[int] = set()  # ids of the nodes under the sections found (outermost only)
    in_bases: set[int] = set()
    for node in _walk_headings(nodes):
        title = _NUMBERING.sub("", normalise(node.title).text)
        if _GOAL_TITLE.search(title) and id(node) not in in_goals:
            goals.append(node)
            in_goals.update(id(d) for d in _walk(node))
        elif _BASE_TITLE.match(title) and not goals and id(node) not in in_bases:
            bases.append(node)
            in_bases.update(id(d) for d in _walk(node))
    return goals, bases


def _walk(node: Node) -> Iterator[Node]:
    """`node` and its subtree, depth first: a stack of the open child lists instead of one
    nested generator per level, which passes every node up through all of them."""
    yield node
    stack = [iter(node.children)]
    while stack:
        for child in stack[-1]:
            yield child
            stack.append(iter(child.children))
            break
        else:
            stack.pop()


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
                out += _origin(
                    table_targets(node, end_year=year, base_year=years.base), "indicator-table"
                )
            continue
        if node.kind == "figure":
            continue
        ctx = Context(
            goal,
            year,
            default_place=(node.line, node.page),
            base_year=years.base,
            origin="goal-section" if goal else "baseline",
        )
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
    (`（二）2035年远景目标`) or 远景 (plan end + 10) dates everything under it. Depth first
    with a stack of open child lists (see `_walk`)."""
    year = _dated(node, year, years)
    yield node, year
    stack = [(iter(node.children), year)]
    while stack:
        children, parent_year = stack[-1]
        for child in children:
            child_year = _dated(child, parent_year, years)
            yield child, child_year
            stack.append((iter(child.children), child_year))
            break
        else:
            stack.pop()


def _dated(node: Node, year: int | None, years: PlanYears) -> int | None:
    """The default year under `node`, given the one above it."""
    if node.kind in _HEADINGS:
        title = normalise(node.title).text
        if m := _TITLE_YEAR.search(title):
            return int(m.group(1))
        if "远景" in title and years.end:
            return years.end + 10
        if m := PERIOD.search(title):  # `“十四五”时期主要目标任务`: the period's end
            return period_years(m["n"])[1]
    return year


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
