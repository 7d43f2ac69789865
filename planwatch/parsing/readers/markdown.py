"""Reader for Markdown (CommonMark + tables, parsed by markdown-it-py).

ATX/setext headings become blocks with `markup_level`; paragraphs, list items (an ordered
item keeps its printed number, e.g. "1."), block quotes and code lines become text blocks;
pipe tables become table blocks; raw HTML (a converter's tables with merged cells) goes
through the HTML reader. Lines come from each token's source map."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from planwatch.parsing.errors import ParseError
from planwatch.parsing.model import Block
from planwatch.parsing.readers import ReaderOutput, html
from planwatch.parsing.readers.text import join_lines, strip_line, table_text

# CommonMark does not close “**粗体。**正文”: a delimiter between CJK punctuation and a letter
# is not right-flanking. Such pairs are left as literal text; they are markup all the same.
_UNPARSED_STRONG = re.compile(r"(?:\*\*|__)(.+?)(?:\*\*|__)")


@dataclass
class _State:
    """Where the token walk is: the open heading level, the marker of a list item whose first
    paragraph is still to come, and the table being collected."""

    heading: int | None = None
    item_marker: str | None = None
    table: list[list[str]] | None = None
    table_map: tuple[int, int] = (0, 0)
    blocks: list[Block] = field(default_factory=list)


def read(content: str | bytes, name: str) -> ReaderOutput:
    """Blocks of a Markdown document, in order."""
    text = _blank_front_matter(content.decode("utf-8") if isinstance(content, bytes) else content)
    parser = MarkdownIt("commonmark").enable("table")
    state = _State()
    for token in parser.parse(text):
        _visit(token, state)
    return ReaderOutput(blocks=state.blocks)


def _blank_front_matter(text: str) -> str:
    """The text with a leading YAML front-matter block (---/--- or ---/...) blanked out, line
    for line so that line numbers hold: CommonMark would read its last line as a heading."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return text
    end = next((i for i, line in enumerate(lines[1:40], 1) if line.strip() in ("---", "...")), 0)
    if not end:
        return text
    return "\n" * end + "\n" + "\n".join(lines[end + 1 :])


def _visit(token: Token, state: _State) -> None:
    """Update the walk state for one block-level token, emitting blocks as they complete."""
    kind = token.type
    if kind == "heading_open":
        state.heading = int(token.tag[1:])
    elif kind == "heading_close":
        state.heading = None
    elif kind == "list_item_open":
        state.item_marker = f"{token.info}{token.markup}" if token.info else ""
    elif kind == "table_open":
        state.table, state.table_map = [], _lines(token)
    elif kind == "tr_open" and state.table is not None:
        state.table.append([])
    elif kind == "table_close" and state.table is not None:
        _emit_table(state)
    elif kind == "inline":
        _inline(token, state)
    elif kind == "html_block":
        _html_block(token, state)
    elif kind in ("fence", "code_block"):
        _literal(token, state)


def _lines(token: Token) -> tuple[int, int]:
    """1-based first and last source line of a block token."""
    start, end = token.map or (0, 1)
    return start + 1, max(start + 1, end)


def _inline(token: Token, state: _State) -> None:
    """Text of a heading, paragraph or table cell."""
    text, spans = inline_text(token)
    if state.table is not None:
        if state.table:
            state.table[-1].append(text)
        return
    marker, state.item_marker = state.item_marker, None
    if not text:
        return
    if marker:
        text = f"{marker} {text}"
        spans = [(0, spans[0][1], None)] + [(o + len(marker) + 1, ln, p) for o, ln, p in spans[1:]]
    line, end_line = _lines(token)
    state.blocks.append(
        Block(text=text, line=line, end_line=end_line, markup_level=state.heading, spans=spans)
    )


def inline_text(token: Token) -> tuple[str, list[tuple[int, int, int | None]]]:
    """Plain text of an inline token and its spans: emphasis and link markup dropped, images
    by their alt text, soft line breaks joined the way wrapped Chinese lines are joined."""
    first, _ = _lines(token)
    segments = [""]
    for child in token.children or []:
        if child.type in ("text", "code_inline", "image"):
            segments[-1] += child.content
        elif child.type in ("softbreak", "hardbreak"):
            segments.append("")
    segments = [_UNPARSED_STRONG.sub(r"\1", segment) for segment in segments]
    return join_lines([(segment, first + i, None) for i, segment in enumerate(segments)])


def _html_block(token: Token, state: _State) -> None:
    """Raw HTML inside Markdown — converters write tables with merged cells this way — read
    by the HTML reader, its lines shifted to the Markdown file's."""
    first, _ = _lines(token)
    try:
        blocks = html.read(token.content, "fragment.html").blocks
    except ParseError:  # a comment or an empty element: nothing to read
        return
    for block in blocks:
        block.line += first - 1
        block.end_line += first - 1
        block.spans = [(offset, line + first - 1, page) for offset, line, page in block.spans]
    state.blocks.extend(blocks)


def _literal(token: Token, state: _State) -> None:
    """Code blocks (often text indented by four spaces): one block per line."""
    first, _ = _lines(token)
    offset = 1 if token.type == "fence" else 0
    for index, raw in enumerate(token.content.split("\n")):
        line_text = strip_line(raw)
        if line_text:
            number = first + offset + index
            state.blocks.append(
                Block(text=line_text, line=number, end_line=number, spans=[(0, number, None)])
            )


def _emit_table(state: _State) -> None:
    """The collected pipe table as one table block, rows padded to equal width."""
    rows = [row for row in state.table or [] if any(cell for cell in row)]
    state.table = None
    if not rows:
        return
    line, end_line = state.table_map
    width = max(len(row) for row in rows)
    grid = [row + [""] * (width - len(row)) for row in rows]
    state.blocks.append(
        Block(
            text=table_text(grid), line=line, end_line=end_line, table=grid, spans=[(0, line, None)]
        )
    )
