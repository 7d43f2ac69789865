"""绩效考核 results in a real browser (issue 12's acceptance): the province's planner copies the
default prefectures scheme for 2024 and freezes it, computes results for the 川南 prefectures,
opens 宜宾's card and follows a deduction to the late report that caused it; 宜宾 files an
objection; the planner answers it, enters a bonus with its evidence, recomputes — the new
edition shows the change beside the old one — reviews and publishes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from planwatch.accounts.choices import Role
from planwatch.assessment.models import ResultEdition, ResultStatus
from tests.browser.conftest import PageErrors
from tests.browser.test_implementation_acceptance import log_in
from tests.factories import implementation as f
from tests.factories.personas import make_user

pytestmark = pytest.mark.browser


def test_planner_assesses_chuannan_and_yibin_objects(
    page: Any,
    live_server: Any,
    transactional_db: None,
    screenshot: Any,
    page_errors: PageErrors,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    units = f.make_units()
    plan = f.make_plan(units)
    cn_planner = make_user("planner_cn", (units.chuannan, Role.PLANNER))
    make_user("prov_planner", (units.province, Role.PLANNER))
    reporter = make_user("yb_reporter", (units.yibin, Role.REPORTER))
    annual = f.issued_list(plan, cn_planner, units)
    task = annual.tasks.order_by("seq").first()
    assert task is not None
    late = f.report_filed(
        task, units.yibin, reporter, 50, submitted_at=datetime(2024, 4, 20, 2, tzinfo=UTC)
    )
    base = live_server.url

    log_in(page, base, "prov_planner")
    page.goto(f"{base}/assessment/schemes/")
    page.get_by_role("link", name="默认考核方案（市州）").click()
    page.wait_for_load_state()
    page.fill("input[name=year]", "2024")
    page.get_by_role("button", name="复制").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="定稿").click()
    page.wait_for_load_state()
    assert "已定稿" in page.content()

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="考核").click()
    page.wait_for_load_state()
    page.select_option("select[name=zone]", label="川南经济区")
    page.fill("input[name=as_of]", "2024-12-31")
    page.get_by_role("button", name="计算", exact=True).click()
    page.wait_for_load_state()
    first = ResultEdition.objects.get()
    assert page.url.endswith(f"/assessment/results/{first.pk}/")
    assert page.locator("#ranking tbody tr").count() == 2
    page.locator("#ranking").get_by_role("link", name="宜宾市").click()
    page.wait_for_load_state()
    screenshot("assessment-score-card")
    old_total = page.locator("#total").inner_text()
    page.locator("#item-reporting tr.line-late_report a").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/reports/{late.pk}/")
    card = f"{base}/assessment/results/{first.pk}/units/{units.yibin.pk}/"

    log_in(page, base, "yb_reporter")
    page.goto(card)
    page.fill("textarea[name=reason]", "一季度报告系统故障延迟，已提供情况说明")
    page.get_by_role("button", name="提出申诉").click()
    page.wait_for_load_state()
    assert "一季度报告系统故障延迟" in page.locator("#objections").inner_text()

    log_in(page, base, "prov_planner")
    page.goto(f"{base}/assessment/results/{first.pk}/")
    page.fill("#objections input[name=answer]", "情况属实，给予加分补偿")
    page.locator("#objections").get_by_role("button", name="答复").click()
    page.wait_for_load_state()
    form = page.locator("#adjust-form")
    form.locator("select[name=unit]").select_option(label="宜宾市")
    form.locator("select[name=kind]").select_option("bonus")
    form.locator("input[name=points]").fill("2")
    form.locator("input[name=reason]").fill("川南城际铁路提前开工")
    form.locator("input[name=evidence_text]").fill("省发展改革委通报")
    form.get_by_role("button", name="录入").click()
    page.wait_for_load_state()
    page.fill("#recompute-form input[name=reason]", "答复申诉后加分")
    page.get_by_role("button", name="重新计算（生成新版次）").click()
    page.wait_for_load_state()
    second = ResultEdition.objects.get(number=2)
    assert page.url.endswith(f"/assessment/results/{second.pk}/")
    row = page.locator("#ranking tr[data-unit=宜宾市]")
    assert old_total in row.inner_text() and "+2.00" in row.inner_text()
    screenshot("assessment-new-edition")
    page.get_by_role("button", name="审核").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="发布").click()
    page.wait_for_load_state()
    second.refresh_from_db()
    assert second.status == ResultStatus.PUBLISHED
    assert "已发布" in page.locator("#edition-status").inner_text()
    assert list(page_errors) == []
