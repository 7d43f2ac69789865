"""Typed shapes of the parser: the intermediate blocks every reader produces, and the
output tree of the `planwatch.parse/1` contract (docs: parse-contract)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SCHEMA = "planwatch.parse/1"

SourceFormat = Literal["pdf-text", "text", "markdown", "html", "docx", "pdf", "csv"]
NodeKind = Literal[
    "part",
    "chapter",
    "section",
    "heading",
    "item",
    "provision",
    "paragraph",
    "box",
    "box_item",
    "table",
    "figure",
]
PlaceLevel = Literal["province", "prefecture", "county", "region", "other"]
TargetKind = Literal["level", "growth", "reduction", "share", "count", "qualitative"]
# The comparator of a target: > ≥ < ≤ = and ~ (左右/约).
Comparator = Literal[">", ">=", "<", "<=", "=", "~"]
COMPARATORS: tuple[Comparator, ...] = (">", ">=", "<", "<=", "=", "~")


def as_comparator(value: str | None) -> Comparator | None:
    """`value` as a Comparator (None stays None); any other string is a bug of the caller."""
    if value is None:
        return None
    for comparator in COMPARATORS:
        if value == comparator:
            return comparator
    raise ValueError(f"not a comparator: {value!r}")


# Where a quantity was stated: a goal section (发展目标…), an indicator table, a list of
# expected targets (…主要预期目标是：A…、B…；C…), an action paragraph anywhere else, or a
# baseline section (发展基础…).
QuantityOrigin = Literal["goal-section", "indicator-table", "target-list", "action", "baseline"]


@dataclass
class Block:
    """One logical unit of a source document after its reader has undone the layout:
    a whole paragraph (wrapped lines joined), a heading, or a table.

    Readers produce blocks; the structure builder turns blocks into the node tree.
    `line`/`end_line` are 1-based lines of the input (for formats without lines — DOCX,
    PDF — the 1-based ordinal of the paragraph or extracted line in the source)."""

    text: str
    line: int
    end_line: int
    page: int | None = None
    # Heading depth declared by markup (Markdown #, HTML <hN>, DOCX "Heading N"); None when
    # the source gives no markup and the builder must recognise numbering itself.
    markup_level: int | None = None
    # Rows of cells for a table block (HTML/DOCX tables, with spans expanded).
    table: list[list[str]] | None = None
    # Set by readers that know more than the text says (e.g. "box" for a 专栏 written as a
    # table, "figure" for a caption, "toc" for a table-of-contents entry, "plan_title" for the
    # title of one plan in a file that holds several).
    hint: str | None = None
    # Where each stretch of `text` came from: (offset in text, input line, printed page),
    # sorted by offset. Lets extractors ground a match inside a joined paragraph.
    spans: list[tuple[int, int, int | None]] = field(default_factory=list)
    # Whether the reader has already cleaned `text` (`cleaning.clean_spanned`): the
    # structure builder then takes it as it is instead of cleaning it a second time.
    clean: bool = False


@dataclass
class Warning:
    code: str
    message: str
    line: int | None = None


@dataclass
class Source:
    name: str
    sha256: str
    format: SourceFormat
    encoding: str | None
    chars: int
    pages: int | None


@dataclass
class Node:
    kind: NodeKind
    number: int | None
    label: str | None
    title: str
    text: str
    level: int
    line: int
    end_line: int
    page: int | None
    children: list[Node] = field(default_factory=list)
    # Project names listed in a box item (only box_item nodes; omitted elsewhere).
    projects: list[str] | None = None
    # Rows of a table node.
    rows: list[list[str]] | None = None
    # (offset in text, input line, printed page) of each stretch of `text`; not serialised.
    spans: list[tuple[int, int, int | None]] = field(default_factory=list, repr=False)


def locate(
    spans: list[tuple[int, int, int | None]], offset: int, default: tuple[int, int | None]
) -> tuple[int, int | None]:
    """Input line and printed page of character `offset` of a text described by `spans`."""
    found = default
    for start, line, page in spans:
        if start > offset:
            break
        found = (line, page)
    return found


@dataclass
class Quantity:
    """A Target (goal) or a Baseline (fact); the contract gives both this shape."""

    text: str
    indicator: str
    value: float | None
    unit: str | None
    year: int | None
    comparator: Comparator | None
    kind: TargetKind
    attribute: str | None
    line: int
    page: int | None
    base_value: float | None = None
    base_year: int | None = None
    # Added fields (decision 0016); all null when not known.
    origin: QuantityOrigin | None = None
    # The value and unit as printed (normalised spacing): `1.1万亿元`, `5.5%`, `2.4:1`.
    value_text: str | None = None
    # The value in its base unit, magnitude folded in: 1.1万亿元 → 1.1e12 元, 2750万千瓦 →
    # 2.75e7 千瓦, 70% → 70 %; unit null for a bare magnitude (`110万` → 1.1e6, null).
    normalised_value: float | None = None
    normalised_unit: str | None = None
    # The words that set the comparator, as printed: `控制在…以内`, `增长…左右`, `不低于`.
    comparator_text: str | None = None
    # True when the clause states the year, false when it is the section's or document's
    # horizon (the plan's end year, a `2021年重点工作` heading, a report's year).
    year_stated: bool | None = None


@dataclass
class Place:
    name: str
    adcode: str | None
    level: PlaceLevel
    count: int


@dataclass
class Plan:
    title: str
    line: int
    page: int | None
    cities: list[str]
    nodes: list[Node]
    targets: list[Quantity] = field(default_factory=list)
    baselines: list[Quantity] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    # Targets stated outside the goal sections and indicator tables: in action paragraphs
    # (`…规模控制在10万亩以内`), 专栏 items and a report's 重点工作 (decision 0016).
    action_targets: list[Quantity] = field(default_factory=list)


@dataclass
class TocEntry:
    """One entry of a printed table of contents (章 or 节) with its printed page."""

    kind: Literal["part", "chapter", "section"]
    number: int
    title: str
    page: int | None
    line: int


@dataclass
class ParseResult:
    source: Source
    plans: list[Plan]
    warnings: list[Warning] = field(default_factory=list)
