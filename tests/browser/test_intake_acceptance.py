"""Issue 16's acceptance for communiqués, in a real browser: a 宜宾 data clerk uploads a
statistical communiqué (text) — first a file holding none, refused with what was looked for
— confirms the proposed observations, and the indicator page shows the new value with the
communiqué's line as its source. Then the 川南 planner uploads a project list and sees it
proposed against the plan's projects.

The communiqué is the composed 宜宾 fixture (see
tests/fixtures/extract/README-communiques-projects.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from planwatch.indicators.models import Observation
from planwatch.orgunits.models import OrgUnit
from planwatch.projects.models import Project
from planwatch.projects.services import project_drafts_generate
from tests.browser.conftest import PageErrors
from tests.browser.test_implementation_acceptance import log_in
from tests.indicators.helpers import south_gdp

pytestmark = pytest.mark.browser
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extract"
COMMUNIQUE = FIXTURES / "communique-yibin-2022-composed.txt"


def _upload(page: Any, base: str, kind: str, plan_title: str, path: Path) -> None:
    page.goto(f"{base}/intake/")
    page.select_option("select[name=kind]", kind)
    page.select_option("select[name=plan]", label=plan_title)
    page.set_input_files("input[name=file]", str(path))
    page.get_by_role("button", name="上传并提取").click()
    page.wait_for_load_state()


def test_a_clerk_turns_a_communique_into_observations(
    page: Any,
    live_server: Any,
    bundled_plans: list[Any],
    tmp_path: Path,
    screenshot: Any,
    page_errors: PageErrors,
    chuannan_planner_user: User,
    yibin_clerk_user: User,
) -> None:
    base = live_server.url
    zone = OrgUnit.objects.get(code="zone:south-sichuan")
    plan = next(p for p in bundled_plans if p.org_unit_id == zone.pk)
    gdp = south_gdp(plan, chuannan_planner_user)
    expected = json.loads(COMMUNIQUE.with_suffix(".expected.json").read_text(encoding="utf-8"))
    gdp_value = next(
        e["value"]
        for e in expected["items"]
        if e["indicator"] == "地区生产总值" and e["kind"] == "level"
    )

    log_in(page, base, "yibin_clerk")
    notice = tmp_path / "通知.txt"
    notice.write_text("关于做好春节期间安全生产工作的通知\n各单位要高度重视。\n", encoding="utf-8")
    _upload(page, base, "observations", plan.title, notice)
    alert = page.get_by_role("alert").inner_text()
    assert "文件中没有找到指标数值" in alert and "地区生产总值" in alert

    _upload(page, base, "observations", plan.title, COMMUNIQUE)
    assert "/intake/" in page.url and COMMUNIQUE.name in page.content()
    assert page.locator("select[name=place] option:checked").inner_text() == "宜宾市"
    assert page.input_value("input[name=year]") == str(expected["year"])
    rows = page.locator("#intake-rows tbody tr")
    assert rows.count() == len(expected["items"])
    checked = page.locator('#intake-rows input[name="row"]:checked')
    assert checked.count() == 1  # the plan's one confirmed indicator it states: GDP
    unmatched = page.locator("#intake-rows tbody tr.unmatched")
    assert unmatched.count() == rows.count() - 1
    assert unmatched.first.locator(".no-indicator").inner_text() == "本规划无此指标"
    note = page.locator("#intake-unmatched").inner_text()
    assert f"{unmatched.count()} 条数据「本规划无此指标」" in note
    line = int(
        checked.locator("xpath=ancestor::tr").locator("td").last.inner_text().split("行")[0][2:]
    )
    screenshot("intake-communique-review")
    assert not Observation.objects.exists()  # nothing stored before the clerk confirms
    page.get_by_role("button", name="确认导入所勾选的数据").click()
    page.wait_for_load_state()
    assert "已导入 1 条监测数据" in page.content()

    obs = Observation.objects.get()
    assert (obs.indicator, obs.place.name, obs.year, obs.value) == (gdp, "宜宾市", 2022, gdp_value)
    assert (obs.source, obs.source_line) == (COMMUNIQUE.name, line)
    page.goto(f"{base}/indicators/{gdp.pk}/")
    row = page.locator("table.indicator-matrix tbody tr", has_text="宜宾市")
    assert str(gdp_value) in row.inner_text()
    assert COMMUNIQUE.name in row.inner_text() and f"第 {line} 行" in row.inner_text()
    screenshot("intake-indicator-page-source-line")

    log_in(page, base, "chuannan_planner")
    listing = tmp_path / "川南重点项目名单.txt"
    listing.write_text(
        "2024年川南经济区重点项目名单\n单位：亿元\n"
        "序号\t项目名称\t建设地点\t建设内容\t总投资\t年度计划投资\n"
        "一、交通\n"
        "1\t成自宜高铁\t自贡市、宜宾市\t新建高速铁路\t355\t60\n"
        "2\t宜宾至威信高速公路\t高县、长宁县、珙县\t建设里程86.5公里\t130.5\t25\n",
        encoding="utf-8",
    )
    project_drafts_generate(plan=plan, actor=chuannan_planner_user)
    drafted = Project.objects.get(plan=plan, name="成自宜高铁")
    _upload(page, base, "projects", plan.title, listing)
    assert page.locator("select[name=existing_0] option:checked").get_attribute("value") == str(
        drafted.pk
    )
    screenshot("intake-projects-review")
    page.get_by_role("button", name="确认生成所勾选的项目").click()
    page.wait_for_load_state()
    assert "已生成 1 个项目草稿，补充 1 个已有项目" in page.content()
    new = Project.objects.get(plan=plan, name="宜宾至威信高速公路", status="draft")
    page.goto(f"{base}/projects/{new.pk}/")
    assert page.locator("dd.project-content").inner_text() == "建设里程86.5公里"
    # The refused upload answers 400, which the browser logs; nothing else may be logged.
    assert [e for e in page_errors if "status of 400" not in e] == [], page_errors
