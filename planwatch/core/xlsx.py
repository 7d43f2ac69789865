"""One way out for every xlsx file planwatch writes (issue 9 item 14).

Text in an export comes from people: plan titles, task titles from uploaded plans and
imported lists. openpyxl stores any string beginning with "=" as a formula, so a title such
as `=HYPERLINK("http://…","点击")` would run as a formula in the reader's spreadsheet. Every
writer saves its workbook through `workbook_bytes`, which turns every such cell back into
plain text: numbers, dates and text keep their types, and no cell is ever a formula."""

from __future__ import annotations

import io
from typing import Any

from openpyxl.cell.cell import TYPE_FORMULA, TYPE_STRING


def cells_as_text(workbook: Any) -> int:
    """Make every formula cell of `workbook` a text cell holding the same characters; the
    number of cells changed."""
    changed = 0
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == TYPE_FORMULA:
                    cell.data_type = TYPE_STRING
                    changed += 1
    return changed


def workbook_bytes(workbook: Any) -> bytes:
    """The workbook as xlsx bytes, with every text cell written as text, never a formula."""
    cells_as_text(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
