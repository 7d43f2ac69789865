"""Reader for plain text with one paragraph per line (text copied from a web page or saved
from a word processor as .txt): every non-blank line is a block that keeps its line number.

Also holds the small white-space helpers the other readers share: joining wrapped CJK lines
and collapsing markup white space without putting spaces between Chinese characters."""

from __future__ import annotations

import re

from planwatch.parsing.cleaning import is_clutter
from planwatch.parsing.model import Block
from planwatch.parsing.numbering import match_numbering
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
# Lines of a copied web page that are never plan text.
_FURNITURE = re.compile(
    r"本文内容采用\s*CC[\s-]*BY|知识共享.{0,10}协议|本页面最后(?:修订|编辑)于|"
    r"维基百科，自由的百科全书|^来自维基文库|^出自维基文库"
)
_TRAILER = re.compile(r"^(?:参见|参考文献|参考资料|外部链接|延伸阅读|相关条目|注释|脚注)$")
_BOX_LABEL_ONLY = re.compile(r"^专栏\s*[0-9０-９一二三四五六七八九十]+[：:]?$")
# A numbered item header inside a box: “1　 重大科技基础设施”, “01 铁路”, “2．数字经济…”.
BOX_ITEM = re.compile(r"^\d{1,2}(?:[\u3000 ．、]|\.(?!\d)|$)")
_WIDE_PUNCTUATION = frozenset("—‘’“”…")
_TABULAR = re.compile(r"\t|…{2}|·{3}|\.{4}")
_MIN_WRAP = 20.0  # em; narrower “wrapping” is a list of short lines, not a wrapped text
_PARAGRAPH_END = ("。", "！", "？", "；", "：", "!", "?", ";", ":", "”", "）")
_TIGHT_ITEM = re.compile(r"^(\d{1,2})(?=[\u4e00-\u9fff][^。；;，,]*$)")
_LATIN_END = re.compile(r"[A-Za-z]$")
_LATIN_START = re.compile(r"^[A-Za-z]")


def read(content: str | bytes, name: str) -> ReaderOutput:
    """One block per non-blank line; the text is the line without surrounding white space
    (leading ideographic-space indents included). Web-page furniture copied along with the
    text (licence and last-revised lines, an encyclopedia's “参见/参考文献” trailer) is left
    out, since it is never plan text. A hard-wrapped file (lines broken at a fixed width in
    mid-sentence) has its wrapped lines joined back into paragraphs."""
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    lines = text.split("\n")
    lines = lines[: _trailer_start(lines)]
    wrap = wrap_width(lines)
    blocks: list[Block] = []
    previous = ""
    for number, line in enumerate(lines, start=1):
        stripped = strip_line(line)
        if not stripped or is_clutter(stripped) or _FURNITURE.search(stripped):
            previous = ""
            continue
        if wrap is not None and blocks and _continues(previous, line, wrap):
            _extend(blocks[-1], stripped, number)
        else:
            blocks.append(
                Block(text=stripped, line=number, end_line=number, spans=[(0, number, None)])
            )
        previous = stripped
    return ReaderOutput(blocks=blocks)


def display_width(line: str) -> float:
    """Printed width in em: CJK, full-width characters and the dashes, quotes and ellipsis of
    Chinese typesetting 1, others (ASCII letters, digits) 0.5."""
    return sum(1.0 if ord(ch) >= 0x2E80 or ch in _WIDE_PUNCTUATION else 0.5 for ch in line)


def wrap_width(lines: list[str]) -> float | None:
    """The width a hard-wrapped file breaks its lines at, or None when its lines are whole
    paragraphs: hard-wrapped means at least 30 % of the lines are about full width (≥ 85 %
    of the 90th-percentile width, itself at least 20 em) and stop mid-sentence."""
    stripped = [strip_line(line) for line in lines]
    widths = sorted(display_width(line) for line in stripped if line)
    if len(widths) < 8:
        return None
    typical = widths[(len(widths) * 9) // 10]
    if typical < _MIN_WRAP:
        return None
    open_full = [
        line
        for line in stripped
        if line and display_width(line) >= 0.85 * typical and not line.endswith(_PARAGRAPH_END)
    ]
    return typical if len(open_full) >= max(5, 0.3 * len(widths)) else None


def _continues(previous: str, line: str, wrap: float) -> bool:
    """Whether `line` continues the paragraph whose last visual line is `previous` (""
    after a blank or dropped line): the previous line ran to the wrap width without ending a
    sentence, and this one is neither indented nor a numbered heading. Table rows (tabs) and
    table-of-contents entries (leader dots) are never joined."""
    if not previous or previous.endswith(_PARAGRAPH_END) or _TABULAR.search(previous + line):
        return False
    if display_width(previous) < 0.85 * wrap or line[:1] in ("\u3000", "\t", " "):
        return False
    stripped = strip_line(line)
    return match_numbering(stripped) is None and not BOX_TITLE.match(stripped)


def _extend(block: Block, piece: str, number: int) -> None:
    """Append a wrapped line to a paragraph block, grounding the new stretch."""
    joined = join_wrapped(block.text, piece)
    block.spans.append((len(joined) - len(piece), number, None))
    block.text, block.end_line = joined, number


def _trailer_start(lines: list[str]) -> int:
    """Index of an encyclopedia page's trailer heading (“参见”, “参考文献” …) standing alone
    in the last fifth of the file with no numbered heading after it, or len(lines)."""
    for index in range(len(lines) - 1, (len(lines) * 4) // 5 - 1, -1):
        if _TRAILER.match(strip_line(lines[index])):
            after = (match_numbering(strip_line(line)) for line in lines[index + 1 :])
            if all(found is None or found.kind == "item" for found in after):
                return index
    return len(lines)


def strip_line(line: str) -> str:
    """A line without its indent and trailing white space (ASCII, ideographic U+3000, NBSP,
    en/em/thin/zero-width spaces — web pages indent with &emsp;)."""
    return line.strip(" \t\r\f\v\u3000\u00a0\ufeff\u2002\u2003\u2009\u200b")


def collapse_space(text: str) -> str:
    """Markup white space as a reader shows it: runs collapsed to one space, no space kept
    next to a Chinese character (source line breaks inside CJK text are not word breaks)."""
    text = _WHITESPACE.sub(" ", text)
    return strip_line(_SPACE_AROUND_CJK.sub("", text))


def join_wrapped(previous: str, following: str) -> str:
    """Join two visual lines of one paragraph: no space, except between two Latin words (a
    number broken by a CJK line wrap, “1 | 0%”, is glued back together)."""
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


def box_blocks(
    cells: list[tuple[str, int]], grid: list[list[str]], end_line: int, page: int | None = None
) -> list[Block]:
    """A 专栏 box written as a table, as the structure builder's box hints: the title block
    (hint "box", carrying the grid), then one block per paragraph of the other cells —
    "box_item" for a numbered item header (“1　 …”, “01 …”, “2．…”), else "box_text".
    `cells` are the distinct cells in document order as (text, source line)."""
    paragraphs = [
        (strip_line(piece), line)
        for text, line in cells
        for piece in text.split("\n")
        if strip_line(piece)
    ]
    if not paragraphs:
        return []
    (title, line), rest = paragraphs[0], paragraphs[1:]
    if _BOX_LABEL_ONLY.match(title) and rest:
        title, rest = f"{title} {rest[0][0]}", rest[1:]
    head = Block(title, line, end_line, page, table=grid, hint="box", spans=[(0, line, page)])
    rest = [(_item_gap(text), number) for text, number in _attach_bare_numbers(rest)]
    return [head] + [
        Block(text, number, number, page, hint=_box_hint(text), spans=[(0, number, page)])
        for text, number in rest
    ]


def _box_hint(text: str) -> str:
    """The hint of a box paragraph: box_item for a numbered item header, else box_text."""
    return "box_item" if BOX_ITEM.match(text) else "box_text"


def _item_gap(text: str) -> str:
    """“1铁路” (markup white space collapsed away) written “1　铁路”, as box items print: a
    short line opening with a one- or two-digit number glued to a Chinese title."""
    return _TIGHT_ITEM.sub("\\1\u3000", text) if len(text) <= 26 else text


def _attach_bare_numbers(paragraphs: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """A cell holding only an item number (“01”, in a number | text table row) heads the
    paragraph that follows it."""
    out: list[tuple[str, int]] = []
    for text, line in paragraphs:
        if out and out[-1][0].isdigit() and len(out[-1][0]) <= 2:
            out[-1] = (f"{out[-1][0]}\u3000{text}", out[-1][1])
        else:
            out.append((text, line))
    return out
