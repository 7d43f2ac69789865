"""Browser tests: Debian's Chromium (never a downloaded browser) driven by Playwright's
synchronous API against pytest-django's live server.

Where /usr/bin/chromium (or $PLANWATCH_CHROMIUM) is missing the tests are skipped with the
reason shown; with PLANWATCH_REQUIRE_BROWSER=1 (CI) they fail instead. Screenshots go to
var/screenshots/."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API keeps an event loop running in this thread; Django refuses ORM calls
# from a thread with a running loop unless told it is safe (it is: nothing here is async).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


CHROMIUM = Path(os.environ.get("PLANWATCH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    # Keep each phase's report on the test item, so the page fixture knows about a failure.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _unavailable(reason: str) -> None:
    if os.environ.get("PLANWATCH_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (PLANWATCH_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"no Chromium at {CHROMIUM}: apt-get install chromium fonts-noto-cjk")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is not installed (pip install -e '.[dev]')")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


class PageErrors(list[str]):
    """Console errors and uncaught exceptions (a CSP violation shows up here)."""


@pytest.fixture
def page_errors() -> PageErrors:
    return PageErrors()


@pytest.fixture
def page(
    request: pytest.FixtureRequest, browser: Any, live_server: Any, page_errors: PageErrors
) -> Iterator[Any]:
    """A fresh browser tab (own cookies) at a desktop size, Chinese locale. When the test
    fails, the page is saved to var/screenshots/FAILED-<test>.png."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.on("console", lambda m: page_errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda exc: page_errors.append(str(exc)))
    yield tab
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SCREENSHOTS / f"FAILED-{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def screenshot(page: Any) -> Any:
    """`screenshot("name")` saves the whole page to var/screenshots/name.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
