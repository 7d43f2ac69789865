"""Targets from a 主要指标 table (HTML/DOCX tables arrive as `Node(kind="table", rows=…)`).

The header row is the first row with a cell naming 指标; columns are recognised by their
header: 指标 (name), 单位, a base column (2020年 / 基期 / 现状), a target column (2025年 / 目标),
年均增长/累计 (growth), 属性 (预期性/约束性). Each data row with a name becomes one target:
the target column's value (kind from the name and unit), or the growth column's value when the
target cell holds no number. Category rows (all cells equal, or no name) are skipped. A cell
may carry its own comparator (`>70`, `≥`, `70以上`, `6左右`); `〔13.5〕` marks a cumulative
figure and is read as its number."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from planwatch.parsing.model import Node, Quantity, TargetKind, as_comparator

_CELL = re.compile(
    r"^(?P<pre>>=|<=|[><≥≤]|约|大于|小于|超过|不低于|不超过|高于|低于)?[\[〔(]?"
    r"(?P<num>-?\d+(?:\.\d+)?)[\]〕)]?(?P<unit>%)?(?P<post>左右|以上|以下|以内)?$"
)
_PRE = {
    ">=": ">=",
    "≥": ">=",
    "不低于": ">=",
    "<=": "<=",
    "≤": "<=",
    "不超过": "<=",
    ">": ">",
    "大于": ">",
    "超过": ">",
    "高于": ">",
    "<": "<",
    "小于": "<",
    "低于": "<",
    "约": "~",
}
_POST = {"左右": "~", "以上": ">=", "以下": "<=", "以内": "<="}
_YEAR = re.compile(r"((?:19|20)\d\d)")
_UNIT_IN_NAME = re.compile(r"[(（](?P<unit>[^()（）]{1,8})[)）]$")
_COUNT_UNITS = ("个", "家", "对", "所", "项", "座", "条", "处", "万人", "人", "万张")


@dataclass
class Columns:
    """Column indexes of a 主要指标 table and the years its headers state."""

    name: int
    unit: int | None = None
    base: int | None = None
    target: int | None = None
    growth: int | None = None
    attribute: int | None = None
    base_year: int | None = None
    target_year: int | None = None


def table_targets(node: Node, *, end_year: int | None, base_year: int | None) -> list[Quantity]:
    """One target per indicator row of a 主要指标 table; [] for any other table."""
    rows = [[_norm(c) for c in row] for row in (node.rows or [])]
    header = next((i for i, row in enumerate(rows) if any("指标" in c for c in row)), None)
    if header is None:
        return []
    names, first_data = _header(rows, header)
    cols = _columns(names)
    if cols is None:
        return []
    cols.target_year = cols.target_year or end_year
    cols.base_year = cols.base_year or base_year
    out = [_row_target(row, cols, node) for row in rows[first_data:]]
    return [q for q in out if q is not None]


def _header(rows: list[list[str]], first: int) -> tuple[list[str], int]:
    """The header cells, merged over a two-row header (`指标值` over `2020年 | 2025年`, spans
    expanded so the 指标 cell repeats), and the index of the first data row."""
    header = rows[first]
    index = first + 1
    while index < len(rows) and _continues_header(header, rows[index]):
        header = [a if a == b else a + b for a, b in zip(header, rows[index], strict=False)]
        index += 1
    return header, index


def _continues_header(header: list[str], row: list[str]) -> bool:
    """A row under the header repeating its 指标 cell, or naming years, is more header."""
    name = next((i for i, c in enumerate(header) if "指标" in c and "属性" not in c), None)
    if name is not None and name < len(row) and row[name] == header[name]:
        return True
    return any(_YEAR.fullmatch(c.rstrip("年")) for c in row) and not any(
        _parse(c)[0] is not None and not _YEAR.fullmatch(c) for c in row
    )


def is_indicator_table(node: Node) -> bool:
    """True for a table whose header has 指标 and a 属性 or target column."""
    rows = node.rows or []
    header = next((r for r in rows if any("指标" in _norm(c) for c in r)), None)
    if header is None:
        return False
    cols = _columns([_norm(c) for c in header])
    return cols is not None and (cols.attribute is not None or cols.target is not None)


def _norm(cell: str) -> str:
    """NFKC and no whitespace: table cells compare and parse alike whatever the source."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell or ""))


def _columns(header: list[str]) -> Columns | None:
    """Recognise the columns of a header row (None without a name column)."""
    name = next((i for i, c in enumerate(header) if "指标" in c and "属性" not in c), None)
    if name is None:
        return None
    cols = Columns(name=name)
    header = [c.replace("指标值", "") for c in header]
    years: list[tuple[int, int]] = []
    for i, cell in enumerate(header):
        if i == name:
            continue
        if "单位" in cell:
            cols.unit = i
        elif "属性" in cell:
            cols.attribute = i
        elif "年均" in cell or "累计" in cell or "增长" in cell or "增速" in cell:
            cols.growth = i
        elif m := _YEAR.search(cell):
            years.append((i, int(m.group(1))))
        elif "基期" in cell or "现状" in cell or "基数" in cell:
            cols.base = i
        elif "目标" in cell or "规划" in cell or "预期" in cell:
            cols.target = i
    _assign_years(cols, years)
    return cols


def _assign_years(cols: Columns, years: list[tuple[int, int]]) -> None:
    """The earliest year column is the base, the latest the target."""
    years.sort(key=lambda p: p[1])
    if len(years) >= 2 or (years and cols.target is not None):
        cols.base, cols.base_year = years[0]
    if len(years) >= 2 or (years and cols.target is None):
        cols.target, cols.target_year = years[-1]


def _row_target(row: list[str], cols: Columns, node: Node) -> Quantity | None:
    """The target of one data row, or None for a category or empty row."""
    name = _cell(row, cols.name)
    if not name or len(set(c for c in row if c)) <= 1:
        return None
    unit = _cell(row, cols.unit) or None
    if m := _UNIT_IN_NAME.search(name):
        name, unit = name[: m.start()], unit or m["unit"]
    name = re.sub(r"^其中[:：]?", "", name)
    target = _parse(_cell(row, cols.target))
    growth = _parse(_cell(row, cols.growth))
    base = _parse(_cell(row, cols.base))
    value, comparator, kind = target[0], target[1], _kind(name, unit)
    if value is None and growth[0] is not None:
        value, comparator, kind = (
            growth[0],
            growth[1],
            "reduction" if kind == "reduction" else "growth",
        )
    attribute = _cell(row, cols.attribute)
    return Quantity(
        text=" | ".join(c for c in row if c),
        indicator=name,
        value=value,
        unit=unit,
        year=cols.target_year,
        comparator=as_comparator(comparator),
        kind="qualitative" if value is None else kind,
        attribute=next((a for a in ("约束性", "预期性") if a in attribute), None),
        line=node.line,
        page=node.page,
        base_value=base[0],
        base_year=cols.base_year if base[0] is not None else None,
    )


def _cell(row: list[str], index: int | None) -> str:
    return row[index] if index is not None and index < len(row) else ""


def _parse(cell: str) -> tuple[float | None, str | None]:
    """(value, comparator) of a table cell; (None, None) when it holds no single number."""
    m = _CELL.match(cell)
    if not m:
        return None, None
    comparator = _PRE.get(m["pre"] or "") or _POST.get(m["post"] or "")
    return float(m["num"]), comparator


def _kind(name: str, unit: str | None) -> TargetKind:
    """Kind of a table row from its name and unit."""
    if re.search(r"下降|降低|减少|削减", name):
        return "reduction"
    if re.search(r"增长|增速", name):
        return "growth"
    if unit == "%" and re.search(r"比重|占比|占", name):
        return "share"
    if unit in _COUNT_UNITS:
        return "count"
    return "level"
