"""Extractors: documents that reach a planning office turned into proposed data.

Each kind lives in its own module, registered in `planwatch.parsing.extract.cli.KINDS`, and
exposes exactly one entry point:

    extract(path: Path) -> dict

which returns a JSON-ready dict `{"kind": ..., "file": ..., ...}` or raises `ParseError`
naming what was looked for. Like the parser, nothing here imports Django: the web app calls
these modules and stores nothing until a person confirms.

This module holds what the kinds share: `read_document` turns a text, Markdown, HTML, DOCX or
PDF file into grounded lines and tables. Every kind reads the file through one reader,
`docread.read_input` (size limit, the parser's decoder) and `docread.read_blocks` (the
parser's readers); the tasks' view keeps text files line by line as written, the others
work on the readers' blocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from planwatch.parsing.errors import ParseError
from planwatch.parsing.model import Block

__all__ = ["Document", "Line", "ParseError", "Table", "read_document"]


@dataclass
class Line:
    """One line of the document: its text (stripped), 1-based line (for DOCX and PDF the
    paragraph ordinal the parser's readers give) and printed page, when known."""

    text: str
    line: int
    page: int | None


@dataclass
class Table:
    """A table of the document as a grid of cell texts (merged cells repeated)."""

    rows: list[list[str]]
    line: int
    page: int | None


@dataclass
class Document:
    """A document read for extraction: its lines and tables in reading order."""

    name: str
    format: str
    lines: list[Line] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    # Reading order of everything: ("line", index) or ("table", index).
    order: list[tuple[str, int]] = field(default_factory=list)


_LINE_FORMATS = {"text", "pdf-text", "markdown", "csv"}


def read_document(path: Path) -> Document:
    """The document at `path` as lines and tables; raises `ParseError` for unreadable input.

    Text formats are taken line by line as written (form feeds count pages), so that a
    「牵头单位：」 line stays its own line; DOCX, HTML and PDF go through the parser's
    readers, whose paragraphs and tables carry their own line and page."""
    from planwatch.parsing.extract.docread import read_blocks, read_input

    content, fmt = read_input(path)
    if fmt in _LINE_FORMATS and isinstance(content, str):
        return _text_document(content, path.name, fmt)
    return _block_document(read_blocks(content, fmt, path.name), path.name, fmt)


def _text_document(text: str, name: str, fmt: str) -> Document:
    document = Document(name=name, format=fmt)
    page = 1
    for number, raw in enumerate(text.splitlines(), start=1):
        page += raw.count("\f")
        stripped = raw.replace("\f", "").strip().strip("\u3000")
        if stripped:
            document.order.append(("line", len(document.lines)))
            document.lines.append(Line(stripped, number, page if "\f" in text else None))
    return document


def _block_document(blocks: list[Block], name: str, fmt: str) -> Document:
    document = Document(name=name, format=fmt)
    for block in blocks:
        if block.table:
            document.order.append(("table", len(document.tables)))
            document.tables.append(Table(block.table, block.line, block.page))
            continue
        for piece in block.text.split("\n"):
            if piece.strip():
                document.order.append(("line", len(document.lines)))
                document.lines.append(Line(piece.strip(), block.line, block.page))
    return document
