"""Reader for HTML pages (plans published on government web sites), parsed with lxml.

Web clutter is dropped first (scripts, styles, navigation, page header/footer, share/print
widgets, “【字体：大 中 小】 打印本页 关闭窗口” lines). The body is then read in document order:
<h1>–<h6> become heading blocks with `markup_level`; paragraphs, list items, divisions and
<br>-separated lines become text blocks; data tables become table blocks with rowspan/colspan
expanded into a full grid, and a table whose first cell says “专栏 N …” gets hint "box".
Tables used for page layout (holding headings, nested tables or the whole article) are read
as ordinary flow. `line` is the source line of the element (lxml's sourceline).

lxml is used directly rather than through BeautifulSoup because BeautifulSoup's lxml tree
builder does not keep source lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree, html  # type: ignore[import-untyped]  # no stubs installed

from planwatch.parsing.cleaning import is_clutter
from planwatch.parsing.errors import ParseError
from planwatch.parsing.model import Block
from planwatch.parsing.readers import ReaderOutput
from planwatch.parsing.readers.text import BOX_TITLE, box_blocks, collapse_space, table_text

_DROP_TAGS = frozenset((
    "script", "style", "nav", "header", "footer", "noscript", "iframe", "form", "select",
    "button", "template", "svg", "object", "embed", "canvas", "audio", "video", "map", "head",
    "title", "meta", "link",
))  # fmt: skip
_DROP_CLASS_OR_ID = frozenset((
    "share", "bdsharebuttonbox", "bdshare", "print", "breadcrumb", "crumb", "crumbs",
    "position", "location", "footer", "header", "nav", "navbar", "menu", "sidebar", "toolbar",
    "fontsize", "font-size", "pagefoot", "pagehead",
))  # fmt: skip
_BLOCK_TAGS = frozenset((
    "p", "div", "section", "article", "main", "aside", "blockquote", "pre", "center", "li",
    "ul", "ol", "dl", "dt", "dd", "tr", "td", "th", "tbody", "thead", "tfoot", "caption",
    "figure", "figcaption", "address", "hr", "body", "html", "fieldset", "legend",
))  # fmt: skip
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
# Page widgets inside a line: bracketed links (【打印本页】【关闭窗口】【大】…) and the font-size
# switch. Bare words such as 关闭 or 打印 are removed only when they make up the whole line,
# since they also occur in plan text (“依法关闭落后产能”).
_CLUTTER = re.compile(
    r"【\s*(?:字体|字号)[^】]{0,16}】|"
    r"【\s*(?:打印本页|打印|关闭窗口|关闭|收藏|返回顶部|我要纠错|纠错|大|中|小)\s*】|"
    r"(?:字体|字号)\s*[:：]\s*(?:[大中小]\s*){2,3}"
)
_CLUTTER_LINE = re.compile(
    r"^(?:分享到|上一篇\s*[:：]|下一篇\s*[:：]|扫一扫在手机)|"
    r"^(?:打印本页|打印|关闭窗口|关闭|收藏|返回顶部|我要纠错|\s)+$"
)
_METADATA = re.compile(
    r"^\s*(?:\d{4}[-年/.]\d{1,2}[-月/.]\d{1,2}日?\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*)?"
    r"(?:当前位置|您当前的位置|您现在的位置|您的位置|发布时间|发布日期|信息来源|来源|"
    r"浏览次数|访问量|作者|责任编辑|编辑)\s*[:：]"
)
_FOOTER_TEXT = re.compile(r"版权所有|ICP\s*备|网站标识码|公网安备|主办单位\s*[:：]|网站地图")
# Item text that carries its own number: “1.”, “（一）”, “一、”, “第一章”, “①”.
_NUMBERED = re.compile(r"^\s*(?:\d|[（(]|[一二三四五六七八九十]+、|第|[①-⑳])")
# The 政府信息公开 metadata table above a published document: 索引号 plus a date or number.
_INFO_TABLE = re.compile(r"索引号[\s\S]*(?:发布日期|成文日期|发文日期|发文字号|文号)")
_MAX_SPAN = 1000


@dataclass
class _Walker:
    """Collects blocks while walking the element tree; `buffer` holds the inline text of the
    paragraph being read as (text, source line) pieces."""

    blocks: list[Block] = field(default_factory=list)
    buffer: list[tuple[str, int]] = field(default_factory=list)
    # Table cells keep every line: a label such as “发布日期：” is data there, not clutter.
    in_cell: bool = False

    def add(self, text: str | None, line: int) -> None:
        if text:
            self.buffer.append((text, line))

    def flush(self) -> None:
        """End the current paragraph: emit it unless it is empty or web clutter."""
        pieces, self.buffer = self.buffer, []
        joined = "".join(piece for piece, _ in pieces)
        text = collapse_space(joined) if self.in_cell else web_text(joined)
        if text:
            lines = [line for _, line in pieces]
            self.blocks.append(
                Block(text=text, line=lines[0], end_line=max(lines), spans=[(0, lines[0], None)])
            )


def read(content: str | bytes, name: str) -> ReaderOutput:
    """Blocks of an HTML page, in document order."""
    root = _parse(content, name)
    _drop_clutter(root)
    body = root.find("body")
    walker = _Walker()
    _walk(body if body is not None else root, walker)
    walker.flush()
    return ReaderOutput(blocks=walker.blocks)


def _parse(content: str | bytes, name: str) -> html.HtmlElement:
    """The document tree; the text was decoded already, so lxml is told it is UTF-8."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    parser = html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        root = html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ParseError(name, f"HTML cannot be read ({exc})") from None
    if root is None:
        raise ParseError(name, "HTML document has no content")
    return root


def _drop_clutter(root: html.HtmlElement) -> None:
    """Remove page furniture, keeping the text that follows each removed element."""
    doomed = [el for el in root.iter() if isinstance(el.tag, str) and _is_clutter(el)]
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


def _is_clutter(el: html.HtmlElement) -> bool:
    """Page furniture: a dropped tag, a hidden element, or a share/print/nav widget."""
    if el.tag in _DROP_TAGS:
        return True
    style = (el.get("style") or "").replace(" ", "").lower()
    if "display:none" in style:
        return True
    marks = set((el.get("class") or "").lower().split()) | {(el.get("id") or "").lower()}
    return bool(marks & _DROP_CLASS_OR_ID)


def web_text(text: str) -> str:
    """A paragraph's text without web clutter; "" when nothing but clutter was there."""
    text = collapse_space(_CLUTTER.sub(" ", collapse_space(text)))
    if (
        _CLUTTER_LINE.match(text)
        or is_clutter(text)
        or _METADATA.match(text)
        or (_FOOTER_TEXT.search(text) and len(text) < 200)
    ):
        return ""
    return "" if not re.search(r"\w", text) else text


def _walk(el: html.HtmlElement, walker: _Walker) -> None:
    """Visit `el` and its children in document order (the tail text is the caller's)."""
    tag = el.tag if isinstance(el.tag, str) else ""
    line = el.sourceline or 1
    if tag in _HEADINGS:
        walker.flush()
        _emit_heading(el, _HEADINGS[tag], walker)
        return
    if tag == "table" and not _is_layout_table(el):
        walker.flush()
        _emit_table(el, walker)
        return
    if tag == "br" or tag in _BLOCK_TAGS:
        walker.flush()
    if tag == "li":
        walker.add(_list_number(el), line)
    walker.add(el.text, line)
    for child in el:
        _walk(child, walker)
        walker.add(child.tail, child.sourceline or line)
    if tag in _BLOCK_TAGS:
        walker.flush()


def _list_number(item: html.HtmlElement) -> str | None:
    """“3. ” for the third item of an <ol> (from its start attribute), as a browser shows it,
    unless the item's text is numbered already; None for other list items."""
    parent = item.getparent()
    if parent is None or parent.tag != "ol" or _NUMBERED.match(item.text_content()):
        return None
    start = (parent.get("start") or "1").strip()
    siblings = [child for child in parent if child.tag == "li"]
    return f"{(int(start) if start.isdigit() else 1) + siblings.index(item)}. "


def _emit_heading(el: html.HtmlElement, level: int, walker: _Walker) -> None:
    """An <hN> element as a heading block with markup level N."""
    text = web_text(el.text_content())
    if text:
        line = el.sourceline or 1
        walker.blocks.append(
            Block(text=text, line=line, end_line=line, markup_level=level, spans=[(0, line, None)])
        )


def _own_rows(table: html.HtmlElement) -> list[html.HtmlElement]:
    """The <tr>s of this table, not of tables nested in its cells."""
    return [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]


def _is_layout_table(table: html.HtmlElement) -> bool:
    """A table used to lay out the page rather than to hold data: it nests tables or holds
    headings, or — unless it is a 专栏 box — it has a single column or the whole article."""
    nested = len(list(table.iter("table"))) > 1
    if nested or next(table.iter(*_HEADINGS), None) is not None:
        return True
    text = collapse_space(table.text_content())
    if BOX_TITLE.match(text):
        return False
    rows = _own_rows(table)
    widths = [sum(1 for cell in tr if cell.tag in ("td", "th")) for tr in rows]
    return len(text) > 3000 or max(widths, default=0) <= 1


def _cell_paragraphs(cell: html.HtmlElement) -> list[tuple[str, int]]:
    """A cell's paragraphs and <br> lines as (text, source line)."""
    walker = _Walker(in_cell=True)
    walker.add(cell.text, cell.sourceline or 1)
    for child in cell:
        _walk(child, walker)
        walker.add(child.tail, child.sourceline or cell.sourceline or 1)
    walker.flush()
    return [(block.text, block.line) for block in walker.blocks]


def _span(cell: html.HtmlElement, attribute: str, limit: int) -> int:
    """rowspan/colspan as a count between 1 and `limit` (0 means "to the end")."""
    raw = re.sub(r"\D", "", cell.get(attribute) or "1")
    value = int(raw[:6]) if raw else 1
    return limit if value == 0 else max(1, min(value, limit))


def table_grid(table: html.HtmlElement) -> tuple[list[list[str]], list[tuple[str, int]]]:
    """The table as a full grid (a spanned cell repeated in every slot it covers, its
    paragraphs one a line) and the paragraphs of its distinct cells in document order as
    (text, source line)."""
    rows = _own_rows(table)
    slots: dict[tuple[int, int], str] = {}
    cells: list[tuple[str, int]] = []
    for r, tr in enumerate(rows):
        col = 0
        for cell in (c for c in tr if c.tag in ("td", "th")):
            while (r, col) in slots:
                col += 1
            paragraphs = _cell_paragraphs(cell)
            text = "\n".join(paragraph for paragraph, _ in paragraphs)
            cells.extend(paragraphs)
            rowspan = _span(cell, "rowspan", len(rows) - r)
            colspan = _span(cell, "colspan", _MAX_SPAN)
            for dr in range(rowspan):
                for dc in range(colspan):
                    slots[(r + dr, col + dc)] = text
            col += colspan
    width = max((c for _, c in slots), default=-1) + 1
    grid = [[slots.get((r, c), "") for c in range(width)] for r in range(len(rows))]
    return [row for row in grid if any(row)], cells


def _emit_table(table: html.HtmlElement, walker: _Walker) -> None:
    """A data table as one block; its caption, if any, as a paragraph before it."""
    line = table.sourceline or 1
    caption = table.find("caption")
    if caption is not None:
        walker.add(caption.text_content(), caption.sourceline or line)
        walker.flush()
    grid, cells = table_grid(table)
    if not grid:
        return
    texts = [text for text, _ in cells]
    if _INFO_TABLE.search("".join(texts)):
        return  # the government "信息公开" metadata table (索引号, 发布日期 …), not the plan
    end = max((tr.sourceline or line for tr in _own_rows(table)), default=line)
    first = next((text for text in texts if text.strip()), "")
    if BOX_TITLE.match(first):
        walker.blocks.extend(box_blocks(cells, grid, end))
        return
    walker.blocks.append(
        Block(text=table_text(grid), line=line, end_line=end, table=grid, spans=[(0, line, None)])
    )
