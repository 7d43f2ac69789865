"""The integration index in a real browser: the 成都平原 planner opens the method (the plan's
chapters as dimensions, two indicators attached), computes an edition to 2021 and publishes
it, then publishes it to the public; an anonymous visitor reads it on the portal, and a
signed-in reader outside the plan reads its page with its four charts drawn, the missing city
named and no console error (a CSP violation would show as one)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from planwatch.assessment.models import IndexEdition
from tests.assessment.conftest import build_world
from tests.browser.conftest import PageErrors
from tests.browser.test_implementation_acceptance import log_in

pytestmark = pytest.mark.browser


def test_planner_computes_and_publishes_the_index(
    page: Any,
    live_server: Any,
    transactional_db: None,
    screenshot: Any,
    page_errors: PageErrors,
    chengdu_planner_user: User,
    chuannan_planner_user: User,
) -> None:
    world = build_world(chengdu_planner_user, chuannan_planner_user)
    base = live_server.url
    log_in(page, base, "cd_planner")
    page.goto(f"{base}/integration-index/")
    page.get_by_role("link", name="成都平原经济区一体化发展指数 2021-default").click()
    page.wait_for_load_state()
    assert "建设现代化成都都市圈" in page.content()
    page.fill("input[name=year_to]", "2021")
    page.get_by_role("button", name="计算", exact=True).click()
    page.wait_for_load_state()
    edition = IndexEdition.objects.get(method=world.method)
    assert page.url.endswith(f"/integration-index/editions/{edition.pk}/")
    page.get_by_role("button", name="发布此版次").click()
    page.wait_for_load_state()
    # published inside the system, then to the public (a second step, confirmed)
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="公开发布").click()
    page.wait_for_load_state()
    assert "已公开发布" in page.content()
    # an anonymous visitor reads it on the portal
    page.context.clear_cookies()
    page.goto(f"{base}/gongkai/index/{edition.pk}/")
    assert "117.50" in page.locator("main table").inner_text()
    # a signed-in reader outside the plan sees the edition's page with its charts
    log_in(page, base, chuannan_planner_user.username)
    page.goto(f"{base}/integration-index/editions/{edition.pk}/")
    for chart in ("chart-trend", "chart-radar", "chart-cities", "chart-convergence"):
        page.wait_for_selector(f"#{chart} canvas")
    assert world.cities[-1].name in page.locator("#missing").inner_text()
    assert "117.5" in page.locator("#dimension-table").inner_text()
    screenshot("integration-index-edition")
    assert list(page_errors) == []
