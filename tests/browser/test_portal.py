"""Issue 13's acceptance, the portal part, in a real browser: a 川南 planner publishes the
2024 list from its page (confirming the step); an anonymous visitor on a phone-sized window
(390 × 844) opens the portal, goes to 川南, reads a task in plain words and follows
「原文第 N 页」 to the plan's own text. No page is wider than the phone; screenshots of the
portal on a desktop and on the phone go to var/screenshots/portal-*.png."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from planwatch.publication.selectors import is_public
from planwatch.publication.services import publish
from tests.browser.conftest import SCREENSHOTS, PageErrors
from tests.browser.test_implementation_acceptance import log_in
from tests.portal.world import SECRET_TASK, build_world

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_planner_publishes_and_a_phone_reads_a_task(
    page: Any,
    browser: Any,
    live_server: Any,
    page_errors: PageErrors,
    chuannan_planner_user: User,
    chengdu_planner_user: User,
) -> None:
    world = build_world(chuannan_planner_user, chengdu_planner_user, publish_all=False)
    alist = world.published_list
    base = live_server.url

    # the planner publishes the list from its page
    log_in(page, base, chuannan_planner_user.username)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{base}/lists/{alist.pk}/")
    page.get_by_label("发布说明（可选）").fill("2024年川南重点任务清单")
    page.get_by_role("button", name="公开整份清单").click()
    page.wait_for_load_state()
    assert "已公开发布" in page.content()
    assert is_public(alist)
    _shot(page, "portal-planner-list-published")

    # an anonymous visitor on a phone
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True)
    context.set_default_timeout(15_000)
    phone = context.new_page()
    phone.on("console", lambda m: page_errors.append(m.text) if m.type == "error" else None)
    phone.on("pageerror", lambda exc: page_errors.append(str(exc)))
    too_wide: list[str] = []

    def fits(name: str) -> None:
        phone.wait_for_load_state("networkidle")
        width = phone.evaluate(WIDTH)
        if width > PHONE["width"]:
            too_wide.append(f"{name}: {width}px")
        _shot(phone, f"portal-phone-{name}")

    try:
        phone.goto(f"{base}/gongkai/")
        fits("home")
        phone.get_by_role("link", name="川南经济区").first.click()
        fits("zone")
        task = alist.tasks.exclude(clause=None).order_by("seq").first()
        assert task is not None and task.clause is not None
        phone.get_by_role("link", name=task.title).first.click()
        fits("task")
        body = phone.content()
        assert task.title in body and "牵头单位" in body and SECRET_TASK not in body
        source = phone.get_by_role("link", name=f"原文第 {task.clause.page} 页")
        source.click()
        phone.wait_for_load_state()
        assert f"/plans/{world.south.slug}/n/" in phone.url and f"#n-{task.clause.key}" in phone.url
        assert phone.locator(f'[id="n-{task.clause.key}"]').is_visible()
        fits("source")
        # the indicator, project and index pages fit too
        publish(actor=chuannan_planner_user, subject=world.indicator)
        publish(actor=chuannan_planner_user, subject=world.project)
        publish(actor=chengdu_planner_user, subject=world.edition)
        for name, path in (
            ("zone-full", "/gongkai/zones/south-sichuan/"),
            ("indicator", f"/gongkai/indicators/{world.indicator.pk}/"),
            ("project", f"/gongkai/projects/{world.project.pk}/"),
            ("index", f"/gongkai/index/{world.edition.pk}/"),
            ("prefecture", "/gongkai/places/511500/"),
        ):
            phone.goto(f"{base}{path}")
            fits(name)
    finally:
        context.close()
    assert not too_wide, "portal pages wider than a 390 px phone: " + "; ".join(too_wide)

    # the desktop views
    page.context.clear_cookies()
    for name, path in (
        ("home", "/gongkai/"),
        ("zone", "/gongkai/zones/south-sichuan/"),
        ("task", f"/gongkai/tasks/{task.pk}/"),
        ("indicator", f"/gongkai/indicators/{world.indicator.pk}/"),
        ("project", f"/gongkai/projects/{world.project.pk}/"),
    ):
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
        _shot(page, f"portal-desktop-{name}")
    assert not page_errors, page_errors
