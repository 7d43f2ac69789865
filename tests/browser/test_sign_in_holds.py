"""Issue 9 item 1 in Chromium: with the default set-up (no PLANWATCH_SECRET_KEY) the real
server runs four gunicorn workers; an administrator signs in through the login form and
moves through 30 pages in a row, each answered by whichever worker takes it, and is never
sent back to the login page."""

from __future__ import annotations

import os
import re
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.pages.test_secret_key import PLANWATCH, _env, _wait_for

PORT = 8111  # this test's own port
PAGES = ["/workbench/", "/accounts/password/", "/system/jobs/", "/plans/", "/audit/"]


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the server test runs on its own SQLite database",
)
def test_an_administrator_stays_signed_in_across_four_workers(browser: Any, tmp_path: Path) -> None:
    env = _env(
        DATABASE_URL=f"sqlite:///{tmp_path}/planwatch.sqlite3",
        PLANWATCH_VAR_DIR=str(tmp_path),
        PLANWATCH_SERVE_WORKER="off",
    )
    setup = subprocess.run(
        [PLANWATCH, "setup", "--no-plans", "--no-static"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    password = re.search(r"password: (\S+)", setup.stdout)
    assert password, setup.stdout
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen(
        [PLANWATCH, "serve", "--bind", f"127.0.0.1:{PORT}", "--workers", "4"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{PORT}"
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)
    try:

        def up() -> bool:
            try:
                return requests.get(f"{base}/accounts/login/", timeout=30).status_code == 200
            except requests.RequestException:
                return False

        _wait_for(up, 120, "the server")
        page = context.new_page()
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("登录名").fill("admin")
        page.get_by_label("密码").fill(password.group(1))
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{base}/workbench/")
        seen = []
        for i in range(30):
            path = PAGES[i % len(PAGES)]
            response = page.goto(f"{base}{path}")
            seen.append((path, response.status if response else None, page.url))
        assert seen == [(p, 200, f"{base}{p}") for p, _s, _u in seen], seen
        # Still signed in: the header offers 退出, not 登录.
        assert (
            page.get_by_role("button", name="退出").count()
            + page.get_by_role("link", name="退出").count()
            >= 1
        )
    finally:
        context.close()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(60)
