"""The interface in English: one page of each area, fetched as the persona who uses it after
choosing English with the language switch (the site ignores the browser's Accept-Language).
Each page shows its own English words, and its chrome — navigation, headings, table headers,
buttons, labels — has no Chinese left. Plan titles, clauses, task titles and unit names are
the plans' own words and stay Chinese, so they are taken out before the check."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from planwatch.core.notify import notification_send
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Node, Plan, PlanVersion
from planwatch.reports.models import ProgressReport
from planwatch.reports.services import progress_report_start
from planwatch.supervision.models import SupervisionCase
from planwatch.supervision.services import case_assign, case_open
from planwatch.tasks.models import AnnualList, Task
from tests.factories.implementation import Units
from tests.factories.personas import logged_in, make_user

CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
CHROME = {"nav", "h1", "h2", "h3", "th", "button", "label", "legend", "title", "summary"}


class _Chrome(HTMLParser):
    """The text inside the chrome elements; a <select>'s options are data (plan titles,
    unit names) and the language switch names each language in its own words."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.in_select = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.depth += tag in CHROME
        self.in_select += tag == "select"

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag in CHROME and self.depth > 0
        self.in_select -= tag == "select" and self.in_select > 0

    def handle_data(self, data: str) -> None:
        if self.depth and not self.in_select and data.strip():
            self.texts.append(data.strip())


def _data_words() -> list[str]:
    """The plans' and units' own words that pages show, longest first."""
    words: set[str] = set()
    for unit in OrgUnit.objects.all():
        words |= {unit.name, unit.short_name}
    words |= set(Plan.objects.values_list("title", flat=True))
    words |= set(PlanVersion.objects.values_list("title", flat=True))
    words |= set(Task.objects.values_list("title", flat=True))
    for node in Node.objects.all():
        words |= {node.label, node.title, str(node)}
    return sorted(words - {""}, key=len, reverse=True)


def chrome_chinese(html: str) -> list[str]:
    """The chrome texts of `html` that still have Chinese in them once data is taken out."""
    parser = _Chrome()
    parser.feed(html)
    words = _data_words()
    left = []
    for text in parser.texts:
        for word in words:
            text = text.replace(word, "")
        if CHINESE.search(text):
            left.append(text)
    return left


def english(user: User | None) -> Client:
    """A client of `user` (anonymous if None) that chose English with the switch."""
    client = logged_in(user) if user is not None else Client()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def page(client: Client, url: str, *expected: str) -> str:
    """The page at `url`, checked: status 200, `expected` in it, no Chinese in its chrome."""
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert '<html lang="en">' in html, url
    missing = [text for text in expected if text not in html]
    assert not missing, f"{url}: {missing} not found"
    assert not chrome_chinese(html), f"{url}: Chinese left in {chrome_chinese(html)}"
    return html


@pytest.fixture
def task(issued: AnnualList) -> Task:
    return issued.tasks.order_by("seq").first()  # type: ignore[return-value]


@pytest.fixture
def report(task: Task, units: Units, yibin_reporter_user: User) -> ProgressReport:
    return progress_report_start(
        task=task, unit=units.yibin, period_start=date(task.year, 1, 1), actor=yibin_reporter_user
    )


@pytest.fixture
def case(task: Task, units: Units, chuannan_planner_user: User) -> SupervisionCase:
    case, _ = case_open(task=task, light="red", reason="逾期未完成", actor=chuannan_planner_user)
    return case_assign(
        case=case, unit=units.yibin, actor=chuannan_planner_user, today=date(2024, 6, 3)
    )


def test_tasks_and_lists_in_english(
    issued: AnnualList, task: Task, chuannan_planner_user: User, yibin_reporter_user: User
) -> None:
    reporter = english(yibin_reporter_user)
    page(reporter, reverse("tasks:task_list"), "<h1>Key tasks</h1>", "Lead unit", "Deadline")
    page(
        reporter,
        reverse("tasks:task_detail", args=[task.pk]),
        "Responsible unit",
        "Reporting period",
        "Completion criterion",
    )
    planner = english(chuannan_planner_user)
    page(planner, reverse("tasks:list_index"), "Annual key task lists", "Reporting frequency")
    page(
        planner,
        reverse("tasks:list_detail", args=[issued.pk]),
        f"key tasks for {issued.year}",
        "Export xlsx",
        "Issued versions",
    )


def test_reports_in_english(
    report: ProgressReport,
    yibin_reporter_user: User,
    yibin_reviewer_user: User,
    chuannan_planner_user: User,
) -> None:
    page(
        english(yibin_reporter_user),
        reverse("reports:report_detail", args=[report.pk]),
        "Progress report",
        "Due: ",
        "Save",
        "Upload",
    )
    page(english(yibin_reviewer_user), reverse("reports:review_queue"), "Reports to review")
    page(english(chuannan_planner_user), reverse("reports:health"), "Reporting health", "Score")


def test_supervision_in_english(
    case: SupervisionCase, yibin_reporter_user: User, chuannan_planner_user: User
) -> None:
    reporter = english(yibin_reporter_user)
    page(reporter, reverse("supervision:case_list"), "Handling unit", ">Red</span>", "Assigned")
    page(
        reporter,
        reverse("supervision:case_detail", args=[case.pk]),
        "Supervision: ",
        "Acknowledge by",
        ">Acknowledge</button>",
    )
    notification_send(
        recipients=[yibin_reporter_user],
        kind="remind.case.ack",
        key="english-pages",
        title="请尽快签收督办事项",
        body="",
        now=timezone.now(),
    )
    page(reporter, reverse("supervision:notification_list"), "My notifications", "Mark as read")


def test_dashboards_and_upload_in_english(issued: AnnualList, chuannan_planner_user: User) -> None:
    planner = english(chuannan_planner_user)
    page(planner, reverse("dashboards:index"), ">Dashboards</a>")
    page(
        planner,
        reverse("dashboards:plan", args=[issued.plan.slug]),
        "Implementation dashboard",
        "Red tasks (overdue)",
    )
    page(planner, reverse("plan_upload"), "Upload and ingest", "Plan documents")


def test_accounts_and_audit_in_english(
    issued: AnnualList, chuannan_planner_user: User, yibin_reporter_user: User
) -> None:
    planner = english(chuannan_planner_user)
    page(planner, reverse("accounts:user_list"), "New user", "Username")
    page(
        planner,
        reverse("accounts:user_detail", args=[yibin_reporter_user.pk]),
        "Grant role",
        "Reset password",
    )
    page(planner, reverse("accounts:password_change"), "Current password", "Save new password")
    root = make_user("root_en", is_superuser=True, is_staff=True)
    page(english(root), reverse("audit:event_list"), "Audit log", "Issue annual list (", "Filter")
    page(english(None), reverse("accounts:login"), "Username", "Password", "Log in")


def test_search_in_english(plan: Plan, chuannan_planner_user: User) -> None:
    page(english(chuannan_planner_user), reverse("search"), "Search the plans", "All plans")
    page(english(None), reverse("search") + "?q=%E5%AE%9C%E5%AE%BE", "Search the plans")


def test_chinese_stays_the_default(task: Task, yibin_reporter_user: User) -> None:
    client = logged_in(yibin_reporter_user)
    html = client.get(reverse("tasks:task_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">任务</a>" in html and ">Tasks</a>" not in html


def test_the_chrome_check_finds_chinese(db: None) -> None:
    html = "<nav><a>首页</a><select><option>简体中文</option></select></nav><p>正文</p>"
    assert chrome_chinese(html) == ["首页"]
