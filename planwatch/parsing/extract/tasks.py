"""Task-division notices (重点工作任务分解 / 责任分工方案) → proposed tasks.

Entry point: `extract(path: Path) -> dict` — the items of the notice, each with its lead,
responsible and supporting units and its deadline, every field grounded to its line and page:

    {"kind": "tasks", "file": "notice.docx", "year": 2025,
     "items": [{"number": "1", "path": ["一", "1"], "section": "…", "title": "…", "text": "…",
                "lead_units": [...], "responsible_units": [...], "supporting_units": [...],
                "leaders": [...], "deadline": {"text", "period_end", "ongoing"} | null,
                "source": {"line", "page"}, "fields": {"lead_units": {"line", "page"}, …},
                "inherited": [...]}],
     "rules": [{"rule", "text", "line", "page"}], "warnings": [...]}

Items are numbered 一、（一）1.（1）①; their fields stand on lines 「牵头单位：…」 (full- or
half-width colon, on the item's line or the next), in an inline note 「（牵头单位：…；责任单位：
…）」 or 「（A牵头，B按职责分工负责）」, or in table columns (DOCX, HTML and PDF tables, and a
table flattened into one cell a line). A numbered item is a task when it states a unit or a
deadline; a heading's fields pass to its tasks that state none. Rules the notice states
about itself are honoured: 「逗号前为牵头单位」 makes the units before the first comma of a
unit list leads, 「排在第一位的为牵头单位」 the first unit."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planwatch.parsing.errors import ParseError
from planwatch.parsing.extract import Document, Line, read_document
from planwatch.parsing.extract.units import (
    clean_value,
    deadline,
    document_year,
    first_sentence,
    lead_marked,
    simplified,
    split_top,
    split_units,
)

KIND = "tasks"
LOOKED_FOR = (
    "numbered items (一、（一）1.) with 牵头单位 / 责任单位 / 配合单位 / 完成时限 lines, "
    "or a table with 牵头单位 / 责任单位 columns"
)

# The levels of numbering, outermost first.
_NUMBERS: list[tuple[str, re.Pattern[str]]] = [
    ("chinese", re.compile(r"^([一二三四五六七八九十百]+)\s*[、.．]\s*")),
    ("paren-chinese", re.compile(r"^[（(]\s*([一二三四五六七八九十百]+)\s*[）)]\s*")),
    ("arabic", re.compile(r"^(\d{1,3})\s*(?:[、．]|\.(?!\d))\s*")),
    ("paren-arabic", re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*")),
    ("circled", re.compile(r"^([①-⑳])\s*")),
]
_LEVEL = {name: index for index, (name, _) in enumerate(_NUMBERS)}

_LABEL = re.compile(
    r"(牵头(?:责任|负责)?单位|主办单位|责任单位|承办单位|责任部门|配合单位|协同(?:责任)?单位"
    r"|参与单位|协办单位|完成时限|完成时间|时间节点|时限要求|时限"
    r"|(?:牵头)?(?:责任|负责)?领导|责任人)\s*[:：]"
)
_FIELD_OF = {
    "牵头": "lead_units",
    "主办": "lead_units",
    "责任单": "responsible_units",
    "承办": "responsible_units",
    "责任部": "responsible_units",
    "配合": "supporting_units",
    "协同": "supporting_units",
    "参与": "supporting_units",
    "协办": "supporting_units",
    "完成": "deadline",
    "时间": "deadline",
    "时限": "deadline",
}
_UNIT_FIELDS = ("lead_units", "responsible_units", "supporting_units")
# 「（市发展改革委牵头，市财政局、各区县政府按职责分工负责）」
_LEAD_NOTE = re.compile(r"[（(]([^（()）]{2,}?)牵头(?:[，,；;、]([^（()）]*))?[）)]\s*[。.]?$")
_OPEN_NOTE = re.compile(r"[（(【\[]\s*$")

_RULE_COMMA = re.compile(r"[逗顿]号前[的为是]*(?:单位)?[为是]?牵头|前[为是]牵头单位.{0,4}下同")
_RULE_FIRST = re.compile(
    r"(?:排|列)(?:在)?(?:第一|首)位的?(?:责任)?(?:单位)?[为是]牵头|第一(?:个|家)?(?:单位)?为牵头"
)

_HEADER_KEYS: list[tuple[str, re.Pattern[str]]] = [
    ("number", re.compile(r"^序\s*号$|^编\s*号$")),
    ("lead_units", re.compile(r"牵头")),
    ("supporting_units", re.compile(r"配合|协同|参与|协办")),
    ("responsible_units", re.compile(r"责任(?:单位|部门|主体)|承办单位")),
    ("deadline", re.compile(r"时限|完成时间|时间节点|进度安排")),
    ("leaders", re.compile(r"领导|责任人")),
    ("text", re.compile(r"任\s*务|工\s*作|内\s*容|事\s*项|目\s*标|举\s*措|措\s*施")),
]


@dataclass
class _Item:
    kind: str
    label: str
    text: str
    line: Line
    parent: _Item | None
    values: dict[str, list[tuple[str, Line]]] = field(default_factory=dict)
    has_task_child: bool = False
    row: int | None = None

    def add(self, key: str, value: str, where: Line) -> None:
        self.values.setdefault(key, []).append((value, where))

    @property
    def stated(self) -> bool:
        return any(key in self.values for key in (*_UNIT_FIELDS, "deadline"))


@dataclass
class _State:
    items: list[_Item] = field(default_factory=list)
    stack: list[_Item] = field(default_factory=list)
    rules: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    last_field: tuple[str, Line] | None = None


def extract(path: Path) -> dict[str, Any]:
    """The proposed tasks of the notice at `path`; `ParseError` when it holds none."""
    return extract_document(read_document(path))


def extract_document(document: Document) -> dict[str, Any]:
    """The proposed tasks of a document already read."""
    state = _State()
    _walk(document, state)
    year = document_year(document.lines)
    candidates = [item for item in state.items if item.stated or _inherits(item)]
    _mark_parents(candidates)
    tasks = [item for item in candidates if not item.has_task_child]
    if not tasks:
        raise ParseError(document.name, f"no task-division items found (looked for {LOOKED_FOR})")
    rule = _rule(state.rules)
    items = [_output(item, year, rule) for item in tasks]
    for item in items:
        if not item["lead_units"] and not item["responsible_units"]:
            state.warnings.append(
                f"item {item['number']} (line {item['source']['line']}) names no unit"
            )
    return {
        "kind": KIND,
        "file": document.name,
        "format": document.format,
        "year": year,
        "items": items,
        "rules": state.rules,
        "warnings": state.warnings,
    }


# Reading ---------------------------------------------------------------------------------------


def _walk(document: Document, state: _State) -> None:
    index = 0
    order = document.order
    while index < len(order):
        kind, position = order[index]
        if kind == "table":
            table = document.tables[position]
            where = Line("", table.line, table.page)
            _table(table.rows, state, lambda _row, w=where: w)
            index += 1
            continue
        consumed = _flattened_table(document, index, state)
        if consumed:
            index += consumed
            continue
        _line(document.lines[position], state)
        index += 1


def _line(line: Line, state: _State) -> None:
    _note_rule(line, state)
    for name, pattern in _NUMBERS:
        match = pattern.match(line.text)
        if match and _plausible_item(name, line.text, match.end()):
            item = _open(state, name, _label(name, match.group(1)), line)
            _fields(line.text[match.end() :], line, item, state)
            return
    current = state.stack[-1] if state.stack else None
    if current is None:
        return
    if _LABEL.search(simplified(line.text)) or _LEAD_NOTE.search(simplified(line.text)):
        _fields(line.text, line, current, state)
        return
    if state.last_field is not None and re.search(r"[、，,]$", state.last_field[0]):
        key, where = state.last_field
        previous, _ = current.values[key][-1]
        current.values[key][-1] = (previous + line.text, where)
        state.last_field = (line.text, where)
        return
    if not current.values and not current.text.endswith(("。", "；")):
        current.text += line.text


def _plausible_item(kind: str, text: str, end: int) -> bool:
    """A number starts an item only when text follows it (not a bare 「1.」 or 「1.5」)."""
    rest = text[end:]
    return bool(rest) and not (kind == "arabic" and re.match(r"^\d", rest))


def _label(kind: str, number: str) -> str:
    """The item's number as the notice writes it: 一, （一）, 1, （1）, ①."""
    return f"（{number}）" if kind.startswith("paren") else number


def _open(state: _State, kind: str, label: str, line: Line) -> _Item:
    level = _LEVEL[kind]
    while state.stack and _LEVEL[state.stack[-1].kind] >= level:
        state.stack.pop()
    parent = state.stack[-1] if state.stack else None
    item = _Item(kind=kind, label=label, text="", line=line, parent=parent)
    state.stack.append(item)
    state.items.append(item)
    state.last_field = None
    return item


def _fields(text: str, line: Line, item: _Item, state: _State) -> None:
    """Split `text` into the item's own words and its labelled fields (found in the text
    simplified, cut from the text as written)."""
    norm = simplified(text)
    matches = list(_LABEL.finditer(norm))
    head = text[: matches[0].start()] if matches else text
    note = _LEAD_NOTE.search(norm[: len(head)])
    if note:
        head = head[: note.start()]
        item.add("lead_units", text[note.start(1) : note.end(1)], line)
        rest = text[note.start(2) : note.end(2)] if note.group(2) else ""
        if rest:
            key = "supporting_units" if "配合" in simplified(rest) else "responsible_units"
            item.add(key, rest, line)
    head = _OPEN_NOTE.sub("", head).strip()
    if head:
        item.text = item.text + head if item.text else head
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        value = clean_value(text[match.end() : end])
        key = _key(match.group(1))
        if value:
            item.add(key, value, line)
            state.last_field = (
                (text[match.end() : end].rstrip(), line) if key in _UNIT_FIELDS else None
            )


def _key(label: str) -> str:
    if "领导" in label or label == "责任人":
        return "leaders"
    for prefix, key in _FIELD_OF.items():
        if label.startswith(prefix):
            return key
    return "responsible_units"


def _note_rule(line: Line, state: _State) -> None:
    for name, pattern in (("comma-lead", _RULE_COMMA), ("first-lead", _RULE_FIRST)):
        if pattern.search(simplified(line.text)) and not any(
            r["rule"] == name for r in state.rules
        ):
            state.rules.append(
                {"rule": name, "text": line.text[:80], "line": line.line, "page": line.page}
            )


# Tables ----------------------------------------------------------------------------------------


def _header(row: list[str]) -> dict[str, int] | None:
    """Column of each field when `row` is a task table's header row."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(row):
        cell = simplified(re.sub(r"\s+", "", cell))
        if not cell or len(cell) > 12:
            continue
        for key, pattern in _HEADER_KEYS:
            if pattern.search(cell):
                columns.setdefault(key, index)
                break
    has_unit = any(key in columns for key in _UNIT_FIELDS)
    return columns if has_unit and "text" in columns else None


def _table(rows: list[list[str]], state: _State, where: Any) -> None:
    columns: dict[str, int] | None = None
    count = 0
    for index, row in enumerate(rows):
        if columns is None:
            columns = _header(row)
            continue
        cells = {key: row[col].strip() if col < len(row) else "" for key, col in columns.items()}
        text = cells.get("text", "")
        distinct = {cell.strip() for cell in row if cell.strip()}
        if len(distinct) <= 1:
            heading = next(iter(distinct), "")
            if heading:
                _line(Line(heading, where(index).line, where(index).page), state)
            continue
        if not text:
            continue
        count += 1
        label = cells.get("number") or str(count)
        line = where(index)
        line = Line(text, line.line, line.page)
        item = _open(state, "circled" if not state.stack else _below(state), label, line)
        item.row = index
        item.text = text.replace("\n", "")
        for key in (*_UNIT_FIELDS, "deadline", "leaders"):
            if cells.get(key):
                item.add(key, cells[key].replace("\n", "、" if key != "deadline" else ""), line)


def _below(state: _State) -> str:
    """The numbering level just below the innermost open heading (a table row's level)."""
    top = state.stack[-1]
    while top.row is not None and top.parent is not None:
        top = top.parent
    if top.row is not None:
        return top.kind
    return _NUMBERS[min(_LEVEL[top.kind] + 1, len(_NUMBERS) - 1)][0]


def _flattened_table(document: Document, index: int, state: _State) -> int:
    """A table flattened to one cell a line (a web page's or a PDF's text): its header cells
    on consecutive lines. Returns how many reading-order entries it took, 0 if none."""
    order = document.order
    header: list[Line] = []
    cursor = index
    while cursor < len(order) and order[cursor][0] == "line":
        line = document.lines[order[cursor][1]]
        cell = simplified(re.sub(r"\s+", "", line.text))
        if len(line.text) > 10 or not any(p.search(cell) for _, p in _HEADER_KEYS):
            break
        header.append(line)
        cursor += 1
    columns = _header([line.text for line in header]) if len(header) >= 3 else None
    if columns is None:
        return 0
    width = len(header)
    numbered_rows = "number" in columns
    rows: list[list[str]] = [[line.text for line in header]]
    grounds: list[Line] = [header[0]]
    row: list[str] = []
    while cursor < len(order) and order[cursor][0] == "line":
        line = document.lines[order[cursor][1]]
        if _LABEL.search(simplified(line.text)):
            break
        if not row and any(p.match(line.text) for _, p in _NUMBERS[:2]):
            rows.append([line.text] * width)
            grounds.append(line)
            cursor += 1
            continue
        if not row:
            grounds.append(line)
            if numbered_rows and not line.text.isdigit():
                row.append("")  # the serial number cell was left empty
        row.append(line.text)
        cursor += 1
        if len(row) == width:
            rows.append(row)
            row = []
    if row:
        state.warnings.append(f"an incomplete table row at line {grounds[-1].line} was left out")
        grounds.pop()
    _table(rows, state, lambda r: grounds[r])
    return cursor - index


# Output ----------------------------------------------------------------------------------------


def _inherits(item: _Item) -> bool:
    """A numbered item below a heading that states fields, with no task below it."""
    parent = item.parent
    while parent is not None:
        if parent.stated:
            return True
        parent = parent.parent
    return False


def _rule(rules: list[dict[str, Any]]) -> str | None:
    return rules[0]["rule"] if rules else None


def _output(item: _Item, year: int | None, rule: str | None) -> dict[str, Any]:
    values, inherited = _effective(item)
    units = {key: _units(values.get(key, [])) for key in _UNIT_FIELDS}
    lead, responsible = _apply_rule(units, values, rule)
    deadline_value = values.get("deadline")
    grounds = {
        key: {"line": entries[0][1].line, "page": entries[0][1].page}
        for key, entries in values.items()
    }
    return {
        "number": item.label,
        "path": _path(item),
        "section": _section(item),
        "title": first_sentence(item.text),
        "text": item.text,
        "lead_units": lead,
        "responsible_units": responsible,
        "supporting_units": [u for u in units["supporting_units"] if u not in lead + responsible],
        "leaders": _units(values.get("leaders", [])),
        "deadline": deadline(deadline_value[0][0], year=year) if deadline_value else None,
        "source": {"line": item.line.line, "page": item.line.page, "row": item.row},
        "fields": grounds,
        "inherited": inherited,
    }


def _effective(item: _Item) -> tuple[dict[str, list[tuple[str, Line]]], list[str]]:
    """The item's own fields, and its headings' for the fields it does not state."""
    values = dict(item.values)
    inherited: list[str] = []
    parent = item.parent
    while parent is not None:
        for key, entries in parent.values.items():
            if key not in values and not (key in _UNIT_FIELDS and _has_units(values)):
                values[key] = entries
                inherited.append(key)
        parent = parent.parent
    return values, inherited


def _has_units(values: dict[str, list[tuple[str, Line]]]) -> bool:
    return any(key in values for key in _UNIT_FIELDS)


def _units(entries: list[tuple[str, Line]]) -> list[str]:
    names: list[str] = []
    for value, _ in entries:
        for name in split_units(value):
            if name not in names:
                names.append(name)
    return names


def _apply_rule(
    units: dict[str, list[str]], values: dict[str, list[tuple[str, Line]]], rule: str | None
) -> tuple[list[str], list[str]]:
    """Leads and responsible units: explicit 牵头单位, 「（牵头）」 marks, else the rule."""
    lead = list(units["lead_units"])
    responsible: list[str] = []
    for name in units["responsible_units"]:
        bare, marked = lead_marked(name)
        (lead if marked else responsible).append(bare)
    if lead or not responsible:
        return lead, [name for name in responsible if name not in lead]
    if rule == "comma-lead":
        # No comma: the whole list stands before it, so every unit leads.
        first = split_top(values["responsible_units"][0][0], "，,")
        leads = split_units(first[0])
        return leads, [name for name in responsible if name not in leads]
    if rule == "first-lead":
        return responsible[:1], responsible[1:]
    return lead, responsible


def _path(item: _Item) -> list[str]:
    path: list[str] = []
    current: _Item | None = item
    while current is not None:
        path.insert(0, current.label)
        current = current.parent
    return path


def _section(item: _Item) -> str:
    heads: list[str] = []
    parent = item.parent
    while parent is not None:
        heads.insert(0, first_sentence(parent.text))
        parent = parent.parent
    return " / ".join(head for head in heads if head)


def _mark_parents(items: list[_Item]) -> None:
    """Mark the headings above each candidate task: a heading is not a task itself."""
    for item in items:
        parent = item.parent
        while parent is not None:
            parent.has_task_child = True
            parent = parent.parent
