"""Issue 14's acceptance for joint meetings, tried in a real browser: the 川南 planner records
the zone's 联席会议 and two decisions, drafts the 纪要, names 宜宾 and 泸州 as co-issuers,
writes the marked passage and reviews it; 宜宾's and 泸州's head offices co-sign; the planner
issues it with its 文号. A decision not done by its deadline turns red (the daily run) and the
next quarterly 通报 counts and names it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from planwatch.documents.models import Document, JointMeeting
from tests.browser.conftest import PageErrors
from tests.browser.test_implementation_acceptance import log_in

pytestmark = pytest.mark.browser


def _click(page: Any, scope: Any, name: str) -> None:
    scope.get_by_role("button", name=name).first.click()
    page.wait_for_load_state()


def test_joint_meeting_minutes_and_bulletin(
    page: Any,
    live_server: Any,
    bundled_plans: list[Any],
    screenshot: Any,
    page_errors: PageErrors,
    chuannan_planner_user: User,
    yibin_reviewer_user: User,
    luzhou_reviewer_user: User,
) -> None:
    base = live_server.url
    log_in(page, base, "chuannan_planner")
    page.goto(f"{base}/meetings/")
    form = page.locator("#meeting-form")
    form.locator("select[name=zone]").select_option(label="川南经济区")
    form.locator("input[name=session]").fill("1")
    form.locator("input[name=held_on]").fill("2024-03-15")
    form.locator("select[name=host]").select_option(label="泸州市")
    form.locator("select[name=members]").select_option(label=["宜宾市", "泸州市"])
    form.locator("textarea[name=agenda]").fill("审议川南经济区2024年度工作安排")
    _click(page, form, "登记")
    meeting = JointMeeting.objects.get()
    for text, unit, deadline in (
        ("共建川南城际铁路", "宜宾市", "2024-06-30"),
        ("联合开展长江生态修复", "泸州市", "2030-12-31"),  # far ahead: green today
    ):
        form = page.locator("#decision-form")
        form.locator("textarea[name=text]").fill(text)
        form.locator("select[name=lead_unit]").select_option(label=unit)
        form.locator("input[name=deadline]").fill(deadline)
        _click(page, form, "登记议定事项")
    assert page.locator("#decisions tbody tr").count() == 2
    screenshot("documents-meeting")
    _click(page, page.locator("#minutes"), "起草会议纪要")
    doc = Document.objects.get(kind="minutes", meeting=meeting)
    assert page.locator("h1").inner_text() == "川南经济区联席会议第1次会议纪要"
    form = page.locator("#co-issuers-form")
    form.locator("select[name=units]").select_option(label=["宜宾市", "泸州市"])
    _click(page, form, "保存联合发文机关")
    page.locator("textarea[name=text_discussion]").fill("与会单位一致同意年度工作安排。")
    _click(page, page.locator("#texts-form"), "保存")
    _click(page, page.locator("#workflow"), "审核通过")
    assert page.locator("#status").inner_text() == "已审核"
    for user in ("yibin_reviewer", "luzhou_reviewer"):
        log_in(page, base, user)
        page.goto(f"{base}/documents/{doc.pk}/")
        _click(page, page.locator("#co-issuers"), "会签")
    log_in(page, base, "chuannan_planner")
    page.goto(f"{base}/documents/{doc.pk}/")
    assert page.locator("#co-issuers").inner_text().count("已会签") == 2
    form = page.locator("#issue-form")
    form.locator("input[name=number]").fill("川发改〔2024〕30号")
    _click(page, form, "印发")
    assert page.locator("#status").inner_text() == "已印发"
    screenshot("documents-minutes-issued")
    doc.refresh_from_db()
    assert doc.authorities[0] == "四川省发展和改革委员会"
    assert sorted(doc.authorities[1:]) == sorted(["宜宾市", "泸州市"])

    call_command("document", "decision-lights", "--today", "2024-07-02")
    page.goto(f"{base}/meetings/{meeting.pk}/")
    lights = page.locator("#decisions [data-light]")
    assert [lights.nth(i).get_attribute("data-light") for i in range(2)] == ["red", "green"]
    page.goto(f"{base}/documents/")
    form = page.locator("#create-form")
    form.locator("select[name=kind]").select_option(value="bulletin")
    form.locator("select[name=plan]").select_option(
        label=meeting.plan.title if meeting.plan else ""
    )
    form.locator("input[name=year]").fill("2024")
    form.locator("input[name=quarter]").fill("3")
    _click(page, form, "起草")
    figures = page.locator("#figures").inner_text()
    assert "逾期未完成的议定事项数\t1" in figures
    screenshot("documents-bulletin")
    assert not page_errors
