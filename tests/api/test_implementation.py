"""The implementation endpoints of the API (tasks, lists, reports, 督办 cases): scope of
every read, the report and case workflow with its audit events, stale versions (409), the
denied paths (404 alike for missing and out of scope, 401 for anonymous callers, CSRF for
browser sessions), responses validated against docs/openapi.json, and a schemathesis run
over these operations with data in place."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from planwatch.accounts.choices import Role
from planwatch.api.services import api_token_create
from planwatch.orgunits.models import OrgUnit
from planwatch.reports.choices import ProgressStatus, ReportStatus
from planwatch.reports.models import ProgressReport
from planwatch.reports.services import progress_report_start, progress_report_update
from planwatch.supervision.choices import CaseStatus, Light
from planwatch.supervision.models import SupervisionCase
from planwatch.supervision.services import case_assign, case_open
from planwatch.tasks.models import AnnualList, Task
from planwatch.tasks.services import annual_list_issue, task_drafts_generate, task_update
from tests.api.schema import check, document
from tests.factories import implementation as f
from tests.factories.personas import make_user

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class World:
    annual_list: AnnualList
    yibin_only: Task
    luzhou_only: Task
    yibin_report: ProgressReport
    luzhou_report: ProgressReport
    case: SupervisionCase  # on 宜宾's task, assigned to 宜宾
    new_case: SupervisionCase  # on a task of both cities, opened, not yet assigned


def _units(u: dict[str, OrgUnit]) -> f.Units:
    ndrc = u["dept:ndrc"]
    return f.Units(
        province=u["510000"],
        chuannan=u["zone:south-sichuan"],
        panxi=u["zone:chengdu-plain"],
        yibin=u["511500"],
        luzhou=u["510500"],
        cuiping=u["511502"],
        panzhihua=u["510100"],
        ndrc=ndrc,
        transport=ndrc,
        ecology=ndrc,
    )


def _report(task: Task, unit: OrgUnit, reporter: User) -> ProgressReport:
    report = progress_report_start(
        task=task, unit=unit, period_start=date(2024, 1, 1), actor=reporter
    )
    return progress_report_update(
        report=report,
        actor=reporter,
        version=report.version,
        completion=40,
        progress_status=ProgressStatus.IN_PROGRESS,
        narrative="已完成可研批复。",
    )


@pytest.fixture
def world(
    persona_units: dict[str, OrgUnit],
    planner_user: User,
    yibin_reporter_user: User,
    luzhou_reporter_user: User,
) -> World:
    """An issued 2024 list of a 川南 plan: every task for 宜宾 and 泸州 but the first (宜宾's
    alone) and the last (泸州's alone); a draft report of each city on its own task, and two
    督办 cases."""
    units = _units(persona_units)
    plan = f.make_plan(units, slug="chuannan-api", zone=units.chuannan)
    alist = task_drafts_generate(plan=plan, year=2024, actor=planner_user).annual_list
    tasks = f.complete_tasks(alist, planner_user, units)
    task_update(task=tasks[0], actor=planner_user, changes={"responsible_units": [units.yibin]})
    task_update(task=tasks[-1], actor=planner_user, changes={"responsible_units": [units.luzhou]})
    annual_list_issue(annual_list=alist, actor=planner_user)
    yibin_only, luzhou_only = Task.objects.get(pk=tasks[0].pk), Task.objects.get(pk=tasks[-1].pk)
    case = case_open(task=yibin_only, light=Light.RED, reason="逾期未完成", actor=planner_user)[0]
    case_assign(case=case, actor=planner_user, today=date(2024, 6, 1), unit=units.yibin)
    new_case = case_open(task=tasks[1], light=Light.YELLOW, reason="滞后", actor=planner_user)[0]
    alist.refresh_from_db()
    return World(
        annual_list=alist,
        yibin_only=yibin_only,
        luzhou_only=luzhou_only,
        yibin_report=_report(yibin_only, units.yibin, yibin_reporter_user),
        luzhou_report=_report(luzhou_only, units.luzhou, luzhou_reporter_user),
        case=case,
        new_case=new_case,
    )


def post(client: Client, url: str, body: dict[str, Any], status: int = 200) -> Any:
    """POST JSON to `url`, assert the status and validate the body against the document."""
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == status, (url, response.status_code, response.content[:500])
    payload = response.json()
    for template, methods in document()["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, url) and "post" in methods:
            declared = methods["post"]["responses"][str(status)]
            schema = {**declared["content"]["application/json"]["schema"]}
            schema["components"] = document()["components"]
            jsonschema.Draft202012Validator(schema).validate(payload)
            return payload
    raise AssertionError(f"POST {url} is not in the OpenAPI document")


# ---- reads: scope ---------------------------------------------------------------------------


def test_yibin_reporter_sees_only_yibin_tasks_and_reports(
    world: World, yibin_reporter: Client
) -> None:
    tasks = check(yibin_reporter, f"{API}/tasks?limit=500")
    ids = {t["id"] for t in tasks["items"]}
    assert world.yibin_only.pk in ids and world.luzhou_only.pk not in ids
    assert all("511500" in {u["code"] for u in t["responsible_units"]} for t in tasks["items"])
    reports = check(yibin_reporter, f"{API}/reports")
    assert [r["id"] for r in reports["items"]] == [world.yibin_report.pk]
    detail = check(yibin_reporter, f"{API}/reports/{world.yibin_report.pk}")
    assert detail["unit"]["code"] == "511500" and detail["status"] == ReportStatus.DRAFT
    check(yibin_reporter, f"{API}/tasks/{world.yibin_only.pk}")
    check(yibin_reporter, f"{API}/tasks/{world.luzhou_only.pk}", 404)
    check(yibin_reporter, f"{API}/reports/{world.luzhou_report.pk}", 404)


def test_luzhou_reporter_gets_404_on_yibin_report(world: World, luzhou_reporter: Client) -> None:
    missing = check(luzhou_reporter, f"{API}/reports/99999999", 404)
    denied = check(luzhou_reporter, f"{API}/reports/{world.yibin_report.pk}", 404)
    assert denied == missing
    listed = check(luzhou_reporter, f"{API}/reports")["items"]
    assert world.yibin_report.pk not in {r["id"] for r in listed}


def test_planner_sees_everything_of_the_plan(world: World, planner: Client) -> None:
    tasks = check(planner, f"{API}/tasks?plan_id={world.annual_list.plan_id}&year=2024&limit=500")
    assert tasks["count"] == world.annual_list.tasks.count()
    lists = check(planner, f"{API}/lists")
    assert world.annual_list.pk in {a["id"] for a in lists["items"]}
    detail = check(planner, f"{API}/lists/{world.annual_list.pk}")
    assert detail["status"] == "issued" and detail["task_count"] == tasks["count"]
    assert check(planner, f"{API}/reports")["count"] == 2
    cases = check(planner, f"{API}/cases")
    assert {c["id"] for c in cases["items"]} == {world.case.pk, world.new_case.pk}
    check(planner, f"{API}/cases/{world.case.pk}")
    check(planner, f"{API}/tasks/{world.yibin_only.pk}")


def test_units_read_the_list_issued_to_them_and_only_their_cases(
    world: World, yibin_reporter: Client, luzhou_reporter: Client
) -> None:
    # a unit named on an issued list reads it (issue 9), as on the web page
    assert [a["id"] for a in check(yibin_reporter, f"{API}/lists")["items"]] == [
        world.annual_list.pk
    ]
    check(yibin_reporter, f"{API}/lists/{world.annual_list.pk}", 200)
    assert world.case.pk in {c["id"] for c in check(yibin_reporter, f"{API}/cases")["items"]}
    assert [c["id"] for c in check(luzhou_reporter, f"{API}/cases")["items"]] == [world.new_case.pk]
    check(luzhou_reporter, f"{API}/cases/{world.case.pk}", 404)


@pytest.mark.parametrize(
    "path", ["/tasks", "/tasks/1", "/lists", "/lists/1", "/reports", "/reports/1", "/cases"]
)
def test_anonymous_callers_get_401(world: World, anon: Client, path: str) -> None:
    check(anon, f"{API}{path}", 401)


def test_anonymous_actions_get_401(world: World, anon: Client) -> None:
    body = {"version": world.yibin_report.version}
    post(anon, f"{API}/reports/{world.yibin_report.pk}/submit", body, 401)


# ---- report workflow ------------------------------------------------------------------------


def test_report_workflow_changes_state_and_writes_audit_events(
    world: World,
    yibin_reporter: Client,
    yibin_reviewer: Client,
    planner: Client,
    new_audit_events: Any,
) -> None:
    url = f"{API}/reports/{world.yibin_report.pk}"
    r = post(yibin_reporter, f"{url}/submit", {"version": world.yibin_report.version})
    assert r["status"] == ReportStatus.SUBMITTED
    r = post(yibin_reviewer, f"{url}/return", {"version": r["version"], "reason": "佐证不足"})
    assert r["status"] == ReportStatus.RETURNED and r["return_reason"] == "佐证不足"
    r = post(yibin_reporter, f"{url}/submit", {"version": r["version"]})
    r = post(yibin_reviewer, f"{url}/approve", {"version": r["version"]})
    assert r["status"] == ReportStatus.UNIT_APPROVED
    r = post(planner, f"{url}/accept", {"version": r["version"]})
    assert r["status"] == ReportStatus.ACCEPTED and r["accepted_at"]
    actions = [e.action for e in new_audit_events().filter(target_type="reports.progressreport")]
    assert actions == [
        "progress_report.submitted",
        "progress_report.returned",
        "progress_report.submitted",
        "progress_report.unit_approved",
        "progress_report.accepted",
    ]


def test_luzhou_reporter_cannot_act_on_yibin_report(
    world: World, luzhou_reporter: Client, new_audit_events: Any
) -> None:
    url = f"{API}/reports/{world.yibin_report.pk}"
    body = {"version": world.yibin_report.version}
    post(luzhou_reporter, f"{url}/submit", body, 404)
    post(luzhou_reporter, f"{url}/approve", body, 404)
    post(luzhou_reporter, f"{url}/return", {**body, "reason": "x"}, 404)
    world.yibin_report.refresh_from_db()
    assert world.yibin_report.status == ReportStatus.DRAFT
    assert not new_audit_events().exists()


def test_reporter_cannot_approve_own_report(world: World, yibin_reporter: Client) -> None:
    url = f"{API}/reports/{world.yibin_report.pk}"
    post(yibin_reporter, f"{url}/approve", {"version": world.yibin_report.version}, 404)
    post(yibin_reporter, f"{url}/accept", {"version": world.yibin_report.version}, 404)


def test_stale_version_is_refused_with_409(
    world: World, yibin_reporter: Client, new_audit_events: Any
) -> None:
    url = f"{API}/reports/{world.yibin_report.pk}/submit"
    body = post(yibin_reporter, url, {"version": world.yibin_report.version - 1}, 409)
    assert body["error"]["code"] == "conflict"
    world.yibin_report.refresh_from_db()
    assert world.yibin_report.status == ReportStatus.DRAFT and not new_audit_events().exists()


def test_step_not_allowed_from_state_is_409(world: World, planner: Client) -> None:
    url = f"{API}/reports/{world.yibin_report.pk}/accept"
    post(planner, url, {"version": world.yibin_report.version}, 409)


def test_incomplete_report_cannot_be_submitted(
    world: World, luzhou_reporter: Client, luzhou_reporter_user: User
) -> None:
    report = progress_report_start(
        task=world.luzhou_only,
        unit=world.luzhou_report.unit,
        period_start=date(2024, 4, 1),
        actor=luzhou_reporter_user,
    )
    post(luzhou_reporter, f"{API}/reports/{report.pk}/submit", {"version": report.version}, 422)


def test_session_actions_need_csrf(world: World, yibin_reporter_user: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(yibin_reporter_user)
    url = f"{API}/reports/{world.yibin_report.pk}/submit"
    post(client, url, {"version": world.yibin_report.version}, 403)


@pytest.mark.parametrize("header", [None, "", " "], ids=["absent", "empty", "blank"])
def test_an_empty_authorization_header_is_no_header(
    world: World, yibin_reporter_user: User, header: str | None
) -> None:
    """A present-but-empty Authorization header must not skip the session's CSRF check
    (issue 9 item 14): refused without the token, accepted with it, in both cases."""
    extra = {} if header is None else {"HTTP_AUTHORIZATION": header}
    client = Client(enforce_csrf_checks=True, **extra)
    client.force_login(yibin_reporter_user)
    url = f"{API}/reports/{world.yibin_report.pk}/submit"
    refused = post(client, url, {"version": world.yibin_report.version}, 403)
    assert "CSRF" in str(refused)
    assert ProgressReport.objects.get(pk=world.yibin_report.pk).status == ReportStatus.DRAFT
    # The session still authenticates reads with the empty header.
    assert check(client, "/api/v1/me")["username"] == yibin_reporter_user.username
    client.get("/accounts/password/")  # a page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    done = client.post(
        url,
        {"version": world.yibin_report.version},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "submitted"


def test_token_actions_need_no_csrf(world: World, yibin_reporter_user: User) -> None:
    secret = api_token_create(user=yibin_reporter_user, name="t", actor=None)[1]
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {secret}")
    url = f"{API}/reports/{world.yibin_report.pk}/submit"
    assert post(client, url, {"version": world.yibin_report.version})["status"] == "submitted"


def test_reporter_starts_edits_and_submits_a_report(
    world: World, luzhou_reporter: Client, yibin_reporter: Client, new_audit_events: Any
) -> None:
    url = f"{API}/tasks/{world.luzhou_only.pk}/reports"
    body = {"unit": "510500", "period_start": "2024-04-01"}
    post(yibin_reporter, url, body, 404)
    post(luzhou_reporter, url, {**body, "unit": "511500"}, 422)
    post(luzhou_reporter, url, {**body, "period_start": "2024-04-02"}, 422)
    r = post(luzhou_reporter, url, body, 201)
    assert r["status"] == ReportStatus.DRAFT and r["period_label"]
    post(luzhou_reporter, url, body, 409)  # the period has its report already
    edit = {"version": r["version"], "completion": 60, "progress_status": "in_progress"}
    response = yibin_reporter.put(
        f"{API}/reports/{r['id']}", {**edit, "narrative": "x"}, content_type="application/json"
    )
    assert response.status_code == 404
    response = luzhou_reporter.put(
        f"{API}/reports/{r['id']}", {**edit, "narrative": "已开工"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    edited = response.json()
    assert edited["completion"] == 60.0 and edited["narrative"] == "已开工"
    stale = luzhou_reporter.put(
        f"{API}/reports/{r['id']}", {**edit, "narrative": "y"}, content_type="application/json"
    )
    assert stale.status_code == 409
    post(luzhou_reporter, f"{API}/reports/{r['id']}/submit", {"version": edited["version"]})
    actions = [e.action for e in new_audit_events().filter(target_type="reports.progressreport")]
    assert actions == [
        "progress_report.create",
        "progress_report.update",
        "progress_report.submitted",
    ]


def test_planner_corrects_an_accepted_report(
    world: World, yibin_reporter: Client, yibin_reviewer: Client, planner: Client
) -> None:
    url = f"{API}/reports/{world.yibin_report.pk}"
    r = post(yibin_reporter, f"{url}/submit", {"version": world.yibin_report.version})
    r = post(yibin_reviewer, f"{url}/approve", {"version": r["version"]})
    r = post(planner, f"{url}/accept", {"version": r["version"]})
    post(yibin_reviewer, f"{url}/correct", {"version": r["version"], "reason": "数据有误"}, 404)
    new = post(planner, f"{url}/correct", {"version": r["version"], "reason": "数据有误"})
    assert new["id"] != r["id"] and new["revision"] == 2 and new["status"] == ReportStatus.DRAFT
    assert check(planner, url)["is_current"] is False


def test_list_endpoints_keep_a_query_budget(
    world: World, planner: Client, django_assert_max_num_queries: Any
) -> None:
    """The page size must not change the number of queries (no query per item)."""
    for path in ("/tasks?limit=500", "/reports", "/cases", "/lists"):
        with django_assert_max_num_queries(12):
            check(planner, f"{API}{path}")


# ---- lists and cases ------------------------------------------------------------------------


def test_issue_refuses_an_issued_list_and_units(
    world: World, planner: Client, yibin_reporter: Client
) -> None:
    url = f"{API}/lists/{world.annual_list.pk}/issue"
    post(yibin_reporter, url, {"version": world.annual_list.version}, 404)
    post(planner, url, {"version": world.annual_list.version}, 409)


def test_case_workflow(
    world: World,
    planner: Client,
    yibin_reporter: Client,
    luzhou_reporter: Client,
    new_audit_events: Any,
) -> None:
    url = f"{API}/cases/{world.case.pk}"
    version = world.case.version
    post(luzhou_reporter, f"{url}/acknowledge", {"version": version}, 404)
    post(yibin_reporter, f"{url}/close", {"version": version}, 404)
    post(yibin_reporter, f"{url}/acknowledge", {"version": version - 1}, 409)
    c = post(yibin_reporter, f"{url}/acknowledge", {"version": version})
    c = post(yibin_reporter, f"{url}/start", {"version": c["version"]})
    post(yibin_reporter, f"{url}/feedback", {"version": c["version"]}, 422)
    c = post(yibin_reporter, f"{url}/feedback", {"version": c["version"], "note": "已开工"})
    c = post(planner, f"{url}/review", {"version": c["version"], "passed": False, "note": "补充"})
    assert c["status"] == CaseStatus.IN_PROGRESS
    c = post(yibin_reporter, f"{url}/feedback", {"version": c["version"], "note": "已补充"})
    c = post(planner, f"{url}/review", {"version": c["version"]})
    c = post(planner, f"{url}/close", {"version": c["version"]})
    assert c["status"] == CaseStatus.CLOSED and c["closed_at"]
    assert len([e for e in new_audit_events() if e.action.startswith("case.")]) == 7
    new = post(planner, f"{API}/cases/{world.new_case.pk}/assign", {"version": 1})
    assert new["status"] == CaseStatus.ASSIGNED and new["ack_due"]


def test_unknown_case_step_is_422(world: World, planner: Client) -> None:
    post(planner, f"{API}/cases/{world.case.pk}/teleport", {"version": 1}, 422)


# ---- schemathesis ---------------------------------------------------------------------------

OURS = re.compile(r"^/api/v1/(tasks|lists|reports|cases)")


def operations() -> list[str]:
    return [
        f"{method.upper()} {path}"
        for path, methods in document()["paths"].items()
        if OURS.match(path)
        for method in methods
    ]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("label", operations())
def test_schemathesis_finds_no_server_error(
    label: str, mode: GenerationMode, wsgi_app: WSGIHandler, world: World, planner_user: User
) -> None:
    """Planner, 宜宾 reporter and anonymous callers in turn, against the world's data."""
    schema = schemathesis.openapi.from_dict(document())
    operation = next(op.ok() for op in schema.get_all_operations() if op.ok().label == label)
    reporter = make_user("yb2", (world.yibin_report.unit, Role.REPORTER))
    secrets = [
        api_token_create(user=user, name="schemathesis", actor=None)[1]
        for user in (planner_user, reporter)
    ]
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]

    @settings(
        max_examples=15,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(mode))
    def run(case: Any) -> None:
        pick = len(repr(case)) % 3
        headers = {"Authorization": f"Bearer {secrets[pick]}"} if pick < 2 else {}
        response = case.call(app=wsgi_app, headers=headers)
        case.validate_response(response, checks=checks, headers=headers)

    run()


def test_reporter_withdraws_a_submitted_report_until_the_reviewer_acts(
    world: World,
    yibin_reporter: Client,
    yibin_reviewer: Client,
    luzhou_reporter: Client,
    new_audit_events: Any,
) -> None:
    url = f"{API}/reports/{world.yibin_report.pk}"
    r = post(yibin_reporter, f"{url}/submit", {"version": world.yibin_report.version})
    post(luzhou_reporter, f"{url}/withdraw", {"version": r["version"]}, 404)
    post(yibin_reviewer, f"{url}/withdraw", {"version": r["version"]}, 404)
    r = post(yibin_reporter, f"{url}/withdraw", {"version": r["version"]})
    assert r["status"] == ReportStatus.DRAFT
    post(yibin_reporter, f"{url}/withdraw", {"version": r["version"]}, 409)  # a draft already
    r = post(yibin_reporter, f"{url}/submit", {"version": r["version"]})
    r = post(yibin_reviewer, f"{url}/approve", {"version": r["version"]})
    post(yibin_reporter, f"{url}/withdraw", {"version": r["version"]}, 409)  # reviewed
    actions = [e.action for e in new_audit_events().filter(target_type="reports.progressreport")]
    assert actions == [
        "progress_report.submitted",
        "progress_report.withdraw",
        "progress_report.submitted",
        "progress_report.unit_approved",
    ]
