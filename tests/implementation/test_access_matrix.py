"""Every page of the implementation apps (tasks, reports, supervision, dashboards), checked
the same three ways: an anonymous visitor is sent to the login page, a signed-in user outside
its scope is denied (404, or 403 where the page says why) and changes nothing, and a user in
scope gets the page. A new URL in those apps fails `test_every_page_is_in_the_matrix` until it
is added here. (Each page's own behaviour is tested in test_views.py and friends; the JSON API
has the same checks in tests/api/test_implementation.py.)"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from planwatch.accounts.choices import Role
from planwatch.audit.models import AuditEvent
from planwatch.core.models import Notification
from planwatch.core.notify import notification_send
from planwatch.reports.models import Evidence, ProgressReport
from planwatch.reports.services import (
    progress_report_submit,
)
from planwatch.supervision.models import SupervisionCase
from planwatch.supervision.services import case_open
from planwatch.tasks.models import AnnualList, Task
from planwatch.tasks.services import annual_list_issue, annual_list_reopen, task_update
from tests.factories import implementation as f
from tests.factories.personas import logged_in, make_user

NAMESPACES = ("tasks", "reports", "supervision", "dashboards")
DENIED = {403, 404}
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"


@dataclass(frozen=True)
class Page:
    name: str
    args: Callable[[World], list[Any]]
    allowed: str  # persona who gets the page (GET) or whose POST is accepted
    denied: str  # persona outside the scope
    method: str = "get"
    data: Callable[[World], dict[str, Any]] | None = None
    # Pages that list things are not denied to anyone signed in; they are scoped: the
    # denied persona gets the page without the world's object on it.
    scoped_marker: Callable[[World], str] | None = None
    # What the allowed persona does first, as a user would (e.g. reopen an issued list).
    setup: Callable[[World], None] | None = None
    # A form that cannot name the object answers with its error (a redirect), not a 404.
    denied_status: frozenset[int] = frozenset(DENIED)


@dataclass
class World:
    units: f.Units
    plan: Any
    annual_list: AnnualList
    task: Task
    report: ProgressReport
    evidence: Evidence
    case: SupervisionCase
    notification: Notification
    users: dict[str, Any]


def _title(w: World) -> str:
    return w.task.title


def _reopen(w: World) -> None:
    annual_list_reopen(annual_list=w.annual_list, actor=w.users["planner"], reason="调整频次")


def _submit(w: World) -> None:
    progress_report_submit(report=w.report, actor=w.users["yibin_reporter"])


PAGES = [
    Page(
        "tasks:task_list", lambda w: [], "yibin_reporter", "luzhou_reporter", scoped_marker=_title
    ),
    Page("tasks:task_detail", lambda w: [w.task.pk], "yibin_reporter", "luzhou_reporter"),
    Page("tasks:task_edit", lambda w: [w.task.pk], "planner", "yibin_reporter"),
    Page("tasks:list_index", lambda w: [], "planner", "panxi_planner"),
    # a unit named on an issued list reads it (issue 9): the index and the list itself
    Page("tasks:list_index", lambda w: [], "yibin_reporter", "panxi_planner"),
    Page(
        "tasks:list_generate",
        lambda w: [],
        "planner",
        "panxi_planner",
        method="post",
        data=lambda w: {"plan": w.plan.pk, "year": 2026},
        denied_status=frozenset({302}),  # the plan is not among the form's choices
    ),
    Page("tasks:list_detail", lambda w: [w.annual_list.pk], "planner", "panxi_planner"),
    Page("tasks:list_detail", lambda w: [w.annual_list.pk], "yibin_reporter", "panxi_planner"),
    Page("tasks:list_issue", lambda w: [w.annual_list.pk], "planner", "panxi_planner", "post"),
    Page(
        "tasks:list_reopen",
        lambda w: [w.annual_list.pk],
        "planner",
        "panxi_planner",
        "post",
        data=lambda w: {"reason": "调整任务"},
    ),
    Page(
        "tasks:list_frequency",
        lambda w: [w.annual_list.pk],
        "planner",
        "panxi_planner",
        "post",
        data=lambda w: {"frequency": "monthly"},
        setup=_reopen,
    ),
    Page("tasks:list_export", lambda w: [w.annual_list.pk], "planner", "panxi_planner"),
    Page("tasks:list_import", lambda w: [w.annual_list.pk], "planner", "panxi_planner", "post"),
    Page(
        "reports:report_start",
        lambda w: [w.task.pk],
        "yibin_reporter",
        "luzhou_reporter",
        "post",
        data=lambda w: {"unit": w.units.yibin.pk, "period_start": "2024-04-01"},
    ),
    Page(
        "reports:review_queue",
        lambda w: [],
        "yibin_reviewer",
        "luzhou_reviewer",
        scoped_marker=_title,
        setup=_submit,
    ),
    Page("reports:health", lambda w: [], "planner", "yibin_reporter"),
    Page("reports:report_detail", lambda w: [w.report.pk], "yibin_reporter", "luzhou_reporter"),
    Page(
        "reports:evidence_upload",
        lambda w: [w.report.pk],
        "yibin_reporter",
        "luzhou_reporter",
        "post",
        data=lambda w: {"file": SimpleUploadedFile("说明.pdf", PDF, "application/pdf")},
    ),
    Page(
        "reports:evidence_download",
        lambda w: [w.report.pk, w.evidence.pk],
        "yibin_reporter",
        "luzhou_reporter",
    ),
    Page(
        "reports:evidence_delete",
        lambda w: [w.report.pk, w.evidence.pk],
        "yibin_reporter",
        "luzhou_reporter",
        "post",
    ),
    Page(
        "reports:report_action",
        lambda w: [w.report.pk, "submit"],
        "yibin_reporter",
        "luzhou_reporter",
        "post",
        data=lambda w: {"version": w.report.version},
    ),
    Page("supervision:case_list", lambda w: [], "planner", "luzhou_reporter", scoped_marker=_title),
    Page("supervision:case_detail", lambda w: [w.case.pk], "planner", "luzhou_reporter"),
    Page(
        "supervision:case_action",
        lambda w: [w.case.pk, "assign"],
        "planner",
        "luzhou_reporter",
        "post",
        data=lambda w: {"unit": w.units.yibin.pk, "version": w.case.version},
    ),
    Page(
        "supervision:notification_list",
        lambda w: [],
        "yibin_reporter",
        "luzhou_reporter",
        scoped_marker=lambda w: w.notification.title,
    ),
    Page(
        "supervision:notification_read",
        lambda w: [w.notification.pk],
        "yibin_reporter",
        "luzhou_reporter",
        "post",
        denied_status=frozenset({302, *DENIED}),  # another's notification: nothing happens
    ),
    Page(
        "supervision:notification_read_all",
        lambda w: [],
        "yibin_reporter",
        "luzhou_reporter",
        "post",
        denied_status=frozenset({302}),  # only one's own notifications: nothing happens
    ),
    Page(
        "tasks:task_bulk",
        lambda w: [],
        "planner",
        "panxi_planner",
        "post",
        data=lambda w: {"action": "criterion", "criterion": "年底前建成", "pk": [w.task.pk]},
        setup=_reopen,
        denied_status=frozenset({302}),  # refused with a message naming the rows
    ),
    Page(
        "reports:review_bulk_approve",
        lambda w: [],
        "yibin_reviewer",
        "luzhou_reviewer",
        "post",
        data=lambda w: {"pk": [w.report.pk]},
        setup=_submit,
        denied_status=frozenset({302}),  # refused: not in the reviewer's queue
    ),
    Page("dashboards:index", lambda w: [], "planner", "yibin_reporter"),
    Page("dashboards:province", lambda w: [], "province_planner", "planner"),
    Page(
        "dashboards:zone",
        lambda w: [w.units.chuannan.code.removeprefix("zone:")],
        "leader",
        "panxi_planner",
    ),
    Page("dashboards:unit", lambda w: [w.units.yibin.code], "leader", "yibin_reporter"),
    Page("dashboards:plan", lambda w: [w.plan.slug], "planner", "panxi_planner"),
]


def _names(patterns: list[URLPattern | URLResolver], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            names |= _names(p.url_patterns, ns)
        elif p.name and namespace in NAMESPACES:
            names.add(f"{namespace}:{p.name}")
    return names


def test_every_page_is_in_the_matrix() -> None:
    assert _names(get_resolver().url_patterns) == {page.name for page in PAGES}


@pytest.fixture
def world(
    issued: AnnualList,
    units: f.Units,
    plan: Any,
    chuannan_planner_user: Any,
    panxi_planner_user: Any,
    yibin_reporter_user: Any,
    yibin_reviewer_user: Any,
    luzhou_reporter_user: Any,
    luzhou_reviewer_user: Any,
    chuannan_leader_user: Any,
) -> World:
    task = issued.tasks.order_by("seq").first()
    assert task is not None
    annual_list_reopen(annual_list=issued, actor=chuannan_planner_user, reason="调整")
    task_update(
        task=task, actor=chuannan_planner_user, changes={"responsible_units": [units.yibin]}
    )
    annual_list_issue(annual_list=issued, actor=chuannan_planner_user)
    task.refresh_from_db()
    report = f.report_filed(task, units.yibin, yibin_reporter_user, 40, evidence=PDF, submit=False)
    evidence = report.evidence.get()
    case, _created = case_open(
        task=task, light="red", reason="逾期未完成", actor=chuannan_planner_user
    )
    [notification] = notification_send(
        recipients=[yibin_reporter_user],
        kind="remind.report",
        key=f"matrix:{task.pk}",
        title=f"催办：{task.title}",
        body="尚未报送",
        now=timezone.now(),
    )
    province_planner = make_user("planner_sc", (units.province, Role.PLANNER))
    users = {
        "planner": chuannan_planner_user,
        "panxi_planner": panxi_planner_user,
        "province_planner": province_planner,
        "yibin_reporter": yibin_reporter_user,
        "yibin_reviewer": yibin_reviewer_user,
        "luzhou_reporter": luzhou_reporter_user,
        "luzhou_reviewer": luzhou_reviewer_user,
        "leader": chuannan_leader_user,
    }
    return World(units, plan, issued, task, report, evidence, case, notification, users)


def _request(client: Client, page: Page, w: World) -> Any:
    url = reverse(page.name, args=page.args(w))
    if page.method == "post":
        return client.post(url, page.data(w) if page.data else {})
    return client.get(url)


def _client(user: Any | None) -> Client:
    return Client() if user is None else logged_in(user)


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_anonymous_visitors_go_to_login_and_change_nothing(page: Page, world: World) -> None:
    before = AuditEvent.objects.count()
    response = _request(_client(None), page, world)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_users_outside_the_scope_are_denied_and_change_nothing(page: Page, world: World) -> None:
    before = AuditEvent.objects.count()
    response = _request(_client(world.users[page.denied]), page, world)
    if page.scoped_marker is not None:
        assert response.status_code == 200
        assert page.scoped_marker(world) not in response.content.decode()
    else:
        assert response.status_code in page.denied_status, response.status_code
    assert AuditEvent.objects.count() == before
    world.notification.refresh_from_db()
    assert world.notification.read_at is None


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_users_in_scope_are_served(page: Page, world: World) -> None:
    before = AuditEvent.objects.count()
    if page.setup is not None:
        page.setup(world)
        before = AuditEvent.objects.count()
    response = _request(_client(world.users[page.allowed]), page, world)
    if page.method == "get":
        assert response.status_code == 200
        if page.scoped_marker is not None:
            assert page.scoped_marker(world) in response.content.decode()
    else:
        # Accepted (a redirect to the result) or answered with the form and its errors;
        # never refused.
        assert response.status_code in {200, 302}, response.status_code
        assert response.status_code not in DENIED
    if page.method == "post" and page.name not in {"tasks:list_import", "tasks:list_issue"}:
        assert AuditEvent.objects.count() > before, "an accepted change is audited"
