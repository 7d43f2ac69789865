"""A StreamedSheet writes the rows of `styled_row` and `text_row` as one lxml element each;
the sheet's XML (canonical form) and the styles must be what openpyxl's own write-only sheet
writes for the same cells, every kind of value included, and text is never a formula."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import pytest
from lxml import etree  # type: ignore[import-untyped]
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from planwatch.core import xlsx
from planwatch.core.xlsx import streamed_sheet, styled_row, text_row, title_row, workbook_bytes

VALUES: list[Any] = [
    1,
    -2.5,
    1e20,
    Decimal("12.30"),
    True,
    False,
    None,
    "",
    "文本",
    "  前后空格 ",
    '=HYPERLINK("http://x","点击")',
    "=",
    "#N/A",
    "a & b < c > d\r\n第二行\t制表",
    date(2024, 12, 31),
    datetime(2024, 6, 30, 12, 30),
]


def _styles(ws: Any) -> list[Any]:
    body = WriteOnlyCell(ws)
    thin = Side(style="thin")
    body.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body.font = Font(name="宋体", size=11)
    body.alignment = Alignment(vertical="center", wrap_text=True)
    dated = WriteOnlyCell(ws)
    dated.font = Font(name="宋体", size=11)
    dated.number_format = 'yyyy"年"m"月"d"日"'
    plain = WriteOnlyCell(ws)  # a style array of zeros: no style
    return [body._style, dated._style, plain._style]


def _write(streamed: bool) -> bytes:
    wb = Workbook(write_only=True)
    if streamed:
        ws = streamed_sheet(wb, "表")
    else:
        ws = WriteOnlyWorksheet(parent=wb, title="表")
        wb._add_sheet(ws)
    ws.row_dimensions[1].height = 30
    ws.append(title_row(ws, "标题", Font(bold=True)))
    body, dated, plain = _styles(ws)
    for shift in range(3):
        values = VALUES[shift:] + VALUES[:shift]
        styles = [
            dated if isinstance(v, date) else (plain if i % 5 == 4 else body)
            for i, v in enumerate(values)
        ]
        row = styled_row(ws, values, styles)
        ws.append(row if streamed else xlsx._as_cells(ws, row))
        row = text_row(ws, [v for v in values if not isinstance(v, date)])
        ws.append(row if streamed else xlsx._as_cells(ws, row))
    ws.append(text_row(ws, ["一个时间（交给 openpyxl）", time(8, 15)]))
    ws.append(["openpyxl 的普通行", 3])
    return workbook_bytes(wb)


def _part(data: bytes, name: str) -> bytes:
    xml = zipfile.ZipFile(io.BytesIO(data)).read(name)
    return etree.tostring(etree.fromstring(xml), method="c14n")


def _styles_of(data: bytes) -> tuple[list[bytes], bytes]:
    """(the number formats, the rest of the styles part) in canonical form."""
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("xl/styles.xml"))
    formats = root.find("{*}numFmts")
    found = [etree.tostring(f, method="c14n") for f in formats] if formats is not None else []
    if formats is not None:
        root.remove(formats)
    return found, etree.tostring(root, method="c14n")


def test_same_xml_as_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _write(streamed=True)
    slow = _write(streamed=False)
    assert _part(fast, "xl/worksheets/sheet1.xml") == _part(slow, "xl/worksheets/sheet1.xml")
    # the same cell styles; openpyxl also registers the default date formats of the date
    # values it bound before their cells' styles were replaced (unused: left out here)
    fast_styles, slow_styles = _styles_of(fast), _styles_of(slow)
    assert fast_styles[1] == slow_styles[1]
    assert set(fast_styles[0]) < set(slow_styles[0])
    # and the fast path did write the rows: without it, the same file again
    calls: list[int] = []
    original = xlsx.StreamedSheet._row_element

    def counted(self: Any, row: Any, row_idx: int) -> Any:
        element = original(self, row, row_idx)
        calls.append(element is not None)
        return element

    monkeypatch.setattr(xlsx.StreamedSheet, "_row_element", counted)
    _write(streamed=True)
    assert sum(calls) == 6 and len(calls) == 7  # the row with a time went to openpyxl


def test_values_read_back() -> None:
    ws = load_workbook(io.BytesIO(_write(streamed=True))).active
    assert ws is not None
    assert ws["K2"].value == '=HYPERLINK("http://x","点击")' and ws["K2"].data_type == "s"
    assert ws["O2"].value == datetime(2024, 12, 31) and ws["O2"].number_format.startswith("yyyy")
    assert ws["J2"].value == "  前后空格 " and ws["N2"].value == "a & b < c > d\r\n第二行\t制表"
    assert ws["D2"].value == 12.3 and ws["E2"].value is True and ws["M2"].data_type == "e"


def test_illegal_characters_refused_as_openpyxl_does() -> None:
    wb = Workbook(write_only=True)
    ws = streamed_sheet(wb, "表")
    with pytest.raises(IllegalCharacterError):
        ws.append(text_row(ws, ["bad\x01"]))
