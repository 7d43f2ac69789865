"""Issue 4's acceptance, tried as new users would in a real browser: a planner generates the
2024 list for 川南, exports it, completes it in a spreadsheet and imports it back, then issues
it; a 宜宾 reporter reports with evidence; the 宜宾 reviewer returns it, then approves it; the
planner accepts it; a 泸州 reporter can neither see nor change it; after the deadline the task
is red, a 督办 case is opened, and its notifications and reminders appear."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from openpyxl import load_workbook

from planwatch.orgunits.models import OrgUnit
from planwatch.reports.models import ProgressReport
from planwatch.supervision.jobs import supervise_run
from planwatch.supervision.models import SupervisionCase, TaskLight
from planwatch.tasks.models import AnnualList, Task
from tests.browser.conftest import PageErrors
from tests.factories.personas import PASSWORD

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def log_in(page: Any, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("登录名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def _complete_in_spreadsheet(path: Path) -> None:
    """What a planner does in the exported file: a criterion for every task; the first task
    for 宜宾 alone."""
    wb = load_workbook(path)
    ws = wb.active
    for row in range(3, ws.max_row + 1):
        ws.cell(row=row, column=9, value="完成年度建设任务")
    ws["E3"] = "宜宾市"
    wb.save(path)


def _plan_the_list(page: Any, base: str, tmp_path: Path) -> Task:
    log_in(page, base, "chuannan_planner")
    page.goto(f"{base}/lists/")
    page.select_option("#id_plan", label="川南经济区“十四五”一体化发展规划")
    page.fill("#id_year", "2024")
    page.get_by_role("button", name="生成").click()
    page.wait_for_load_state()
    assert "缺少完成标准" in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 xlsx").click()
    path = tmp_path / "list.xlsx"
    download.value.save_as(str(path))
    _complete_in_spreadsheet(path)
    page.set_input_files("input[name=file]", str(path))
    page.get_by_role("button", name="导入 xlsx").click()
    page.wait_for_load_state()
    assert "导入完成" in page.content()
    # 下达清单 asks for confirmation first; the planner confirms.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="下达清单").click()
    page.wait_for_load_state()
    assert "清单已下达" in page.content()
    return Task.objects.get(annual_list__year=2024, seq=1)


def _report(page: Any, base: str, task: Task, tmp_path: Path) -> ProgressReport:
    log_in(page, base, "yibin_reporter")
    page.goto(f"{base}/tasks/")
    page.get_by_role("link", name=task.title).click()
    page.locator("form[action$='/reports/start/'] button").first.click()
    page.wait_for_load_state()
    page.fill("#id_completion", "30")
    page.fill("#id_narrative", "已完成可研批复，正在开展初步设计。")
    page.get_by_role("button", name="保存").click()
    evidence = tmp_path / "批复文件.pdf"
    evidence.write_bytes(PDF)
    page.set_input_files("input[name=file]", str(evidence))
    page.get_by_role("button", name="上传").click()
    assert page.get_by_role("link", name="批复文件.pdf").is_visible()
    page.get_by_role("button", name="报送").click()
    page.wait_for_load_state()
    return ProgressReport.objects.get(task=task)


def _review(page: Any, base: str, report: ProgressReport) -> None:
    url = f"{base}/reports/{report.pk}/"
    log_in(page, base, "yibin_reviewer")
    page.goto(url)
    page.locator("form[action$='/unit_return/'] textarea").fill("请补充初步设计进度")
    page.locator("form[action$='/unit_return/'] button").click()
    page.wait_for_load_state()
    log_in(page, base, "yibin_reporter")
    page.goto(url)
    assert "请补充初步设计进度" in page.content()
    page.fill("#id_narrative", "已完成可研批复，初步设计完成 60%。")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("button", name="报送").click()
    log_in(page, base, "yibin_reviewer")
    page.goto(url)
    page.get_by_role("button", name="审核通过").click()
    log_in(page, base, "chuannan_planner")
    page.goto(url)
    page.get_by_role("button", name="采纳").click()
    page.wait_for_load_state()
    assert "已采纳" in page.content()


def test_list_report_review_and_supervision(
    page: Any,
    live_server: Any,
    bundled_plans: list[Any],
    persona_units: dict[str, OrgUnit],
    tmp_path: Path,
    screenshot: Any,
    page_errors: PageErrors,
    settings: Any,
    chuannan_planner_user: User,
    yibin_reporter_user: User,
    yibin_reviewer_user: User,
    luzhou_reporter_user: User,
    chuannan_leader_user: User,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # evidence files stay out of var/media
    base = live_server.url
    units = {u.code: u for u in OrgUnit.objects.all()}
    assert "zone:south-sichuan" in units

    task = _plan_the_list(page, base, tmp_path)
    screenshot("impl-list-issued")
    report = _report(page, base, task, tmp_path)
    _review(page, base, report)
    screenshot("impl-report-accepted")
    report.refresh_from_db()
    assert report.status == "accepted" and report.history.count() == 5

    assert page_errors == []
    log_in(page, base, "luzhou_reporter")
    page.goto(f"{base}/tasks/")
    assert page.get_by_role("link", name=task.title).count() == 0
    assert page.goto(f"{base}/tasks/{task.pk}/").status == 404
    assert page.goto(f"{base}/reports/{report.pk}/").status == 404
    page_errors.clear()  # the two 404s just asked for

    # The scheduled job, run after the deadline: the task is red and a case is opened.
    supervise_run(today=date(2025, 1, 3), now=datetime(2025, 1, 3, 1, tzinfo=UTC))
    assert TaskLight.objects.get(task=task).light == "red"
    case = SupervisionCase.objects.get(task=task)
    log_in(page, base, "chuannan_planner")
    page.goto(f"{base}/tasks/")
    assert page.locator("tr", has_text=task.title).locator(".light-red").count() == 1
    page.goto(f"{base}/cases/{case.pk}/")
    page.select_option("#case-unit", label="宜宾市")
    page.get_by_role("button", name="交办").click()
    page.wait_for_load_state()
    log_in(page, base, "yibin_reporter")
    page.goto(f"{base}/notifications/")
    html = page.content()
    assert "督办交办" in html and "催办" in html  # the case, and the Q4 report reminder
    screenshot("impl-notifications")
    assert AnnualList.objects.get(year=2024).status == "issued"
    assert page_errors == []
