"""The results of a survey as an xlsx workbook (the same suppressed figures as the pages)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook

from planwatch.core.xlsx import workbook_bytes
from planwatch.surveys.selectors import Group, Results


def _group_rows(g: Group) -> list[list[object]]:
    if g.suppressed:
        return [[g.label, _("样本不足"), "", "", ""]]
    rate = round(g.rate * 100, 1) if g.rate is not None else ""
    rows: list[list[object]] = [[g.label, g.n, rate, "", ""]]
    rows += [["", "", "", lv.label, lv.count] for lv in g.levels]
    rows += [["", "", "", opt, count] for opt, count, _s in g.options]
    return rows


def results_xlsx(results: Results) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("问卷结果")
    s = results.survey
    ws.append([_("问卷"), s.title])
    ws.append([_("年度"), s.year])
    ws.append([_("范围"), s.plan.title if s.plan else s.org_unit.name])
    ws.append(
        [
            _("说明"),
            _("满意率 = 非常满意、满意、基本满意的答卷占比；少于 %(n)s 份的分组显示“样本不足”。")
            % {"n": results.min_group},
        ]
    )
    ws.append([])
    ws.append([_("分组"), _("答卷数"), _("满意率（%）"), _("评价/选项"), _("份数")])
    for row in _group_rows(results.overall):
        ws.append(row)
    ws.append([])
    ws.append([_("按地市州")])
    for g in results.shown_prefectures:
        for row in _group_rows(g):
            ws.append(row)
    if results.prefectures_hidden:
        ws.append([_("其余地市州"), _("样本不足")])
    ws.append([])
    ws.append([_("按问题")])
    for qr in results.questions:
        for row in _group_rows(qr.group):
            ws.append(row)
    return workbook_bytes(wb)
