"""Issue 9 item 1 in Chromium: with the default set-up (no PLANWATCH_SECRET_KEY) the real
server runs four gunicorn workers; an administrator signs in through the login form and
moves through 30 pages in a row, each answered by whichever worker takes it, and is never
sent back to the login page."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.factories.real_server import real_server

PORT = 8111  # this test's own port
PAGES = ["/workbench/", "/accounts/password/", "/system/jobs/", "/plans/", "/audit/"]


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the server test runs on its own SQLite database",
)
def test_an_administrator_stays_signed_in_across_four_workers(browser: Any, tmp_path: Path) -> None:
    with real_server(tmp_path, PORT) as server:
        base = server.base
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(60_000)
        try:
            page = context.new_page()
            page.goto(f"{base}/accounts/login/")
            page.get_by_label("登录名").fill("admin")
            page.get_by_label("密码").fill(server.admin_password)
            page.get_by_role("button", name="登录").click()
            page.wait_for_url(f"{base}/workbench/")
            seen = []
            for i in range(30):
                path = PAGES[i % len(PAGES)]
                response = page.goto(f"{base}{path}")
                seen.append((path, response.status if response else None, page.url))
            assert seen == [(p, 200, f"{base}{p}") for p, _s, _u in seen], seen
            # Still signed in: the header offers 退出.
            assert page.get_by_role("button", name="退出").count() == 1
        finally:
            context.close()
