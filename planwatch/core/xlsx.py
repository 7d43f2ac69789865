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
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import TYPE_FORMULA, TYPE_STRING, Cell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet


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


class StreamedSheet(WriteOnlyWorksheet):  # type: ignore[misc]
    """A write-only sheet whose rows of cells (from `styled_row`) go to the writer as they
    are: openpyxl's own sheet tries each cell as a value first and builds an error message
    for every one that is not, a fifth of a long export's time."""

    def _values_to_row(self, values: Any, row_idx: int) -> Any:
        if isinstance(values, list) and all(isinstance(v, Cell) for v in values):
            for col_idx, cell in enumerate(values, 1):
                cell.column, cell.row = col_idx, row_idx
            return iter(values)
        return super()._values_to_row(values, row_idx)


def streamed_sheet(workbook: Any, title: str) -> StreamedSheet:
    """A new sheet of a write-only `workbook`, for rows from `styled_row` or `text_row`."""
    ws = StreamedSheet(parent=workbook, title=title)
    workbook._add_sheet(ws)
    return ws


def styled_row(ws: Any, values: Sequence[Any], styles: Sequence[Any]) -> list[Any]:
    """One row for a write-only sheet's `append`: a cell per value, each with the style of
    the same position (a cell's `_style`, shared: no Font or Border is hashed again per
    cell), text never a formula."""
    cells = []
    for value, style in zip(values, styles, strict=True):
        cell = WriteOnlyCell(ws, value)
        if cell.data_type == TYPE_FORMULA:
            cell.data_type = TYPE_STRING
        cell._style = style  # shared: a written cell is never styled again
        cells.append(cell)
    return cells


def title_row(ws: Any, title: str, font: Any) -> list[Any]:
    """A sheet's first row for a write-only sheet's `append`: `title` in `font`."""
    cell = WriteOnlyCell(ws, title)
    if cell.data_type == TYPE_FORMULA:
        cell.data_type = TYPE_STRING
    cell.font = font
    return [cell]


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
