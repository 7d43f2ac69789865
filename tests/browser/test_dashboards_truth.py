"""A 川南 leader on the dashboards in Chromium: the figures say what date they are as of and
which year; choosing another year changes the red list; the progress chart has every
quarter against 序时进度; clicking 宜宾 on the map opens 宜宾's dashboard, which shows
宜宾 and its own counties."""

from __future__ import annotations

from typing import Any

import pytest

from planwatch.orgunits.models import OrgUnit
from planwatch.tasks.models import AnnualList
from tests.browser.conftest import PageErrors
from tests.browser.test_smoke import log_in
from tests.dashboards.conftest import (  # noqa: F401
    Board,
    board,
    make_task,
)

pytestmark = pytest.mark.browser

YIBIN_CENTRE = [104.63, 28.76]  # longitude, latitude of 宜宾市 (inside its boundary)


def _wait_for_map(page: Any) -> None:
    page.wait_for_function(
        """() => { const el = document.getElementById('chart-map');
          const c = el && window.echarts && echarts.getInstanceByDom(el);
          return !!(c && c.getOption() && c.getOption().series.length); }"""
    )


def test_leader_reads_the_zone_and_opens_yibin(
    page: Any,
    live_server: Any,
    board: Board,  # noqa: F811
    chuannan_leader_user: Any,
    orgunits: dict[str, OrgUnit],
    screenshot: Any,
    page_errors: PageErrors,
) -> None:
    old = AnnualList.objects.create(
        plan=board.chuannan, year=2023, status="issued", issued_number=1
    )
    old_red = make_task(old, 1, light="red", units=[orgunits["511500"]], lead=orgunits["dept:ndrc"])
    log_in(page, live_server.url, chuannan_leader_user.username)
    page.goto(f"{live_server.url}/dashboards/zone/south-sichuan/")
    assert "数据截至" in page.locator("#as-of").inner_text()
    assert page.locator("#dash-year").input_value() == "2024"
    red = page.locator(".light-list-red")
    assert "任务7" in red.inner_text() and old_red.title not in red.inner_text().split("2024·")[0]
    # every quarter, Q1 included, in the chart's table; the chart is drawn
    page.locator("summary", has_text="数据表").first.click()
    periods = page.locator("#trend-table tbody tr").all_inner_texts()
    assert [row.split()[0] for row in periods] == ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
    assert page.locator("#chart-trend canvas").count() == 1
    _wait_for_map(page)
    screenshot("dashboard-zone-2024")

    # another year: the red list is that year's
    page.locator("#dash-year").select_option("2023")
    page.get_by_role("button", name="查看").click()
    page.wait_for_load_state()
    assert "year=2023" in page.url
    assert "2023·1." in page.locator(".light-list-red").inner_text()
    assert "任务7" not in page.locator(".light-list-red").inner_text()

    # back to 2024; a click on 宜宾 on the map opens its dashboard
    page.goto(f"{live_server.url}/dashboards/zone/south-sichuan/")
    _wait_for_map(page)
    page.locator("#chart-map").scroll_into_view_if_needed()
    x, y = page.evaluate(
        """(pt) => echarts.getInstanceByDom(document.getElementById('chart-map'))
             .convertToPixel({seriesIndex: 0}, pt)""",
        YIBIN_CENTRE,
    )
    box = page.locator("#chart-map").bounding_box()
    with page.expect_navigation():
        page.mouse.click(box["x"] + x, box["y"] + y)
    assert page.url.endswith("/dashboards/unit/511500/?year=2024")
    assert page.locator("h1").inner_text().startswith("宜宾市")
    children = page.locator("#children")
    assert "宜宾市所辖区县" in children.inner_text() and "翠屏区" in children.inner_text()
    _wait_for_map(page)
    shown = page.evaluate(
        """() => echarts.getInstanceByDom(document.getElementById('chart-map'))
             .getOption().series[0].data
             .filter(d => typeof d.value === 'number' && !isNaN(d.value)).map(d => d.name)"""
    )
    assert shown == ["宜宾市"]
    screenshot("dashboard-yibin")
    assert page_errors == []
