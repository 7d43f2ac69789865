"""Issue 11 in a real browser, beyond its acceptance walk: the quarterly 红黑榜 page (a
province planner computes the list, states an exemption with its reason, publishes it, then
corrects it by a new edition shown beside the old one with the differences), the zone
dashboard's projects panel (its chart drawn, its light counts linking to the 台账), and the
evidence upload of a monthly report (a filler uploads a file, opens it, deletes it).

The investment figures are made up for the test."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from planwatch.orgunits.models import OrgUnit
from planwatch.projects import services as s
from planwatch.projects.models import MonthlyReport, Project, QuarterList
from tests.browser.conftest import PageErrors
from tests.browser.test_implementation_acceptance import log_in
from tests.projects.helpers import confirmed_from_plan, filed_and_accepted

pytestmark = pytest.mark.browser


def _click(page: Any, scope: Any, name: str) -> None:
    scope.get_by_role("button", name=name).first.click()
    page.wait_for_load_state()


@pytest.fixture
def walkers(
    chuannan_planner_user: User,
    planner_user: User,
    yibin_reporter_user: User,
    yibin_reviewer_user: User,
    zigong_reporter_user: User,
    zigong_reviewer_user: User,
) -> dict[str, Any]:
    """The people of the walk: personas of tests/factories/personas.py."""
    return {
        "planner": chuannan_planner_user,
        "province": planner_user,
        "yb_filler": yibin_reporter_user,
        "yb_reviewer": yibin_reviewer_user,
        "zg_filler": zigong_reporter_user,
        "zg_reviewer": zigong_reviewer_user,
    }


def _project(bundled_plans: list[Any], walkers: dict[str, Any]) -> tuple[Project, dict[str, Any]]:
    """成自宜高铁 with a segment in 自贡 (80,000 planned for 2026) and 宜宾 (120,000), and
    the people of the walk."""
    zone = OrgUnit.objects.get(code="zone:south-sichuan")
    yibin, zigong = OrgUnit.objects.get(code="511500"), OrgUnit.objects.get(code="510300")
    people = {**walkers, "zone": zone}
    plan = next(p for p in bundled_plans if p.org_unit_id == zone.pk)
    project = confirmed_from_plan(plan, people["planner"], "成自宜高铁")
    for city, amount in ((zigong, "80000"), (yibin, "120000")):
        seg = s.segment_set(
            project=project, place=city, unit=city, investment="1000000", actor=people["planner"]
        )
        s.annual_plan_set(
            project=project, segment=seg, year=2026, amount=amount, actor=people["planner"]
        )
    return project, people


def test_lists_page_publish_and_correct_and_the_zone_panel(
    page: Any,
    live_server: Any,
    bundled_plans: list[Any],
    screenshot: Any,
    page_errors: PageErrors,
    walkers: dict[str, Any],
) -> None:
    base = live_server.url
    project, people = _project(bundled_plans, walkers)
    # March: 宜宾 31,000 of 120,000 (25.8 %), 自贡 17,000 of 80,000 (21.25 %); target 25 %.
    for place, ytd, filler, reviewer in (
        ("宜宾市", 31000, "yb_filler", "yb_reviewer"),
        ("自贡市", 17000, "zg_filler", "zg_reviewer"),
    ):
        filed_and_accepted(
            project=project,
            segment=project.segments.get(place__name=place),
            year=2026,
            month=3,
            ytd=ytd,
            filler=people[filler],
            reviewer=people[reviewer],
            planner=people["planner"],
        )

    log_in(page, base, "planner")
    page.goto(f"{base}/projects/lists/?series=prefectures&year=2026&quarter=1")
    _click(page, page, "计算红黑榜")
    assert "草稿，尚未发布" in page.locator("#list-status").inner_text()
    assert "宜宾市" in page.locator("#red-list").inner_text()
    assert "自贡市" in page.locator("#black-list").inner_text()
    row = page.locator("#list-ranking tr", has_text="自贡市")
    row.locator("input[name=reason]").fill("3 月特大暴雨停工")
    _click(page, row, "保存")
    assert "3 月特大暴雨停工" in page.locator("#exempt-list").inner_text()
    assert "自贡市" not in page.locator("#black-list").inner_text()
    _click(page, page, "发布")
    assert "已于" in page.locator("#list-status").inner_text()

    # 自贡's figure was wrong: corrected to 27,000 (33.75 %), the list is corrected.
    MonthlyReport.objects.filter(segment__place__name="自贡市", month=3).update(invested_ytd=27000)
    page.fill("#correct-form input[name=reason]", "自贡市 3 月数据报错")
    _click(page, page, "更正（生成新版次）")
    assert "第2版更正第1版" in page.locator("#correction-reason").inner_text()
    _click(page, page, "发布")
    assert "自贡市" in page.locator("#red-list").inner_text()
    assert "红榜：宜宾市" in page.locator("#previous-edition").inner_text()
    changes = page.locator("#list-changes")
    assert "自贡市" in changes.inner_text() and "宜宾市" in changes.inner_text()
    first, second = QuarterList.objects.order_by("edition")
    assert (first.edition, second.edition, second.previous_id) == (1, 2, first.pk)
    assert first.published_at is not None and second.published_at is not None
    screenshot("project-lists-corrected")

    # The zone dashboard: its projects panel loads, draws its chart, shows the new list.
    log_in(page, base, "chuannan_planner")
    page.goto(f"{base}/dashboards/zone/south-sichuan/?year=2026")
    # the panel is loaded (htmx) once scrolled into view, and charts.js draws its chart
    page.locator("#projects-panel").scroll_into_view_if_needed()
    page.locator("#chart-projects canvas").wait_for()
    panel = page.locator("#projects-panel")
    assert "自贡市" in panel.locator('[data-verdict="red"]').first.inner_text()
    light = panel.locator("[data-projects-light]", has_text="1").first
    light.click()
    page.wait_for_load_state()
    assert "/projects/" in page.url and "light=" in page.url
    assert "成自宜高铁" in page.content()
    assert page_errors == [], page_errors


def test_monthly_report_evidence_upload(
    page: Any,
    live_server: Any,
    bundled_plans: list[Any],
    settings: Any,
    tmp_path: Any,
    page_errors: PageErrors,
    walkers: dict[str, Any],
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # evidence files stay out of var/media
    base = live_server.url
    project, people = _project(bundled_plans, walkers)
    report = s.monthly_report_start(
        project=project,
        segment=project.segments.get(place__name="宜宾市"),
        year=2026,
        month=3,
        actor=people["yb_filler"],
    )
    log_in(page, base, "yibin_reporter")
    page.goto(f"{base}/projects/reports/{report.pk}/")
    assert "暂无佐证材料" in page.locator("#evidence").inner_text()
    content = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    page.locator("#evidence input[type=file]").set_input_files(
        {"name": "现场照片说明.pdf", "mimeType": "application/pdf", "buffer": content}
    )
    with page.expect_navigation():
        page.locator("#evidence").get_by_role("button", name="上传", exact=True).click()
    link = page.locator("#evidence a", has_text="现场照片说明.pdf")
    assert link.count() == 1
    response = page.request.get(base + link.get_attribute("href"))
    assert response.status == 200 and response.body() == content
    assert report.evidence.get().name == "现场照片说明.pdf"
    _click(page, page.locator("#evidence"), "删除材料")
    assert "暂无佐证材料" in page.locator("#evidence").inner_text()
    assert not report.evidence.exists()
    assert page_errors == [], page_errors
