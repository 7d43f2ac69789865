"""Issue 13's acceptance in one run, in Chromium against the live server: a 川南 planner
publishes the 2024 list from its page; an anonymous visitor on a phone-sized window (390×844)
finds a task through the portal and reads it, rates the 川南 survey, and leaves a complaint on
the task from the task's own page; the planner (the moderator) accepts it; the 宜宾 unit's
reporter answers it; the answer appears under the task's messages on the portal. A second
message left unanswered past its deadline has opened a 督办 case — the clock passed to the
daily job, not waited for. (Each part is tested at length in test_portal.py,
test_surveys_acceptance.py and test_feedback_acceptance.py.)"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from planwatch.accounts.choices import Role
from planwatch.feedback import services as feedback
from planwatch.feedback.jobs import feedback_overdue_run
from planwatch.feedback.models import Message
from planwatch.publication.selectors import is_public
from planwatch.supervision.models import SupervisionCase
from planwatch.surveys import services as surveys
from planwatch.surveys.models import Response
from planwatch.tasks.services import annual_list_issue, task_drafts_generate, task_update
from tests.browser.conftest import PageErrors
from tests.factories import implementation as f
from tests.factories.personas import PASSWORD, make_user

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


def log_in(page: Any, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("登录名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def test_publish_read_rate_complain_answer_and_supervise(
    page: Any, browser: Any, live_server: Any, page_errors: PageErrors, screenshot: Any
) -> None:
    base = live_server.url
    units = f.make_units()
    plan = f.make_plan(units)
    planner = make_user("chuannan_planner", (units.chuannan, Role.PLANNER))
    make_user("yibin_reporter", (units.yibin, Role.REPORTER))
    drafted = task_drafts_generate(plan=plan, year=2024, actor=planner)
    alist = drafted.annual_list
    f.complete_tasks(alist, planner, units)
    task = alist.tasks.get(clause_key="c3.p1")
    task_update(task=task, actor=planner, changes={"lead_unit": units.yibin})
    annual_list_issue(annual_list=alist, actor=planner)
    survey = surveys.survey_create(
        actor=planner, title="川南经济区规划实施满意度调查", year=2024, plan=plan
    )
    surveys.survey_open(actor=planner, survey=survey)
    assert not is_public(task)

    # the planner publishes the 2024 list from its page
    log_in(page, base, "chuannan_planner")
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{base}/lists/{alist.pk}/")
    page.get_by_role("button", name="公开整份清单").click()
    page.wait_for_load_state()
    assert "已公开发布" in page.content() and is_public(task)

    # an anonymous visitor on a phone
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True)
    context.set_default_timeout(15_000)
    phone = context.new_page()
    phone.on("console", lambda m: page_errors.append(m.text) if m.type == "error" else None)
    phone.on("pageerror", lambda exc: page_errors.append(str(exc)))
    widths: dict[str, int] = {}
    try:
        phone.goto(f"{base}/gongkai/")
        phone.get_by_role("link", name="川南经济区").first.click()
        phone.get_by_role("link", name=task.title).first.click()
        phone.wait_for_load_state()
        widths["task"] = phone.evaluate(WIDTH)
        assert task.title in phone.content() and "牵头单位" in phone.content()
        task_url = phone.url
        screenshot("acceptance-phone-task")

        # rates the 川南 survey
        phone.goto(f"{base}/gongkai/wenjuan/")
        phone.get_by_role("link", name="川南经济区规划实施满意度调查").first.click()
        phone.wait_for_load_state()
        phone.get_by_role(
            "group", name="您对“川南经济区规划实施满意度调查”的总体评价"
        ).get_by_label("基本满意", exact=True).check()
        phone.get_by_label("您所在的地市州（选填）").select_option(label="宜宾市")
        widths["survey"] = phone.evaluate(WIDTH)
        with phone.expect_navigation():
            phone.get_by_role("button", name="提交问卷").click()
        assert phone.get_by_role("heading", name="感谢参与！").is_visible()
        assert Response.objects.get().rating == 3

        # leaves a complaint on the task, from the task's page
        phone.goto(task_url)
        phone.get_by_role("link", name="我要留言").click()
        phone.wait_for_load_state()
        phone.get_by_label("投诉").check()
        phone.get_by_label("标题").fill("城际铁路工地夜间施工扰民")
        phone.get_by_label("内容").fill("宜宾段工地夜间施工噪音很大，请合理安排施工时间。")
        widths["message"] = phone.evaluate(WIDTH)
        with phone.expect_navigation():
            phone.get_by_role("button", name="提交留言").click()
        assert phone.get_by_text("留言已提交").is_visible()
        screenshot("acceptance-phone-receipt")
    finally:
        context.close()
    assert all(w <= PHONE["width"] for w in widths.values()), widths

    # the moderator accepts it
    log_in(page, base, "chuannan_planner")
    page.goto(f"{base}/feedback/moderation/")
    page.get_by_role("link", name="【投诉】城际铁路工地夜间施工扰民").click()
    with page.expect_navigation():
        page.get_by_role("button", name="受理并公开").click()
    assert page.get_by_text("留言已受理").is_visible()

    # the 宜宾 unit answers it
    log_in(page, base, "yibin_reporter")
    page.goto(f"{base}/feedback/handling/")
    page.get_by_role("link", name="【投诉】城际铁路工地夜间施工扰民").click()
    page.get_by_label("答复内容").fill("已责成施工单位夜间22时后停止高噪音作业。")
    with page.expect_navigation():
        page.get_by_role("button", name="公开答复").click()
    assert page.get_by_text("答复已公开").is_visible()

    # the answer appears under the task's messages on the portal
    page.context.clear_cookies()
    page.goto(task_url)
    page.get_by_role("link", name="公众留言与答复").click()
    page.wait_for_load_state()
    assert page.get_by_text("已责成施工单位夜间22时后停止高噪音作业。").is_visible()
    screenshot("acceptance-answer-public")

    # a second message, accepted on 27 September 2024 and never answered
    second, _code = feedback.message_submit(
        kind="question",
        subject_kind="task",
        subject_id=task.pk,
        title="城际铁路何时通车",
        body="请问宜宾至泸州城际铁路预计何时通车？",
        client="198.51.100.20",
    )
    feedback.message_moderate(
        message=second,
        actor=planner,
        accept=True,
        now=dt.datetime(2024, 9, 27, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))),
    )
    feedback_overdue_run(today=dt.date(2024, 10, 24))  # 15 working days after 27 September
    second.refresh_from_db()
    case = SupervisionCase.objects.get()
    assert second.overdue_case == case and case.unit == units.yibin
    assert Message.objects.get(title="城际铁路工地夜间施工扰民").overdue_case is None
    log_in(page, base, "chuannan_planner")
    page.goto(f"{base}/cases/{case.pk}/")
    assert "城际铁路何时通车" in page.content()
    assert page_errors == []
