"""Issue 9 in a real browser, as people use planwatch day to day.

- Nothing typed is lost (item 2): a 宜宾 reporter types the progress and the narrative and
  presses 报送 without 保存; the submit is refused (the figure is out of range) and what they
  typed is still there, the error under its field; corrected, it goes through; then they
  withdraw (撤回) it before the reviewer acts.
- No dead ends (item 4): every persona signs in, lands on the workbench and follows every
  same-site link of every page it reaches (at most PAGES_PER_PERSONA pages each; not sign-out,
  language, files or the API), on the bundled plans with the demonstration data loaded;
  nothing answers 403, 404 or 5xx, and no link sends a signed-in person back to sign in.
  Prints pages and seconds per persona.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command

from planwatch.accounts.choices import Role
from planwatch.reports.models import ProgressReport
from planwatch.tasks.models import Task
from tests.factories import implementation as f
from tests.factories.personas import PASSWORD, make_user

pytestmark = pytest.mark.browser

PAGES_PER_PERSONA = 150
SAME_PATH_VARIANTS = 3  # query-string variants of one path followed (pages, filters)
SKIP_PREFIXES = ("/accounts/logout", "/i18n/", "/static/", "/media/", "/api/", "/admin/")
SKIP_PARTS = ("export", "download", ".xlsx", ".docx", ".pdf", ".csv", "format=xlsx", "/evidence/")


def log_in(page: Any, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("登录名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def test_a_refused_submit_keeps_what_was_typed_then_the_reporter_withdraws(
    page: Any, live_server: Any
) -> None:
    units = f.make_units()
    plan = f.make_plan(units)
    planner = make_user("cn_planner", (units.chuannan, Role.PLANNER))
    make_user("yb_reporter", (units.yibin, Role.REPORTER))
    alist = f.issued_list(plan, planner, units)
    task = alist.tasks.get(clause_key="c3.p1")
    base = live_server.url

    log_in(page, base, "yb_reporter")
    assert page.url == f"{base}/workbench/"  # signing in lands on the workbench
    assert "待填报" in page.content()
    page.goto(f"{base}/tasks/{task.pk}/")
    page.locator("form[action$='/reports/start/'] button").first.click()
    page.wait_for_load_state()
    page.fill("#id_completion", "150")
    page.fill("#id_narrative", "完成城际铁路可研批复，正在开展初步设计。")
    page.get_by_role("button", name="报送").click()  # without 保存 first
    page.wait_for_load_state()
    assert page.input_value("#id_completion") == "150"
    assert page.input_value("#id_narrative") == "完成城际铁路可研批复，正在开展初步设计。"
    error = page.locator("#id_completion-error")
    assert error.is_visible()
    report = ProgressReport.objects.get(task=task, unit=units.yibin)
    assert report.status == "draft"

    page.fill("#id_completion", "60")
    page.get_by_role("button", name="报送").click()
    page.wait_for_load_state()
    assert "已报送" in page.content()
    report.refresh_from_db()
    assert report.status == "submitted" and report.completion == 60

    page.get_by_role("button", name="撤回").click()
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == "draft"
    assert page.input_value("#id_narrative") == "完成城际铁路可研批复，正在开展初步设计。"
    assert page.get_by_role("button", name="报送").is_visible()


def _followable(url: str, origin: str) -> str | None:
    url, _fragment = urldefrag(url)
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    path = parts.path
    if path.startswith(SKIP_PREFIXES) or any(p in url for p in SKIP_PARTS):
        return None
    return url


def crawl(page: Any, origin: str, start: str) -> tuple[int, list[str], Counter[int]]:
    """Breadth first from `start`: the number of pages opened, the dead ends found (status,
    page, the page linking to it) and the count of each status."""
    queue: deque[tuple[str, str]] = deque([(start, "(start)")])
    seen: set[str] = {start}
    variants: Counter[str] = Counter()
    dead: list[str] = []
    statuses: Counter[int] = Counter()
    opened = 0
    while queue and opened < PAGES_PER_PERSONA:
        url, referrer = queue.popleft()
        response = page.goto(url, wait_until="domcontentloaded")
        opened += 1
        status = response.status if response is not None else 0
        statuses[status] += 1
        if status in (403, 404) or status >= 500 or "/accounts/login/" in page.url:
            dead.append(f"{status} {url} (from {referrer})")
            continue
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            link = _followable(href, origin)
            if link is None or link in seen:
                continue
            path = urlsplit(link).path
            if variants[path] >= SAME_PATH_VARIANTS:
                continue
            variants[path] += 1
            seen.add(link)
            queue.append((link, url))
    return opened, dead, statuses


PERSONAS = (
    "planner",
    "chuannan_planner",
    "leader",
    "yibin_reporter",
    "yibin_reviewer",
    "luzhou_reporter",
    "admin",
)


def test_every_persona_follows_every_link_and_finds_no_dead_end(
    page: Any, live_server: Any, bundled_plans: Any, request: pytest.FixtureRequest
) -> None:
    for name in PERSONAS:
        request.getfixturevalue(f"{name}_user")
    started = time.perf_counter()
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    print(f"\ndemo loaded in {time.perf_counter() - started:.1f} s; {Task.objects.count()} tasks")
    base = live_server.url
    dead: list[str] = []
    for name in PERSONAS:
        log_in(page, base, name)
        assert urlsplit(page.url).path == "/workbench/", (name, page.url)
        began = time.perf_counter()
        opened, found, statuses = crawl(page, base, page.url)
        seconds = time.perf_counter() - began
        print(
            f"{name:18} {opened:4d} pages in {seconds:6.1f} s "
            f"({opened / seconds:4.1f} pages/s) statuses {dict(statuses)}"
        )
        dead += [f"{name}: {d}" for d in found]
    assert not dead, "\n".join(dead)
