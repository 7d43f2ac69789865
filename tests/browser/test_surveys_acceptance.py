"""Issue 13 acceptance, the survey part, in Chromium: a 川南 planner opens the 川南 survey on
its page; an anonymous visitor on a phone-sized window (390×844) finds it under 问卷调查,
reads the 说明, rates it 满意 with a prefecture and a comment, gets the thank-you page, and
coming back is told they have answered already; the planner publishes the results, which
with one response show 样本不足 and nothing else. The page fits the phone and raises no
console error (a CSP violation would). Nothing identifying is stored with the response."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from planwatch.orgunits.models import OrgUnit
from planwatch.surveys import services
from planwatch.surveys.models import Response
from tests.browser.conftest import SCREENSHOTS, PageErrors
from tests.browser.test_smoke import log_in
from tests.factories.plans import build_plan

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def test_an_anonymous_visitor_rates_the_chuannan_survey_on_a_phone(
    browser: Any,
    page: Any,
    live_server: Any,
    persona_units: dict[str, OrgUnit],
    page_errors: PageErrors,
    chuannan_planner_user: User,
) -> None:
    zone = persona_units["zone:south-sichuan"]
    plan = build_plan(
        "川南经济区“十四五”发展规划",
        "chuannan-survey",
        [("c1", "chapter", "第一章 总体要求", "推进川南一体化。")],
        zone=zone,
    ).plan
    survey = services.survey_create(
        actor=chuannan_planner_user, title="川南经济区规划实施满意度调查", year=2024, plan=plan
    )
    services.question_add(
        actor=chuannan_planner_user,
        survey=survey,
        text="您最关心哪方面？",
        kind="choice",
        choices=["交通", "生态", "教育"],
    )
    # the planner opens it on the survey's page
    log_in(page, live_server.url, "chuannan_planner")
    page.goto(f"{live_server.url}/surveys/{survey.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name="开始征集").click()
    assert page.get_by_text("问卷已开始征集，公众可以填写。").is_visible()

    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True)
    context.set_default_timeout(15_000)
    phone = context.new_page()
    phone.on("console", lambda m: page_errors.append(m.text) if m.type == "error" else None)
    try:
        phone.goto(f"{live_server.url}/gongkai/wenjuan/")
        phone.get_by_role("link", name="川南经济区规划实施满意度调查").first.click()
        phone.wait_for_load_state()
        assert phone.get_by_role("heading", name="说明").is_visible()
        group = phone.get_by_role("group", name="您对“川南经济区规划实施满意度调查”的总体评价")
        group.get_by_label("满意", exact=True).check()
        phone.get_by_role("group", name="您最关心哪方面？").get_by_label("交通").check()
        phone.get_by_label("您所在的地市州（选填）").select_option(label="宜宾市")
        phone.get_by_label("意见建议（选填）").fill("希望川南城际铁路早日通车")
        width = phone.evaluate(
            "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        )
        assert width <= PHONE["width"], width
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        phone.screenshot(path=str(SCREENSHOTS / "phone-survey-form.png"), full_page=True)
        with phone.expect_navigation():
            phone.get_by_role("button", name="提交问卷").click()
        assert phone.get_by_role("heading", name="感谢参与！").is_visible()
        r = Response.objects.get()
        assert (r.rating, r.prefecture.name, r.comment) == (2, "宜宾市", "希望川南城际铁路早日通车")
        assert r.answers.get().choice == "交通"
        # back to the survey: answered already, no form
        phone.goto(f"{live_server.url}/gongkai/wenjuan/{survey.pk}/")
        assert phone.get_by_text("您已经填写过这份问卷，每人只能填写一次。感谢参与！").is_visible()
        assert phone.get_by_role("button", name="提交问卷").count() == 0
        cookie = next(c for c in context.cookies() if c["name"] == f"pw_survey_{survey.pk}")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        # the planner publishes the results; with one response they show 样本不足 only
        page.goto(f"{live_server.url}/surveys/{survey.pk}/")
        with page.expect_navigation():
            page.get_by_role("button", name="公开结果").click()
        assert page.get_by_text("问卷结果已公开。").is_visible()
        page.screenshot(path=str(SCREENSHOTS / "survey-planner.png"), full_page=True)
        phone.goto(f"{live_server.url}/gongkai/wenjuan/{survey.pk}/")
        phone.get_by_role("link", name="查看已公开的问卷结果").click()
        phone.wait_for_load_state()
        assert phone.get_by_role("heading", name="总体评价").is_visible()
        phone.screenshot(path=str(SCREENSHOTS / "phone-survey-results.png"), full_page=True)
        main = phone.locator("main").inner_text()
        assert "样本不足" in main and "100.0%" not in main and "宜宾市" not in main
    finally:
        context.close()
    assert Response.objects.count() == 1
    assert page_errors == []
