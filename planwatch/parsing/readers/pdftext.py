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

Headings stay one block each; the structure builder recognises their numbering. Pages, line
roles and widths come from `readers.pdflines`; this module groups the lines into blocks."""

from __future__ import annotations

from planwatch.parsing.cleaning import clean_lines, clean_spanned
from planwatch.parsing.model import Block
from planwatch.parsing.numbering import match_numbering
from planwatch.parsing.readers import ReaderOutput
from planwatch.parsing.readers.pdflines import (
    BOX_LINE_MIN,
    FIRST_LINE_MAX,
    FULL_LINE_MIN,
    INDENT,
    ITEM_OPENERS,
    REFERENCE_FULL,
    SENTENCE_END,
    TITLE,
    TOC_ENTRY,
    Layout,
    PdfLine,
    ends_sentence,
    mark_indents,
    measure_layout,
    scan_pages,
    short_title,
)

__all__ = [
    "BOX_LINE_MIN",
    "FIRST_LINE_MAX",
    "FULL_LINE_MIN",
    "REFERENCE_FULL",
    "Layout",
    "PdfLine",
    "measure_layout",
    "read",
    "scan_pages",
]

# Structural lines keep their U+3000 label separator: the builder reads the numbering from it.
_VERBATIM = frozenset({"box", "box_item", "figure", "title"})


def read(content: str | bytes, name: str) -> ReaderOutput:
    """Blocks of a PDF text layer: paragraphs, headings, box parts, figures and TOC entries."""
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    lines, pages, warnings = scan_pages(text)
    mark_indents(lines)
    blocks = _Grouper(lines, measure_layout(lines)).run()
    if pages is None:
        _forget_pages(blocks)
    return ReaderOutput(blocks=blocks, pages=pages, warnings=warnings)


def _forget_pages(blocks: list[Block]) -> None:
    """No footer and no page join anywhere: the text has no printed pages to report."""
    for block in blocks:
        block.page = None
        block.spans = [(offset, line, None) for offset, line, _ in block.spans]


def _item_heading(line: PdfLine) -> bool:
    """Inside a box, a short unpunctuated line numbered 1． / （1） / ① heads an item (boxes
    of other documents number their items this way instead of “1　”)."""
    numbering = match_numbering(line.text) if line.text[:1] in ITEM_OPENERS else None
    return numbering is not None and numbering.kind == "item" and short_title(line.text)


def _starts_paragraph(prev: PdfLine, prev_first: bool, cur: PdfLine, layout: Layout) -> bool:
    """Whether body line `cur` opens a new paragraph after `prev` (seed-format §2.3).

    A paragraph can end only on a sentence end. If `prev` is short of a full line it ends its
    paragraph for certain. Otherwise `prev` may end mid-paragraph, and `cur` decides: a short
    line that itself ends the sentence is a tail (“加强应急物流建设。”), a line of
    paragraph-first width opens a paragraph, a full-width line continues."""
    if not prev.text.endswith(SENTENCE_END):
        return False
    if prev.width + (INDENT if prev_first else 0.0) < layout.full_min:
        return True
    if cur.indented:
        return True  # the layer kept the first-line indent
    if cur.text[:1] in ITEM_OPENERS and match_numbering(cur.text) is not None:
        return True  # “1．…” / “（2）…”: a numbered paragraph
    if cur.text.endswith(SENTENCE_END) and cur.width < layout.tail_max:
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
        layout = self.layout
        for index, line in enumerate(self.lines):
            if line.kind != "text" or self.in_box or self.in_toc:
                self._step(index, line)
                continue
            # The commonest line, inlined (`_step` → `_text` → `_starts_paragraph`, same
            # decisions): running text outside a box and a TOC. Only a line after a sentence
            # end can open a paragraph.
            para = self.para
            if para:
                prev = para[-1]
                if prev.text.endswith(SENTENCE_END) and _starts_paragraph(
                    prev, len(para) == 1, line, layout
                ):
                    self._flush()
                    para = self.para
            para.append(line)
        self._flush()
        return self.blocks

    def _step(self, index: int, line: PdfLine) -> None:
        """Route one line: TOC, running text, or a structural line of its own."""
        kind = line.kind
        if kind == "consumed" or (self.in_toc and self._toc_step(index, line)):
            return
        if kind == "text" and not self.in_box:
            self._text(index, line)  # most lines: running text outside a box
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
        elif self._heading_tail(index, line):
            self._emit([line, self.lines[index + 1]], None)
            self.lines[index + 1].kind = "consumed"
        else:
            self._structural(line)

    def _inline(self, line: PdfLine) -> bool:
        """A title-like line that continues an unfinished sentence on the same page is running
        text (“…编制全省国土空间规划” wrapped at 规划), not a plan title."""
        if line.kind != "title" or not self.para:
            return False
        prev = self.para[-1]
        return prev.page == line.page and not ends_sentence(prev)

    def _heading_tail(self, index: int, line: PdfLine) -> bool:
        """A 章/节 title too long for one line goes on in a short, unpunctuated line that no
        paragraph would start with (a first line is nearly full width)."""
        nxt = self._next(index)
        if line.kind != "heading" or nxt is None or nxt.kind != "text":
            return False
        if any(mark in nxt.text for mark in "。,，;；:：、！？"):
            return False
        return nxt.width < self.layout.first_max - 6.0

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
        return TITLE.match(head.text + line.text) is not None

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
        clean = False
        if text is not None:
            joined, spans = text, raw_spans[:1]
        elif hint in _VERBATIM or (len(lines) == 1 and lines[0].kind == "heading"):
            joined, spans = "".join(pieces), raw_spans
        else:
            joined, spans = clean_lines(pieces, raw_spans)
            clean = True
        block = Block(
            joined, lines[0].no, lines[-1].no, lines[0].page, hint=hint, spans=spans, clean=clean
        )
        self.blocks.append(block)


def _body_resumes(prev: PdfLine, cur: PdfLine, nxt: PdfLine | None, layout: Layout) -> bool:
    """Whether narrow text after a sentence end inside a box is body text again (the box ended
    unmarked, seed-format §2.3). A narrow line ending in 。 is taken as the box item's tail; a
    narrow line that runs on, followed by another narrow line, is a body paragraph."""
    if not ends_sentence(prev) or cur.width >= layout.box_min or ends_sentence(cur):
        return False
    return nxt is None or nxt.kind != "text" or nxt.width < layout.box_min


def _toc_text(text: str) -> str:
    """A TOC entry as `title……page` (the page number comes before the leaders in this layout,
    after them in most others)."""
    found = TOC_ENTRY.match(text)
    if found is None:
        return text
    page = found.group("page") or found.group("after") or ""
    title = clean_spanned(found.group("title"), [])[0]
    return f"{title}……{page}"
