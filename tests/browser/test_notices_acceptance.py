"""Issue 16's acceptance for task-division notices, in Chromium against the live server: the
川南 planner uploads a notice as a Word document, sees what it proposes (nothing stored yet),
maps the two unit names the organisation tree does not know — one to a unit, one to a group —
confirms the draft as the plan's 2025 list, and issues that list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planwatch.accounts.choices import Role
from planwatch.notices.models import NoticeBatch, NoticeTaskSource, UnitMapping
from planwatch.tasks.models import AnnualList, Task
from tests.browser.conftest import PageErrors
from tests.browser.test_implementation_acceptance import log_in
from tests.factories import implementation as f
from tests.factories.notices import UNKNOWN, notice_docx
from tests.factories.personas import make_user

pytestmark = pytest.mark.browser


def test_upload_map_confirm_and_issue(
    page: Any, live_server: Any, page_errors: PageErrors, screenshot: Any, tmp_path: Path
) -> None:
    base = live_server.url
    units = f.make_units()
    plan = f.make_plan(units)
    make_user("chuannan_planner", (units.chuannan, Role.PLANNER))
    notice = tmp_path / "川南经济区2025年重点工作任务分解方案.docx"
    notice.write_bytes(notice_docx())
    log_in(page, base, "chuannan_planner")

    page.goto(f"{base}/notices/")
    page.get_by_label("规划").select_option(label=plan.title)
    page.get_by_label("年度").fill("2025")
    page.set_input_files("input[name=file]", str(notice))
    screenshot("notices-upload")
    page.get_by_role("button", name="读取").click()
    page.wait_for_load_state()
    assert "未确认的草稿" in page.content()
    assert page.locator("#items tbody tr").count() == 3
    assert not Task.objects.exists()  # nothing stored before the planner confirms
    unknown = page.locator("form.map-form")
    assert [unknown.nth(i).get_attribute("data-name") for i in range(2)] == UNKNOWN
    assert page.get_by_role("button", name="确认并写入清单").is_disabled()
    screenshot("notices-review-unmapped")

    # 市发展改革委 is, for this plan, the 宜宾 government: chosen in the unit picker.
    form = page.locator("form.map-form[data-name='市发展改革委']")
    form.locator(".ts-control").click()
    page.keyboard.type("宜宾")
    option = page.locator(".ts-dropdown .option:visible").get_by_text("宜宾市", exact=True)
    option.click()
    assert form.locator("select[name=org_unit]").input_value() == str(units.yibin.pk)
    form.get_by_role("button", name="保存对应").click()
    page.wait_for_load_state()
    assert "已记住" in page.content()
    # 各街道 stands for several units: the counties under the plan's unit.
    form = page.locator("form.map-form[data-name='各街道']")
    form.locator("select[name=group]").select_option("counties")
    form.get_by_role("button", name="保存对应").click()
    page.wait_for_load_state()
    assert page.locator("form.map-form").count() == 0
    assert UnitMapping.objects.get(name="市发展改革委").org_unit == units.yibin
    screenshot("notices-review-mapped")

    page.get_by_label("作为该年度的草稿清单").check()
    page.get_by_role("button", name="确认并写入清单").click()
    page.wait_for_load_state()
    alist = AnnualList.objects.get(plan=plan, year=2025)
    assert page.url.endswith(f"/lists/{alist.pk}/")
    assert alist.tasks.count() == 3
    assert NoticeBatch.objects.get().status == "confirmed"
    council = Task.objects.get(title="建立川南联席会议制度")
    source = NoticeTaskSource.objects.get(task=council)
    assert (source.line, source.deadline_as_written) == (11, "6月底前")
    assert str(council.deadline) == "2025-06-30"
    screenshot("notices-list-draft")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="下达清单").click()
    page.wait_for_load_state()
    assert "清单已下达" in page.content()
    alist.refresh_from_db()
    assert alist.status == "issued"
    assert set(alist.tasks.values_list("status", flat=True)) == {"active"}
    screenshot("notices-list-issued")
    assert page_errors == []
