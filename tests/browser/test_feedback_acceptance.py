"""Messages in Chromium (issue 13, acceptance): on a phone-sized window an anonymous visitor
leaves a complaint on a published 川南 task and keeps the receipt code; the 川南 planner
accepts it; the 宜宾 unit's reporter answers it; the answer appears publicly and on the
receipt page. A second message left unanswered past its deadline has opened a 督办 case —
the clock passed to the daily job, not waited for."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from planwatch.accounts.choices import Role
from planwatch.feedback import services
from planwatch.feedback.jobs import feedback_overdue_run
from planwatch.feedback.models import Message
from planwatch.supervision.models import SupervisionCase
from tests.browser.conftest import PageErrors
from tests.factories import implementation as f
from tests.factories.personas import PASSWORD, make_user
from tests.feedback.factories import chuannan_published

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def log_in(page: Any, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("登录名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_a_complaint_is_moderated_answered_and_shown(
    page: Any, live_server: Any, page_errors: PageErrors, screenshot: Any
) -> None:
    units = f.make_units()
    plan = f.make_plan(units)
    planner = make_user("chuannan_planner", (units.chuannan, Role.PLANNER))
    make_user("yibin_reporter", (units.yibin, Role.REPORTER))
    task = chuannan_published(plan, planner, units).tasks.get(clause_key="c3.p1")
    base = live_server.url

    # an anonymous visitor on a phone
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/gongkai/liuyan/new?kind=task&id={task.pk}")
    assert fits(page)
    page.get_by_label("投诉").check()
    page.get_by_label("标题").fill("城际铁路施工噪音扰民")
    page.get_by_label("内容").fill("宜宾段夜间施工噪音很大，请合理安排施工时间。")
    page.get_by_label("联系方式（选填）").fill("13812345678")
    screenshot("feedback-phone-form")
    with page.expect_navigation():
        page.get_by_role("button", name="提交留言").click()
    assert page.get_by_text("留言已提交").is_visible()
    code = page.locator("#receipt-code").inner_text()
    receipt_url = page.url
    assert code in receipt_url and page.locator("#message-status").inner_text() == "待审核"
    assert fits(page)
    screenshot("feedback-phone-receipt")
    public_url = f"{base}/gongkai/liuyan/?kind=task&id={task.pk}"
    page.goto(public_url)
    assert "城际铁路施工噪音扰民" not in page.content()  # not before moderation

    # the 川南 planner accepts it
    log_in(page, base, "chuannan_planner")
    page.goto(f"{base}/feedback/moderation/")
    page.get_by_role("link", name="【投诉】城际铁路施工噪音扰民").click()
    assert page.locator("#contact").inner_text() == "138****5678"
    with page.expect_navigation():
        page.get_by_role("button", name="受理并公开").click()
    assert page.get_by_text("留言已受理").is_visible()

    # the 宜宾 unit's reporter answers it
    log_in(page, base, "yibin_reporter")
    page.goto(f"{base}/feedback/handling/")
    page.get_by_role("link", name="【投诉】城际铁路施工噪音扰民").click()
    page.get_by_label("答复内容").fill("已要求施工单位22时后停止高噪音作业。")
    with page.expect_navigation():
        page.get_by_role("button", name="公开答复").click()
    assert page.get_by_text("答复已公开").is_visible()
    assert page.locator("#contact").inner_text() == "13812345678"  # the handler sees it

    # the answer appears publicly, and on the visitor's receipt page
    page.context.clear_cookies()
    page.goto(public_url)
    assert page.get_by_text("已要求施工单位22时后停止高噪音作业。").is_visible()
    assert "13812345678" not in page.content() and "138****" not in page.content()
    assert fits(page)
    page.goto(receipt_url)
    assert page.locator("#message-status").inner_text() == "已答复"
    page.get_by_label("满意", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="提交评价").click()
    assert page.get_by_text("感谢您的评价").is_visible()
    screenshot("feedback-phone-answered")

    # a second message, accepted on 27 September 2024 and never answered
    second, _code = services.message_submit(
        kind="question",
        subject_kind="task",
        subject_id=task.pk,
        title="城际铁路何时通车",
        body="请问宜宾至泸州城际铁路预计何时通车？",
        client="198.51.100.20",
    )
    shanghai = dt.timezone(dt.timedelta(hours=8))
    services.message_moderate(
        message=second,
        actor=planner,
        accept=True,
        now=dt.datetime(2024, 9, 27, 10, tzinfo=shanghai),
    )
    feedback_overdue_run(today=dt.date(2024, 10, 24))  # the clock passed in
    second.refresh_from_db()
    case = SupervisionCase.objects.get()
    assert second.overdue_case == case and case.unit == units.yibin
    assert Message.objects.get(title="城际铁路施工噪音扰民").overdue_case is None
    log_in(page, base, "chuannan_planner")
    page.goto(f"{base}/feedback/messages/{second.pk}/")
    page.get_by_role("link", name="逾期未答复，已立项督办").click()
    assert "留言逾期未答复：城际铁路何时通车" in page.content()
    assert page_errors == []
