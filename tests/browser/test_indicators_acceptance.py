"""Issue 10's acceptance, tried in a real browser: the 川南 planner drafts the plan's
indicators, merges 经济总量 into 地区生产总值, makes it binding, confirms it and splits the
target to 宜宾; a 宜宾 data clerk imports a year with one bad cell (refused, nothing stored),
fixes it and imports again; the 宜宾 reviewer verifies; the 宜宾 matrix and the indicator page
show the status; the lagging binding indicator has opened a 督办 case on 宜宾.

The 宜宾 figures here (baseline 2,802.1, split target 4,000, 2021 value 2,850) are made up for
the test: they only have to make the value lag its path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from planwatch.indicators.models import Indicator, IndicatorWarning, Observation
from planwatch.orgunits.models import OrgUnit
from planwatch.supervision.models import SupervisionCase
from tests.browser.conftest import PageErrors
from tests.browser.test_implementation_acceptance import log_in
from tests.factories.personas import make_user
from tests.indicators.helpers import csv_bytes

pytestmark = pytest.mark.browser


def _section(page: Any, name: str) -> Any:
    return page.locator("section.card", has=page.get_by_role("heading", name=name))


def _planner_confirms(page: Any, base: str, slug: str) -> Indicator:
    log_in(page, base, "chuannan_planner")
    page.goto(f"{base}/indicators/plans/{slug}/drafts/")
    page.get_by_role("button", name="从规划目标与基数生成指标草稿").click()
    page.wait_for_load_state()
    assert "原文第" in page.content()
    gdp = Indicator.objects.get(plan__slug=slug, name="地区生产总值")
    total = _section(page, "经济总量")
    total.locator("select[name=into]").select_option(str(gdp.pk))
    total.get_by_role("button", name="合并重复指标").click()
    page.wait_for_load_state()
    card = page.locator(f"#indicator-{gdp.pk}")
    card.locator("select[name=attribute]").select_option("binding")
    card.get_by_role("button", name="保存修改").click()
    page.wait_for_load_state()
    page.locator(f"#indicator-{gdp.pk}").get_by_role("button", name="确认指标").click()
    page.wait_for_load_state()
    page.goto(f"{base}/indicators/{gdp.pk}/")
    page.select_option("select[name=place]", label="宜宾市")
    page.fill("input[name=baseline_value]", "2802.1")
    page.fill("input[name=value]", "4000")
    page.get_by_role("button", name="保存分解目标").click()
    page.wait_for_load_state()
    gdp.refresh_from_db()
    assert (gdp.status, gdp.attribute, gdp.targets.get().value) == ("confirmed", "binding", 4000)
    return gdp


def _clerk_imports(page: Any, base: str, plan_title: str, tmp_path: Path) -> None:
    log_in(page, base, "yibin_clerk")
    for value, ok in (("2850，0", False), ("2850.0", True)):
        path = tmp_path / "yibin-2021.csv"
        path.write_bytes(csv_bytes([["指标", "单位", "宜宾市"], ["地区生产总值", "亿元", value]]))
        page.goto(f"{base}/indicators/import/")
        page.set_input_files("input[name=file]", str(path))
        page.select_option("select[name=plan]", label=plan_title)
        page.fill("input[name=year]", "2021")
        page.fill("input[name=source]", "宜宾市统计局（测试数据）")
        page.get_by_role("button", name="导入", exact=True).click()
        page.wait_for_load_state()
        if not ok:
            assert "第 2 行 C 列（宜宾市）" in page.content()
            assert not Observation.objects.exists()
    assert "已导入 1 个数值" in page.content()


def test_indicator_monitoring_in_the_browser(
    page: Any,
    live_server: Any,
    bundled_plans: list[Any],
    tmp_path: Path,
    screenshot: Any,
    page_errors: PageErrors,
    chuannan_planner_user: User,
    yibin_clerk_user: User,
    yibin_reviewer_user: User,
) -> None:
    base = live_server.url
    zone = OrgUnit.objects.get(code="zone:south-sichuan")
    yibin = OrgUnit.objects.get(code="511500")
    plan = next(p for p in bundled_plans if p.org_unit_id == zone.pk)

    gdp = _planner_confirms(page, base, plan.slug)
    _clerk_imports(page, base, plan.title, tmp_path)

    log_in(page, base, "yibin_reviewer")
    page.goto(f"{base}/indicators/{gdp.pk}/")
    page.get_by_role("button", name="审核通过").click()
    page.wait_for_load_state()
    assert "滞后" in page.content()
    page.wait_for_function("document.querySelector('#chart-path canvas') !== null")
    screenshot("indicator-page")
    case = SupervisionCase.objects.get()
    assert case.unit == yibin and "地区生产总值" in case.reason
    # the case stands on the indicator's warning, not on a generated task
    assert case.task is None and case.subject == IndicatorWarning.objects.get()
    page.get_by_role("link", name="督办").first.click()
    page.wait_for_load_state()
    assert "指标预警" in page.content()
    page.get_by_role("link", name=case.title).click()  # the case page, titled by its warning
    page.wait_for_url(f"**/cases/{case.pk}/")
    page.locator("h1 a").click()  # back to the warning on the indicator's page
    page.wait_for_url(f"**/indicators/{gdp.pk}/**")
    assert f"/indicators/{gdp.pk}/" in page.url and "预警中" in page.content()

    # anonymous visitors sign in first (the public reads published indicators on the
    # portal); someone signed in without a role sees verified values only
    page.context.clear_cookies()
    page.goto(f"{base}/indicators/places/511500/")
    assert "/accounts/login/" in page.url
    make_user("visitor")
    log_in(page, base, "visitor")
    page.goto(f"{base}/indicators/places/511500/")
    cell = page.locator("td.status-lagging")
    assert cell.count() == 1 and "2850.0" in cell.inner_text()
    screenshot("indicator-matrix-yibin")
    # The refused import answers 400, which the browser logs; nothing else may be logged.
    assert [e for e in page_errors if "status of 400" not in e] == [], page_errors
