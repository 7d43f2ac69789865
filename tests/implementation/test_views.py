"""Task, report and annual-list pages: the allowed path and the denied path of each."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from planwatch.plans.models import Plan
from planwatch.reports.models import Evidence, ProgressReport
from planwatch.tasks.models import AnnualList, Task
from planwatch.tasks.services import annual_list_reopen, task_update
from planwatch.tasks.xlsx import annual_list_export
from tests.factories.implementation import Units
from tests.factories.personas import logged_in

# A link to one task's page (the navigation's link to the task list is not one).
TASK_LINK = re.compile(r'href="/tasks/\d+/"')

PDF = b"%PDF-1.7\n%%EOF\n"
Login = Callable[[Any], Client]


@pytest.fixture
def login() -> Login:
    return logged_in


@pytest.fixture
def yibin_task(issued: AnnualList, chuannan_planner_user: Any, units: Units) -> Task:
    """An issued task for which only 宜宾 is responsible."""
    task = issued.tasks.get(seq=1)
    annual_list_reopen(annual_list=issued, actor=chuannan_planner_user, reason="调整")
    task_update(
        task=task, actor=chuannan_planner_user, changes={"responsible_units": [units.yibin]}
    )
    from planwatch.tasks.services import annual_list_issue

    annual_list_issue(annual_list=issued, actor=chuannan_planner_user)
    return task


def _start(client: Client, task: Task, unit: Any) -> Any:
    url = reverse("reports:report_start", args=[task.pk])
    return client.post(url, {"unit": unit.pk, "period_start": "2024-01-01"})


def _report(client: Client, task: Task, unit: Any) -> ProgressReport:
    assert _start(client, task, unit).status_code == 302
    return ProgressReport.objects.get(task=task, unit=unit, is_current=True)


def _post(
    client: Client, report: ProgressReport, action: str, follow: bool = False, **data: Any
) -> Any:
    url = reverse("reports:report_action", args=[report.pk, action])
    return client.post(url, data, follow=follow)


def test_anonymous_visitors_are_sent_to_login(yibin_task: Task, client: Client) -> None:
    for url in (
        reverse("tasks:task_list"),
        reverse("tasks:task_detail", args=[yibin_task.pk]),
        reverse("tasks:list_detail", args=[yibin_task.annual_list_id]),
        reverse("reports:review_queue"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_task_list_and_detail_by_unit(
    yibin_task: Task, login: Login, yibin_reporter_user: Any, luzhou_reporter_user: Any
) -> None:
    yb, lz = login(yibin_reporter_user), login(luzhou_reporter_user)
    assert yibin_task.title in yb.get(reverse("tasks:task_list")).content.decode()
    lz_list = lz.get(reverse("tasks:task_list")).content.decode()
    assert yibin_task.title not in lz_list and "赤水河" in lz_list
    detail = yb.get(reverse("tasks:task_detail", args=[yibin_task.pk]))
    assert detail.status_code == 200 and "2024Q1" in detail.content.decode()
    assert "填报" in detail.content.decode()
    missing = lz.get(reverse("tasks:task_detail", args=[10**6]))
    denied = lz.get(reverse("tasks:task_detail", args=[yibin_task.pk]))
    assert missing.status_code == denied.status_code == 404


def test_report_form_edit_and_optimistic_lock(
    yibin_task: Task,
    units: Units,
    login: Login,
    yibin_reporter_user: Any,
    luzhou_reporter_user: Any,
) -> None:
    yb, lz = login(yibin_reporter_user), login(luzhou_reporter_user)
    assert _start(lz, yibin_task, units.yibin).status_code == 404
    report = _report(yb, yibin_task, units.yibin)
    url = reverse("reports:report_detail", args=[report.pk])
    assert yb.get(url).status_code == 200 and lz.get(url).status_code == 404
    form = {"completion": "40", "progress_status": "in_progress", "narrative": "已开工"}
    assert yb.post(url, form | {"version": report.version}).status_code == 302
    stale = yb.post(url, form | {"narrative": "旧页面", "version": report.version})
    assert stale.status_code == 400 and "已被他人修改" in stale.content.decode()
    assert lz.post(url, form | {"version": report.version + 1}).status_code == 404
    report.refresh_from_db()
    assert report.narrative == "已开工" and report.completion == 40


def test_evidence_upload_download_and_denials(
    yibin_task: Task,
    units: Units,
    login: Login,
    yibin_reporter_user: Any,
    luzhou_reporter_user: Any,
) -> None:
    yb, lz = login(yibin_reporter_user), login(luzhou_reporter_user)
    report = _report(yb, yibin_task, units.yibin)
    upload = reverse("reports:evidence_upload", args=[report.pk])
    ok = yb.post(upload, {"file": SimpleUploadedFile("批复.pdf", PDF)})
    assert ok.status_code == 302 and Evidence.objects.count() == 1
    bad = yb.post(upload, {"file": SimpleUploadedFile("x.pdf", b"MZ\x90")}, follow=True)
    assert "不符" in bad.content.decode() and Evidence.objects.count() == 1
    assert lz.post(upload, {"file": SimpleUploadedFile("a.pdf", PDF)}).status_code == 404
    ev = Evidence.objects.get()
    download = reverse("reports:evidence_download", args=[report.pk, ev.pk])
    response = yb.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert lz.get(download).status_code == 404


def test_evidence_whose_file_is_lost_is_said_so_not_a_server_error(
    yibin_task: Task,
    units: Units,
    login: Login,
    yibin_reporter_user: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from django.core.files.storage import default_storage

    yb = login(yibin_reporter_user)
    report = _report(yb, yibin_task, units.yibin)
    yb.post(
        reverse("reports:evidence_upload", args=[report.pk]),
        {"file": SimpleUploadedFile("批复.pdf", PDF)},
    )
    ev = Evidence.objects.get()
    default_storage.delete(ev.file.name)
    download = reverse("reports:evidence_download", args=[report.pk, ev.pk])
    response = yb.get(download, follow=True)
    assert response.redirect_chain[-1][0] == reverse("reports:report_detail", args=[report.pk])
    assert "佐证材料“批复.pdf”的文件已丢失" in response.content.decode()
    assert any("stored file" in r.getMessage() and r.levelname == "ERROR" for r in caplog.records)


def test_review_actions_allowed_and_denied(
    yibin_task: Task,
    units: Units,
    login: Login,
    yibin_reporter_user: Any,
    yibin_reviewer_user: Any,
    luzhou_reviewer_user: Any,
    chuannan_planner_user: Any,
) -> None:
    yb, ybr, lzr, pl = (
        login(yibin_reporter_user),
        login(yibin_reviewer_user),
        login(luzhou_reviewer_user),
        login(chuannan_planner_user),
    )
    report = _report(yb, yibin_task, units.yibin)
    url = reverse("reports:report_detail", args=[report.pk])
    form = {"completion": "40", "progress_status": "in_progress", "narrative": "推进"}
    assert yb.post(url, form | {"version": report.version}).status_code == 302
    assert _post(yb, report, "submit").status_code == 302
    assert _post(lzr, report, "approve").status_code == 404
    assert _post(yb, report, "approve").status_code == 404
    no_reason = _post(ybr, report, "unit_return", reason="", follow=True)
    assert "退回时必须说明原因" in no_reason.content.decode()
    assert _post(ybr, report, "unit_return", reason="补充材料").status_code == 302
    assert _post(yb, report, "submit").status_code == 302
    assert _post(ybr, report, "approve").status_code == 302
    assert "待审核报告" in pl.get(reverse("reports:review_queue")).content.decode()
    assert _post(ybr, report, "accept").status_code == 404
    assert _post(pl, report, "nonsense").status_code == 404
    assert _post(pl, report, "accept").status_code == 302
    report.refresh_from_db()
    assert report.status == "accepted"
    corrected = _post(pl, report, "correct", reason="口径调整")
    new = ProgressReport.objects.get(task=yibin_task, unit=units.yibin, is_current=True)
    assert corrected["Location"] == reverse("reports:report_detail", args=[new.pk])
    assert new.revision == 2


def test_annual_list_pages(
    plan: Plan,
    units: Units,
    login: Login,
    chuannan_planner_user: Any,
    chuannan_leader_user: Any,
    yibin_reporter_user: Any,
    panxi_planner_user: Any,
) -> None:
    pl = login(chuannan_planner_user)
    assert login(yibin_reporter_user).get(reverse("tasks:list_index")).status_code == 404
    index = pl.get(reverse("tasks:list_index"))
    assert index.status_code == 200 and "生成" in index.content.decode()
    created = pl.post(reverse("tasks:list_generate"), {"plan": plan.pk, "year": 2024})
    alist = AnnualList.objects.get(plan=plan, year=2024)
    assert created["Location"] == reverse("tasks:list_detail", args=[alist.pk])
    detail = pl.get(created["Location"]).content.decode()
    assert "缺少完成标准" in detail and "省交通运输厅" in detail
    issue = reverse("tasks:list_issue", args=[alist.pk])
    assert "清单不完整" in pl.post(issue, follow=True).content.decode()
    for other in (yibin_reporter_user, panxi_planner_user, chuannan_leader_user):
        assert login(other).post(issue).status_code == 404
    assert login(chuannan_leader_user).get(created["Location"]).status_code == 200
    assert login(panxi_planner_user).get(created["Location"]).status_code == 404

    exported = pl.get(reverse("tasks:list_export", args=[alist.pk]))
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(exported.content))
    for row in range(3, 7):
        wb.active.cell(row=row, column=9, value="完成年度目标")
    out = io.BytesIO()
    wb.save(out)
    imported = pl.post(
        reverse("tasks:list_import", args=[alist.pk]),
        {"file": SimpleUploadedFile("list.xlsx", out.getvalue())},
        follow=True,
    )
    assert "修改 4 项" in imported.content.decode()
    assert pl.post(issue).status_code == 302
    alist.refresh_from_db()
    assert alist.status == "issued"


def test_bad_import_shows_every_error(
    plan: Plan, login: Login, chuannan_planner_user: Any, yibin_reporter_user: Any
) -> None:
    from planwatch.tasks.services import task_drafts_generate

    alist = task_drafts_generate(plan=plan, year=2024, actor=chuannan_planner_user).annual_list
    wb = load_workbook(io.BytesIO(annual_list_export(annual_list=alist)))
    wb.active["E3"] = "火星市"
    wb.active["F4"] = "某天"
    out = io.BytesIO()
    wb.save(out)
    url = reverse("tasks:list_import", args=[alist.pk])
    response = login(chuannan_planner_user).post(
        url, {"file": SimpleUploadedFile("l.xlsx", out.getvalue())}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "第 3 行 E 列（责任单位）：未知单位“火星市”" in html and "第 4 行 F 列" in html
    denied = login(yibin_reporter_user).post(url, {"file": SimpleUploadedFile("l.xlsx", b"x")})
    assert denied.status_code == 404
    assert Task.objects.filter(deadline=date(2024, 12, 31)).count() == 4


def test_task_edit_page(
    plan: Plan,
    units: Units,
    login: Login,
    chuannan_planner_user: Any,
    yibin_reporter_user: Any,
    chuannan_leader_user: Any,
) -> None:
    from planwatch.tasks.services import task_drafts_generate

    alist = task_drafts_generate(plan=plan, year=2024, actor=chuannan_planner_user).annual_list
    task = alist.tasks.get(seq=1)
    url = reverse("tasks:task_edit", args=[task.pk])
    pl = login(chuannan_planner_user)
    page = pl.get(url).content.decode()
    assert "对应省交通运输厅职能" in page  # the suggestion is shown where it can be corrected
    form = {
        "title": task.title,
        "content": task.content,
        "lead_unit": units.ndrc.pk,
        "responsible_units": [units.yibin.pk, units.luzhou.pk],
        "supporting_units": [],
        "start": "2024-01-01",
        "deadline": "2024-10-31",
        "criterion": "完成 50 公里",
        "weight": "2",
        "milestones": "2024-06-30 完成可研批复\n\n2024年9月底 开工",
        "version": task.version,
    }
    bad = pl.post(url, form | {"milestones": "六月 完成"})
    assert bad.status_code == 400 and "无法识别的日期" in bad.content.decode()
    assert pl.post(url, form).status_code == 302
    task.refresh_from_db()
    assert task.lead_unit == units.ndrc and task.deadline == date(2024, 10, 31)
    assert set(task.responsible_units.all()) == {units.yibin, units.luzhou}
    assert [(m.title, m.due) for m in task.milestones.all()] == [
        ("完成可研批复", date(2024, 6, 30)),
        ("开工", date(2024, 9, 30)),
    ]
    assert "2024-06-30 完成可研批复" in pl.get(url).content.decode()
    stale = pl.post(url, form | {"criterion": "旧页面"})
    assert stale.status_code == 400 and "已被他人修改" in stale.content.decode()
    for other in (yibin_reporter_user, chuannan_leader_user):
        assert login(other).get(url).status_code == 404
        assert login(other).post(url, form).status_code == 404
    task.refresh_from_db()
    assert task.criterion == "完成 50 公里"


def test_case_pages_and_notifications(
    yibin_task: Task,
    units: Units,
    login: Login,
    chuannan_planner_user: Any,
    yibin_reporter_user: Any,
    luzhou_reporter_user: Any,
    panxi_planner_user: Any,
) -> None:
    from planwatch.core.models import Notification
    from planwatch.supervision.services import case_open

    case, _ = case_open(
        task=yibin_task, light="red", reason="逾期未完成", actor=chuannan_planner_user
    )
    assert case.unit == yibin_task.lead_unit  # a department: the planner hands it to 宜宾
    pl, yb, lz = (
        login(chuannan_planner_user),
        login(yibin_reporter_user),
        login(luzhou_reporter_user),
    )
    detail = reverse("supervision:case_detail", args=[case.pk])

    def act(client: Client, action: str, **data: Any) -> Any:
        return client.post(reverse("supervision:case_action", args=[case.pk, action]), data)

    assert yibin_task.title in yb.get(reverse("supervision:case_list")).content.decode()
    assert yibin_task.title not in lz.get(reverse("supervision:case_list")).content.decode()
    assert (
        "逾期未完成" in yb.get(reverse("tasks:task_detail", args=[yibin_task.pk])).content.decode()
    )
    assert (
        lz.get(detail).status_code == 404
        and login(panxi_planner_user).get(detail).status_code == 404
    )
    assert act(yb, "assign").status_code == 404
    assert act(pl, "assign", unit=units.yibin.pk).status_code == 302
    case.refresh_from_db()
    assert case.unit == units.yibin
    notes = yb.get(reverse("supervision:notification_list")).content.decode()
    assert "督办交办" in notes
    assert act(lz, "acknowledge").status_code == 404
    assert act(yb, "acknowledge").status_code == 302
    assert act(yb, "start").status_code == 302
    assert (
        "请填写办理情况"
        in yb.post(
            reverse("supervision:case_action", args=[case.pk, "feedback"]),
            {"text": ""},
            follow=True,
        ).content.decode()
    )
    assert act(yb, "feedback", text="已开工").status_code == 302
    assert act(yb, "pass").status_code == 404
    assert act(pl, "pass").status_code == 302 and act(pl, "close").status_code == 302
    assert act(pl, "bogus").status_code == 404
    case.refresh_from_db()
    assert case.status == "closed"
    note = Notification.objects.get(recipient=yibin_reporter_user)
    lz.post(reverse("supervision:notification_read", args=[note.pk]))
    note.refresh_from_db()
    assert note.read_at is None  # not theirs
    yb.post(reverse("supervision:notification_read", args=[note.pk]))
    note.refresh_from_db()
    assert note.read_at is not None


def test_list_pages_have_a_query_budget(
    issued: AnnualList,
    plan: Plan,
    units: Units,
    login: Login,
    chuannan_planner_user: Any,
    yibin_reporter_user: Any,
    django_assert_max_num_queries: Any,
) -> None:
    """The number of queries does not grow with the number of tasks."""
    from planwatch.supervision.jobs import supervise_run
    from planwatch.tasks.services import task_drafts_generate

    supervise_run(today=date(2024, 4, 10), now=issued.issued_at or issued.created_at)
    client = login(yibin_reporter_user)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("tasks:task_list")).status_code == 200
    task_drafts_generate(
        plan=plan, year=2025, actor=chuannan_planner_user
    )  # four more tasks, a second list
    from tests.factories.implementation import complete_tasks

    second = AnnualList.objects.get(year=2025)
    complete_tasks(second, chuannan_planner_user, units)
    from planwatch.tasks.services import annual_list_issue

    annual_list_issue(annual_list=second, actor=chuannan_planner_user)
    with django_assert_max_num_queries(15):
        html = client.get(reverse("tasks:task_list")).content.decode()
    assert len(TASK_LINK.findall(html)) >= 8
    pl = login(chuannan_planner_user)
    with django_assert_max_num_queries(20):
        assert pl.get(reverse("tasks:list_detail", args=[issued.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert pl.get(reverse("tasks:list_index")).status_code == 200


def test_health_page_for_planners_and_leaders_only(
    issued: AnnualList,
    login: Login,
    chuannan_planner_user: Any,
    chuannan_leader_user: Any,
    yibin_reporter_user: Any,
    yibin_reviewer_user: Any,
    client: Client,
) -> None:
    url = reverse("reports:health")
    for user in (chuannan_planner_user, chuannan_leader_user):
        html = login(user).get(url).content.decode()
        assert "宜宾市" in html and "泸州市" in html
    for user in (yibin_reporter_user, yibin_reviewer_user):
        assert login(user).get(url).status_code == 404
    assert client.get(url).status_code == 302


def test_task_list_filters_and_pages(
    issued: AnnualList, login: Login, chuannan_planner_user: Any
) -> None:
    from planwatch.core import listing
    from planwatch.supervision.jobs import supervise_run
    from planwatch.supervision.models import TaskLight

    supervise_run(today=date(2024, 4, 10), now=issued.issued_at or issued.created_at)
    TaskLight.objects.filter(task__seq=1).update(light="red")
    pl = login(chuannan_planner_user)
    url = reverse("tasks:task_list")
    red = pl.get(url, {"light": "red"}).content.decode()
    assert len(TASK_LINK.findall(red)) == 1 and "共 1 条" in red
    assert "共 4 条" in pl.get(url, {"light": "bogus", "year": "x"}).content.decode()
    assert "共 0 条" in pl.get(url, {"status": "completed"}).content.decode()
    listing.PER_PAGE = 3
    try:
        first = pl.get(url).content.decode()
        second = pl.get(url, {"page": "2"}).content.decode()
    finally:
        listing.PER_PAGE = 50
    assert "第 1 / 2 页" in first and "第 2 / 2 页" in second


def test_task_detail_always_shows_a_light(
    yibin_task: Task, login: Login, yibin_reporter_user: Any
) -> None:
    from planwatch.supervision.jobs import supervise_run

    url = reverse("tasks:task_detail", args=[yibin_task.pk])
    html = login(yibin_reporter_user).get(url).content.decode()
    assert 'class="light light-' in html  # computed now: the job has not run yet
    supervise_run(today=date(2025, 1, 10), now=yibin_task.created_at)
    html = login(yibin_reporter_user).get(url).content.decode()
    assert "light-red" in html and "2025年1月10日" in html
