"""Issue 9, items 6 and 13, as people would meet them in Chromium with the demonstration data
loaded: a planner edits a task in the common form layout, picks a lead unit by typing in the
searchable unit picker and choosing with the keyboard (each 市中区 named with its city),
chooses a file in a Chinese-labelled file input, and is asked before 下达清单; then every
persona opens the main signed-in pages on a 390 px wide phone and no page is wider than the
screen."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from planwatch.orgunits.models import OrgUnit
from planwatch.pages.demo import demo_load
from planwatch.plans.models import Plan
from planwatch.reports.models import ProgressReport
from planwatch.supervision.models import SupervisionCase
from planwatch.tasks.choices import AnnualListStatus
from planwatch.tasks.models import AnnualList, Task
from planwatch.tasks.services import annual_list_reopen
from tests.browser.conftest import SCREENSHOTS, PageErrors
from tests.factories.personas import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# The right edge of the box a table scrolls in (itself when it scrolls, else the nearest
# ancestor that clips or scrolls sideways, else the table).
SCROLL_BOX_RIGHT = """tables => tables.map(t => {
  for (let e = t; e && e !== document.body; e = e.parentElement) {
    const o = getComputedStyle(e).overflowX;
    if (o === "auto" || o === "scroll" || o === "hidden") return e.getBoundingClientRect().right;
  }
  return t.getBoundingClientRect().right;
})"""
SHOTS = {"/cases/": "cases", "/tasks/": "tasks", "/dashboards/province/": "province"}
ENGLISH_LEFT = ("Select an option", "Choose File", "No file chosen", "---------")


def log_in(page: Any, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("登录名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


@pytest.fixture
def demo(
    bundled_plans: list[Plan],
    orgunits: dict[str, OrgUnit],
    chuannan_planner_user: User,
    yibin_reporter_user: User,
    yibin_reviewer_user: User,
    leader_user: User,
    sysadmin_user: User,
) -> dict[str, Any]:
    """The demo for 2024 on the bundled plans, and one person of each kind (personas)."""
    u = orgunits
    people = {
        "planner": chuannan_planner_user,
        "reporter": yibin_reporter_user,
        "reviewer": yibin_reviewer_user,
        "leader": leader_user,
        "admin": sysadmin_user,
    }
    demo_load(years=(2024,), as_of=date(2024, 10, 20))
    alist = AnnualList.objects.get(plan__org_unit=u["zone:south-sichuan"], year=2024)
    return {"people": people, "list": alist, "units": u}


def _no_english(page: Any) -> None:
    text = page.inner_text("body")
    left = [w for w in ENGLISH_LEFT if w in text]
    assert not left, f"{page.url}: English left on a Chinese page: {left}"


def _box(page: Any, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box  # type: ignore[no-any-return]


def test_task_form_unit_picker_file_input_and_confirmation(
    page: Any,
    live_server: Any,
    demo: dict[str, Any],
    tmp_path: Path,
    page_errors: PageErrors,
    screenshot: Any,
) -> None:
    base, alist = live_server.url, demo["list"]
    planner = demo["people"]["planner"]
    annual_list_reopen(annual_list=alist, actor=planner, reason="调整牵头单位")
    task = alist.tasks.order_by("seq").first()
    assert task is not None
    log_in(page, base, "chuannan_planner")

    # One layout: labels in one column beside their fields, help under its field.
    page.goto(f"{base}/tasks/{task.pk}/edit/")
    _no_english(page)
    xs = {
        round(b["x"])
        for b in page.locator(".form-row > label").evaluate_all(
            "els => els.map(e => e.getBoundingClientRect().toJSON())"
        )
    }
    assert len(xs) == 1, f"labels not aligned: {xs}"
    milestones, help_text = _box(page, "#id_milestones"), _box(page, "#id_milestones_helptext")
    assert help_text["y"] >= milestones["y"] + milestones["height"] - 1
    assert abs(help_text["x"] - milestones["x"]) < 2

    # The unit picker: type, see each 市中区 with its city, choose with the keyboard.
    leshan = OrgUnit.objects.get(name="市中区", parent__name="乐山市")
    neijiang = OrgUnit.objects.get(name="市中区", parent__name="内江市")
    picker = page.locator(".form-row", has=page.locator("#id_lead_unit")).locator(".ts-control")
    picker.click()
    page.keyboard.type("市中区")
    options = page.locator(".ts-dropdown .option:visible")
    options.first.wait_for()
    names = options.all_inner_texts()
    assert "市中区（乐山市）" in names and "市中区（内江市）" in names, names
    active = page.locator(".ts-dropdown .option.active")
    while active.inner_text() != "市中区（内江市）":
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.locator("#id_lead_unit").input_value() == str(neijiang.pk)
    screenshot("task-edit-form")
    assert leshan.pk != neijiang.pk
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert "任务已保存" in page.content()
    task.refresh_from_db()
    assert task.lead_unit_id == neijiang.pk

    # The list page: a Chinese-labelled file input; 下达清单 asks first.
    page.goto(f"{base}/lists/{alist.pk}/")
    _no_english(page)
    chooser = page.locator(".file-input").first
    assert chooser.locator(".file-input-name").inner_text() == "未选择文件"
    assert "选择文件" in chooser.inner_text()
    sheet = tmp_path / "清单.xlsx"
    sheet.write_bytes(b"PK")
    chooser.locator("input[type=file]").set_input_files(str(sheet))
    assert chooser.locator(".file-input-name").inner_text() == "清单.xlsx"

    questions: list[str] = []
    page.once("dialog", lambda d: (questions.append(d.message), d.dismiss()))
    page.get_by_role("button", name="下达清单").click()
    page.wait_for_timeout(300)  # a dismissed confirmation sends nothing: nothing to wait for
    assert questions and "下达" in questions[0]
    alist.refresh_from_db()
    assert alist.status == AnnualListStatus.REVISING
    page.once("dialog", lambda d: d.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="下达清单").click()
    alist.refresh_from_db()
    assert alist.status == AnnualListStatus.ISSUED, page.locator(".messages").inner_text()
    assert page_errors == []


def _phone_pages(demo: dict[str, Any]) -> dict[str, list[str]]:
    alist: AnnualList = demo["list"]
    task = Task.objects.filter(annual_list=alist, responsible_units=demo["units"]["511500"]).first()
    assert task is not None
    report = ProgressReport.objects.filter(task__annual_list=alist, unit__code="511500").first()
    case = SupervisionCase.objects.filter(task__annual_list=alist).first()
    assert report is not None and case is not None
    zone = alist.plan.org_unit.code.removeprefix("zone:")  # type: ignore[union-attr]
    common = [
        "/",
        "/tasks/",
        f"/tasks/{task.pk}/",
        "/cases/",
        f"/cases/{case.pk}/",
        "/notifications/",
    ]
    return {
        "reporter": [*common, f"/reports/{report.pk}/"],
        "reviewer": [*common, "/reports/queue/", f"/reports/{report.pk}/"],
        "planner": [
            *common,
            "/lists/",
            f"/lists/{alist.pk}/",
            f"/tasks/{task.pk}/edit/",
            "/reports/queue/",
            "/reports/health/",
            "/dashboards/",
            f"/dashboards/zone/{zone}/",
            f"/dashboards/plan/{alist.plan.slug}/",
        ],
        "leader": [
            "/",
            "/tasks/",
            "/dashboards/",
            "/dashboards/province/",
            f"/dashboards/zone/{zone}/",
            "/dashboards/unit/511500/",
        ],
        "admin": ["/audit/", "/accounts/users/", "/system/jobs/"],
    }


def test_signed_in_pages_fit_a_phone(browser: Any, live_server: Any, demo: dict[str, Any]) -> None:
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True)
    context.set_default_timeout(30_000)
    page = context.new_page()
    too_wide: list[str] = []
    seen = 0
    try:
        for who, paths in _phone_pages(demo).items():
            log_in(page, live_server.url, demo["people"][who].username)
            for path in paths:
                response = page.goto(f"{live_server.url}{path}")
                assert response is not None and response.status == 200, (who, path)
                page.wait_for_load_state("networkidle")
                width = page.evaluate(
                    "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
                )
                seen += 1
                if path in SHOTS:
                    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                    name = f"phone-{who}-{SHOTS[path]}.png"
                    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
                if width > PHONE["width"]:
                    too_wide.append(f"{who} {path}: {width}px")
                # Tables scroll inside their box (or collapse to cards), not the page.
                for right in page.locator("main table").evaluate_all(SCROLL_BOX_RIGHT):
                    if right > PHONE["width"] + 1:
                        too_wide.append(f"{who} {path}: a table's box ends at {right}px")
    finally:
        context.close()
    assert seen >= 25
    assert not too_wide, "pages wider than a 390 px phone: " + "; ".join(too_wide)


def test_no_english_widgets_on_chinese_forms(
    page: Any, live_server: Any, demo: dict[str, Any]
) -> None:
    """The forms with selects and file inputs read in Chinese (empty choices, file inputs)."""
    log_in(page, live_server.url, "sysadmin")
    for path in ("/accounts/users/new/", "/audit/", "/plans/upload/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        _no_english(page)
        html = page.content()
        assert not re.search(r"<option[^>]*>\s*-+\s*</option>", html), path
