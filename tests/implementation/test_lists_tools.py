"""Issue 9 item 5: long lists are tools — the 督办 case list, the task list, the notifications,
the review queue and the audit log filter, sort, page and export the filtered rows to xlsx
(text cells as text), show the plan and year on every row, and offer bulk actions that do
all of the selected rows or none."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from planwatch.accounts.choices import Role
from planwatch.audit.labels import action_label
from planwatch.audit.models import AuditEvent
from planwatch.core import listing
from planwatch.core.models import Notification
from planwatch.core.notify import notification_send
from planwatch.reports.choices import ReportStatus
from planwatch.reports.models import ProgressReport
from planwatch.supervision.models import SupervisionCase
from planwatch.supervision.services import case_assign, case_open
from planwatch.tasks.models import AnnualList, Task
from planwatch.tasks.services import annual_list_reopen, task_update
from tests.factories.implementation import Units, report_filed
from tests.factories.personas import logged_in, make_user

FORMULA = '=HYPERLINK("http://example.invalid","点我")'
HUGE = "99999999999999999999"


@pytest.fixture
def small_pages() -> Iterator[None]:
    listing.PER_PAGE, before = 2, listing.PER_PAGE
    yield
    listing.PER_PAGE = before


def _sheet(response: Any) -> list[tuple[Any, ...]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith(listing.XLSX_TYPE)
    ws = load_workbook(io.BytesIO(response.content)).active
    return list(ws.iter_rows(values_only=True))


def _cells(response: Any) -> list[Any]:
    ws = load_workbook(io.BytesIO(response.content)).active
    return [cell for row in ws.iter_rows() for cell in row]


@pytest.fixture
def cases(issued: AnnualList, chuannan_planner_user: Any, units: Units) -> list[SupervisionCase]:
    """A case on each of the list's tasks: the first two assigned to 宜宾, the others to
    泸州; the first task's title begins with `=` (titles come from uploaded plans)."""
    tasks = list(issued.tasks.order_by("seq"))
    Task.objects.filter(pk=tasks[0].pk).update(title=FORMULA)
    out = []
    for i, task in enumerate(tasks):
        light = "red" if i % 2 == 0 else "yellow"
        case, _created = case_open(
            task=task, light=light, reason="滞后", actor=chuannan_planner_user
        )
        unit = units.yibin if i < 2 else units.luzhou
        out.append(
            case_assign(
                case=case, unit=unit, actor=chuannan_planner_user, today=date(2024, 6, 3 + i)
            )
        )
    return out


# --- 督办 case list ----------------------------------------------------------------------


def test_case_rows_name_task_plan_and_year_and_filter(
    cases: list[SupervisionCase], chuannan_planner_user: Any, units: Units, issued: AnnualList
) -> None:
    client = logged_in(chuannan_planner_user)
    url = reverse("supervision:case_list")
    html = client.get(url).content.decode()
    assert "共 4 条" in html
    assert html.count(issued.plan.title) >= 4 and html.count(">2024</td>") >= 4
    for task in issued.tasks.exclude(title=FORMULA):
        assert task.title in html
    assert "共 2 条" in client.get(url, {"unit": units.yibin.pk}).content.decode()
    assert "共 2 条" in client.get(url, {"light": "red"}).content.decode()
    assert "共 0 条" in client.get(url, {"year": "2024", "status": "closed"}).content.decode()
    assert "共 4 条" in client.get(url, {"plan": issued.plan_id, "year": "2024"}).content.decode()
    # Ids no database holds are refused, never a server error: beyond 64 bits at the edge
    # (400, planwatch/core/middleware.py), within 64 bits by the filter (no such plan).
    for key in ("plan", "unit"):
        assert client.get(url, {key: HUGE}).status_code == 400
        response = client.get(url, {key: str(2**63 - 1)})
        assert response.status_code == 200 and "共 4 条" in response.content.decode()


def test_case_list_sorts_pages_and_exports_the_filtered_rows(
    cases: list[SupervisionCase], chuannan_planner_user: Any, units: Units, small_pages: None
) -> None:
    client = logged_in(chuannan_planner_user)
    url = reverse("supervision:case_list")
    first = client.get(url, {"sort": "feedback_due"}).content.decode()
    assert "第 1 / 2 页" in first
    assert first.index(f"/cases/{cases[0].pk}/") < first.index(f"/cases/{cases[1].pk}/")
    last = client.get(url, {"sort": "-feedback_due"}).content.decode()
    assert f"/cases/{cases[3].pk}/" in last and f"/cases/{cases[0].pk}/" not in last

    response = client.get(url, {"unit": units.yibin.pk, "export": "xlsx", "sort": "ack_due"})
    rows = _sheet(response)
    assert rows[0][:5] == ("灯号", "督办事项", "规划", "年度", "序号")
    assert len(rows) == 3  # header and 宜宾's two cases, all pages
    assert {r[5] for r in rows[1:]} == {"宜宾市"}
    assert rows[1][1] == FORMULA and rows[1][3] == 2024
    formula = next(c for c in _cells(response) if c.value == FORMULA)
    assert formula.data_type == "s"  # text, not a formula


def test_case_list_is_scoped_to_the_viewer(
    cases: list[SupervisionCase], panxi_planner_user: Any, yibin_reporter_user: Any
) -> None:
    url = reverse("supervision:case_list")
    yb = logged_in(yibin_reporter_user).get(url).content.decode()
    assert f"/cases/{cases[0].pk}/" in yb
    outsider = logged_in(panxi_planner_user)
    assert "共 0 条" in outsider.get(url).content.decode()
    assert len(_sheet(outsider.get(url, {"export": "xlsx"}))) == 1  # the header alone
    assert Client().get(url).status_code == 302


# --- task list ---------------------------------------------------------------------------


def test_task_list_export_keeps_the_light_filter_and_writes_text(
    issued: AnnualList, chuannan_planner_user: Any
) -> None:
    from planwatch.supervision.jobs import supervise_run
    from planwatch.supervision.models import TaskLight

    supervise_run(today=date(2024, 4, 10), now=issued.issued_at or issued.created_at)
    first = issued.tasks.get(seq=1)
    TaskLight.objects.filter(task=first).update(light="red")
    Task.objects.filter(pk=first.pk).update(title=FORMULA)
    client = logged_in(chuannan_planner_user)
    url = reverse("tasks:task_list")
    html = client.get(url, {"sort": "-seq"}).content.decode()
    assert 'class="light light-red"' in html and "完成标准" not in html.split("<tbody")[0]
    seqs = [int(n) for n in re.findall(r'data-label="序号" class="num">(\d+)', html)]
    assert seqs == sorted(seqs, reverse=True) and len(seqs) == 4
    response = client.get(url, {"light": "red", "export": "xlsx"})
    rows = _sheet(response)
    assert "完成标准" in rows[0] and "灯号" in rows[0]
    assert len(rows) == 2 and rows[1][rows[0].index("灯号")] == "红灯"
    assert rows[1][rows[0].index("重点任务")] == FORMULA
    assert next(c for c in _cells(response) if c.value == FORMULA).data_type == "s"
    assert client.get(url, {"plan": HUGE, "year": HUGE}).status_code == 400  # at the edge


def _bulk(client: Client, tasks: list[Task], **data: Any) -> Any:
    payload = {"pk": [t.pk for t in tasks], "next": reverse("tasks:task_list"), **data}
    return client.post(reverse("tasks:task_bulk"), payload, follow=True)


def test_bulk_criterion_and_lead_unit_all_or_nothing(
    issued: AnnualList, chuannan_planner_user: Any, units: Units, yibin_reporter_user: Any
) -> None:
    tasks = list(issued.tasks.order_by("seq"))
    client = logged_in(chuannan_planner_user)
    # The list is issued (locked): every row is refused, each named, nothing changes.
    before = AuditEvent.objects.count()
    html = _bulk(client, tasks[:2], action="criterion", criterion="年底建成").content.decode()
    assert "全部未更改" in html and tasks[0].title in html and tasks[1].title in html
    assert AuditEvent.objects.count() == before
    assert not Task.objects.filter(criterion="年底建成").exists()

    annual_list_reopen(annual_list=issued, actor=chuannan_planner_user, reason="调整")
    html = _bulk(client, tasks[:3], action="criterion", criterion="年底建成").content.decode()
    assert "已更新 3 项任务" in html
    assert Task.objects.filter(criterion="年底建成").count() == 3
    html = _bulk(client, tasks, action="lead_unit", lead_unit=units.yibin.pk).content.decode()
    assert "已更新 4 项任务" in html
    assert set(Task.objects.values_list("lead_unit", flat=True)) == {units.yibin.pk}
    assert AuditEvent.objects.filter(action="task.update").count() >= 7

    # A reporter sees the tasks but may not change them: refused, nothing changes.
    reporter = logged_in(yibin_reporter_user)
    html = _bulk(reporter, tasks[:1], action="criterion", criterion="改掉").content.decode()
    assert "全部未更改" in html and not Task.objects.filter(criterion="改掉").exists()
    # Nothing ticked, an unknown action, an id beyond 64 bits: a message, no error.
    for data in ({"action": "criterion"}, {"action": "delete", "pk": [tasks[0].pk]}):
        response = client.post(reverse("tasks:task_bulk"), data, follow=True)
        assert response.status_code == 200 and "请先勾选任务" in response.content.decode()
    response = client.post(reverse("tasks:task_bulk"), {"action": "criterion", "pk": [HUGE]})
    assert response.status_code == 302


def test_one_task_of_a_locked_list_refuses_the_whole_batch(
    issued: AnnualList, chuannan_planner_user: Any, plan: Any, units: Units
) -> None:
    from tests.factories.implementation import issued_list

    second = issued_list(plan, chuannan_planner_user, units, year=2025)
    annual_list_reopen(annual_list=issued, actor=chuannan_planner_user, reason="调整")
    open_task = issued.tasks.get(seq=1)
    locked_task = second.tasks.order_by("seq").first()
    assert locked_task is not None
    html = _bulk(
        logged_in(chuannan_planner_user),
        [open_task, locked_task],
        action="criterion",
        criterion="统一",
    ).content.decode()
    assert "1 行被拒绝" in html and locked_task.title in html
    assert not Task.objects.filter(criterion="统一").exists()


# --- notifications -----------------------------------------------------------------------


def test_notifications_page_filter_and_mark_all_read(
    issued: AnnualList, yibin_reporter_user: Any, luzhou_reporter_user: Any, small_pages: None
) -> None:
    task = issued.tasks.get(seq=1)
    now = timezone.now()
    for i in range(5):
        notification_send(
            recipients=[yibin_reporter_user, luzhou_reporter_user],
            kind="remind.report",
            key=f"remind:report:{task.pk}:{i}:2024Q1",
            title=f"催办{i}",
            body="请尽快报送",
            now=now,
        )
    client = logged_in(yibin_reporter_user)
    url = reverse("supervision:notification_list")
    html = client.get(url).content.decode()
    assert "共 5 条" in html and "第 1 / 3 页" in html
    assert issued.plan.title in html and ">2024</td>" in html  # the task's plan and year
    assert "共 1 条" in client.get(url, {"q": "催办3"}).content.decode()
    assert "共 5 条" in client.get(url, {"unread": "true"}).content.decode()

    response = client.post(reverse("supervision:notification_read_all"), follow=True)
    assert "已将 5 条通知标为已读" in response.content.decode()
    assert not Notification.objects.filter(recipient=yibin_reporter_user, read_at=None).exists()
    assert Notification.objects.filter(recipient=luzhou_reporter_user, read_at=None).count() == 5
    event = AuditEvent.objects.get(action="notification.read_all")
    assert event.new == {"count": 5}
    assert "共 0 条" in client.get(url, {"unread": "true"}).content.decode()
    rows = _sheet(client.get(url, {"export": "xlsx"}))
    assert len(rows) == 6 and {r[-1] for r in rows[1:]} == {"已读"}
    assert Client().post(reverse("supervision:notification_read_all")).status_code == 302


# --- review queue ------------------------------------------------------------------------


@pytest.fixture
def submitted(
    issued: AnnualList, units: Units, yibin_reporter_user: Any, luzhou_reporter_user: Any
) -> list[ProgressReport]:
    """宜宾 has filed three tasks' reports, 泸州 one."""
    tasks = list(issued.tasks.order_by("seq"))
    out = [
        report_filed(t, units.yibin, yibin_reporter_user, 30 + i) for i, t in enumerate(tasks[:3])
    ]
    out.append(report_filed(tasks[0], units.luzhou, luzhou_reporter_user, 50))
    return out


def _approve(client: Client, reports: list[ProgressReport]) -> str:
    url = reverse("reports:review_bulk_approve")
    return client.post(url, {"pk": [r.pk for r in reports]}, follow=True).content.decode()


def test_review_queue_filters_exports_and_approves_in_bulk(
    submitted: list[ProgressReport],
    yibin_reviewer_user: Any,
    chuannan_planner_user: Any,
    issued: AnnualList,
) -> None:
    reviewer = logged_in(yibin_reviewer_user)
    url = reverse("reports:review_queue")
    html = reviewer.get(url).content.decode()
    assert "共 3 条" in html and issued.plan.title in html and "批量通过" in html
    rows = _sheet(reviewer.get(url, {"export": "xlsx"}))
    assert len(rows) == 4 and rows[0][:4] == ("任务", "规划", "年度", "责任单位")

    # 泸州's report is not in 宜宾's queue: the whole batch is refused and it is named.
    html = _approve(reviewer, submitted[:2] + submitted[3:])
    assert "全部未更改" in html and "泸州市" in html
    assert ProgressReport.objects.filter(status=ReportStatus.UNIT_APPROVED).count() == 0

    html = _approve(reviewer, submitted[:2])
    assert "已通过 2 份报告" in html
    approved = ProgressReport.objects.filter(status=ReportStatus.UNIT_APPROVED)
    assert set(approved.values_list("pk", flat=True)) == {submitted[0].pk, submitted[1].pk}
    assert "共 1 条" in reviewer.get(url).content.decode()

    # The planner accepts what the unit approved, through the same review service.
    planner = logged_in(chuannan_planner_user)
    queue = planner.get(url, {"status": "unit_approved"}).content.decode()
    assert "共 2 条" in queue
    assert "已通过 2 份报告" in _approve(planner, submitted[:2])
    accepted = ProgressReport.objects.filter(status=ReportStatus.ACCEPTED)
    assert accepted.count() == 2
    steps = AuditEvent.objects.filter(
        action__in=["progress_report.unit_approved", "progress_report.accepted"]
    )
    assert steps.count() == 4


def test_bulk_approve_refuses_someone_elses_queue(
    submitted: list[ProgressReport], luzhou_reporter_user: Any, units: Units
) -> None:
    outsider = make_user("lz_reviewer_x", (units.luzhou, Role.UNIT_REVIEWER))
    for who in (luzhou_reporter_user, outsider):
        html = _approve(logged_in(who), submitted[:1])
        assert "全部未更改" in html
    assert ProgressReport.objects.get(pk=submitted[0].pk).status == ReportStatus.SUBMITTED


# --- audit log ---------------------------------------------------------------------------


def test_audit_log_sorts_and_exports(
    issued: AnnualList, admin_user: Any, chuannan_planner_user: Any
) -> None:
    task = issued.tasks.get(seq=1)
    annual_list_reopen(annual_list=issued, actor=chuannan_planner_user, reason="调整")
    task_update(task=task, actor=chuannan_planner_user, changes={"criterion": "=1+1"})
    client = Client()
    client.force_login(admin_user)
    url = reverse("audit:event_list")
    first_action = re.compile(r'data-label="操作" >([^<]+)<')
    newest = first_action.findall(client.get(url).content.decode())
    oldest = first_action.findall(client.get(url, {"sort": "created_at"}).content.decode())
    events = AuditEvent.objects.order_by("id")
    assert len(newest) == min(events.count(), listing.PER_PAGE)
    assert oldest[0] == action_label(events.first().action)  # type: ignore[union-attr]
    assert newest[0] == action_label(events.last().action)  # type: ignore[union-attr]
    response = client.get(url, {"action": "task.update", "export": "xlsx"})
    rows = _sheet(response)
    assert rows[0][:3] == ("时间", "操作人", "操作") and len(rows) >= 2
    changes = [c for c in _cells(response) if isinstance(c.value, str) and "=1+1" in c.value]
    assert changes and all(c.data_type == "s" for c in changes)
