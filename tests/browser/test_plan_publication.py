"""Publishing a plan in Chromium (issue 9 item 12): a planner opens a draft, presses 发布,
confirms the question the page asks, and the plan is public; 撤回发布 asks again and needs a
reason. Dismissing the question changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from planwatch.orgunits.models import OrgUnit
from planwatch.plans.choices import PlanStatus
from planwatch.plans.models import Plan
from tests.browser.conftest import PageErrors
from tests.browser.test_smoke import log_in
from tests.factories.plans import build_plan

pytestmark = pytest.mark.browser


def test_a_planner_publishes_and_withdraws_a_draft(
    page: Any,
    live_server: Any,
    persona_units: dict[str, OrgUnit],
    page_errors: PageErrors,
    planner_user: User,
) -> None:
    fixture = build_plan(
        "川南经济区发展规划（草稿）",
        "draft-plan",
        [("c1", "chapter", "第一章 总体要求", "推进川南一体化。")],
        zone=persona_units["zone:south-sichuan"],
    )
    plan = fixture.plan
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.DRAFT)
    url = f"{live_server.url}/plans/{plan.slug}/"
    log_in(page, live_server.url, "planner")
    page.goto(url)
    assert page.locator("h1 .demo-badge").inner_text() == "草稿"

    questions: list[str] = []
    page.once("dialog", lambda d: (questions.append(d.message), d.dismiss()))
    page.get_by_role("button", name="发布", exact=True).click()
    assert questions == ["发布后，所有人都能看到该规划。确定发布吗？"]
    assert page.locator("h1 .demo-badge").inner_text() == "草稿"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT  # dismissed: nothing happened

    page.once("dialog", lambda d: d.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="发布", exact=True).click()
    assert page.get_by_text("规划已发布，所有人都可以看到。").is_visible()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED

    page.get_by_label("撤回原因").fill("数据待核实")
    page.once("dialog", lambda d: d.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="撤回发布").click()
    assert page.get_by_text("规划已撤回发布，只有规划处室人员可以看到。").is_visible()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.UNPUBLISHED and plan.unpublished_reason == "数据待核实"
    assert page_errors == []
