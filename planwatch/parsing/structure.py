"""The structure builder: reader blocks of one plan → the node tree, the same for every format.

Headings come from numbering (`numbering.match_numbering`: 篇 章 节, 一、 （一） 1． （1） ①) or
from markup (`Block.markup_level`); an unnumbered block without markup is never a heading, so
summaries, captions and web clutter stay paragraphs. Nesting: 篇 > 章 > 节 by fixed rank;
the list styles nest in the order they first appear (a style seen again closes back to its
level), which is how the numbering is used in practice. 专栏 boxes hang under the current
heading without taking part in the nesting; their items and text come from the reader's hints
(“box_item”, “box_text”) or, for readers without layout knowledge, from numbered blocks
following the box title up to the next heading.

Text before the first child of a heading is the heading's own `text` (a chapter's intro
paragraph); later paragraphs are `provision` (opening with a lead sentence) or `paragraph`
children."""

from __future__ import annotations

from dataclasses import dataclass, field

from planwatch.parsing.boxes import extract_projects
from planwatch.parsing.cleaning import clean_spanned, clean_text
from planwatch.parsing.model import Block, Node, NodeKind
from planwatch.parsing.numbering import Numbering, match_numbering
from planwatch.parsing.provisions import split_lead

Spans = list[tuple[int, int, int | None]]
HEADING_MAX = 50  # longer numbered blocks are paragraphs with a run-in number
FIXED_RANKS = {"part": 1, "chapter": 2, "section": 3}
BOX_HINTS = frozenset({"box_item", "box_text"})


@dataclass
class _Open:
    """An open heading on the nesting stack."""

    node: Node
    style: str
    rank: int | None
    markup: int | None


@dataclass
class _Box:
    """The 专栏 being filled: the box node, its current item, and whether only hinted blocks
    (from a layout-aware reader) may continue it."""

    node: Node
    item: Node | None
    strict: bool


@dataclass
class _TextBuffer:
    """Paragraphs appended to one node's own text, joined once when the tree is finished:
    appending to the string each time would make a long run of paragraphs quadratic."""

    node: Node
    pieces: list[str]
    length: int

    def add(self, text: str, spans: Spans) -> None:
        """Append a paragraph (separated by a newline) and its spans, shifted to its offset."""
        base = self.length + 1 if self.pieces else 0
        self.pieces.append(text)
        self.length = base + len(text)
        self.node.spans.extend((offset + base, line, page) for offset, line, page in spans)


@dataclass
class TreeBuilder:
    """Builds the body tree of one plan from its blocks (in document order)."""

    strict_boxes: bool = False
    root: Node = field(default_factory=lambda: Node("heading", None, None, "", "", 0, 0, 0, None))
    stack: list[_Open] = field(default_factory=list)
    box: _Box | None = None
    markup_ranks: dict[int, int] = field(default_factory=dict)
    texts: dict[int, _TextBuffer] = field(default_factory=dict)

    def build(self, blocks: list[Block]) -> list[Node]:
        """The top-level nodes of the plan body, levels and end lines filled."""
        for block in blocks:
            self.add(block)
        self._join_texts()
        finish_tree(self.root.children, 1)
        return self.root.children

    def _append_text(self, node: Node, text: str, spans: Spans) -> None:
        """Add a paragraph to `node`'s own text (joined in `_join_texts`)."""
        buffer = self.texts.get(id(node))
        if buffer is None:
            buffer = _TextBuffer(node, [node.text] if node.text else [], len(node.text))
            self.texts[id(node)] = buffer
        buffer.add(text, spans)

    def _join_texts(self) -> None:
        """Set the texts gathered in buffers; box items get their project lists from them."""
        for buffer in self.texts.values():
            buffer.node.text = "\n".join(buffer.pieces)
            if buffer.node.kind == "box_item":
                buffer.node.projects = extract_projects(buffer.node.text)
        self.texts.clear()

    def add(self, raw_block: Block) -> None:
        """Place one block in the tree."""
        numbering = _heading_numbering(raw_block)
        block = cleaned(raw_block)
        if block.hint in BOX_HINTS and self.box is not None:
            self._box_part(block)
            return
        if block.hint == "figure" or (numbering is not None and numbering.style == "figure"):
            self._leaf(_figure(block, numbering))
            return
        if block.hint == "box" or (numbering is not None and numbering.style == "box"):
            self._open_box(block, numbering)
            return
        if self._box_continues(block, numbering):
            self._box_part(block)
            return
        self.box = None
        if block.table is not None:
            self._leaf(_table(block))
        elif numbering is not None or block.markup_level is not None:
            self._heading(block, numbering)
        else:
            self._paragraph(block)

    def _top(self) -> Node:
        return self.stack[-1].node if self.stack else self.root

    def _leaf(self, node: Node) -> None:
        self._top().children.append(node)

    def _heading(self, block: Block, numbering: Numbering | None) -> None:
        style, rank = self._style_rank(block, numbering)
        self._pop_for(style, rank, block.markup_level)
        node = _heading_node(block, numbering)
        self._top().children.append(node)
        self.stack.append(_Open(node, style, rank, block.markup_level))

    def _style_rank(self, block: Block, numbering: Numbering | None) -> tuple[str, int | None]:
        """The nesting key of a heading: its numbering style (with its fixed rank, if any), or
        for an unnumbered markup heading the rank its markup level had on numbered headings."""
        level = block.markup_level
        if numbering is not None:
            rank = FIXED_RANKS.get(numbering.style)
            if rank is not None and level is not None:
                self.markup_ranks.setdefault(level, rank)
            return numbering.style, rank
        assert level is not None
        return f"markup{level}", self.markup_ranks.get(level, 10 + level)

    def _pop_for(self, style: str, rank: int | None, markup: int | None) -> None:
        """Close the open headings a new heading of `style` is not nested in. Markup levels
        decide between markup headings (a numbered paragraph inside them is always deeper);
        otherwise 篇 > 章 > 节 by rank, and a list style seen again closes back to its level."""
        if markup is not None:
            while self.stack and _outranked(self.stack[-1], markup):
                self.stack.pop()
            return
        if rank is not None:
            while self.stack and (self.stack[-1].rank is None or self.stack[-1].rank >= rank):
                self.stack.pop()
            return
        styles = [entry.style for entry in self.stack]
        if style in styles:
            del self.stack[styles.index(style) :]

    def _paragraph(self, block: Block) -> None:
        """An unnumbered block: the open heading's own text while it has no children yet (a
        chapter's intro), else a provision or paragraph child."""
        top = self._top()
        lead = split_lead(block.text)
        if lead is None and not top.children and top is not self.root:
            self._append_text(top, block.text, block.spans)
            top.end_line = max(top.end_line, block.end_line)
            return
        top.children.append(_paragraph_node(block, lead))

    def _open_box(self, block: Block, numbering: Numbering | None) -> None:
        """A 专栏 title: a box under the current heading; its items follow."""
        number = numbering.number if numbering is not None else None
        title = clean_text(numbering.title) if numbering is not None else block.text
        label = numbering.label if numbering is not None else None
        node = _node("box", block, number, label, title, "")
        if block.table is not None:
            node.rows = block.table
        self._leaf(node)
        self.box = _Box(node, None, self.strict_boxes and block.hint == "box")

    def _box_continues(self, block: Block, numbering: Numbering | None) -> bool:
        """Whether an unhinted block still belongs to the open box (lenient readers only)."""
        if self.box is None or self.box.strict or block.markup_level is not None:
            return False
        return numbering is None or numbering.kind == "item"

    def _box_part(self, block: _Cleaned) -> None:
        """A box item header, or text of the current item (or of the box before any item)."""
        box = self.box
        assert box is not None
        numbering = match_numbering(block.raw)
        item_number = _box_item_number(block, numbering)
        if item_number is not None:
            title, text = _split_item_title(_box_item_title(block.raw))
            box.item = _node("box_item", block, item_number, str(item_number), title, text)
            if text:
                box.item.spans = _shift(block.spans, len(block.text) - len(text))
                box.item.projects = extract_projects(text)
            box.node.children.append(box.item)
            return
        if block.table is not None:
            # A table inside a box (a Markdown 专栏 of indicators) stays a table node, so the
            # target extractor reads its rows like any other table.
            (box.item or box.node).children.append(_table(block))
            return
        target = box.item or box.node
        self._append_text(target, block.text, block.spans)
        target.end_line = max(target.end_line, block.end_line)


@dataclass
class _Cleaned(Block):
    """A block with cleaned text; `raw` keeps the reader's text (label separators intact)."""

    raw: str = ""


def cleaned(block: Block) -> _Cleaned:
    """The block with its text cleaned (`cleaning.clean_spanned`, unless its reader did that
    already: cleaning is idempotent), raw text kept alongside."""
    if block.clean:
        text, spans = block.text, block.spans
    else:
        text, spans = clean_spanned(block.text, block.spans)
    return _Cleaned(
        text,
        block.line,
        block.end_line,
        block.page,
        block.markup_level,
        block.table,
        block.hint,
        spans,
        raw=block.text,
    )


def _outranked(entry: _Open, markup: int) -> bool:
    """Whether an open heading closes before a markup heading of level `markup`: a markup
    heading of the same or a deeper level, or any heading recognised by numbering alone."""
    return entry.markup is None or entry.markup >= markup


def _heading_numbering(block: Block) -> Numbering | None:
    """Numbering of a block that may be a heading: short, or carrying markup."""
    if block.hint in ("toc", "toc_title"):
        return None
    numbering = match_numbering(block.text)
    if numbering is None:
        return None
    too_long = len(block.text) > HEADING_MAX and numbering.style in FIXED_RANKS
    return None if too_long and block.markup_level is None else numbering


def _box_item_number(block: Block, numbering: Numbering | None) -> int | None:
    """The item number of a box part, or None when the block is item text."""
    if block.hint == "box_item":
        digits = "".join(ch for ch in block.text[:3] if ch.isdigit())
        return int(digits) if digits else None
    if numbering is not None and numbering.kind == "item" and block.hint != "box_text":
        return numbering.number
    return None


def _box_item_title(text: str) -> str:
    """The item title: the whole line after its number (“1　 重大科技基础设施”)."""
    numbering = match_numbering(text)
    if numbering is not None and numbering.kind == "item":
        return clean_text(numbering.title)
    return clean_text(text.lstrip("0123456789").strip(" \u3000．.、"))


def _split_item_title(title: str) -> tuple[str, str]:
    """A box item that carries its text on the title line → (title, text): “1. 推进光纤网络扩容
    提速。加快…” (the lead is the title) or “国际性综合交通枢纽城市：建设北京…” (web tables)."""
    if len(title) <= HEADING_MAX and not title.endswith("。"):
        return title, ""
    lead = split_lead(title)
    if lead is not None:
        return lead
    for colon in "：:":
        head, found, rest = title.partition(colon)
        if found and rest and 2 <= len(head) <= 30:
            return head, rest
    return title, ""


def _node(
    kind: NodeKind, block: Block, number: int | None, label: str | None, title: str, text: str
) -> Node:
    node = Node(kind, number, label, title, text, 0, block.line, block.end_line, block.page)
    return node


def _heading_node(block: Block, numbering: Numbering | None) -> Node:
    """A heading; a long numbered block is a numbered paragraph (title = its lead, if any)."""
    if numbering is None:
        return _node("heading", block, None, None, block.text, "")
    body = clean_text(numbering.title)
    node = _node(numbering.kind, block, numbering.number, numbering.label, body, "")
    if len(body) > HEADING_MAX or body.endswith(("。", "；", ";")):
        node.title, node.text = _run_in(body)
        node.spans = _shift(block.spans, len(block.text) - len(node.text)) if node.text else []
    return node


def _run_in(body: str) -> tuple[str, str]:
    """(title, text) of a numbered block that carries more than a title: a lead sentence and
    the rest (“1．成自宜高铁。加快建设…”), one short sentence as the whole title (“（一）完善综合
    运输大通道。”), else no title and the body as text."""
    lead = split_lead(body)
    if lead is not None:
        return lead
    inner = body[:-1]
    if len(body) <= HEADING_MAX and not any(mark in inner for mark in "。；;！？"):
        return inner, ""
    return "", body


def _paragraph_node(block: Block, lead: tuple[str, str] | None) -> Node:
    """A paragraph block as a `provision` (when it opens with a lead) or a `paragraph`."""
    if lead is None:
        node = _node("paragraph", block, None, None, "", block.text)
        node.spans = list(block.spans)
        return node
    title, rest = lead
    node = _node("provision", block, None, None, title, rest)
    node.spans = _shift(block.spans, len(block.text) - len(rest))
    return node


def _figure(block: Block, numbering: Numbering | None) -> Node:
    if numbering is not None and numbering.style == "figure":
        title = clean_text(numbering.title)
        return _node("figure", block, numbering.number, numbering.label, title, "")
    return _node("figure", block, None, None, block.text, "")


def _table(block: Block) -> Node:
    node = _node("table", block, None, None, "", "")
    node.rows = block.table
    return node


def _shift(spans: Spans, cut: int) -> Spans:
    """Spans of the text that remains after cutting `cut` characters off its front."""
    out: Spans = []
    for offset, line, page in spans:
        if offset <= cut:
            out = [(0, line, page)]
        else:
            out.append((offset - cut, line, page))
    return out


def finish_tree(nodes: list[Node], level: int) -> int:
    """Fill `level` and `end_line` (the last input line under each node); returns the last
    line of `nodes`."""
    last = 0
    for node in nodes:
        node.level = level
        if node.children:
            node.end_line = max(node.end_line, finish_tree(node.children, level + 1))
        last = max(last, node.end_line)
    return last
