"""Reader for the raw text layer of a PDF (format "pdf-text"; seed-format.md describes the
artifacts, measured on the bundled file).

It undoes the layout and nothing more:

* pages: a line that is entirely `—N—` is a footer (dropped with its trailing blanks; its
  number, read forwards or with the digits reversed, is checked against the count); a line that
  starts with one ASCII space is the first line of a new page whose footer was lost. Every
  line gets its printed page: +1 per footer and per such join.
* paragraphs: the blank line after every visual line means nothing. A paragraph ends on a line
  ending in 。 when the next line is a paragraph-first line, i.e. about 2 em shorter than a full
  line (`cleaning.em_width`), see `_starts_paragraph`.
* 专栏 boxes: their lines are wider (smaller font); a box ends at the next heading or where a
  narrow body line follows a sentence end (`_body_resumes`).
* tables of contents: entries (page number before the leader dots, one wrapped entry joined)
  become blocks with hint "toc"; the title line above "目录" gets hint "toc_title".

Headings stay one block each; the structure builder recognises their numbering."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from planwatch.parsing.cleaning import clean_spanned, em_width
from planwatch.parsing.model import Block, Warning
from planwatch.parsing.numbering import match_numbering
from planwatch.parsing.readers import ReaderOutput

_FOOTER = re.compile(r"^[—－-]\s*(\d{1,4})\s*[—－-]$")
_TOC_HEADER = re.compile(r"^目[\u3000 ]*录$")
_TOC_ENTRY = re.compile(
    r"^(?P<title>.*?)[\u3000 ]*(?P<page>\d{1,4})?[\u3000 ]*(?:…+|\.{3,}|·{3,})[\u3000 ]*"
    r"(?P<after>\d{1,4})?$"
)
_DIGIT = re.compile(r"\d")
_BOX_ITEM = re.compile(r"^\d{1,2}\u3000")
_TITLE = re.compile(
    r"^[^。,，;；:：!！?？]{4,60}(规划|纲要|计划|方案|意见|报告|通知|决定|办法|条例|建议)"
    r"(（[^）]{1,30}）|\([^)]{1,30}\))?$"
)
_TITLE_ENDS = (
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
_SENTENCE_END = ("。", "！", "？")
# Structural lines keep their U+3000 label separator: the builder reads the numbering from it.
_VERBATIM = frozenset({"box", "box_item", "figure", "title"})

# 一、 and （一） lines standing alone are headings; 1． and （1） open numbered paragraphs.
_LIST_HEADINGS = frozenset({"cn", "paren_cn"})
_ITEM_OPENERS = frozenset("0123456789（(①②③④⑤⑥⑦⑧⑨⑩")

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

    @property
    def first_max(self) -> float:
        """Widest paragraph-first line (full minus the 2 em indent, with margin)."""
        return self.full - (REFERENCE_FULL - FIRST_LINE_MAX)

    @property
    def full_min(self) -> float:
        """Narrowest line that may still be a full (justified) line."""
        return self.full - (REFERENCE_FULL - FULL_LINE_MIN)

    @property
    def box_min(self) -> float:
        """Narrowest 专栏 line (smaller font, more characters per line)."""
        return self.full + (BOX_LINE_MIN - REFERENCE_FULL)

    @property
    def tail_max(self) -> float:
        """Widest one-sentence line taken as a paragraph's tail rather than a new paragraph."""
        return self.first_max - 1.5


def measure_layout(lines: list[PdfLine]) -> Layout:
    """The document's full line width: the commonest width (0.5 em bins, refined by the median
    around it) of text lines that run on into another text line, on an evenly spread sample.
    Falls back to the bundled file's layout when there are too few such lines."""
    step = max(1, len(lines) // SAMPLE_LINES)
    widths = [
        a.width
        for a, b in zip(lines[::step], lines[1::step], strict=False)
        if a.kind == "text" and b.kind == "text" and not _ends_sentence(a)
    ]
    if len(widths) < 30:
        return Layout()
    bins = Counter(round(width * 2) / 2 for width in widths)
    mode = bins.most_common(1)[0][0]
    return Layout(statistics.median(w for w in widths if abs(w - mode) <= 1.0))


@dataclass
class PdfLine:
    """One visual text line: input line number, text without the page-join space, page, and
    layout role (text | heading | title | box | box_item | figure | toc | toc_header)."""

    no: int
    text: str
    page: int
    kind: str
    lead: int = 0  # leading white space in half-em units (a layer that keeps indents)
    indented: bool = False  # `lead` exceeds the document's margin by an indent (`_mark_indents`)

    @cached_property
    def width(self) -> float:
        """Printed width in em (`cleaning.em_width`), measured only where a decision needs it."""
        return em_width(self.text)


def read(content: str | bytes, name: str) -> ReaderOutput:
    """Blocks of a PDF text layer: paragraphs, headings, box parts, figures and TOC entries."""
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    lines, pages, warnings = scan_pages(text)
    _mark_indents(lines)
    blocks = _Grouper(lines, measure_layout(lines)).run()
    if pages is None:
        _forget_pages(blocks)
    return ReaderOutput(blocks=blocks, pages=pages, warnings=warnings)


def _forget_pages(blocks: list[Block]) -> None:
    """No footer and no page join anywhere: the text has no printed pages to report."""
    for block in blocks:
        block.page = None
        block.spans = [(offset, line, None) for offset, line, _ in block.spans]


def scan_pages(text: str) -> tuple[list[PdfLine], int | None, list[Warning]]:
    """Non-blank, non-footer lines with their printed pages; the page count (None when the
    text shows no page boundary at all); footer warnings.

    A page ends at a footer line, and a new page starts at a line that begins with one ASCII
    space (this text layer's join) or with a form feed (pdftotext's page separator) — unless a
    footer has just closed the page, so that no page is counted twice."""
    page, breaks, after_footer = 1, 0, False
    out: list[PdfLine] = []
    warnings: list[Warning] = []
    for no, raw in enumerate(text.split("\n"), start=1):
        if _opens_page(raw) and (out or page > 1) and not after_footer:
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
        out.append(PdfLine(no, stripped, page, _classify(stripped), _lead(raw)))
    return out, (page if breaks else None), warnings


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


def _mark_indents(lines: list[PdfLine]) -> None:
    """Flag lines whose leading white space is a first-line indent: at least 2 em more than
    the document's usual margin (the commonest lead), so a layout that pads every line with
    a margin does not make every line a paragraph start."""
    if not any(line.lead for line in lines):
        return
    margin = Counter(line.lead for line in lines if line.kind == "text").most_common(1)
    base = margin[0][0] if margin else 0
    for line in lines:
        line.indented = line.lead >= base + 4


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
    if ("…" in text or "...." in text) and _TOC_ENTRY.match(text) and _DIGIT.search(text):
        return "toc"
    if text.endswith(_SENTENCE_END):
        return "text"
    numbering = match_numbering(text)
    if numbering is not None and numbering.title:
        if numbering.style in ("part", "chapter", "section") and em_width(text) <= BOX_LINE_MIN:
            return "heading"
        if numbering.style in ("box", "figure"):
            return numbering.style
        if numbering.style in _LIST_HEADINGS and _short_title(text):
            return "heading"
    if text[0].isdigit() and _BOX_ITEM.match(text):
        return "box_item"
    if text.endswith(_TITLE_ENDS) and _TITLE.match(text) and em_width(text) <= FIRST_LINE_MAX:
        return "title"
    return "text"


def _item_heading(line: PdfLine) -> bool:
    """Inside a box, a short unpunctuated line numbered 1． / （1） / ① heads an item (boxes
    of other documents number their items this way instead of “1　”)."""
    numbering = match_numbering(line.text) if line.text[:1] in _ITEM_OPENERS else None
    return numbering is not None and numbering.kind == "item" and _short_title(line.text)


def _short_title(text: str) -> bool:
    """A line that can only be a heading: short of a full line, no sentence punctuation."""
    return em_width(text) < FIRST_LINE_MAX and not any(mark in text for mark in "。；;,，：:")


def _ends_sentence(line: PdfLine) -> bool:
    return line.text.endswith(_SENTENCE_END)


def _starts_paragraph(prev: PdfLine, prev_first: bool, cur: PdfLine, layout: Layout) -> bool:
    """Whether body line `cur` opens a new paragraph after `prev` (seed-format §2.3).

    A paragraph can end only on a sentence end. If `prev` is short of a full line it ends its
    paragraph for certain. Otherwise `prev` may end mid-paragraph, and `cur` decides: a short
    line that itself ends the sentence is a tail (“加强应急物流建设。”), a line of
    paragraph-first width opens a paragraph, a full-width line continues."""
    if not _ends_sentence(prev):
        return False
    if prev.width + (INDENT if prev_first else 0.0) < layout.full_min:
        return True
    if cur.indented:
        return True  # the layer kept the first-line indent
    if cur.text[:1] in _ITEM_OPENERS and match_numbering(cur.text) is not None:
        return True  # “1．…” / “（2）…”: a numbered paragraph
    if _ends_sentence(cur) and cur.width < layout.tail_max:
        return False
    return cur.width < layout.first_max


class _Grouper:
    """Walks the classified lines once, emitting blocks (linear in the number of lines)."""

    def __init__(self, lines: list[PdfLine], layout: Layout) -> None:
        self.lines = lines
        self.layout = layout
        self.blocks: list[Block] = []
        self.para: list[PdfLine] = []
        self.in_box = False
        self.in_toc = False

    def run(self) -> list[Block]:
        for index, line in enumerate(self.lines):
            self._step(index, line)
        self._flush()
        return self.blocks

    def _step(self, index: int, line: PdfLine) -> None:
        """Route one line: TOC, running text, or a structural line of its own."""
        if self.in_toc and self._toc_step(index, line):
            return
        if self._wrapped_title(line):
            self._emit([self.para.pop(), line], "title")
            return
        if self.in_box and line.kind == "text" and _item_heading(line):
            line.kind = "box_item"
        if (
            line.kind == "text"
            or (line.kind == "box_item" and not self.in_box)
            or self._inline(line)
        ):
            self._text(index, line)
            return
        self._flush()
        if line.kind == "toc_header":
            self._open_toc()
        elif line.kind == "toc":
            self._emit([line], "toc", _toc_text(line.text))
        else:
            self._structural(line)

    def _inline(self, line: PdfLine) -> bool:
        """A title-like line that continues an unfinished sentence on the same page is running
        text (“…编制全省国土空间规划” wrapped at 规划), not a plan title."""
        if line.kind != "title" or not self.para:
            return False
        prev = self.para[-1]
        return prev.page == line.page and not _ends_sentence(prev)

    def _wrapped_title(self, line: PdfLine) -> bool:
        """A title printed over two lines (“…第十四个五年规划和” / “二〇三五年远景目标纲要”): the
        title-like line completes a lone, short (large type), unpunctuated line just above it
        on the same page."""
        if line.kind != "title" or len(self.para) != 1 or self.in_box:
            return False
        head = self.para[0]
        if head.page != line.page or any(mark in head.text for mark in "。,，;；:："):
            return False
        if head.width > self.layout.first_max - INDENT:
            return False  # as wide as a paragraph's first line: running text, not a title
        return _TITLE.match(head.text + line.text) is not None

    def _structural(self, line: PdfLine) -> None:
        """A heading, title, box title, box item or figure caption: one block of its own."""
        if line.kind in ("heading", "title", "figure"):
            self.in_box = False
        elif line.kind == "box":
            self.in_box = True
        hints = {"title": "title", "figure": "figure", "box": "box", "box_item": "box_item"}
        self._emit([line], hints.get(line.kind))

    def _text(self, index: int, line: PdfLine) -> None:
        """Add a text line to the open paragraph, or close it first when the line opens a
        new one (or, in a box, when body text resumes)."""
        if self.para:
            prev = self.para[-1]
            if self.in_box and _body_resumes(prev, line, self._next(index), self.layout):
                self._flush()
                self.in_box = False
            elif not self.in_box and _starts_paragraph(
                prev, len(self.para) == 1, line, self.layout
            ):
                self._flush()
        self.para.append(line)

    def _next(self, index: int) -> PdfLine | None:
        return self.lines[index + 1] if index + 1 < len(self.lines) else None

    def _open_toc(self) -> None:
        """`目录`: the title block just above it belongs to the table of contents."""
        self.in_toc = True
        if self.blocks and self.blocks[-1].hint == "title":
            self.blocks[-1].hint = "toc_title"

    def _toc_step(self, index: int, line: PdfLine) -> bool:
        """Consume one TOC line (an entry, or the first half of a wrapped entry); False when the
        table of contents has ended."""
        if line.kind == "toc":
            return False
        nxt = self._next(index)
        wrapped = nxt is not None and nxt.kind == "toc" and match_numbering(nxt.text) is None
        if wrapped and nxt is not None and match_numbering(line.text) is not None:
            nxt.text = line.text + nxt.text
            nxt.no, nxt.page = line.no, line.page
            nxt.kind = "toc"
            return True
        self.in_toc = False
        return False

    def _flush(self) -> None:
        if self.para:
            self._emit(self.para, "box_text" if self.in_box else None)
            self.para = []

    def _emit(self, lines: list[PdfLine], hint: str | None, text: str | None = None) -> None:
        """Append the block of `lines`: cleaned and joined text (structural lines verbatim, so
        the builder can read their label) with one span per line."""
        raw_spans: list[tuple[int, int, int | None]] = []
        pieces: list[str] = []
        offset = 0
        for line in lines:
            raw_spans.append((offset, line.no, line.page))
            pieces.append(line.text)
            offset += len(line.text)
        if text is not None:
            joined, spans = text, raw_spans[:1]
        elif hint in _VERBATIM or (len(lines) == 1 and lines[0].kind == "heading"):
            joined, spans = "".join(pieces), raw_spans
        else:
            joined, spans = clean_spanned("".join(pieces), raw_spans)
        block = Block(joined, lines[0].no, lines[-1].no, lines[0].page, hint=hint, spans=spans)
        self.blocks.append(block)


def _body_resumes(prev: PdfLine, cur: PdfLine, nxt: PdfLine | None, layout: Layout) -> bool:
    """Whether narrow text after a sentence end inside a box is body text again (the box ended
    unmarked, seed-format §2.3). A narrow line ending in 。 is taken as the box item's tail; a
    narrow line that runs on, followed by another narrow line, is a body paragraph."""
    if not _ends_sentence(prev) or cur.width >= layout.box_min or _ends_sentence(cur):
        return False
    return nxt is None or nxt.kind != "text" or nxt.width < layout.box_min


def _toc_text(text: str) -> str:
    """A TOC entry as `title……page` (the page number comes before the leaders in this layout,
    after them in most others)."""
    found = _TOC_ENTRY.match(text)
    if found is None:
        return text
    page = found.group("page") or found.group("after") or ""
    title = clean_spanned(found.group("title"), [])[0]
    return f"{title}……{page}"
