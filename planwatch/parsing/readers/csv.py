"""Reader for CSV exports whose cells hold the plan text (a spreadsheet of paragraphs, or a
one-cell export of a whole document).

The delimiter is sniffed (comma, tab, semicolon); the text column is the one holding the most
text. A first row that only names that column (“内容”, “正文”, “text” …) is skipped. Each
row's cell is then read like plain text: one block per non-blank line, so a row holding one
paragraph gives one block and a cell holding the whole document gives one block per line.
`line` is the physical line of the CSV file the text sits on."""

from __future__ import annotations

import csv
import io

from planwatch.parsing.errors import ParseError
from planwatch.parsing.model import Block
from planwatch.parsing.readers import ReaderOutput
from planwatch.parsing.readers.text import strip_line

_HEADER_WORDS = frozenset(
    ["text", "content", "body", "paragraph", "内容", "正文", "文本", "全文", "段落", "原文"]
)
_MAX_FIELD = 512 * 1024 * 1024


def read(content: str | bytes, name: str) -> ReaderOutput:
    """Blocks from the text column of a CSV file."""
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    rows = _rows(text, name)
    column = text_column([cells for cells, _ in rows])
    blocks: list[Block] = []
    for index, (cells, first_line) in enumerate(rows):
        if column >= len(cells) or (index == 0 and _is_header(cells[column])):
            continue
        line = first_line + sum(cell.count("\n") for cell in cells[:column])
        for offset, piece in enumerate(cells[column].split("\n")):
            stripped = strip_line(piece)
            if stripped:
                number = line + offset
                blocks.append(
                    Block(text=stripped, line=number, end_line=number, spans=[(0, number, None)])
                )
    return ReaderOutput(blocks=blocks)


def _rows(text: str, name: str) -> list[tuple[list[str], int]]:
    """Parsed rows with the physical line each starts on. A cell may hold a whole document,
    so the csv module's field size limit is lifted while reading (and restored after)."""
    previous = csv.field_size_limit(_MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), dialect=_dialect(text))
    rows: list[tuple[list[str], int]] = []
    start = 1
    try:
        for cells in reader:
            rows.append((cells, start))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ParseError(name, f"malformed CSV near line {reader.line_num} ({exc})") from None
    finally:
        csv.field_size_limit(previous)
    return rows


def _dialect(text: str) -> type[csv.Dialect]:
    """The sniffed dialect, or Excel's comma dialect when sniffing fails."""
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=",\t;")
    except csv.Error:
        return csv.excel


def text_column(rows: list[list[str]]) -> int:
    """Index of the column holding the most text (ties: the leftmost)."""
    totals: dict[int, int] = {}
    for cells in rows:
        for index, cell in enumerate(cells):
            totals[index] = totals.get(index, 0) + len(cell.strip())
    return max(totals, key=lambda index: (totals[index], -index), default=0)


def _is_header(cell: str) -> bool:
    """A first-row cell that only names the text column."""
    return strip_line(cell).lower() in _HEADER_WORDS
