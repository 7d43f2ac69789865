"""The indicator × year matrix of a place as xlsx: one row per indicator (name, unit,
attribute, baseline, target), one column per year with the value, and the status beside it."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font

from planwatch.core.xlsx import workbook_bytes
from planwatch.indicators.selectors import Matrix


def matrix_export(matrix: Matrix) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "监测指标"
    ws.append([f"{matrix.place.name}监测指标（方法版本 {matrix.method_version}）"])
    ws["A1"].font = Font(bold=True, size=14)
    header = ["指标", "单位", "属性", "基期", "基期值", "目标年份", "目标值"]
    for year in matrix.years:
        header += [f"{year}年", f"{year}年状态"]
    ws.append(header)
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
        ws.append(line)
    ws.freeze_panes = "B3"
    return workbook_bytes(wb)
