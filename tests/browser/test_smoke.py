"""Smoke test in a real browser: log in through the login form, see the logged-in state,
log out."""

from __future__ import annotations

from typing import Any

import pytest

from planwatch.accounts.choices import Role
from planwatch.orgunits.models import OrgUnit
from tests.browser.conftest import PageErrors
from tests.factories.personas import PASSWORD, make_user

pytestmark = pytest.mark.browser


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("登录名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def test_log_in_and_out(
    page: Any,
    live_server: Any,
    persona_units: dict[str, OrgUnit],
    screenshot: Any,
    page_errors: PageErrors,
) -> None:
    make_user("yibin_browser", (persona_units["511500"], Role.REPORTER), first_name="宜宾填报")
    page.goto(f"{live_server.url}/accounts/login/")
    screenshot("login-form")
    log_in(page, live_server.url, "yibin_browser")
    nav_user = page.locator(".nav-user")
    assert nav_user.inner_text() == "yibin_browser"
    screenshot("login-done")
    page.locator("form.logout-form button").click()
    page.wait_for_load_state()
    assert page.locator(".nav-user").count() == 0
    assert page.get_by_role("link", name="登录").count() == 1
    assert page_errors == []


def test_wrong_password_is_refused(
    page: Any, live_server: Any, persona_units: dict[str, OrgUnit]
) -> None:
    make_user("luzhou_browser", (persona_units["510500"], Role.REPORTER))
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("登录名").fill("luzhou_browser")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    assert page.get_by_text("登录名或密码不正确").is_visible()
    assert page.locator(".nav-user").count() == 0


def test_read_a_plan_and_search_it(
    page: Any,
    live_server: Any,
    bundled_plans: list[Any],
    persona_units: dict[str, OrgUnit],
    screenshot: Any,
    page_errors: PageErrors,
) -> None:
    """Logged in, open the 川南 plan from the home page, then search 成自宜高铁 and find the
    川南 box item that names it."""
    make_user("yibin_reader", (persona_units["511500"], Role.REPORTER))
    log_in(page, live_server.url, "yibin_reader")
    assert page.locator(".nav-user").inner_text() == "yibin_reader"
    assert page.url == f"{live_server.url}/workbench/"  # signing in lands on the workbench
    page.get_by_role("link", name="首页").click()
    page.wait_for_load_state()
    cards = page.locator(".card")
    assert cards.count() == 5
    page.locator(".card").filter(has_text="川南").first.get_by_role("link").first.click()
    page.wait_for_load_state()
    assert "川南" in page.locator("h1").first.inner_text()
    assert page.locator(".toc li").count() > 10
    screenshot("plan-chuannan")

    page.get_by_role("link", name="搜索").click()
    page.get_by_role("searchbox").fill("成自宜高铁")
    page.get_by_role("searchbox").press("Enter")
    hits = page.locator(".search-hit")
    hits.first.wait_for()
    chuannan_box_items = hits.filter(has_text="川南").filter(has_text="专栏")
    assert chuannan_box_items.count() >= 1, hits.all_inner_texts()
    assert "成自宜" in chuannan_box_items.first.inner_text()
    screenshot("search-chengziyi")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    screenshot("search-chengziyi-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})

    chuannan_box_items.first.locator("h2 a").click()
    page.wait_for_load_state()
    assert page.get_by_text("成自宜", exact=False).first.is_visible()
    assert page_errors == []


def test_planner_creates_a_user_and_admin_reads_the_audit_log(
    page: Any,
    browser: Any,
    live_server: Any,
    persona_units: dict[str, OrgUnit],
    screenshot: Any,
    page_errors: PageErrors,
) -> None:
    make_user("chuannan_browser", (persona_units["zone:south-sichuan"], Role.PLANNER))
    make_user("root_browser", is_superuser=True, is_staff=True)
    log_in(page, live_server.url, "chuannan_browser")
    page.get_by_role("link", name="用户管理").click()
    screenshot("user-list")
    page.get_by_role("link", name="新建用户").click()
    page.get_by_label("登录名").fill("yibin_clerk")
    page.get_by_label("姓名").fill("王五")
    page.get_by_label("新密码", exact=False).first.fill("Min-jiang-2035")
    page.get_by_label("确认新密码").fill("Min-jiang-2035")
    # The searchable unit picker: type part of the name, choose with Enter.
    page.get_by_role("combobox", name="组织单位").focus()
    page.keyboard.type("宜宾")
    page.locator(".ts-dropdown .option.active", has_text="宜宾市").wait_for()
    page.keyboard.press("Enter")
    page.get_by_label("角色").select_option(value="reporter")
    screenshot("user-create")
    page.get_by_role("button", name="创建").click()
    page.wait_for_load_state()
    assert "yibin_clerk" in page.locator("h1").inner_text()
    assert page.get_by_text("已创建用户 yibin_clerk").is_visible()
    assert page.locator("table").get_by_text("宜宾市").is_visible()
    screenshot("user-detail")

    admin_context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    admin_page = admin_context.new_page()
    log_in(admin_page, live_server.url, "root_browser")
    admin_page.goto(f"{live_server.url}/audit/?actor=chuannan_browser")
    rows = admin_page.locator("tbody tr")
    assert rows.count() == 2
    assert "membership.grant" in rows.first.inner_text()
    admin_page.screenshot(
        path=str(screenshot("user-detail").parent / "audit-phone.png"), full_page=True
    )
    admin_context.close()
    assert page_errors == []


def test_a_long_menu_wraps_by_item_not_by_character(
    page: Any, live_server: Any, persona_units: dict[str, OrgUnit], screenshot: Any
) -> None:
    """A planner who also administers sees the most menu items; on a laptop-wide screen they
    wrap to a second row, and no item breaks into a character per line."""
    make_user(
        "province_admin_browser",
        (persona_units["510000"], Role.PLANNER),
        is_superuser=True,
        is_staff=True,
    )
    for width in (1280, 1024, 800):
        page.set_viewport_size({"width": width, "height": 800})
        if width == 1280:
            log_in(page, live_server.url, "province_admin_browser")
        else:
            page.reload()
        items = page.locator(".site-nav > a, .site-nav .nav-user")
        heights = [items.nth(i).bounding_box()["height"] for i in range(items.count())]
        assert items.count() >= 15, "the planner-administrator's full menu"
        assert max(heights) < 1.5 * min(heights), (width, heights)
        screenshot(f"nav-{width}")
