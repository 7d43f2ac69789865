"""Annual lists through the API: create (POST /lists) and draft generation for planners of
the plan; the xlsx export (the same workbook the web page exports) and the all-or-nothing
import, round trip included; every bad row and cell named with the web's wording, nothing
changed; the denied paths (leader read-only, units, a planner of another zone, anonymous
callers, sessions without CSRF) and version conflicts. JSON bodies are validated against
docs/openapi.json."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from planwatch.tasks.models import AnnualList
from planwatch.tasks.services import task_drafts_generate
from planwatch.tasks.snapshots import task_snapshot
from planwatch.tasks.xlsx import EXTRA_HEADERS, HEADERS, export_disposition
from tests.api.test_impl_evidence import conforms, real_pdf
from tests.api.test_implementation import World, world
from tests.factories.personas import logged_in

pytestmark = pytest.mark.django_db
API = "/api/v1"
__all__ = ["world"]  # the fixture, shared with the other implementation API tests
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def draft_list(world: World, planner_user: User) -> AnnualList:
    """The plan's 2025 list, drafted from the plan and not issued."""
    return task_drafts_generate(
        plan=world.annual_list.plan, year=2025, actor=planner_user
    ).annual_list


def post_json(client: Client, url: str, body: dict[str, Any], status: int) -> Any:
    return conforms(client.post(url, body, content_type="application/json"), "post", status)


def version_of(alist: AnnualList) -> int:
    alist.refresh_from_db()
    return alist.version


def export(client: Client, alist: AnnualList, status: int = 200) -> Any:
    response = client.get(f"{API}/lists/{alist.pk}/export.xlsx")
    conforms(response, "get", status)
    return response


def rows_of(data: bytes) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def workbook_bytes(wb: Any) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def send(client: Client, alist: AnnualList, data: bytes, version: int, status: int) -> Any:
    payload = {"file": SimpleUploadedFile("清单.xlsx", data), "version": version}
    return conforms(client.post(f"{API}/lists/{alist.pk}/import", payload), "post", status)


def snapshots(alist: AnnualList) -> list[dict[str, Any]]:
    return [task_snapshot(t) for t in alist.tasks.order_by("seq")]


# ---- create and generate --------------------------------------------------------------------


def test_planner_creates_a_list_and_drafts_its_tasks(
    world: World, planner: Client, new_audit_events: Any
) -> None:
    plan_id = world.annual_list.plan_id
    body = {"plan_id": plan_id, "year": 2025, "frequency": "monthly"}
    created = post_json(planner, f"{API}/lists", body, 201)
    assert (created["year"], created["status"], created["frequency"]) == (2025, "draft", "monthly")
    assert created["task_count"] == 0 and created["plan"]["id"] == plan_id
    conflict = post_json(planner, f"{API}/lists", body, 409)
    assert str(created["id"]) in conflict["error"]["message"]
    url = f"{API}/lists/{created['id']}/generate"
    post_json(planner, url, {"version": created["version"] - 1}, 409)
    drafted = post_json(planner, url, {"version": created["version"]}, 200)
    clauses = world.annual_list.tasks.count()  # the 2024 list was drafted from the same plan
    assert (drafted["created"], drafted["skipped"]) == (clauses, 0)
    assert drafted["list"]["task_count"] == clauses
    again = post_json(planner, url, {"version": drafted["list"]["version"]}, 200)
    assert (again["created"], again["skipped"]) == (0, clauses)
    actions = [e.action for e in new_audit_events()]
    assert actions == [
        "annual_list.create",
        "annual_list.set_frequency",
        "task.drafts_generate",
        "task.drafts_generate",
    ]


def test_create_defaults_to_quarterly_reporting(world: World, chuannan_planner: Client) -> None:
    body = {"plan_id": world.annual_list.plan_id, "year": 2026}
    assert post_json(chuannan_planner, f"{API}/lists", body, 201)["frequency"] == "quarterly"


def test_only_planners_of_the_plan_create_lists(
    world: World,
    leader: Client,
    yibin_reporter: Client,
    chengdu_planner: Client,
    anon: Client,
    planner: Client,
    new_audit_events: Any,
) -> None:
    body = {"plan_id": world.annual_list.plan_id, "year": 2025}
    missing = post_json(planner, f"{API}/lists", {**body, "plan_id": 99_999_999}, 404)
    for client in (leader, yibin_reporter, chengdu_planner):
        assert post_json(client, f"{API}/lists", body, 404) == missing
    post_json(anon, f"{API}/lists", body, 401)
    post_json(planner, f"{API}/lists", {**body, "year": 1999}, 422)
    assert not AnnualList.objects.filter(year__in=(1999, 2025)).exists()
    assert not new_audit_events().exists()


def test_generate_is_for_planners_and_refused_on_an_issued_list(
    world: World, planner: Client, leader: Client, yibin_reporter: Client, anon: Client
) -> None:
    alist = world.annual_list
    count = alist.tasks.count()
    url = f"{API}/lists/{alist.pk}/generate"
    for client in (leader, yibin_reporter):
        post_json(client, url, {"version": alist.version}, 404)
    post_json(anon, url, {"version": alist.version}, 401)
    locked = post_json(planner, url, {"version": alist.version}, 409)
    assert locked["error"]["message"] == "清单已下达并锁定；如需修改，请先发起修订。"
    assert alist.tasks.count() == count
    assert version_of(alist) == alist.version


# ---- export ---------------------------------------------------------------------------------


def test_export_is_the_web_pages_workbook(
    world: World, planner: Client, leader: Client, yibin_reporter: Client, anon: Client
) -> None:
    alist = world.annual_list
    response = export(planner, alist)
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == export_disposition(alist)
    rows = rows_of(response.content)
    assert rows[1] == (*HEADERS, *EXTRA_HEADERS)
    assert [r[0] for r in rows[2:]] == list(
        alist.tasks.order_by("seq").values_list("seq", flat=True)
    )
    web = planner.get(reverse("tasks:list_export", args=[alist.pk]))
    assert rows == rows_of(web.content)
    assert rows_of(export(leader, alist).content) == rows  # leaders read
    # A unit named on the issued list gets its own rows, as on the list page.
    own = rows_of(export(yibin_reporter, alist).content)
    assert own[1] == rows[1] and 0 < len(own) - 2 < len(rows) - 2
    web_own = yibin_reporter.get(reverse("tasks:list_export", args=[alist.pk]))
    assert own == rows_of(web_own.content)
    export(anon, alist, 401)
    conforms(planner.get(f"{API}/lists/99999999/export.xlsx"), "get", 404)


# ---- import ---------------------------------------------------------------------------------


def test_round_trip_through_the_api(
    draft_list: AnnualList, planner: Client, new_audit_events: Any
) -> None:
    wb = load_workbook(io.BytesIO(export(planner, draft_list).content))
    ws = wb.active
    count = ws.max_row - 2
    ws["B3"] = "建设川南城际铁路网（宜宾至泸州段）"
    ws["F4"] = "2025年6月底"
    ws["I4"] = "建成通车"
    ws.append([count + 1, "新增：川南港口联动", "", "宜宾市", "宜宾市、泸州市", "2025-10-31"])
    data = workbook_bytes(wb)
    before = version_of(draft_list)
    send(planner, draft_list, data, before - 1, 409)  # stale: nothing read, nothing changed
    result = send(planner, draft_list, data, before, 200)
    assert (result["created"], result["updated"], result["unchanged"]) == (1, 2, count - 2)
    assert result["list"]["task_count"] == count + 1 and result["list"]["version"] > before
    tasks = {t.seq: t for t in draft_list.tasks.all()}
    assert tasks[1].title == "建设川南城际铁路网（宜宾至泸州段）"
    assert (tasks[2].deadline, tasks[2].criterion) == (date(2025, 6, 30), "建成通车")
    new = tasks[count + 1]
    assert {u.code for u in new.responsible_units.all()} == {"511500", "510500"}
    again = rows_of(export(planner, draft_list).content)
    assert again[2][1] == "建设川南城际铁路网（宜宾至泸州段）" and again[-1][1] == new.title
    assert [e.action for e in new_audit_events().filter(action="annual_list.import")] == [
        "annual_list.import"
    ]


def test_bad_rows_are_all_named_as_the_web_names_them_and_nothing_changes(
    draft_list: AnnualList, planner: Client, new_audit_events: Any
) -> None:
    wb = load_workbook(io.BytesIO(export(planner, draft_list).content))
    wb.active["E3"] = "火星市"
    wb.active["F4"] = "某天"
    wb.active["B5"] = None
    wb.active["A6"] = "第六"
    data = workbook_bytes(wb)
    before, version = snapshots(draft_list), version_of(draft_list)
    body = send(planner, draft_list, data, version, 422)
    problems = body["error"]["problems"]
    assert [(p["row"], p["column"], p["header"]) for p in problems] == [
        (3, "E", "责任单位"),
        (4, "F", "完成时限"),
        (5, "B", "重点任务"),
        (6, "A", "序号"),
    ]
    assert problems[0]["text"] == "第 3 行 E 列（责任单位）：未知单位“火星市”"
    assert body["error"]["message"] == "导入失败，共 4 处错误，未做任何修改。"
    assert snapshots(draft_list) == before and version_of(draft_list) == version
    assert not new_audit_events().exists()
    # The web page shows the same messages for the same file.
    page = planner.post(
        reverse("tasks:list_import", args=[draft_list.pk]),
        {"file": SimpleUploadedFile("清单.xlsx", data)},
    ).content.decode()
    assert body["error"]["message"] in page
    assert all(p["text"] in page for p in problems)


def test_a_file_that_is_not_a_workbook_is_422(draft_list: AnnualList, planner: Client) -> None:
    body = send(planner, draft_list, real_pdf(), version_of(draft_list), 422)
    assert [p["message"] for p in body["error"]["problems"]] == ["不是有效的 xlsx 文件"]
    response = planner.post(f"{API}/lists/{draft_list.pk}/import", {"version": 1})
    assert "file" in conforms(response, "post", 422)["error"]["message"]


def test_import_is_for_planners_and_refused_on_an_issued_list(
    world: World,
    draft_list: AnnualList,
    planner: Client,
    leader: Client,
    yibin_reporter: Client,
    chengdu_planner: Client,
    anon: Client,
) -> None:
    data = export(planner, draft_list).content
    version = version_of(draft_list)
    for client in (leader, yibin_reporter, chengdu_planner):
        send(client, draft_list, data, version, 404)
    send(anon, draft_list, data, version, 401)
    issued = world.annual_list
    locked = send(planner, issued, export(planner, issued).content, version_of(issued), 409)
    assert locked["error"] == {
        "code": "conflict",
        "message": "清单已下达并锁定；如需修改，请先发起修订。",
    }  # `problems` belongs to a refused import's 422 only
    assert version_of(draft_list) == version


def test_session_import_needs_csrf(draft_list: AnnualList, planner_user: User) -> None:
    session = Client(enforce_csrf_checks=True)
    session.force_login(planner_user)
    data = export(logged_in(planner_user), draft_list).content
    before = version_of(draft_list)
    body = send(session, draft_list, data, before, 403)
    assert body["error"]["message"] == "CSRF verification failed"
    assert version_of(draft_list) == before
