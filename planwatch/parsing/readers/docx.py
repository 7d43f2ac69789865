"""Reader for Word documents (.docx, read with python-docx).

The body is walked in XML order so that paragraphs and tables keep their document order
(content controls such as a generated table of contents are entered). A paragraph styled
"Heading N"/"标题 N" — or carrying an outline level — becomes a heading block with
`markup_level` N; "TOC N"/"目录 N" paragraphs get hint "toc". Tables become table blocks with
merged cells (gridSpan, vMerge) expanded into a full grid; a table whose first cell says
“专栏 N …” gets hint "box". Text boxes (a 专栏 drawn as a box) are read after their
anchoring paragraph. Automatic list numbers (a heading style numbered “第%1章”) are
rendered in front of the text, since the structure builder recognises headings by them.
`line` is the 1-based ordinal of the body paragraph or table."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from planwatch.parsing.errors import ParseError
from planwatch.parsing.model import Block
from planwatch.parsing.readers import ReaderOutput
from planwatch.parsing.readers.text import BOX_TITLE, box_blocks, join_lines, table_text

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
_TOC_STYLE = re.compile(r"^(?:toc|目录)\s*[1-9]$", re.IGNORECASE)
_MAX_SPAN = 1000
_T = qn("w:t")
_BREAK = qn("w:br")
# Run content that shows as text (w:t keeps its own text), in document order.
_TEXT_PARTS = {_T: "", qn("w:tab"): " ", _BREAK: "", qn("w:cr"): "", qn("w:noBreakHyphen"): "-"}

_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Text a reader must not see inline: text boxes (read separately), deleted or moved-away
# text of tracked changes, and the fallback copy of a drawing.
_HIDDEN = frozenset([qn("w:txbxContent"), qn("w:del"), qn("w:moveFrom"), _MC_FALLBACK])


def read(content: str | bytes, name: str) -> ReaderOutput:
    """Blocks of a DOCX body, in document order."""
    document = _open(content, name)
    numbering = ListNumbering.load(document)
    blocks: list[Block] = []
    for ordinal, element in enumerate(_body_elements(document.element.body), start=1):
        if element.tag == qn("w:tbl"):
            blocks.extend(_table_blocks(element, document, ordinal))
            continue
        block = _paragraph_block(Paragraph(element, document), ordinal, numbering)
        if block is not None:
            blocks.append(block)
        for textbox in _textboxes(element):
            blocks.extend(_textbox_blocks(textbox, document, ordinal))
    return ReaderOutput(blocks=blocks)


def _textboxes(paragraph: Any) -> list[Any]:
    """The text boxes anchored in a paragraph (a 专栏 is often drawn as one). Word stores each
    twice, as DrawingML and as a VML fallback: the fallback copy is skipped."""
    return [
        content
        for content in paragraph.iter(qn("w:txbxContent"))
        if not any(ancestor.tag == _MC_FALLBACK for ancestor in content.iterancestors())
    ]


def _textbox_blocks(content: Any, document: Any, ordinal: int) -> list[Block]:
    """A text box's paragraphs: box blocks when it opens with “专栏 N”, else text blocks.
    They are grounded on the anchoring paragraph's ordinal."""
    texts = [paragraph_text(p) for p in content.iter(qn("w:p"))]
    texts = [text for text in texts if text]
    if not texts:
        return []
    if BOX_TITLE.match(texts[0]):
        return box_blocks([("\n".join(texts), ordinal)], [[text] for text in texts], ordinal)
    return [
        Block(text=text, line=ordinal, end_line=ordinal, spans=[(0, ordinal, None)])
        for text in texts
    ]


def _open(content: str | bytes, name: str) -> Any:
    """The python-docx Document; any failure to open it is a corrupt-DOCX error."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
        raise ParseError(name, f"corrupt DOCX ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # python-docx and lxml raise assorted errors on damaged parts
        raise ParseError(name, f"corrupt DOCX ({type(exc).__name__})") from None


def _body_elements(body: Any) -> Iterator[Any]:
    """w:p and w:tbl children of the body in order, entering content controls (w:sdt)."""
    for child in body.iterchildren():
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _body_elements(content)


def _paragraph_block(paragraph: Paragraph, ordinal: int, numbering: ListNumbering) -> Block | None:
    """A text block, its automatic list number (“第一章”, “（一）”) written in front."""
    text = paragraph_text(paragraph._p)
    if not text:
        return None
    label = numbering.label(paragraph)
    if label and not text.startswith(label):
        text = f"{label}{text}"
    style = _style_name(paragraph)
    level = heading_level(paragraph, style)
    hint = "toc" if _TOC_STYLE.match(style) else None
    return Block(
        text=text,
        line=ordinal,
        end_line=ordinal,
        markup_level=level,
        hint=hint,
        spans=[(0, ordinal, None)],
    )


def paragraph_text(p: Any) -> str:
    """The visible text of a w:p, stripped. Unlike python-docx's Paragraph.text it keeps runs
    inside tracked insertions (w:ins), smart tags, simple fields and inline content controls,
    and leaves out text boxes (read on their own), Word's fallback copies and deleted text.
    A tab reads as a space; line breaks join like wrapped lines."""
    pieces: list[str] = [""]
    for element in p.iter(*_TEXT_PARTS):
        if any(ancestor.tag in _HIDDEN for ancestor in _ancestors_within(element, p)):
            continue
        if element.tag == _BREAK:
            pieces.append("")
        else:
            pieces[-1] += _TEXT_PARTS[element.tag] if element.tag != _T else element.text or ""
    return join_lines([(piece, 0, None) for piece in pieces])[0]


def _ancestors_within(element: Any, stop: Any) -> Iterator[Any]:
    """Ancestors of `element` below `stop`."""
    for ancestor in element.iterancestors():
        if ancestor is stop:
            return
        yield ancestor


def _style_name(paragraph: Paragraph) -> str:
    """The paragraph style name, "" when the style cannot be resolved."""
    style = _safe_style(paragraph)
    return str(style.name or "") if style is not None else ""


def heading_level(paragraph: Paragraph, style: str) -> int | None:
    """1–9 for a heading paragraph: from its style name, else from an outline level set on
    the paragraph or its style (Word's 大纲级别); None for body text."""
    match = _HEADING_STYLE.match(style.strip())
    if match:
        return int(match.group(1))
    level = _outline_level(paragraph._p)
    if level is None:
        try:
            style_element = paragraph.style.element if paragraph.style is not None else None
        except (KeyError, ValueError, AttributeError):
            style_element = None
        level = _outline_level(style_element) if style_element is not None else None
    return level


def _outline_level(element: Any) -> int | None:
    """w:pPr/w:outlineLvl as a 1-based level (Word stores 0–8; 9 means body text)."""
    p_pr = element.find(qn("w:pPr"))
    outline = p_pr.find(qn("w:outlineLvl")) if p_pr is not None else None
    raw = outline.get(qn("w:val")) if outline is not None else None
    if raw is None or not raw.isdigit() or int(raw) > 8:
        return None
    return int(raw) + 1


def _table_blocks(tbl: Any, document: Any, ordinal: int) -> list[Block]:
    """A table block, or the box blocks of a table that is a 专栏."""
    grid, cells = table_grid(tbl, document)
    if not grid:
        return []
    first = next((cell for cell in cells if cell), "")
    if BOX_TITLE.match(first):
        return box_blocks([(cell, ordinal) for cell in cells], grid, ordinal)
    return [
        Block(
            text=table_text(grid),
            line=ordinal,
            end_line=ordinal,
            table=grid,
            spans=[(0, ordinal, None)],
        )
    ]


def _int_attribute(parent: Any, path: str, default: int) -> int:
    """Integer w:val of the first `path` element under `parent`, or `default`."""
    element = parent.find(path) if parent is not None else None
    raw = element.get(qn("w:val")) if element is not None else None
    return int(raw) if raw is not None and raw.isdigit() else default


def _cell_text(tc: Any, document: Any) -> str:
    """A cell's paragraphs (nested tables included), one a line."""
    lines = (paragraph_text(p) for p in tc.iter(qn("w:p")))
    return "\n".join(line for line in lines if line)


def table_grid(tbl: Any, document: Any) -> tuple[list[list[str]], list[str]]:
    """The table as a full grid — a horizontally merged cell (gridSpan) repeated across its
    columns, a vertically merged one (vMerge) down its rows — and its distinct cell texts."""
    rows: list[list[str]] = []
    cells: list[str] = []
    for tr in tbl.iterchildren(qn("w:tr")):
        row = [""] * _int_attribute(tr.find(qn("w:trPr")), qn("w:gridBefore"), 0)
        for tc in tr.iterchildren(qn("w:tc")):
            tc_pr = tc.find(qn("w:tcPr"))
            span = max(1, min(_int_attribute(tc_pr, qn("w:gridSpan"), 1), _MAX_SPAN))
            text = _merged_text(tc_pr, rows, len(row))
            if text is None:
                text = _cell_text(tc, document)
                cells.append(text)
            row.extend([text] * span)
        rows.append(row)
    width = max((len(row) for row in rows), default=0)
    grid = [row + [""] * (width - len(row)) for row in rows]
    return [row for row in grid if any(row)], cells


def _merged_text(tc_pr: Any, rows: list[list[str]], column: int) -> str | None:
    """For a cell continuing a vertical merge, the text of the cell above; else None."""
    merge = tc_pr.find(qn("w:vMerge")) if tc_pr is not None else None
    if merge is None or merge.get(qn("w:val")) == "restart":
        return None
    above = rows[-1] if rows else []
    return above[column] if column < len(above) else ""


@dataclass
class ListNumbering:
    """Word's automatic list numbering (numbering.xml). A heading numbered by a list shows
    “第一章” or “（一）” on the page but not in its text, and the structure builder needs the
    label, so the label is rendered here: per list, a counter per level, deeper levels reset
    when a shallower one advances."""

    # numId → level → (start, numFmt, lvlText, suffix)
    levels: dict[str, dict[int, tuple[int, str, str, str]]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def load(cls, document: Any) -> ListNumbering:
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError, ValueError):
            return cls()
        abstract = {
            node.get(qn("w:abstractNumId")): _levels(node)
            for node in root.iterchildren(qn("w:abstractNum"))
        }
        levels: dict[str, dict[int, tuple[int, str, str, str]]] = {}
        for num in root.iterchildren(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None and ref.get(qn("w:val")) in abstract:
                levels[num.get(qn("w:numId"))] = abstract[ref.get(qn("w:val"))]
        return cls(levels)

    def label(self, paragraph: Paragraph) -> str | None:
        """The rendered list label of `paragraph`, advancing its list's counters."""
        found = _num_pr(paragraph)
        if found is None or found[0] not in self.levels:
            return None
        num_id, level = found
        spec = self.levels[num_id].get(level)
        if spec is None or spec[1] in ("bullet", "none"):
            return None
        counters = self.counters.setdefault(num_id, {})
        counters[level] = counters.get(level, spec[0] - 1) + 1
        for deeper in [key for key in counters if key > level]:
            del counters[deeper]
        return self._render(num_id, spec[2], counters) + spec[3]

    def _render(self, num_id: str, text: str, counters: dict[int, int]) -> str:
        def value(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            spec = self.levels[num_id].get(level)
            start = spec[0] if spec is not None else 1
            return format_number(counters.get(level, start), spec[1] if spec else "decimal")

        return re.sub(r"%([1-9])", value, text)


def _levels(abstract: Any) -> dict[int, tuple[int, str, str, str]]:
    """(start, numFmt, lvlText, suffix) of each level of a w:abstractNum."""
    out: dict[int, tuple[int, str, str, str]] = {}
    for lvl in abstract.iterchildren(qn("w:lvl")):
        raw = lvl.get(qn("w:ilvl"))
        if raw is None or not raw.isdigit():
            continue
        start = _int_attribute(lvl, qn("w:start"), 1)
        fmt = _str_attribute(lvl, qn("w:numFmt"), "decimal")
        text = _str_attribute(lvl, qn("w:lvlText"), "")
        suffix = _SUFFIXES.get(_str_attribute(lvl, qn("w:suff"), "tab"), "\u3000")
        out[int(raw)] = (start, fmt, text, suffix)
    return out


def _str_attribute(parent: Any, path: str, default: str) -> str:
    """String w:val of the first `path` element under `parent`, or `default`."""
    element = parent.find(path) if parent is not None else None
    raw = element.get(qn("w:val")) if element is not None else None
    return str(raw) if raw is not None else default


def _num_pr(paragraph: Paragraph) -> tuple[str, int] | None:
    """(numId, level) from the paragraph's numPr, else from its style chain's."""
    element = paragraph._p
    p_pr = element.find(qn("w:pPr"))
    num_pr = p_pr.find(qn("w:numPr")) if p_pr is not None else None
    style = _safe_style(paragraph)
    while num_pr is None and style is not None:
        style_pr = style.element.find(qn("w:pPr"))
        num_pr = style_pr.find(qn("w:numPr")) if style_pr is not None else None
        style = style.base_style
    if num_pr is None:
        return None
    num_id = _str_attribute(num_pr, qn("w:numId"), "0")
    return (num_id, _int_attribute(num_pr, qn("w:ilvl"), 0)) if num_id != "0" else None


def _safe_style(paragraph: Paragraph) -> Any:
    """The paragraph style, or None for a dangling style reference in a damaged file."""
    try:
        return paragraph.style
    except (KeyError, ValueError, AttributeError):
        return None


# What Word puts between a list number and the text (w:suff): a tab shows as a wide gap.
_SUFFIXES = {"tab": "\u3000", "space": " ", "nothing": ""}
_CN_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"


def format_number(value: int, fmt: str) -> str:
    """A list counter in Word's number format (numFmt); decimal for formats not listed."""
    if fmt.startswith(("chineseCounting", "taiwaneseCounting", "japaneseCounting")):
        return _chinese(value)
    if fmt == "ideographTraditional" and 1 <= value <= 10:
        return _HEAVENLY_STEMS[value - 1]
    if fmt.startswith("decimalEnclosedCircle") and 1 <= value <= 20:
        return _CIRCLED[value - 1]
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(ch) + 0xFEE0) for ch in str(value))
    if fmt in ("upperLetter", "lowerLetter") and 1 <= value <= 26:
        letter = chr(ord("A") + value - 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and 1 <= value <= 39:
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(value)


def _chinese(value: int) -> str:
    """一 … 九十九 as Chinese numerals (十, 十一, 二十); larger numbers in digits."""
    if not 0 < value < 100:
        return str(value)
    tens, ones = divmod(value, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones else "")


def _roman(value: int) -> str:
    tens, ones = divmod(value, 10)
    units = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]
    return "X" * tens + units[ones]
