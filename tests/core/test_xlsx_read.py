"""core.xlsx.sheet_rows reads a sheet's values exactly as openpyxl's read-only mode does
(load_workbook(read_only=True, data_only=True) and iter_rows(values_only=True)), which the
imports used before: shared and inline strings, rich text, numbers as int or float, dates and
times by the cell's number format, booleans, formulas by their cached value, errors, missing
rows and cells, a 1904 workbook, and a sheet without a stated dimension."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime, time
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.exceptions import InvalidFileException

from planwatch.core.xlsx import sheet_rows


def _openpyxl(data: bytes, max_row: int = 1000) -> list[tuple[Any, ...]]:
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = [tuple(r) for r in wb.worksheets[0].iter_rows(values_only=True, max_row=max_row)]
    wb.close()
    return rows


def _varied(epoch1904: bool = False) -> bytes:
    wb = Workbook()
    if epoch1904:
        wb.epoch = datetime(1904, 1, 1)  # type: ignore[assignment]
    ws = wb.active
    assert ws is not None
    ws.title = "清单"
    ws.append(["标题", None, None, "  有空格  "])
    ws.append(["序号", "重点任务", "完成时限", "数值", "是否", "公式"])
    ws.append([1, "任务一", date(2024, 12, 31), 3.5, True, "=1+2"])
    ws.append([2, '=HYPERLINK("x")', datetime(2024, 6, 30, 12, 30), 1e20, False, None])
    ws.cell(row=6, column=2, value="隔了一行")
    ws.cell(row=6, column=8, value=-7)
    ws.cell(row=7, column=3, value=time(8, 15))
    ws.cell(row=7, column=4, value="2024年12月31日")
    ws.cell(row=8, column=1, value="_x005F_x000D_ 与 x005F_ 转义")
    ws.cell(row=9, column=2, value=CellRichText(["普通", TextBlock(InlineFont(b=True), "加粗")]))
    wb.create_sheet("第二页").append(["不读"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("epoch1904", [False, True])
def test_same_values_as_openpyxl(epoch1904: bool) -> None:
    data = _varied(epoch1904)
    rows = sheet_rows(data, 1000)
    assert rows == _openpyxl(data)
    assert rows[2][2] == datetime(2024, 12, 31) and rows[2][3] == 3.5 and rows[2][4] is True
    assert rows[4] == (None,) * 8  # the missing row 5, as wide as the sheet
    assert rows[8][1] == "普通加粗"


def _rewrite_sheet(data: bytes, change: Any) -> bytes:
    """The file with its first sheet's XML changed by `change` (what other writers do)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = change(body.decode()).encode()
            dst.writestr(item, body)
    return out.getvalue()


def test_cached_formula_values_inline_strings_errors_and_no_dimension() -> None:
    def change(xml: str) -> str:
        xml = re.sub(r"<dimension [^>]*/>", "", xml)
        xml = xml.replace("<f>1+2</f><v></v>", "<f>1+2</f><v>3</v>")
        xml = xml.replace(
            '<c r="F4"', '<c r="G4" t="inlineStr"><is><t>行内</t></is></c><c r="H4" t="e">'
        )
        xml = xml.replace('<c r="H4" t="e"', '<c r="H4" t="e"><v>#N/A</v></c><c r="I4"')
        return xml

    data = _rewrite_sheet(_varied(), change)
    assert sheet_rows(data, 1000) == _openpyxl(data)


def _shared_strings(data: bytes) -> bytes:
    """The file with its inline strings moved to a shared-string table, as Excel and WPS
    write them (openpyxl writes inline strings), plus a string with a phonetic run."""
    strings: list[str] = []

    def share(match: re.Match[str]) -> str:
        strings.append(match.group(1))
        return f't="s"><v>{len(strings) - 1}</v>'

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename).decode()
            if item.filename == "xl/worksheets/sheet1.xml":
                body = re.sub(r't="inlineStr"><is>(.*?)</is>', share, body)
                last = f'<row r="10"><c r="A10" t="s"><v>{len(strings)}</v></c></row>'
                body = body.replace("</row></sheetData>", f"</row>{last}</sheetData>")
                strings.append('<r><t>成都</t></r><rPh sb="0" eb="2"><t>chengdu</t></rPh>')
            elif item.filename == "[Content_Types].xml":
                body = body.replace(
                    "</Types>",
                    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif item.filename == "xl/_rels/workbook.xml.rels":
                body = body.replace(
                    "</Relationships>",
                    '<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships/sharedStrings" '
                    'Target="sharedStrings.xml"/></Relationships>',
                )
            dst.writestr(item, body)
        table = "".join(f"<si>{s}</si>" for s in strings)
        dst.writestr(
            "xl/sharedStrings.xml",
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{len(strings)}" uniqueCount="{len(strings)}">{table}</sst>',
        )
    return out.getvalue()


def test_shared_strings() -> None:
    data = _shared_strings(_varied())
    assert b"inlineStr" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    rows = sheet_rows(data, 1000)
    assert rows == _openpyxl(data)
    assert rows[1][1] == "重点任务" and rows[8][1] == "普通加粗" and rows[0][3] == "  有空格  "
    assert rows[7][0] == _openpyxl(data)[7][0] and rows[9][0] == "成都"


def test_cells_and_rows_without_references() -> None:
    def change(xml: str) -> str:
        return re.sub(r' r="[A-Z]+\d+"', "", re.sub(r'<row r="[0-9]+"', "<row", xml))

    data = _rewrite_sheet(_varied(), change)
    assert sheet_rows(data, 1000) == _openpyxl(data)


def test_max_row() -> None:
    data = _varied()
    assert sheet_rows(data, 3) == _openpyxl(data, 3)


def test_numbers_in_number_and_date_formats_with_and_without_a_type() -> None:
    """Numbers (read without a call a cell unless their format is a date's) as openpyxl reads
    them, whether the cell says t="n" (openpyxl, WPS) or nothing (Excel), in the General,
    decimal, thousands and date formats, empty, negative and in exponent notation."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    formats = ("General", "0.00", "#,##0", "yyyy-mm-dd", "0%")
    values = (12000, 31000.5, -7, 45291, 0.25)
    for i, fmt in enumerate(formats, start=1):
        for j, value in enumerate(values, start=1):
            ws.cell(row=i, column=j, value=value).number_format = fmt
    out = io.BytesIO()
    wb.save(out)

    def untyped(xml: str) -> str:
        assert ' t="n"' in xml
        xml = xml.replace("<v>-7</v>", "<v>-7E0</v>", 1).replace("<v>0.25</v>", "<v></v>", 1)
        return xml.replace(' t="n"', "", 12)  # some cells typed, some not

    for data in (out.getvalue(), _rewrite_sheet(out.getvalue(), untyped)):
        rows = sheet_rows(data, 100)
        assert rows == _openpyxl(data)
        assert rows[0][:3] == (12000, 31000.5, -7) or rows[0][2] == -7.0
        assert type(rows[0][0]) is int and isinstance(rows[3][0], datetime)


def test_not_an_xlsx_file() -> None:
    with pytest.raises((zipfile.BadZipFile, InvalidFileException, KeyError, OSError)):
        sheet_rows(b"not a zip", 10)
    broken = _rewrite_sheet(_varied(), lambda xml: xml[: len(xml) // 2])
    with pytest.raises(InvalidFileException):
        sheet_rows(broken, 10)


def test_cells_of_unusual_shape_read_as_openpyxl_reads_them() -> None:
    """The fast paths (a cell's <v> found by walking its children, openpyxl's <is><t>) fall
    back or agree for every other shape: a cached value after its formula, a number or
    shared string without <v> or with an empty one, an inline string with an empty <t>, a
    single rich-text run, or a <v> the writer put before an <f>."""

    def change(xml: str) -> str:
        xml = xml.replace("<f>1+2</f><v></v>", "<f>1+2</f><v>3</v>")
        xml = xml.replace('<c r="A3" t="n"><v>1</v></c>', '<c r="A3" t="n"/>')
        xml = xml.replace('<c r="D3" t="n"><v>3.5</v></c>', '<c r="D3"><v>3.5</v><f>3.5</f></c>')
        xml = xml.replace('<c r="A4" t="n"><v>2</v></c>', '<c r="A4" t="n"><v></v></c>')
        xml = xml.replace(
            '<c r="H6" t="n"><v>-7</v></c>',
            '<c r="H6" t="n"><v>-7</v></c><c r="I6" t="inlineStr"><is><t></t></is></c>'
            '<c r="J6" t="inlineStr"><is><r><t>单段</t></r></is></c>',
        )
        return xml

    data = _shared_strings(_rewrite_sheet(_varied(), change))
    data = _rewrite_sheet(
        data,
        lambda xml: xml.replace(
            "</sheetData>",
            '<row r="11"><c r="A11" t="s"/><c r="B11" t="s"><v></v></c>'
            '<c r="C11" t="inlineStr"><is><t></t></is></c>'
            '<c r="D11" t="inlineStr"><is><r><t>单段</t></r></is></c></row></sheetData>',
        ),
    )
    rows = sheet_rows(data, 1000)
    assert rows == _openpyxl(data)
    assert rows[2][5] == 3 and rows[2][3] == 3.5 and rows[2][0] is None and rows[3][0] is None
    assert rows[10][:4] == (None, None, "", "单段")
