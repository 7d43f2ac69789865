"""xlsx export and import of annual lists, through real files written and read by openpyxl."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook, load_workbook

from planwatch.audit.models import AuditEvent
from planwatch.core.workflow import ServiceError
from planwatch.plans.models import Plan
from planwatch.tasks.models import AnnualList, Task
from planwatch.tasks.services import annual_list_check, task_drafts_generate
from planwatch.tasks.xlsx import (
    HEADERS,
    ImportFailed,
    annual_list_export,
    annual_list_import,
    parse_date,
)
from tests.factories.implementation import Units


@pytest.fixture
def drafted(plan: Plan, chuannan_planner_user: Any) -> AnnualList:
    return task_drafts_generate(plan=plan, year=2024, actor=chuannan_planner_user).annual_list


def _export_to(path: Path, annual_list: AnnualList) -> Path:
    path.write_bytes(annual_list_export(annual_list=annual_list, progress={}))
    return path


def test_export_has_government_layout(drafted: AnnualList, tmp_path: Path) -> None:
    wb = load_workbook(_export_to(tmp_path / "list.xlsx", drafted))
    ws = wb.active
    assert ws["A1"].value == "chuannan经济区“十四五”发展规划2024年重点任务清单"
    assert "A1:I1" in {str(r) for r in ws.merged_cells.ranges}
    headers = [c.value for c in ws[2]]
    assert tuple(headers[:7]) == HEADERS and headers[7:] == ["配合单位", "完成标准"]
    first = [c.value for c in ws[3]]
    assert first[0] == 1 and first[1] == "建设川南城际铁路网。"
    assert first[3] == "省交通运输厅" and first[4] == "宜宾市"
    assert first[5] == datetime(2024, 12, 31) and ws["F3"].number_format == 'yyyy"年"m"月"d"日"'
    second = [c.value for c in ws[4]]
    assert second[4] in ("宜宾市、泸州市", "泸州市、宜宾市")
    assert ws.max_row == 6


def test_round_trip_edit_in_spreadsheet_and_import(
    drafted: AnnualList, chuannan_planner_user: Any, units: Units, tmp_path: Path
) -> None:
    path = _export_to(tmp_path / "list.xlsx", drafted)
    wb = load_workbook(path)
    ws = wb.active
    for row in range(3, 7):
        ws.cell(row=row, column=9, value=f"第{row}行完成标准")
    ws["E3"] = "宜宾、泸州市"  # short and full names, the way people type them
    ws["F3"] = "2024年9月30日"
    ws["H3"] = "省生态环境厅"
    ws["F4"] = "2024年6月底"
    ws.append(
        [5, "新增：川南港口联动", "泸州港与宜宾港协同。", "省交通运输厅", "泸州市", "2024-11-30"]
    )
    ws["I7"] = "完成联动方案"
    wb.save(path)

    result = annual_list_import(
        annual_list=drafted, actor=chuannan_planner_user, data=path.read_bytes()
    )

    assert (result.created, result.updated, result.unchanged) == (1, 4, 0)
    rail = drafted.tasks.get(seq=1)
    assert set(rail.responsible_units.all()) == {units.yibin, units.luzhou}
    assert rail.deadline == date(2024, 9, 30) and rail.criterion == "第3行完成标准"
    assert list(rail.supporting_units.all()) == [units.ecology]
    assert drafted.tasks.get(seq=2).deadline == date(2024, 6, 30)
    new = drafted.tasks.get(seq=5)
    assert new.title == "新增：川南港口联动" and new.lead_unit == units.transport
    assert annual_list_check(annual_list=drafted) == []
    event = AuditEvent.objects.get(action="annual_list.import")
    assert event.new is not None and event.new["created"] == 1 and event.new["rows"] == 5
    # Exported again and re-imported unchanged: nothing to do.
    again = annual_list_import(
        annual_list=drafted,
        actor=chuannan_planner_user,
        data=annual_list_export(annual_list=drafted),
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)


def test_bad_rows_are_all_named_and_nothing_is_applied(
    drafted: AnnualList, chuannan_planner_user: Any, tmp_path: Path
) -> None:
    path = _export_to(tmp_path / "list.xlsx", drafted)
    wb = load_workbook(path)
    ws = wb.active
    ws["I3"] = "改了也不应生效"
    ws["E4"] = "宜宾市、不存在市"
    ws["F5"] = "2024年2月30日"
    ws["B6"] = None
    ws["F6"] = "明年"
    ws.append([1, "重复序号", "", "省发展改革委", "泸州市", "2024-12-31"])
    ws.append(["二", "序号不对", "", "省发展改革委", "泸州市", "2024-12-31"])
    wb.save(path)
    before = list(Task.objects.values_list("pk", "criterion", "version"))

    with pytest.raises(ImportFailed) as exc:
        annual_list_import(annual_list=drafted, actor=chuannan_planner_user, data=path.read_bytes())

    messages = [str(e) for e in exc.value.errors]
    assert "第 4 行 E 列（责任单位）：未知单位“不存在市”" in messages
    assert "第 5 行 F 列（完成时限）：日期不存在：2024年2月30日" in messages
    assert "第 6 行 B 列（重点任务）：必填项为空" in messages
    assert any(m.startswith("第 6 行 F 列（完成时限）：无法识别的日期") for m in messages)
    assert "第 7 行 A 列（序号）：序号与第 3 行重复" in messages
    assert "第 8 行 A 列（序号）：序号应为正整数：“二”" in messages
    assert len(messages) == 6
    assert list(Task.objects.values_list("pk", "criterion", "version")) == before
    assert not AuditEvent.objects.filter(action="annual_list.import").exists()


def test_not_a_workbook_and_missing_columns(
    drafted: AnnualList, chuannan_planner_user: Any, tmp_path: Path
) -> None:
    with pytest.raises(ImportFailed) as exc:
        annual_list_import(
            annual_list=drafted, actor=chuannan_planner_user, data=b"%PDF-1.7 not xlsx"
        )
    assert "不是有效的 xlsx 文件" in str(exc.value.errors[0])
    wb = Workbook()
    wb.active.append(["序号", "重点任务", "具体内容"])
    path = tmp_path / "short.xlsx"
    wb.save(path)
    with pytest.raises(ImportFailed) as exc:
        annual_list_import(annual_list=drafted, actor=chuannan_planner_user, data=path.read_bytes())
    assert "缺少列：牵头单位、责任单位、完成时限" in str(exc.value.errors[0])


def test_import_denied_and_refused_when_locked(
    drafted: AnnualList, issued: AnnualList, chuannan_planner_user: Any, yibin_reporter_user: Any
) -> None:
    data = annual_list_export(annual_list=drafted)
    with pytest.raises(PermissionDenied):
        annual_list_import(annual_list=drafted, actor=yibin_reporter_user, data=data)
    with pytest.raises(ServiceError):
        annual_list_import(annual_list=issued, actor=chuannan_planner_user, data=data)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年12月31日", date(2024, 12, 31)),
        ("2024 年 3 月 5 日前", date(2024, 3, 5)),
        ("2024/3/5", date(2024, 3, 5)),
        ("2024年2月底", date(2024, 2, 29)),
        ("2024年底", date(2024, 12, 31)),
        (datetime(2024, 5, 1, 0, 0), date(2024, 5, 1)),
    ],
)
def test_parse_date(text: Any, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2024年13月", "年底", "2024-02-30", "45657"])
def test_parse_date_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


def test_export_fills_progress_from_accepted_reports(
    issued: AnnualList,
    units: Units,
    yibin_reporter_user: Any,
    yibin_reviewer_user: Any,
    chuannan_planner_user: Any,
    tmp_path: Path,
) -> None:
    from planwatch.reports.services import (
        progress_report_accept,
        progress_report_approve,
        progress_report_start,
        progress_report_submit,
        progress_report_update,
    )

    task = issued.tasks.get(seq=1)
    r = progress_report_start(
        task=task, unit=units.yibin, period_start=date(2024, 1, 1), actor=yibin_reporter_user
    )
    progress_report_update(
        report=r,
        actor=yibin_reporter_user,
        version=r.version,
        completion=30,
        progress_status="in_progress",
        narrative="完成可研批复",
    )
    progress_report_submit(report=r, actor=yibin_reporter_user)
    progress_report_approve(report=r, actor=yibin_reviewer_user)
    progress_report_accept(report=r, actor=chuannan_planner_user)
    path = tmp_path / "progress.xlsx"
    path.write_bytes(annual_list_export(annual_list=issued))
    ws = load_workbook(path).active
    assert ws["G3"].value == "宜宾市（2024Q1，30.0%）：完成可研批复"
    assert ws["G4"].value in (None, "")


def test_import_audits_each_changed_task_and_names_a_refused_row(
    drafted: AnnualList, chuannan_planner_user: Any, units: Units, tmp_path: Path
) -> None:
    path = _export_to(tmp_path / "list.xlsx", drafted)
    wb = load_workbook(path)
    ws = wb.active
    ws["E3"] = "泸州市"
    ws["I4"] = "完成赤水河治理"
    wb.save(path)
    result = annual_list_import(
        annual_list=drafted, actor=chuannan_planner_user, data=path.read_bytes()
    )
    assert (result.updated, result.unchanged) == (2, 2)
    events = {e.target_id: e for e in AuditEvent.objects.filter(action="task.update")}
    rail, other = drafted.tasks.get(seq=1), drafted.tasks.get(seq=2)
    assert events[str(rail.pk)].old == {"responsible_units": ["宜宾市"]}
    assert events[str(rail.pk)].new == {"responsible_units": ["泸州市"]}
    assert events[str(other.pk)].new == {"criterion": "完成赤水河治理"}
    assert rail.version == 2 and list(rail.responsible_units.all()) == [units.luzhou]

    ws["F5"] = "2023年12月31日"  # before the task's start (2024年1月1日)
    ws["I3"] = "不应生效"
    wb.save(path)
    with pytest.raises(ImportFailed) as exc:
        annual_list_import(annual_list=drafted, actor=chuannan_planner_user, data=path.read_bytes())
    assert [str(e) for e in exc.value.errors] == ["第 5 行：完成时限不能早于开始日期。"]
    rail.refresh_from_db()
    assert rail.criterion == "" and AuditEvent.objects.filter(action="task.update").count() == 2
