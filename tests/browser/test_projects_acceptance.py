"""Issue 11's acceptance, tried in a real browser: the 川南 planner drafts the plan's
projects from its 专栏 items, confirms 成自宜高铁 and gives it a segment (with its 2026 plan)
in each city it crosses here, 自贡 and 宜宾; a 宜宾 filler files March's report on the
project page, the 宜宾 reviewer approves and the planner accepts it; the project page's
完成率, 时间进度, gap and light equal a hand computation; at the end of June the 双过半
check names the project below half.

The investment figures are made up for the test."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from planwatch.orgunits.models import OrgUnit
from planwatch.projects import services
from planwatch.projects.models import MonthlyReport, Project
from tests.browser.conftest import PageErrors
from tests.browser.test_implementation_acceptance import log_in

pytestmark = pytest.mark.browser


def _click(page: Any, scope: Any, name: str) -> None:
    scope.get_by_role("button", name=name).first.click()
    page.wait_for_load_state()


def test_project_scheduling_in_the_browser(
    page: Any,
    live_server: Any,
    bundled_plans: list[Any],
    screenshot: Any,
    page_errors: PageErrors,
    chuannan_planner_user: User,
    yibin_reporter_user: User,
    yibin_reviewer_user: User,
) -> None:
    base = live_server.url
    zone = OrgUnit.objects.get(code="zone:south-sichuan")
    yibin, zigong = OrgUnit.objects.get(code="511500"), OrgUnit.objects.get(code="510300")
    plan = next(p for p in bundled_plans if p.org_unit_id == zone.pk)

    log_in(page, base, "chuannan_planner")
    page.goto(f"{base}/projects/plans/{plan.slug}/drafts/")
    _click(page, page, "从规划专栏生成项目草稿")
    project = Project.objects.get(plan_id=plan.pk, name="成自宜高铁")
    row = page.locator(f"#project-{project.pk}")
    assert "原文第" in row.inner_text()
    _click(page, row, "确认项目")
    page.goto(f"{base}/projects/{project.pk}/?year=2026&month=3")
    for city, amount in ((zigong, "80000"), (yibin, "120000")):
        form = page.locator("#segment-form")
        form.locator("select[name=place]").select_option(label=city.name)
        form.locator("select[name=unit]").select_option(label=city.name)
        form.locator("input[name=investment]").fill("1000000")
        _click(page, form, "保存分段")
        form = page.locator("#plan-form")
        form.locator("select[name=segment]").select_option(label=city.name)
        form.locator("input[name=amount]").fill(amount)
        _click(page, form, "保存年度计划")
    project.refresh_from_db()
    assert project.status == "confirmed"
    assert sorted(project.segments.values_list("place__name", flat=True)) == ["宜宾市", "自贡市"]

    log_in(page, base, "yibin_reporter")
    page.goto(f"{base}/projects/{project.pk}/?year=2026&month=3")
    page.locator("select[name=month]").last.select_option("3")
    _click(page, page, "填报调度报告")
    page.fill("input[name=invested_month]", "12000")
    page.fill("input[name=invested_ytd]", "31000")
    page.fill("input[name=invested_total]", "131000")
    page.fill("textarea[name=progress_text]", "路基完成 40%")
    page.fill("textarea[name=issues]", "征地拆迁需省级协调")
    _click(page, page, "保存")
    _click(page, page, "报送")
    report = MonthlyReport.objects.get(project=project, month=3)
    assert report.status == "submitted" and report.segment.place == yibin

    log_in(page, base, "yibin_reviewer")
    page.goto(f"{base}/projects/reports/{report.pk}/")
    _click(page, page, "审核通过")
    log_in(page, base, "chuannan_planner")
    page.goto(f"{base}/projects/reports/{report.pk}/")
    _click(page, page, "采纳")
    report.refresh_from_db()
    assert report.status == "accepted"

    page.goto(f"{base}/projects/{project.pk}/?year=2026&month=3")
    # By hand: 31,000 ÷ (80,000 + 120,000) = 0.155; 3 ÷ 12 = 0.25; gap −9.5 points → green
    # (yellow from 10 points behind).
    assert page.locator('[data-figure="rate"]').inner_text() == "0.1550"
    assert page.locator('[data-figure="time"]').inner_text() == "0.2500"
    assert page.locator('[data-figure="gap"]').inner_text() == "-9.5"
    assert "绿灯" in page.locator('[data-figure="light"]').inner_text()
    page.wait_for_function("document.querySelector('#chart-investment canvas') !== null")
    screenshot("project-page")

    # End of June: 宜宾 has reached 50,000 of the 200,000 planned — 25 %, below half.
    june = services.monthly_report_start(
        project=project,
        segment=report.segment,
        year=2026,
        month=6,
        actor=report.created_by,
    )
    assert june.due.month == 7
    services.monthly_report_update(
        report=june,
        actor=report.created_by,
        version=june.version,
        values={
            "invested_month": "5000",
            "invested_ytd": "50000",
            "invested_total": "150000",
            "progress_text": "桥梁施工",
        },
    )
    services.monthly_report_submit(report=june, actor=report.created_by)
    services.monthly_report_approve(report=june, actor=User.objects.get(username="yibin_reviewer"))
    services.monthly_report_accept(report=june, actor=User.objects.get(username="chuannan_planner"))
    check = services.double_half_check(projects=[project], year=2026)
    assert check.below_half == ("成自宜高铁",) and check.investment_rate == pytest.approx(0.25)
    assert page_errors == [], page_errors
