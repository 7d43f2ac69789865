"""Reader for PDF files with a text layer (pdfplumber).

Each page's text lines are extracted with their positions. Running page furniture is dropped
(page numbers such as “—3—”, “- 3 -”, “第 3 页”, and a header repeated at the top of many
pages). Paragraphs are rebuilt from the geometry: a line starts a paragraph when it is
indented (paragraph-first lines and centred headings), when the line before it stopped short
of the right margin, after a larger vertical gap, or when the font size changes; otherwise it
continues the paragraph, across page breaks too. Ruled tables found by pdfplumber become
table blocks (a framed “专栏 N” gets hint "box") and their lines leave the running text.

`Block.page` is the printed page number when the pages print numbers that agree with one
offset from the PDF page index (a cover and a contents page before page 1), else the 1-based
PDF page index; `line` is the 1-based ordinal of the extracted text line in the whole
document. A PDF without any text is refused: it needs OCR first."""

from __future__ import annotations

import io
import logging
import re
import statistics
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import pdfplumber

from planwatch.parsing.decode import plausibility
from planwatch.parsing.errors import ParseError
from planwatch.parsing.model import Block
from planwatch.parsing.readers import ReaderOutput
from planwatch.parsing.readers.text import (
    BOX_ITEM,
    BOX_TITLE,
    box_blocks,
    join_lines,
    join_wrapped,
    strip_line,
    table_text,
)

NO_TEXT_LAYER = "PDF has no text layer (scanned image?); OCR it first"
UNMAPPED_FONTS = (
    "PDF text layer cannot be read (its fonts have no Unicode mapping); OCR it or export it again"
)
_CID = re.compile(r"\(cid:\d+\)")
_PAGE_NUMBER = re.compile(
    r"^(?:[—－\-–]\s*\d{1,4}\s*[—－\-–]|\d{1,4}|第\s*\d{1,4}\s*页(?:\s*共\s*\d{1,4}\s*页)?|"
    r"\d{1,4}\s*/\s*\d{1,4})$"
)
_LEADERS = re.compile(r"…{2}|·{3}|\.{4}|_{4}")
_MARGIN_SHARE = 0.09  # top/bottom share of the page where running headers/footers sit


@dataclass
class _Line:
    """One extracted text line with its position (points) and place in the document."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    page: int
    ordinal: int
    page_height: float

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 0.1)


@dataclass
class _Layout:
    """Document-wide geometry: text column edges and the body font size (em)."""

    left: float
    right: float
    em: float


def read(content: str | bytes, name: str) -> ReaderOutput:
    """Blocks of a PDF's text layer, page by page."""
    data = content.encode("latin-1", "replace") if isinstance(content, str) else content
    pages, lines, tables = _extract(data, name)
    if pages == 0:
        raise ParseError(name, "PDF has no pages")
    if not any(line.text for line in lines) and not tables:
        raise ParseError(name, NO_TEXT_LAYER)
    text = "".join(line.text for line in lines)
    if _unmapped_share(text) > 0.3 or plausibility(_CID.sub("", text) or "x") < 0.5:
        raise ParseError(name, UNMAPPED_FONTS)
    offset = printed_offset(lines)
    body = _drop_furniture(lines)
    blocks = paragraphs(body) + tables
    blocks.sort(key=lambda block: (block.line, block.table is None))
    if offset:
        _renumber(blocks, offset)
    return ReaderOutput(blocks=blocks, pages=pages + offset if offset else pages)


def _renumber(blocks: list[Block], offset: int) -> None:
    """Printed page numbers instead of PDF page indexes; None before printed page 1."""

    def printed(page: int | None) -> int | None:
        return page + offset if page is not None and page + offset >= 1 else None

    for block in blocks:
        block.page = printed(block.page)
        block.spans = [(start, line, printed(page)) for start, line, page in block.spans]


def _unmapped_share(text: str) -> float:
    """Share of the text that pdfminer could only show as “(cid:N)” glyph codes."""
    return sum(len(found) for found in _CID.findall(text)) / max(len(text), 1)


def _extract(data: bytes, name: str) -> tuple[int, list[_Line], list[Block]]:
    """Page count, text lines outside tables, and table blocks; damaged files are refused."""
    try:
        with _quiet_pdfminer(), pdfplumber.open(io.BytesIO(data)) as pdf:
            lines: list[_Line] = []
            tables: list[Block] = []
            for number, page in enumerate(pdf.pages, start=1):
                page_lines, page_tables = _read_page(page, number, len(lines))
                lines.extend(page_lines)
                tables.extend(page_tables)
            return len(pdf.pages), [line for line in lines if line.text], tables
    except ParseError:
        raise
    except Exception as exc:  # pdfminer raises many exception types on damaged input
        raise ParseError(name, _pdf_problem(exc)) from None


@contextmanager
def _quiet_pdfminer() -> Iterator[None]:
    """Silence pdfminer's warnings about damaged objects while reading: the parser reports a
    problem as one ParseError line, and stderr must not fill with library chatter."""
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _pdf_problem(exc: BaseException) -> str:
    """The one-line reason a PDF could not be read."""
    # pdfplumber wraps pdfminer's exception as its first argument.
    inner = " ".join(type(arg).__name__ for arg in exc.args)
    chain = f"{type(exc).__name__} {inner} {type(exc.__cause__).__name__}"
    if "Password" in chain or "Encrypt" in chain:
        return "PDF is password-protected; remove the protection first"
    return f"truncated or corrupt PDF ({type(exc).__name__})"


def _read_page(page: Any, number: int, before: int) -> tuple[list[_Line], list[Block]]:
    """A page's text lines (ordinals continue from `before`) and its table blocks; lines
    inside a table keep their ordinal but lose their text, so numbering stays stable."""
    raw = page.extract_text_lines(strip=True, return_chars=False)
    lines = [
        _Line(
            strip_line(item["text"]),
            float(item["x0"]),
            float(item["x1"]),
            float(item["top"]),
            float(item["bottom"]),
            number,
            before + i,
            float(page.height),
        )
        for i, item in enumerate(raw, start=1)
    ]
    tables: list[Block] = []
    ruled = bool(page.lines or page.rects or page.curves)  # no rules, no ruled table
    for table in page.find_tables() if ruled else []:
        if _is_page_frame(table.bbox, page, table.extract()):
            continue
        inside = [ln for ln in lines if _within(ln, table.bbox)]
        blocks = _table_blocks(table.extract(), number, inside)
        if blocks:
            tables.extend(blocks)
            for line in inside:
                line.text = ""
    tables.extend(_framed_boxes(page, number, lines))
    return lines, tables


def _framed_boxes(page: Any, number: int, lines: list[_Line]) -> list[Block]:
    """专栏 boxes drawn as one framed rectangle (pdfplumber finds no table in a single cell):
    a rectangle whose first enclosed line says “专栏 N”. Their lines leave the running text."""
    blocks: list[Block] = []
    for rect in page.rects:
        bbox = (float(rect["x0"]), float(rect["top"]), float(rect["x1"]), float(rect["bottom"]))
        inside = [line for line in lines if line.text and _within(line, bbox)]
        if not inside or not BOX_TITLE.match(inside[0].text):
            continue
        paragraphs = _box_paragraphs([(line.text, line.ordinal) for line in inside])
        grid = [[paragraph] for paragraph, _ in paragraphs]
        blocks.extend(box_blocks(paragraphs, grid, inside[-1].ordinal, number))
        for line in inside:
            line.text = ""
    return blocks


def _is_page_frame(
    bbox: tuple[float, float, float, float], page: Any, rows: list[list[str | None]]
) -> bool:
    """A ruled frame around the page text (a border with a rule under the letterhead) rather
    than a data table: over half the page and at most two columns."""
    x0, top, x1, bottom = bbox
    share = (x1 - x0) * (bottom - top) / max(float(page.width) * float(page.height), 1.0)
    return share > 0.5 and max((len(row) for row in rows), default=0) <= 2


def _within(line: _Line, bbox: tuple[float, float, float, float]) -> bool:
    """Whether a line's middle lies inside `bbox` (x0, top, x1, bottom)."""
    x0, top, x1, bottom = bbox
    middle = (line.top + line.bottom) / 2
    return top <= middle <= bottom and line.x0 >= x0 - 1 and line.x1 <= x1 + 1


def _table_blocks(rows: list[list[str | None]], page: int, inside: list[_Line]) -> list[Block]:
    """Blocks of one ruled table: a table block, or the box blocks of a framed 专栏; none for a
    frame that is neither (a single cell that is not a box)."""
    grid = _grid(rows)
    first = next((cell for row in grid for cell in row if cell), "")
    line = inside[0].ordinal if inside else 0
    end = inside[-1].ordinal if inside else line
    if BOX_TITLE.match(first):
        distinct = [cell for row in grid for cell in dict.fromkeys(row) if cell]
        paragraphs = [
            (paragraph, _ordinal_of(paragraph, inside, line))
            for cell in distinct
            for paragraph, _ in _box_paragraphs([(piece, line) for piece in cell.split("\n")])
        ]
        return box_blocks(paragraphs, _joined(grid), end, page)
    if len(grid) < 2 or max(len(row) for row in grid) < 2:
        return []
    grid = _joined(grid)
    return [
        Block(
            text=table_text(grid),
            line=line,
            end_line=end,
            page=page,
            table=grid,
            spans=[(0, line, page)],
        )
    ]


def _ordinal_of(paragraph: str, inside: list[_Line], default: int) -> int:
    """Ordinal of the extracted line a table cell's paragraph starts on (a table row comes
    out as one line holding all its cells)."""
    probe = paragraph[:8]
    return next((line.ordinal for line in inside if probe in line.text), default)


def _box_paragraphs(lines: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The visual lines (text, ordinal) of a box regrouped into paragraphs, each with the
    ordinal of its first line: a box or item header stands alone; other lines join until one
    ends a sentence."""
    paragraphs: list[tuple[str, int]] = []
    for raw, ordinal in lines:
        line = strip_line(raw)
        if not line:
            continue
        previous = paragraphs[-1][0] if paragraphs else None
        opens = BOX_TITLE.match(line) or BOX_ITEM.match(line)
        if opens or previous is None or previous.endswith("。") or _is_header(previous):
            paragraphs.append((line, ordinal))
        else:
            paragraphs[-1] = (join_wrapped(previous, line), paragraphs[-1][1])
    return paragraphs


def _joined(grid: list[list[str]]) -> list[list[str]]:
    """Grid cells with their wrapped visual lines joined into one text."""
    return [
        [join_lines([(part, 0, None) for part in cell.split("\n")])[0] for cell in row]
        for row in grid
    ]


def _is_header(paragraph: str) -> bool:
    """A box title or a short item header line (“1　 重大科技基础设施”), which stands alone."""
    return bool(BOX_TITLE.match(paragraph) or (BOX_ITEM.match(paragraph) and len(paragraph) <= 24))


def _grid(rows: list[list[str | None]]) -> list[list[str]]:
    """pdfplumber's rows with spans filled: a covered cell (None) repeats the cell to its left,
    or the one above when it starts a row; a cell's wrapped lines are kept as lines."""
    grid: list[list[str]] = []
    for r, row in enumerate(rows):
        out: list[str] = []
        for c, cell in enumerate(row):
            if cell is None:
                cell = out[-1] if out else (grid[r - 1][c] if r and c < len(grid[r - 1]) else "")
            out.append(cell.strip())
        grid.append(out)
    return [row for row in grid if any(row)]


def _drop_furniture(lines: list[_Line]) -> list[_Line]:
    """Lines without page numbers in the top/bottom margin and without a header repeated at
    the top of at least half the pages (and three at least)."""
    pages = len({line.page for line in lines})
    tops = Counter(line.text for line in lines if _in_top_margin(line))
    repeated = {text for text, count in tops.items() if count >= 3 and count >= pages / 2}
    return [line for line in lines if line.text not in repeated and not _is_page_number(line)]


def _is_page_number(line: _Line) -> bool:
    """A page number line (“—3—”, “- 3 -”, “3”, “第 3 页”, “3/20”) in the top/bottom margin."""
    in_margin = _in_top_margin(line) or line.bottom > line.page_height * (1 - _MARGIN_SHARE)
    return in_margin and _PAGE_NUMBER.match(line.text.replace(" ", "")) is not None


def printed_offset(lines: list[_Line]) -> int:
    """printed page − PDF page index, read from the page numbers the pages print; 0 unless at
    least three pages print a number and four in five of them agree (a cover and a table of
    contents without numbers put the body's page 1 on PDF page 3: offset −2)."""
    offsets = [
        int(re.findall(r"\d+", line.text)[0]) - line.page for line in lines if _is_page_number(line)
    ]
    if len(offsets) < 3:
        return 0
    offset, count = Counter(offsets).most_common(1)[0]
    return offset if count >= 0.8 * len(offsets) else 0


def _in_top_margin(line: _Line) -> bool:
    """In the top margin band, where running headers and some page numbers sit."""
    return line.top < line.page_height * _MARGIN_SHARE


def _layout(lines: list[_Line]) -> _Layout:
    """Column edges from the bulk of the lines; em from the median line height."""
    wide = [line for line in lines if len(line.text) > 8] or lines
    x0s = sorted(line.x0 for line in wide)
    x1s = sorted(line.x1 for line in wide)
    left = x0s[len(x0s) // 10]
    right = x1s[(len(x1s) * 9) // 10]
    return _Layout(left, right, statistics.median(line.height for line in lines))


def _starts_paragraph(prev: _Line, cur: _Line, layout: _Layout) -> bool:
    """Whether `cur` opens a new block rather than continuing `prev`'s paragraph: it is
    indented, the previous line stopped short or was a table-of-contents entry (leader dots
    run it to the margin), the font size changes, or a wider gap lies between them."""
    em = layout.em
    if _LEADERS.search(prev.text) or _LEADERS.search(cur.text):
        return True
    if cur.x0 > layout.left + 0.8 * em or prev.x1 < layout.right - 1.5 * em:
        return True
    if abs(cur.height - prev.height) > 0.15 * max(cur.height, prev.height):
        return True
    return cur.page == prev.page and cur.top - prev.bottom > 1.0 * em


def paragraphs(lines: list[_Line]) -> list[Block]:
    """Group visual lines into paragraph blocks."""
    if not lines:
        return []
    layout = _layout(lines)
    groups: list[list[_Line]] = [[lines[0]]]
    for prev, cur in pairwise(lines):
        if _starts_paragraph(prev, cur, layout):
            groups.append([cur])
        else:
            groups[-1].append(cur)
    blocks = []
    for group in groups:
        text, spans = join_lines([(line.text, line.ordinal, line.page) for line in group])
        if text:
            blocks.append(
                Block(
                    text=text,
                    line=group[0].ordinal,
                    end_line=group[-1].ordinal,
                    page=group[0].page,
                    spans=spans,
                )
            )
    return blocks
