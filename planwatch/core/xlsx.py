"""One way out for every xlsx file planwatch writes (issue 9 item 14).

Text in an export comes from people: plan titles, task titles from uploaded plans and
imported lists. openpyxl stores any string beginning with "=" as a formula, so a title such
as `=HYPERLINK("http://…","点击")` would run as a formula in the reader's spreadsheet. Every
writer saves its workbook through `workbook_bytes`, which turns every such cell back into
plain text: numbers, dates and text keep their types, and no cell is ever a formula.

A writer in openpyxl's write-only mode (the fast one for long sheets: rows are streamed, not
kept) appends its rows through `styled_row` or `text_row`, which make such cells text as
they are written; `workbook_bytes` then only saves."""

from __future__ import annotations

import io
from collections.abc import Sequence
from copy import copy
from typing import Any

from openpyxl.cell import WriteOnlyCell
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


def styled_row(ws: Any, values: Sequence[Any], styles: Sequence[Any]) -> list[Any]:
    """One row for a write-only sheet's `append`: a cell per value, each with the style of
    the same position (a cell's `_style`, shared by copy: no Font or Border is hashed again
    per cell), text never a formula."""
    cells = []
    for value, style in zip(values, styles, strict=True):
        cell = WriteOnlyCell(ws, value)
        if cell.data_type == TYPE_FORMULA:
            cell.data_type = TYPE_STRING
        cell._style = copy(style)
        cells.append(cell)
    return cells


def text_row(ws: Any, values: Sequence[Any]) -> list[Any]:
    """One row for a write-only sheet's `append`, unstyled: the values as they are, but text
    that would be a formula as a text cell."""
    out: list[Any] = list(values)
    for i, value in enumerate(out):
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(ws, value)
            cell.data_type = TYPE_STRING
            out[i] = cell
    return out


def workbook_bytes(workbook: Any) -> bytes:
    """The workbook as xlsx bytes, with every text cell written as text, never a formula
    (a write-only workbook's rows were made so by `styled_row` and `text_row`)."""
    if not workbook.write_only:
        cells_as_text(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
