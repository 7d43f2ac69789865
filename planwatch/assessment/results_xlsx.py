"""The xlsx of a result edition in the usual layout (as the annual list's export): a title row
merged across the columns, a header row, one row per unit with its total, grade, rank and the
points of each item; A4 landscape fitted to the width, header rows repeated, panes frozen."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from planwatch.assessment.models import ResultEdition
from planwatch.core.xlsx import workbook_bytes
from planwatch.tasks.xlsx import HEADER_FONT, TITLE_FONT, apply_print_setup

GRADE_LABELS = {
    "excellent": "优秀",
    "good": "良好",
    "fair": "一般",
    "poor": "较差",
    "vetoed": "否决",
}


def edition_title(edition: ResultEdition) -> str:
    zone = f"（{edition.zone.name}）" if edition.zone else ""
    return f"{edition.scheme.title}{zone}考核结果 第{edition.number}版"


def export_disposition(edition: ResultEdition) -> str:
    name = f"{edition_title(edition)}.xlsx"
    return f"attachment; filename=\"assessment-{edition.pk}.xlsx\"; filename*=UTF-8''{quote(name)}"


def edition_export(edition: ResultEdition, scores: Any) -> bytes:
    scores = list(scores.prefetch_related("items"))
    codes: list[tuple[str, str]] = []
    for s in scores:
        for i in s.items.all():
            if (i.code, i.name) not in codes:
                codes.append((i.code, i.name))
    headers = [_("排名"), _("单位"), *[n for _c, n in codes], _("总分"), _("等次")]
    wb = Workbook()
    ws = wb.active
    ws.title = _("考核结果")
    ws.append([edition_title(edition)])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws["A1"].font = Font(name=TITLE_FONT, size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 36
    ws.append(headers)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for col in range(1, len(headers) + 1):
        cell = ws.cell(row=2, column=col)
        cell.font = Font(name=HEADER_FONT, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        ws.column_dimensions[get_column_letter(col)].width = 18 if col == 2 else 11
    for s in scores:
        pts = {i.code: i.points for i in s.items.all()}
        ws.append(
            [
                s.rank,
                s.unit.name,
                *[round(pts[c], 2) if c in pts else None for c, _n in codes],
                round(s.total, 2),
                GRADE_LABELS.get(s.grade, s.grade),
            ]
        )
        for col in range(1, len(headers) + 1):
            ws.cell(row=ws.max_row, column=col).border = border
    ws.freeze_panes = "C3"
    apply_print_setup(ws, len(headers))
    return workbook_bytes(wb)
