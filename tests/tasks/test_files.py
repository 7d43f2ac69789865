"""Files people pass on (issue 9, item 11): the exported list prints as it should, in a
Chinese body font, under a name people recognise; the import reads what real lists contain
(several lead units in one cell, a unit's usual full name, 长期坚持/持续推进 as 完成时限) and
stays all-or-nothing; tasks without an end date are supervised by period."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from planwatch.orgunits.aliases import sync_aliases
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit, OrgUnitAlias
from planwatch.plans.models import Plan
from planwatch.reports.services import (
    progress_report_start,
    progress_report_submit,
    progress_report_update,
)
from planwatch.supervision.choices import Light
from planwatch.supervision.lights import task_light
from planwatch.tasks.models import AnnualList, Task
from planwatch.tasks.services import annual_list_check, annual_list_issue, task_drafts_generate
from planwatch.tasks.xlsx import (
    ImportFailed,
    annual_list_export,
    annual_list_import,
    export_filename,
)
from tests.factories.implementation import Units, complete_tasks


@pytest.fixture
def drafted(plan: Plan, chuannan_planner_user: Any) -> AnnualList:
    return task_drafts_generate(plan=plan, year=2024, actor=chuannan_planner_user).annual_list


def _workbook(annual_list: AnnualList) -> Any:
    return load_workbook(io.BytesIO(annual_list_export(annual_list=annual_list, progress={})))


def _edited(annual_list: AnnualList, tmp_path: Path, cells: dict[str, Any]) -> bytes:
    wb = _workbook(annual_list)
    for ref, value in cells.items():
        wb.active[ref] = value
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    return path.read_bytes()


# ---- export ---------------------------------------------------------------------------------


def test_export_prints_a4_landscape_fit_to_width_with_repeated_header(
    drafted: AnnualList,
) -> None:
    ws = _workbook(drafted).active
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    # The title and header rows are printed again at the top of every page.
    assert ws.print_title_rows == "$1:$2"
    assert ws.print_area == "'2024年重点任务'!$A$1:$I$6"


def test_export_uses_chinese_fonts(drafted: AnnualList) -> None:
    ws = _workbook(drafted).active
    body = [c for row in ws.iter_rows(min_row=3) for c in row]
    assert body and {c.font.name for c in body} == {"宋体"}
    assert {c.font.name for c in ws[2]} == {"黑体"}
    assert ws["A1"].font.name == "方正小标宋简体"


def test_export_file_name_is_the_one_people_know(
    drafted: AnnualList, chuannan_planner: Client, units: Units
) -> None:
    assert export_filename(drafted) == "川南经济区2024年重点任务清单.xlsx"
    response = chuannan_planner.get(reverse("tasks:list_export", args=[drafted.pk]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    # An ASCII fallback first, then the real name (RFC 5987 encoding, as RFC 6266 allows).
    assert f'filename="annual-list-2024-{drafted.pk}.xlsx"' in disposition
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == "川南经济区2024年重点任务清单.xlsx"
    assert encoded.isascii()


# ---- import ---------------------------------------------------------------------------------


def test_import_several_lead_units_in_one_cell(
    drafted: AnnualList, chuannan_planner_user: Any, units: Units, tmp_path: Path
) -> None:
    data = _edited(drafted, tmp_path, {"D3": "省发展改革委、省交通运输厅"})
    annual_list_import(annual_list=drafted, actor=chuannan_planner_user, data=data)
    rail = drafted.tasks.get(seq=1)
    assert rail.lead_unit == units.ndrc
    assert list(rail.co_lead_units.all()) == [units.transport]
    # And it goes out the way it came in.
    assert _workbook(drafted).active["D3"].value == "省发展改革委、省交通运输厅"


def test_import_reads_a_units_usual_full_name(
    drafted: AnnualList, chuannan_planner_user: Any, units: Units, tmp_path: Path
) -> None:
    sync_aliases(OrgUnit, OrgUnitAlias)  # as loading the reference data does
    OrgUnitAlias.objects.create(org_unit=units.ecology, name="省生态厅")
    data = _edited(drafted, tmp_path, {"E3": "宜宾市人民政府、泸州市政府", "H3": "省生态厅"})
    annual_list_import(annual_list=drafted, actor=chuannan_planner_user, data=data)
    rail = drafted.tasks.get(seq=1)
    assert set(rail.responsible_units.all()) == {units.yibin, units.luzhou}
    assert list(rail.supporting_units.all()) == [units.ecology]


def test_alias_shared_by_two_units_is_reported_not_guessed(
    drafted: AnnualList, chuannan_planner_user: Any, units: Units, tmp_path: Path
) -> None:
    sync_aliases(OrgUnit, OrgUnitAlias)
    other = OrgUnit.objects.create(
        code="511599", name="宜宾市", short_name="", kind=OrgUnitKind.COUNTY,
        parent=units.luzhou, path=f"{units.luzhou.path}511599/",
    )  # fmt: skip
    OrgUnitAlias.objects.create(org_unit=other, name="宜宾市人民政府")
    data = _edited(drafted, tmp_path, {"E3": "宜宾市人民政府"})
    with pytest.raises(ImportFailed) as caught:
        annual_list_import(annual_list=drafted, actor=chuannan_planner_user, data=data)
    assert "第 3 行 E 列（责任单位）" in str(caught.value.errors[0])
    assert "不唯一" in str(caught.value.errors[0])


@pytest.mark.parametrize("written", ["长期坚持", "持续推进", " 持续推进。"])
def test_import_ongoing_deadline_is_stored_as_written(
    drafted: AnnualList, chuannan_planner_user: Any, units: Units, tmp_path: Path, written: str
) -> None:
    data = _edited(drafted, tmp_path, {"F3": written})
    annual_list_import(annual_list=drafted, actor=chuannan_planner_user, data=data)
    rail = drafted.tasks.get(seq=1)
    assert rail.deadline is None and rail.deadline_text == written.strip(" 。")
    assert rail.is_ongoing
    # It counts as a deadline for the completeness check, and goes out as written.
    assert not [f for f in annual_list_check(annual_list=drafted) if f.seq == 1 and
                f.field == "deadline"]  # fmt: skip
    assert _workbook(drafted).active["F3"].value == written.strip(" 。")


def test_import_stays_all_or_nothing_and_names_bad_rows(
    drafted: AnnualList, chuannan_planner_user: Any, units: Units, tmp_path: Path
) -> None:
    before = list(drafted.tasks.order_by("seq").values_list("title", "deadline", "lead_unit"))
    data = _edited(
        drafted,
        tmp_path,
        {
            "B3": "改过的标题",  # a good change on row 3 …
            "D4": "省发展改革委、某某局",  # … an unknown co-lead on row 4
            "F5": "明年再说",  # … and a deadline that is neither a date nor 长期坚持
        },
    )
    with pytest.raises(ImportFailed) as caught:
        annual_list_import(annual_list=drafted, actor=chuannan_planner_user, data=data)
    messages = [str(e) for e in caught.value.errors]
    assert any(m.startswith("第 4 行 D 列（牵头单位）") and "某某局" in m for m in messages)
    assert any(m.startswith("第 5 行 F 列（完成时限）") and "明年再说" in m for m in messages)
    after = list(drafted.tasks.order_by("seq").values_list("title", "deadline", "lead_unit"))
    assert after == before


# ---- supervised by period -------------------------------------------------------------------


@pytest.fixture
def ongoing(drafted: AnnualList, chuannan_planner_user: Any, units: Units, tmp_path: Path) -> Task:
    """The rail task of an issued list, 完成时限 长期坚持 (imported), reported quarterly."""
    complete_tasks(drafted, chuannan_planner_user, units)
    data = _edited(drafted, tmp_path, {"F3": "长期坚持"})
    annual_list_import(annual_list=drafted, actor=chuannan_planner_user, data=data)
    annual_list_issue(annual_list=drafted, actor=chuannan_planner_user)
    return Task.objects.select_related("annual_list").get(annual_list=drafted, seq=1)


def _file(task: Task, unit: Any, actor: Any, status: str = "in_progress") -> None:
    report = progress_report_start(task=task, unit=unit, period_start=date(2024, 1, 1), actor=actor)
    report = progress_report_update(
        report=report,
        actor=actor,
        version=report.version,
        completion=30,
        progress_status=status,
        narrative="持续推进中",
    )
    progress_report_submit(report=report, actor=actor)


def test_ongoing_task_is_red_when_the_due_period_is_not_reported(
    ongoing: Task, units: Units, yibin_reporter_user: Any
) -> None:
    result = task_light(ongoing, today=date(2024, 4, 10))
    assert result.light == Light.RED and "2024Q1" in result.reason
    # One of the two responsible units is not enough (the lead unit has not reported).
    _file(ongoing, units.yibin, yibin_reporter_user)
    assert task_light(ongoing, today=date(2024, 4, 10)).light == Light.RED


def test_ongoing_task_light_comes_from_the_current_report(
    ongoing: Task, units: Units, yibin_reporter_user: Any, luzhou_reporter_user: Any
) -> None:
    # Before the first report is due: nothing to hold against it.
    assert task_light(ongoing, today=date(2024, 2, 1)).light == Light.GREEN
    _file(ongoing, units.yibin, yibin_reporter_user)
    _file(ongoing, units.luzhou, luzhou_reporter_user)
    # Q1 filed by every responsible unit: green, far from any deadline (there is none) …
    green = task_light(ongoing, today=date(2024, 4, 10))
    assert green.light == Light.GREEN
    # … blue when the Q2 report is due within the warning window and not yet filed.
    blue = task_light(ongoing, today=date(2024, 6, 28))
    assert blue.light == Light.BLUE and "2024Q2" in blue.reason


def test_ongoing_task_reported_delayed_is_yellow(
    ongoing: Task, units: Units, yibin_reporter_user: Any, luzhou_reporter_user: Any
) -> None:
    _file(ongoing, units.yibin, yibin_reporter_user)
    _file(ongoing, units.luzhou, luzhou_reporter_user, status="delayed")
    assert task_light(ongoing, today=date(2024, 4, 10)).light == Light.YELLOW


# ---- the task form --------------------------------------------------------------------------


def _form(task: Task, **extra: Any) -> dict[str, Any]:
    return {
        "title": task.title,
        "content": task.content,
        "lead_unit": task.lead_unit_id or "",
        "responsible_units": [u.pk for u in task.responsible_units.all()],
        "start": "2024-01-01",
        "deadline": "",
        "criterion": "每季度报送",
        "weight": "1",
        "version": task.version,
        **extra,
    }


def test_task_form_sets_co_leads_and_an_ongoing_deadline(
    drafted: AnnualList, chuannan_planner: Client, units: Units
) -> None:
    task = drafted.tasks.get(seq=1)
    url = reverse("tasks:task_edit", args=[task.pk])
    response = chuannan_planner.post(
        url, _form(task, deadline_text="持续推进", co_lead_units=[units.ndrc.pk])
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.deadline is None and task.deadline_text == "持续推进"
    assert list(task.co_lead_units.all()) == [units.ndrc]
    page = chuannan_planner.get(reverse("tasks:task_detail", args=[task.pk])).content.decode()
    assert "持续推进" in page and "按报送期督办" in page
    assert "四川省发展和改革委员会" in page


def test_task_form_refuses_a_date_and_an_ongoing_deadline_together(
    drafted: AnnualList, chuannan_planner: Client
) -> None:
    task = drafted.tasks.get(seq=1)
    url = reverse("tasks:task_edit", args=[task.pk])
    response = chuannan_planner.post(
        url, _form(task, deadline="2024-12-31", deadline_text="长期坚持")
    )
    assert response.status_code == 400
    assert "不能再选择持续性时限" in response.content.decode()
    task.refresh_from_db()
    assert task.deadline_text == ""


def test_api_shows_the_ongoing_deadline_and_co_leads(
    drafted: AnnualList,
    chuannan_planner_user: Any,
    chuannan_planner: Client,
    units: Units,
    tmp_path: Path,
) -> None:
    data = _edited(drafted, tmp_path, {"D3": "省发展改革委、省交通运输厅", "F3": "长期坚持"})
    annual_list_import(annual_list=drafted, actor=chuannan_planner_user, data=data)
    rail = drafted.tasks.get(seq=1)
    body = chuannan_planner.get(f"/api/v1/tasks/{rail.pk}").json()
    assert body["deadline"] is None and body["deadline_text"] == "长期坚持"
    assert body["lead_unit"]["code"] == units.ndrc.code
    assert [u["code"] for u in body["co_lead_units"]] == [units.transport.code]
