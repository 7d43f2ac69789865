"""Every exported text cell is text, never a formula (issue 9 item 14): a task title that
begins with "=" (from an uploaded plan or an imported list) comes out as the same characters
in a text cell, and every xlsx writer saves through planwatch.core.xlsx.workbook_bytes."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook

from planwatch.core.xlsx import workbook_bytes
from planwatch.tasks.models import AnnualList
from planwatch.tasks.xlsx import annual_list_export

FORMULA = '=HYPERLINK("http://evil.example/","点击查看")'
PLANWATCH = Path(__file__).resolve().parents[2] / "planwatch"


def test_the_helper_keeps_text_as_text_and_other_types_as_they_are() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([FORMULA, "=1+1", "+cmd", 42, 3.5, "普通文字"])
    assert ws["A1"].data_type == "f"  # what openpyxl would have written
    back = load_workbook(io.BytesIO(workbook_bytes(wb))).active
    assert back is not None
    row = [c for c in back[1]]
    assert [c.value for c in row] == [FORMULA, "=1+1", "+cmd", 42, 3.5, "普通文字"]
    assert [c.data_type for c in row] == ["s", "s", "s", "n", "n", "s"]


def test_a_task_titled_like_a_formula_is_exported_as_text(issued: AnnualList) -> None:
    task = issued.tasks.order_by("seq").first()
    assert task is not None
    task.title = FORMULA
    task.content = "=SUM(A1:A9)"
    task.save(update_fields=["title", "content"])
    wb = load_workbook(io.BytesIO(annual_list_export(annual_list=issued)))
    ws = wb.active
    assert ws is not None
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert FORMULA in values and "=SUM(A1:A9)" in values
    # The raw sheet XML holds no <f> element at all.

    with zipfile.ZipFile(io.BytesIO(annual_list_export(annual_list=issued))) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet


def test_every_xlsx_writer_saves_through_the_one_helper() -> None:
    """A module that builds a Workbook saves it with workbook_bytes, never wb.save itself."""
    writers = []
    for path in PLANWATCH.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name == "xlsx.py" and path.parent.name == "core":
            continue
        if re.search(r"\bWorkbook\(", text):
            writers.append(path.relative_to(PLANWATCH).as_posix())
            assert "workbook_bytes(" in text, f"{path}: save through core.xlsx.workbook_bytes"
        if "openpyxl" in text:  # an xlsx module (a DOCX document saves itself: documents)
            assert not re.search(r"\.save\((out|buffer|io\.BytesIO|response|stream)", text), path
    assert len(writers) >= 3, writers


def test_a_streamed_sheet_keeps_text_as_text_and_other_types_as_they_are() -> None:
    """The write-only sheets of the fast exports (issue 15) make such cells text as rows are
    written: a styled row, a plain row and a title."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from planwatch.core.xlsx import streamed_sheet, styled_row, text_row, title_row

    wb = Workbook(write_only=True)
    ws = streamed_sheet(wb, "表")
    ws.append(title_row(ws, "=1+1", Font(bold=True)))
    proto = WriteOnlyCell(ws)
    proto.font = Font(name="宋体")
    ws.append(styled_row(ws, [FORMULA, 42, "普通文字"], [proto._style] * 3))
    ws.append(text_row(ws, ["=SUM(A1:A9)", 3.5, None, "+cmd"]))
    back = load_workbook(io.BytesIO(workbook_bytes(wb))).active
    assert back is not None
    assert [c.value for c in back[1]] == ["=1+1", None, None, None]  # read as wide as row 3
    assert [c.value for c in back[2]] == [FORMULA, 42, "普通文字", None]
    assert back["A2"].font.name == "宋体" and back["B2"].font.name == "宋体"
    assert [c.value for c in back[3]] == ["=SUM(A1:A9)", 3.5, None, "+cmd"]
    cells = [c for row in back.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
