"""Reader for plain text with one paragraph per line (text copied from a web page or saved
from a word processor as .txt): every non-blank line is a block that keeps its line number.

Also holds the small white-space helpers the other readers share: joining wrapped CJK lines
and collapsing markup white space without putting spaces between Chinese characters."""

from __future__ import annotations

import re

from planwatch.parsing.model import Block
from planwatch.parsing.readers import ReaderOutput

# Characters after/before which a line break or a collapsed space is no word boundary.
_CJK = (
    r"\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2014\u2018-\u201f\u2026"
)
_SPACE_AROUND_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\n]+|[ \t\n]+(?=[{_CJK}])")
_WHITESPACE = re.compile(r"[ \t\r\n\f\v\u00a0\u2002-\u200b\u202f\u205f]+")
# The first cell of a table that is a 专栏 box: “专栏 1 …”, “专栏1：…”, “专栏一 …”.
BOX_TITLE = re.compile(r"^\s*专栏\s*[0-9０-９一二三四五六七八九十]+")
_LATIN_END = re.compile(r"[A-Za-z0-9]$")
_LATIN_START = re.compile(r"^[A-Za-z0-9]")


def read(content: str | bytes, name: str) -> ReaderOutput:
    """One block per non-blank line; the text is the line without surrounding white space
    (leading ideographic-space indents included)."""
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    blocks: list[Block] = []
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = strip_line(line)
        if stripped:
            blocks.append(
                Block(text=stripped, line=number, end_line=number, spans=[(0, number, None)])
            )
    return ReaderOutput(blocks=blocks)


def strip_line(line: str) -> str:
    """A line without its indent and trailing white space (ASCII, ideographic U+3000, NBSP)."""
    return line.strip(" \t\r\f\v\u3000\u00a0\ufeff")


def collapse_space(text: str) -> str:
    """Markup white space as a reader shows it: runs collapsed to one space, no space kept
    next to a Chinese character (source line breaks inside CJK text are not word breaks)."""
    text = _WHITESPACE.sub(" ", text)
    return strip_line(_SPACE_AROUND_CJK.sub("", text))


def join_wrapped(previous: str, following: str) -> str:
    """Join two visual lines of one paragraph: no space, except between Latin words/digits."""
    if _LATIN_END.search(previous) and _LATIN_START.search(following):
        return previous + " " + following
    return previous + following


def join_lines(
    lines: list[tuple[str, int, int | None]],
) -> tuple[str, list[tuple[int, int, int | None]]]:
    """Join the visual lines (text, input line, page) of one paragraph into its text and the
    `Block.spans` that ground each stretch of it; blank pieces are skipped."""
    text = ""
    spans: list[tuple[int, int, int | None]] = []
    for piece, line, page in lines:
        piece = strip_line(piece)
        if not piece:
            continue
        joined = join_wrapped(text, piece) if text else piece
        spans.append((len(joined) - len(piece), line, page))
        text = joined
    return text, spans


def table_text(grid: list[list[str]]) -> str:
    """The text of a table block: one row a line, cells separated by tabs."""
    return "\n".join("\t".join(cell.replace("\n", " ") for cell in row) for row in grid)
