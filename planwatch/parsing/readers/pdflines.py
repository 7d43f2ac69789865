"""Visual lines of a PDF text layer: their printed pages, layout role and width, and the
width thresholds of the document (`Layout`), measured on the bundled file (seed-format §2).

Used by `readers.pdftext`, which groups these lines into blocks."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from itertools import compress

from planwatch.parsing.cleaning import em_width
from planwatch.parsing.model import Warning
from planwatch.parsing.numbering import match_numbering

_FOOTER = re.compile(r"^[—－-]\s*(\d{1,4})\s*[—－-]$")
_TOC_HEADER = re.compile(r"^目[\u3000 ]*录$")
TOC_ENTRY = re.compile(
    r"^(?P<title>.*?)[\u3000 ]*(?P<page>\d{1,4})?[\u3000 ]*(?:…+|\.{3,}|·{3,})[\u3000 ]*"
    r"(?P<after>\d{1,4})?$"
)
_DIGIT = re.compile(r"\d")
_BOX_ITEM = re.compile(r"^\d{1,2}\u3000")
TITLE = re.compile(
    r"^[^。,，;；:：!！?？]{4,60}(规划|纲要|计划|方案|意见|报告|通知|决定|办法|条例|建议)"
    r"(（[^）]{1,30}）|\([^)]{1,30}\))?$"
)
TITLE_ENDS = (
    "规划",
    "纲要",
    "计划",
    "方案",
    "意见",
    "报告",
    "通知",
    "决定",
    "办法",
    "条例",
    "建议",
    "）",
    ")",
)
SENTENCE_END = ("。", "！", "？")
# 一、 and （一） lines standing alone are headings; 1． and （1） open numbered paragraphs.
_LIST_HEADINGS = frozenset({"cn", "paren_cn"})
ITEM_OPENERS = frozenset("0123456789（(①②③④⑤⑥⑦⑧⑨⑩")

# Thresholds in em (see cleaning.em_width): body paragraph-first lines measure 25–26.5 em,
# full body lines 27–29, box lines 33–37. A paragraph-first line is indented by about 2 em.
FIRST_LINE_MAX = 26.3
FULL_LINE_MIN = 26.5
BOX_LINE_MIN = 30.5
INDENT = 2.0
SAMPLE_LINES = 3000  # width sample that calibrates a document's layout
# `measure_layout` on the bundled file, where the thresholds above were measured.
REFERENCE_FULL = 27.5


@dataclass(frozen=True)
class Layout:
    """The width thresholds of one document, set relative to its full body line (as measured by
    `measure_layout`; `REFERENCE_FULL` in the bundled file, where the constants above were
    measured), so that a PDF with longer or shorter lines is read the same way."""

    full: float = REFERENCE_FULL

    # Cached (the grouper asks for the thresholds on every line); the fields are frozen.
    @cached_property
    def first_max(self) -> float:
        """Widest paragraph-first line (full minus the 2 em indent, with margin)."""
        return self.full - (REFERENCE_FULL - FIRST_LINE_MAX)

    @cached_property
    def full_min(self) -> float:
        """Narrowest line that may still be a full (justified) line."""
        return self.full - (REFERENCE_FULL - FULL_LINE_MIN)

    @cached_property
    def box_min(self) -> float:
        """Narrowest 专栏 line (smaller font, more characters per line)."""
        return self.full + (BOX_LINE_MIN - REFERENCE_FULL)

    @cached_property
    def tail_max(self) -> float:
        """Widest one-sentence line taken as a paragraph's tail rather than a new paragraph."""
        return self.first_max - 1.5


def measure_layout(lines: list[PdfLine]) -> Layout:
    """The document's full line width: the commonest width (0.5 em bins, refined by the median
    around it) of text lines that run on into another text line, on an evenly spread sample.
    Falls back to the bundled file's layout when there are too few such lines."""
    step = max(1, len(lines) // SAMPLE_LINES)
    widths: list[float] = []
    for a, b in zip(lines[::step], lines[1::step], strict=False):
        if a.kind == "text" and b.kind == "text" and not a.text.endswith(SENTENCE_END):
            # `a.width`, read and stored where `cached_property` keeps it (the instance dict)
            # without its Python-level `__get__`: this takes the first width of most lines.
            cache = a.__dict__
            width = cache.get("width")
            if width is None:
                width = cache["width"] = em_width(a.text)
            widths.append(width)
    if len(widths) < 30:
        return Layout()
    bins = Counter(round(width * 2) / 2 for width in widths)
    mode = bins.most_common(1)[0][0]
    return Layout(statistics.median(w for w in widths if abs(w - mode) <= 1.0))


@dataclass
class PdfLine:
    """One visual text line: input line number, text without the page-join space, page, and
    layout role (text | heading | title | box | box_item | figure | toc | toc_header; "consumed"
    once the grouper has merged it into the line before)."""

    no: int
    text: str
    page: int
    kind: str
    lead: int = 0  # leading white space in half-em units (a layer that keeps indents)
    indented: bool = False  # `lead` exceeds the document's margin by an indent (`mark_indents`)

    @cached_property
    def width(self) -> float:
        """Printed width in em (`cleaning.em_width`), measured only where a decision needs it."""
        return em_width(self.text)


def scan_pages(text: str) -> tuple[list[PdfLine], int | None, list[Warning]]:
    """Non-blank, non-footer lines with their printed pages; the page count (None when the
    text shows no page boundary at all); footer warnings.

    A page ends at a footer line, and a new page starts at a line that begins with one ASCII
    space (this text layer's join) or with a form feed (pdftotext's page separator) — unless a
    footer has just closed the page, so that no page is counted twice."""
    page, breaks, after_footer = 1, 0, False
    out: list[PdfLine] = []
    warnings: list[Warning] = []
    raws = text.split("\n")
    # Empty lines (every other line of this layer) open no page and hold no text: `compress`
    # passes over them at C speed.
    for no, raw in compress(enumerate(raws, start=1), raws):
        first = raw[0]
        if first in _PAGE_OPENERS and _opens_page(raw) and (out or page > 1) and not after_footer:
            page, breaks = page + 1, breaks + 1
        stripped = raw.strip(" \t\r\f\ufeff\u3000")
        if not stripped:
            continue
        footer = _FOOTER.match(stripped) if stripped[0] in "—－-" else None
        if footer is not None:
            page = _check_footer(footer.group(1), page, no, warnings) + 1
            breaks, after_footer = breaks + 1, True
            continue
        after_footer = False
        lead = _lead(raw) if first in _LEADS else 0
        out.append(PdfLine(no, stripped, page, _classify(stripped), lead))
    return out, (page if breaks else None), warnings


_PAGE_OPENERS = frozenset(" \f")
_LEADS = frozenset(" \u3000\t\f")  # a line starting otherwise has no lead (`_lead` is 0)


def _lead(raw: str) -> int:
    """Leading white space of a raw line in half-em units (space 1, U+3000 2, tab 4)."""
    width = 0
    for ch in raw:
        if ch == " ":
            width += 1
        elif ch == "\u3000":
            width += 2
        elif ch == "\t":
            width += 4
        elif ch != "\f":
            break
    return width


def mark_indents(lines: list[PdfLine]) -> None:
    """Flag lines whose leading white space is a first-line indent: at least 2 em more than
    the document's usual margin (the commonest lead), so a layout that pads every line with
    a margin does not make every line a paragraph start."""
    leads = [line.lead for line in lines]
    if not any(leads):
        return
    margin = Counter([line.lead for line in lines if line.kind == "text"]).most_common(1)
    base = margin[0][0] if margin else 0
    threshold = base + 4
    for line, lead in zip(lines, leads, strict=True):
        if lead >= threshold:
            line.indented = True
        elif line.indented:  # False as `scan_pages` makes a line: most lines are not written
            line.indented = False


def _opens_page(raw: str) -> bool:
    """A line that starts a new printed page: one leading ASCII space, or a form feed."""
    return (raw.startswith(" ") and not raw.startswith("  ")) or raw.startswith("\f")


def _check_footer(printed: str, page: int, no: int, warnings: list[Warning]) -> int:
    """The page a footer closes. It must give the computed page, read forwards or with its
    digits reversed (this text layer reverses multi-digit numbers); otherwise the printed
    number wins (the reading nearer the count) and a warning says where the count slipped."""
    forwards, backwards = int(printed), int(printed[::-1])
    if page in (forwards, backwards):
        return page
    printed_page = min((forwards, backwards), key=lambda value: abs(value - page))
    message = f"footer —{printed}— on computed page {page}; page count reset to {printed_page}"
    warnings.append(Warning("page-footer-mismatch", message, no))
    return printed_page


def _classify(text: str) -> str:
    """Layout role of a line, from its own text only (runs on every line: cheap tests first)."""
    if text[0] == "目" and _TOC_HEADER.match(text):
        return "toc_header"
    if ("…" in text or "...." in text) and TOC_ENTRY.match(text) and _DIGIT.search(text):
        return "toc"
    if text.endswith(SENTENCE_END):
        return "text"
    numbering = match_numbering(text)
    if numbering is not None and numbering.title:
        if numbering.style in ("part", "chapter", "section") and em_width(text) <= BOX_LINE_MIN:
            return "heading"
        if numbering.style in ("box", "figure"):
            return numbering.style
        if numbering.style in _LIST_HEADINGS and short_title(text):
            return "heading"
    if text[0].isdigit() and _BOX_ITEM.match(text):
        return "box_item"
    if text.endswith(TITLE_ENDS) and TITLE.match(text) and em_width(text) <= FIRST_LINE_MAX:
        return "title"
    return "text"


def short_title(text: str) -> bool:
    """A line that can only be a heading: short of a full line, no sentence punctuation."""
    return em_width(text) < FIRST_LINE_MAX and not any(mark in text for mark in "。；;,，：:")


def ends_sentence(line: PdfLine) -> bool:
    return line.text.endswith(SENTENCE_END)
