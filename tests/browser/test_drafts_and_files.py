"""Issue 9, items 7 and 11, as a planner meets them in Chromium: the 2024 list drafted from
the bundled 川南 plan names its 专栏 tasks from the box and the projects, suggests lead
departments from what each clause says, and sums up what is missing with a filter; the
exported file has the name people know; the list and a task print without the menu,
buttons or language picker, with the table header repeated and wide tables on A4
landscape."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from openpyxl import load_workbook

from planwatch.orgunits.models import OrgUnit
from planwatch.tasks.models import Task
from tests.browser.conftest import PageErrors
from tests.browser.test_implementation_acceptance import log_in

pytestmark = pytest.mark.browser

A4_LONG, A4_SHORT = 842, 595  # points


def _page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """(width, height) of every page of a PDF Chromium printed."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    return [(float(w), float(h)) for w, h in boxes]


def _generate(page: Any, base: str) -> None:
    page.goto(f"{base}/lists/")
    page.select_option("#id_plan", label="川南经济区“十四五”一体化发展规划")
    page.fill("#id_year", "2024")
    page.get_by_role("button", name="生成").click()
    page.wait_for_load_state()


def _hidden_in_print(page: Any, selector: str) -> bool:
    return bool(
        page.eval_on_selector_all(
            selector,
            "els => els.length > 0 && els.every(e => getComputedStyle(e).display === 'none')",
        )
    )


def test_planner_drafts_checks_exports_and_prints_the_list(
    page: Any,
    live_server: Any,
    bundled_plans: list[Any],
    persona_units: dict[str, OrgUnit],
    tmp_path: Path,
    screenshot: Any,
    page_errors: PageErrors,
    chuannan_planner_user: User,
) -> None:
    base = live_server.url
    log_in(page, base, "chuannan_planner")
    _generate(page, base)

    # Drafts a planner can use: 专栏 items named from the box and their projects, lead
    # departments from the clause (not 省生态环境厅 for 医疗卫生, as the chapter title gave).
    table = page.locator("#tasks ~ .table-wrap table")
    rail = table.locator("tr", has_text="交通基础设施重点项目 — 铁路：")
    assert rail.count() == 1 and "成自宜高铁" in rail.inner_text()
    assert "四川省交通运输厅" in rail.inner_text()
    health = table.locator("tr", has_text="公共服务重点项目 — 医疗卫生：")
    assert "四川省卫生健康委员会" in health.inner_text()
    assert "医疗卫生服务体系" in health.inner_text()  # the reason names the functions

    # The completeness check is a summary with counts, and a filter on the table.
    drafts = Task.objects.filter(annual_list__plan__title="川南经济区“十四五”一体化发展规划")
    total = drafts.count()
    assert total == 112
    summary = page.locator(".check-summary")
    assert summary.locator("li").count() <= 4
    assert f"{total} 项" in summary.inner_text()
    assert page.locator("text=：缺少完成标准").count() == 0
    summary.get_by_role("link", name="缺少完成标准").click()
    page.wait_for_load_state()
    assert "?missing=criterion" in page.url
    assert f"仅显示缺少完成标准的任务（{total} 项）" in page.content()
    screenshot("drafts-check-summary")

    # The exported file has the name people know, and prints landscape.
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 xlsx").click()
    assert download.value.suggested_filename == "川南经济区2024年重点任务清单.xlsx"
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    ws = load_workbook(path).active
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$2"

    # Printing the list: no menu, buttons or language picker; header repeated; landscape.
    page.goto(f"{base}/lists/{drafts.first().annual_list_id}/")
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    assert not page.locator("#lang-select").is_visible()
    assert not page.get_by_role("link", name="导出 xlsx").is_visible()
    assert _hidden_in_print(page, ".site-header")
    assert _hidden_in_print(page, "main button")
    assert table.locator("thead").evaluate("e => getComputedStyle(e).display") == (
        "table-header-group"
    )
    assert page.locator("body").evaluate("e => getComputedStyle(e).page") == "wide"
    pdf = page.pdf(prefer_css_page_size=True)
    sizes = _page_sizes(pdf)
    assert len(sizes) > 1  # 112 tasks: several pages …
    assert all(round(w) == A4_LONG and round(h) == A4_SHORT for w, h in sizes)  # … landscape
    screenshot("drafts-list-print")

    # A task page prints on A4 portrait (no wide table), without the menu either.
    page.emulate_media(media="screen")
    page.goto(f"{base}/tasks/{drafts.order_by('seq').first().pk}/")
    assert page.locator(".site-nav").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    sizes = _page_sizes(page.pdf(prefer_css_page_size=True))
    assert sizes and all(round(w) == A4_SHORT and round(h) == A4_LONG for w, h in sizes)

    # The zone dashboard and the case list print without the menu or the language picker.
    for path in ("/dashboards/zone/south-sichuan/", "/cases/"):
        page.emulate_media(media="screen")
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == 200
        page.emulate_media(media="print")
        assert not page.locator(".site-nav").is_visible()
        assert not page.locator("#lang-select").is_visible()
        assert _page_sizes(page.pdf(prefer_css_page_size=True))
        screenshot("print" + path.replace("/", "-").rstrip("-"))
    assert not [e for e in page_errors if "Content Security Policy" in e]
