"""Project lists (重点项目名单) → proposed projects.

A province or city publishes its list of key projects as a table — in a spreadsheet, a web
page or a Word document — with columns 序号, 项目名称, 建设地点, 建设内容(及规模), 总投资,
年度计划投资, often under category rows (「一、交通基础设施(12个)」), sometimes as numbered
text entries (「1.宜宾至威信高速公路。建设地点:…;总投资130.5亿元」). Each project becomes
one proposal with its row or line; amounts are normalised to 万元 (the unit of
``projects.Project``); 建设地点 is resolved against the gazetteer where it names units there.
The same project named twice in a list is proposed once, with the other rows noted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planwatch.parsing.errors import ParseError
from planwatch.parsing.extract.docread import (
    Document,
    NothingFound,
    compact,
    line_at,
    page_at,
    read_path,
    simplified,
)
from planwatch.parsing.gazetteer import load_gazetteer

# Column → the words its header cell contains (first match wins, in this order).
COLUMNS: list[tuple[str, tuple[str, ...]]] = [
    ("annual", ("年度计划投资", "年计划投资", "计划投资", "年度投资", "本年投资", "计划完成投资")),
    ("total", ("总投资", "估算投资", "投资总额")),
    ("name", ("项目名称", "名称")),
    ("location", ("建设地点", "建设地址", "所在地", "实施地点", "项目地点", "地点")),
    ("content", ("建设内容", "建设规模", "主要内容", "内容")),
    ("category", ("类别", "行业", "领域", "项目类型", "类型")),
    ("owner", ("责任单位", "业主", "项目单位", "建设单位")),
    ("period", ("起止年限", "建设年限", "建设期限", "起止年份")),
    ("number", ("序号", "编号")),
]
AMOUNT_UNITS = {"亿元": 10000.0, "万元": 1.0, "元": 0.0001}
_UNIT_IN = re.compile(r"(亿元|万元)")
_AMOUNT = re.compile(r"(-?\d+(?:\.\d+)?)\s*(亿元|万元)?")
_CATEGORY = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.]|\(?[一二三四五六七八九十]+\)|[A-Z][、.])\s*"
    r"(?P<name>[^\d(]+?)\s*(?:\((?:共)?\d+(?:个|项)\))?\s*$"
)
_ENTRY = re.compile(r"^\s*(?:\d{1,3})\s*[.、)]\s*(?P<body>.+)$")
_LABELLED = re.compile(
    r"(?P<label>建设地点|建设地址|建设内容(?:及规模)?|建设规模|总投资|年度计划投资|\d{4}年计划投资|"
    r"计划投资|责任单位|项目业主|建设年限|起止年限)\s*[:为]?\s*"
)
_SPLIT_PLACES = re.compile(r"[、,;/和及与\s]+")
_KEY_DROP = re.compile(r"[\s()\[\]【】《》“”\"'.,;:、·—–\-~]|项目$|工程$|建设$")
_DEFAULT_UNIT = "万元"
_LIST_YEAR = re.compile(r"(?<!\d)(20\d{2})年")
_LOOKED_FOR = (
    "no projects found (looked for a 重点项目名单: a table whose header names 项目名称 and "
    "总投资 or 建设地点, or numbered entries with 总投资N亿元/万元)"
)


def name_key(name: str) -> str:
    """A project name normalised for matching: simplified characters, no spaces, brackets or
    punctuation, 「至」 and dashes alike, and no trailing 项目/工程/建设."""
    text = simplified(name).replace("至", "").replace("到", "")
    previous = None
    while previous != text:
        previous = text
        text = _KEY_DROP.sub("", text)
    return text


def resolve_places(text: str) -> list[dict[str, Any]]:
    """The gazetteer units 建设地点 names (「宜宾市翠屏区、叙州区」 → 翠屏区, 叙州区), read
    longest name first; a prefecture is dropped when one of its counties is named."""
    gaz = load_gazetteer()
    found: dict[str, dict[str, Any]] = {}
    for part in _SPLIT_PLACES.split(simplified(text)):
        start = 0
        while start < len(part):
            for length in range(min(10, len(part) - start), 1, -1):
                name = part[start : start + length]
                keys = gaz.lookup(name)
                if len(keys) == 1 and keys[0].adcode and keys[0].level != "province":
                    code = keys[0].adcode
                    found.setdefault(code, {"name": name, "adcode": code, "level": keys[0].level})
                    start += length
                    break
            else:
                start += 1
    counties = {a for a, p in found.items() if p["level"] == "county"}
    return [
        place
        for adcode, place in found.items()
        if not (place["level"] == "prefecture" and any(c[:4] == adcode[:4] for c in counties))
    ]


def amount(cell: str, unit: str) -> float | None:
    """A cell's amount in 万元 (`unit` is the column's or table's unit unless the cell states
    its own)."""
    m = _AMOUNT.search(simplified(cell).replace(",", ""))
    if not m:
        return None
    factor = AMOUNT_UNITS[m[2] or unit]
    return round(float(m[1]) * factor, 4)


@dataclass
class _Header:
    columns: dict[str, int]
    units: dict[str, str]


def find_header(row: list[str], table_unit: str) -> _Header | None:
    """The column map of a header row: it must name the project and its investment or
    location."""
    columns: dict[str, int] = {}
    units: dict[str, str] = {}
    for index, cell in enumerate(row):
        text = compact(simplified(cell))
        for column, words in COLUMNS:
            if column not in columns and any(w in text for w in words):
                columns[column] = index
                m = _UNIT_IN.search(text)
                units[column] = m[1] if m else table_unit
                break
    if "name" in columns and ("total" in columns or "location" in columns):
        return _Header(columns, units)
    return None


class _Collector:
    def __init__(self, name: str) -> None:
        self.name = name
        self.items: list[dict[str, Any]] = []
        self.warnings: list[dict[str, Any]] = []
        self.category = ""
        self.unit = _DEFAULT_UNIT
        # the opening texts (title, unit line), where the list's year is stated
        self.heads: list[str] = []

    def table(self, rows: list[list[str]], source: list[dict[str, Any]]) -> None:
        header: _Header | None = None
        for row, where in zip(rows, source, strict=True):
            cells = [c.strip() for c in row]
            if header is None:
                header = find_header(cells, self.unit)
                if header is None:
                    self.note_unit(" ".join(cells))
                continue
            self.row(cells, header, where)

    def note_unit(self, text: str) -> None:
        m = re.search(r"单位\s*[:]?\s*(亿元|万元)", simplified(text))
        if m:
            self.unit = m[1]

    def row(self, cells: list[str], header: _Header, where: dict[str, Any]) -> None:
        def cell(column: str) -> str:
            index = header.columns.get(column)
            return cells[index] if index is not None and index < len(cells) else ""

        filled = [c for c in cells if c]
        name = cell("name")
        if len(set(filled)) == 1 or (name and not cell("total") and not cell("location")):
            m = _CATEGORY.match(simplified(filled[0])) if filled else None
            if m or len(set(filled)) == 1:
                self.category = (m["name"] if m else filled[0]).strip()
                return
        if not name or "合计" in name or "总计" in name:
            return
        self.add(
            name=name,
            location=cell("location"),
            total=amount(cell("total"), header.units.get("total", self.unit)),
            annual=amount(cell("annual"), header.units.get("annual", self.unit)),
            content=cell("content"),
            category=cell("category") or self.category,
            owner=cell("owner"),
            where=where,
        )

    def entry(self, body: str, where: dict[str, Any]) -> bool:
        """A numbered text entry: the name, then labelled fields."""
        text = simplified(body)
        labels = list(_LABELLED.finditer(text))
        if not labels:
            return False
        name = re.split(r"[。;:]", text[: labels[0].start()])[0].strip(" ,")
        fields: dict[str, str] = {}
        for i, m in enumerate(labels):
            end = labels[i + 1].start() if i + 1 < len(labels) else len(text)
            fields[m["label"]] = text[m.end() : end].strip(" ,;。")
        total = next((v for k, v in fields.items() if k == "总投资"), "")
        annual = next((v for k, v in fields.items() if "计划投资" in k), "")
        if not name or not (total or fields.get("建设地点")):
            return False
        self.add(
            name=name,
            location=fields.get("建设地点") or fields.get("建设地址", ""),
            total=amount(total, self.unit) if total else None,
            annual=amount(annual, self.unit) if annual else None,
            content=next((v for k, v in fields.items() if k.startswith("建设内容")), "")
            or fields.get("建设规模", ""),
            category=self.category,
            owner=fields.get("责任单位") or fields.get("项目业主", ""),
            where=where,
        )
        return True

    def add(self, *, name: str, location: str, where: dict[str, Any], **fields: Any) -> None:
        clean_name = re.sub(r"\s+", "", simplified(name))
        self.items.append(
            {
                "name": clean_name,
                "key": name_key(clean_name),
                "location": location,
                "places": resolve_places(location) if location else [],
                "total_investment": fields["total"],
                "annual_investment": fields["annual"],
                "content": fields["content"],
                "category": fields["category"],
                "owner": fields["owner"],
                "source": where,
                "also_at": [],
            }
        )


def _merge_duplicates(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same project named twice (same normalised name) is one proposal."""
    kept: dict[str, dict[str, Any]] = {}
    for item in items:
        first = kept.get(item["key"])
        if first is None:
            kept[item["key"]] = item
        else:
            first["also_at"].append(item["source"])
            for field in ("total_investment", "annual_investment", "location", "content"):
                if not first[field] and item[field]:
                    first[field] = item[field]
    return list(kept.values())


_ROW_SPLIT = re.compile(r"\t|\s*\|\s*|\s{2,}")


def _read_blocks(doc: Document, collector: _Collector) -> None:
    """Tables (HTML, DOCX) row by row; text lines either as numbered entries or, when a
    header line splits into columns, as a table flattened into lines."""
    pending: list[list[str]] = []
    pending_src: list[dict[str, Any]] = []
    collector.heads = [b.text for b in doc.blocks[:5]]
    for block in doc.blocks:
        where = {"line": block.line, "page": block.page}
        if block.table:
            rows = block.table
            collector.table(rows, [{**where, "row": i + 1} for i in range(len(rows))])
            continue
        cells = [c for c in _ROW_SPLIT.split(block.text.strip().strip("|")) if c != ""]
        category_row = (
            bool(pending) and len(block.text) <= 30 and _CATEGORY.match(simplified(block.text))
        )
        if category_row or (len(cells) >= 3 and (pending or find_header(cells, collector.unit))):
            pending.append(cells)
            pending_src.append({"line": line_at(block, 0), "page": page_at(block, 0)})
            continue
        if pending:
            collector.table(pending, pending_src)
            pending, pending_src = [], []
        collector.note_unit(block.text)
        m = _ENTRY.match(block.text)
        if m and collector.entry(m["body"], where):
            continue
        cat = _CATEGORY.match(simplified(block.text))
        if cat and len(block.text) <= 30:
            collector.category = cat["name"].strip()
    if pending:
        collector.table(pending, pending_src)


def _read_xlsx(path: Path, collector: _Collector) -> None:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ParseError(path.name, f"not a readable XLSX workbook ({exc})") from None
    for sheet in book.worksheets:
        rows: list[list[str]] = []
        source: list[dict[str, Any]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = ["" if v is None else str(v).strip() for v in values]
            if any(cells):
                if len(collector.heads) < 5:
                    collector.heads.append(" ".join(cells))
                rows.append(cells)
                source.append({"sheet": sheet.title, "row": number})
        collector.unit = _DEFAULT_UNIT
        collector.table(rows, source)
    book.close()


def extract(path: Path) -> dict[str, Any]:
    """Proposed projects of the list at `path`; `ParseError` when it holds none."""
    path = Path(path)
    collector = _Collector(path.name)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        if not path.is_file():
            raise ParseError(path.name, "cannot read file (no such file)")
        _read_xlsx(path, collector)
    else:
        _read_blocks(read_path(path), collector)
    items = _merge_duplicates(collector.items)
    if not items:
        raise NothingFound(path.name, _LOOKED_FOR)
    for item in items:
        if item["total_investment"] is None:
            collector.warnings.append({"source": item["source"], "message": "总投资 not found"})
    return {
        "kind": "projects",
        "file": path.name,
        "year": list_year(collector.heads),
        "items": items,
        "warnings": collector.warnings,
    }


def list_year(heads: list[str]) -> int | None:
    """The year of the list as its title states it (「2024年区级重点项目名单」)."""
    for text in heads:
        m = _LIST_YEAR.search(simplified(text))
        if m:
            return int(m[1])
    return None
