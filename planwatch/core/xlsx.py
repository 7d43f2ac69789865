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
from datetime import date, datetime
from decimal import Decimal
from math import isinf, isnan
from typing import Any

from lxml import etree  # type: ignore[import-untyped]  # no stubs installed
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, TYPE_FORMULA, TYPE_STRING
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel, from_ISO8601, to_excel
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


class _Row(list):  # type: ignore[type-arg]
    """The values of one row for a StreamedSheet, with the style (a cell's `_style`) of each
    or None when unstyled: written straight to the sheet's XML, no cell object per value."""

    styles: Sequence[Any] | None = None


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_NUMBERS = (int, float, Decimal)


class StreamedSheet(WriteOnlyWorksheet):  # type: ignore[misc]
    """A write-only sheet for rows from `styled_row` and `text_row`: each row is built as
    one lxml element, the XML openpyxl writes for the same cells (tested against it), and
    handed to the writer whole. openpyxl makes a cell object per value, works out its type
    and style again, and writes it element by element (most of a long export's time); it
    still writes any other row, and any row with a value of another kind (a time, a date
    without a style) or with row dimensions."""

    _style_ids: dict[int, tuple[Any, int | None]]

    def _write_rows(self) -> Any:
        try:
            xf = self._writer.xf.send(True)
        except StopIteration:
            self._already_saved()
        with xf.element("sheetData"):
            row_idx = 1
            try:
                while True:
                    row = yield
                    element = None
                    if isinstance(row, _Row) and row_idx not in self.row_dimensions:
                        element = self._row_element(row, row_idx)
                    if element is not None:
                        xf.write(element)
                    else:
                        cells = self._values_to_row(_as_cells(self, row), row_idx)
                        self._writer.write_row(xf, cells, row_idx)
                    row_idx += 1
            except GeneratorExit:
                pass
        self._writer.xf.send(None)

    def _style_id(self, style: Any) -> int | None:
        """The workbook's id of a cell style (registered on first use, as a cell's
        `style_id` does), None for no style."""
        if not hasattr(self, "_style_ids"):
            self._style_ids = {}
        known = self._style_ids.get(id(style))
        if known is None:
            sid = self.parent._cell_styles.add(style) if style and any(style) else None
            known = self._style_ids[id(style)] = (style, sid)  # keeps `style` alive
        return known[1]

    def _row_element(self, row: _Row, row_idx: int) -> Any:
        """The row's XML element as openpyxl writes it, or None for a row it must write."""
        element = etree.Element("row", {"r": str(row_idx)})
        styles = row.styles
        for col, value in enumerate(row):
            sid = self._style_id(styles[col]) if styles is not None else None
            attrs = {"r": f"{get_column_letter(col + 1)}{row_idx}"}
            if sid is not None:
                attrs["s"] = str(sid)
            kind = type(value)
            if value is None:
                if sid is None:
                    continue
                attrs["t"] = "n"
                etree.SubElement(element, "c", attrs)
            elif kind is str:
                text = value[:32767]
                if next(ILLEGAL_CHARACTERS_RE.finditer(text), None):
                    return None  # openpyxl refuses it (IllegalCharacterError)
                if text in ERROR_CODES:
                    attrs["t"] = "e"
                    etree.SubElement(etree.SubElement(element, "c", attrs), "v").text = text
                    continue
                attrs["t"] = "inlineStr"  # "=…" too: text, never a formula
                cell = etree.SubElement(element, "c", attrs)
                if text:
                    t = etree.SubElement(etree.SubElement(cell, "is"), "t")
                    if text != text.strip():
                        t.set(_XML_SPACE, "preserve")
                    t.text = text
            elif kind is bool:
                attrs["t"] = "b"
                etree.SubElement(etree.SubElement(element, "c", attrs), "v").text = str(int(value))
            elif isinstance(value, _NUMBERS):
                if isnan(value) or isinf(value):
                    return None
                attrs["t"] = "n"
                etree.SubElement(etree.SubElement(element, "c", attrs), "v").text = safe_string(
                    value
                )
            elif (kind is date or (kind is datetime and value.tzinfo is None)) and sid is not None:
                attrs["t"] = "n"
                number = to_excel(value, self.parent.epoch)
                etree.SubElement(etree.SubElement(element, "c", attrs), "v").text = safe_string(
                    number
                )
            else:
                return None
        return element


def _as_cells(ws: Any, row: Any) -> Any:
    """What openpyxl's own writer takes for a row: a `_Row` as cells (styled, text never a
    formula), any other row as it is."""
    if not isinstance(row, _Row):
        return row
    if row.styles is None:
        return [_text_cell(ws, v) if isinstance(v, str) and v.startswith("=") else v for v in row]
    cells = []
    for value, style in zip(row, row.styles, strict=True):
        cell = WriteOnlyCell(ws, value)
        if cell.data_type == TYPE_FORMULA:
            cell.data_type = TYPE_STRING
        cell._style = style  # shared: a written cell is never styled again
        cells.append(cell)
    return cells


def _text_cell(ws: Any, value: str) -> Any:
    cell = WriteOnlyCell(ws, value)
    cell.data_type = TYPE_STRING
    return cell


def streamed_sheet(workbook: Any, title: str) -> StreamedSheet:
    """A new sheet of a write-only `workbook`, for rows from `styled_row` or `text_row`."""
    ws = StreamedSheet(parent=workbook, title=title)
    workbook._add_sheet(ws)
    return ws


def styled_row(ws: Any, values: Sequence[Any], styles: Sequence[Any]) -> list[Any]:
    """One row for a write-only sheet's `append`: each value with the style of the same
    position (a cell's `_style`, shared: no Font or Border is hashed again per cell), text
    never a formula."""
    if len(values) != len(styles):
        raise ValueError("a style for each value")
    row = _Row(values)
    row.styles = styles
    return row if isinstance(ws, StreamedSheet) else _as_cells(ws, row)


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
    row = _Row(values)
    return row if isinstance(ws, StreamedSheet) else _as_cells(ws, row)


def workbook_bytes(workbook: Any) -> bytes:
    """The workbook as xlsx bytes, with every text cell written as text, never a formula
    (a write-only workbook's rows were made so by `styled_row` and `text_row`)."""
    if not workbook.write_only:
        cells_as_text(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- Reading: the first sheet's values, as openpyxl's read-only mode gives them, faster ---

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE = f"{_MAIN}row", f"{_MAIN}c", f"{_MAIN}v"
_SI, _T, _RUN, _INLINE = f"{_MAIN}si", f"{_MAIN}t", f"{_MAIN}r", f"{_MAIN}is"


def _plain_text(node: Any) -> str:
    """The text of a shared or inline string (`<si>` or `<is>`): its `<t>` then the `<t>` of
    each rich-text run, phonetic runs left out — openpyxl's `Text.content`."""
    plain: str | None = None
    runs: list[str] = []
    for child in node:
        if child.tag == _T:
            plain = child.text
        elif child.tag == _RUN:
            for part in child:
                if part.tag == _T and part.text is not None:
                    runs.append(part.text)
    return "".join(([plain] if plain is not None else []) + runs)


def _string_table(source: Any) -> list[str]:
    """The shared strings, as openpyxl's `read_string_table` reads them (its `Text` objects
    built for every string were most of the time of reading a sheet of text)."""
    strings: list[str] = []
    for _event, node in etree.iterparse(
        source, events=("end",), tag=_SI, resolve_entities=False, no_network=True
    ):
        strings.append(_plain_text(node).replace("x005F_", ""))
        node.clear()
        while node.getprevious() is not None:
            del node.getparent()[0]
    return strings


def _cell_value(cell: Any, strings: list[str], dates: Any, deltas: Any, epoch: Any) -> Any:
    """One `<c>`'s value as openpyxl's WorkSheetParser gives it with data_only=True."""
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        child = cell.find(_INLINE)
        return None if child is None else _plain_text(child)
    value = cell.findtext(_VALUE) or None
    if value is None:
        return None
    if kind == "n":
        number: Any = float(value) if ("." in value or "E" in value or "e" in value) else int(value)
        style = int(cell.get("s") or 0)
        if style in dates:
            try:
                return from_excel(number, epoch, timedelta=style in deltas)
            except (OverflowError, ValueError):
                return "#VALUE!"
        return number
    if kind == "s":
        return strings[int(value)]
    if kind == "b":
        return bool(int(value))
    if kind == "d":
        return from_ISO8601(value)
    return value  # "str" (a formula's text) and "e" (an error such as #N/A)


_DIGITS = "0123456789"


def _column_index(reference: str) -> int:
    """The column number of a cell reference such as AB12."""
    index = 0
    for ch in reference:
        if ch.isdigit():
            break
        index = index * 26 + (ord(ch.upper()) - 64)
    return index


def sheet_rows(data: bytes, max_row: int) -> list[tuple[Any, ...]]:
    """The values of the first worksheet of an xlsx file, row by row (at most `max_row`),
    exactly as openpyxl's `load_workbook(read_only=True, data_only=True)` and
    `iter_rows(values_only=True)` give them — missing rows as empty rows, each row as wide as
    the sheet's stated dimension — but about five times faster: the workbook's structure,
    styles (which cells are dates) and epoch are read by openpyxl, the shared strings and the
    cells by lxml directly. Raises what `load_workbook` raises for a file that is not xlsx."""
    from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader
    from openpyxl.utils.exceptions import InvalidFileException

    class Reader(ExcelReader):  # type: ignore[misc]
        def read_strings(self) -> None:
            ct = self.package.find(SHARED_STRINGS)
            if ct is not None:
                with self.archive.open(ct.PartName[1:]) as src:
                    self.shared_strings = _string_table(src)

    reader = Reader(io.BytesIO(data), read_only=True, data_only=True)
    reader.read()
    wb = reader.wb
    try:
        ws = wb.worksheets[0]
        strings, epoch = ws._shared_strings, wb.epoch
        dates, deltas = wb._date_formats, wb._timedelta_formats
        width = ws.max_column
        empty: tuple[Any, ...] = (None,) * width if width else ()
        rows: list[tuple[Any, ...]] = []
        columns: dict[str, int] = {}
        number = 0
        with ws._get_source() as src:
            for _event, row in etree.iterparse(
                src, events=("end",), tag=_ROW, resolve_entities=False, no_network=True
            ):
                stated = row.get("r")
                number = int(float(stated)) if stated else number + 1
                if number > max_row:
                    break
                while len(rows) < number - 1:
                    rows.append(empty)
                values: dict[int, Any] = {}
                column = 0
                for cell in row.iterchildren(_CELL):
                    reference = cell.get("r")
                    if reference:
                        letters = reference.rstrip(_DIGITS)
                        column = columns.get(letters) or columns.setdefault(
                            letters, _column_index(letters)
                        )
                    else:
                        column += 1
                    kind = cell.get("t")
                    if kind == "s" or kind is None or kind == "n":
                        # the text of the cell's first <v> (findtext's, None or "" both
                        # read as no value below) by walking its children: findtext parses
                        # its path on every call and iterchildren(tag) builds a matcher,
                        # each more than the rest of a number's reading
                        text = None
                        for node in cell:
                            if node.tag == _VALUE:
                                text = node.text
                                break
                    if kind == "s":  # most cells of a real file: a shared string
                        values[column] = strings[int(text)] if text else None
                    elif (kind is None or kind == "n") and int(cell.get("s") or 0) not in dates:
                        # the next most: a number not formatted as a date (_cell_value's
                        # "n" case, without a call a cell)
                        if not text:
                            values[column] = None
                        elif "." in text or "E" in text or "e" in text:
                            values[column] = float(text)
                        else:
                            values[column] = int(text)
                    elif kind == "inlineStr" and len(cell) == 1:
                        # what openpyxl writes: <is><t>…</t></is> (_plain_text's result)
                        box = cell[0]
                        text_node = box[0] if len(box) == 1 else None
                        if box.tag == _INLINE and text_node is not None and text_node.tag == _T:
                            values[column] = text_node.text or ""
                        else:
                            values[column] = _cell_value(cell, strings, dates, deltas, epoch)
                    else:
                        values[column] = _cell_value(cell, strings, dates, deltas, epoch)
                row.clear()
                while row.getprevious() is not None:
                    del row.getparent()[0]
                if len(rows) >= number:  # a row stated twice or out of order: openpyxl skips it
                    continue
                last = width or (max(values) if values else 0)
                if not last:
                    rows.append(())
                    continue
                line = [None] * last
                for col, value in values.items():
                    if 1 <= col <= last:
                        line[col - 1] = value
                rows.append(tuple(line))
        return rows
    except etree.XMLSyntaxError as exc:
        raise InvalidFileException(str(exc)) from exc
    finally:
        wb.close()
