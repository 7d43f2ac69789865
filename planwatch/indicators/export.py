"""The indicator × year matrix of a place as xlsx: one row per indicator (name, unit,
attribute, baseline, target), one column per year with the value, and the status beside it."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font

from planwatch.core.xlsx import streamed_sheet, text_row, title_row, workbook_bytes
from planwatch.indicators.selectors import Matrix


def matrix_export(matrix: Matrix) -> bytes:
    wb = Workbook(write_only=True)  # streamed row by row (issue 15: spreadsheet speed)
    ws = streamed_sheet(wb, "监测指标")
    ws.freeze_panes = "B3"
    title = f"{matrix.place.name}监测指标（方法版本 {matrix.method_version}）"
    ws.append(title_row(ws, title, Font(bold=True, size=14)))
    header = ["指标", "单位", "属性", "基期", "基期值", "目标年份", "目标值"]
    for year in matrix.years:
        header += [f"{year}年", f"{year}年状态"]
    ws.append(text_row(ws, header))
    for row in matrix.rows:
        ind = row.indicator
        line: list[object] = [
            ind.name,
            ind.unit,
            ind.get_attribute_display(),
            ind.baseline_year,
            ind.baseline_value,
            ind.target_year,
            ind.target_value,
        ]
        for cell in row.cells:
            line += [cell.value, cell.status] if cell else [None, None]
        ws.append(text_row(ws, line))
    return workbook_bytes(wb)
