"""The messages API: public submission with the form's checks (nothing stored when refused,
429 past the limits), public reads that never carry a contact nor an unaccepted message, the
receipt code, and the staff endpoints with their denied paths. Every response is validated
against the committed OpenAPI document."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pytest
from django.contrib.auth.models import User
from django.test import Client

from planwatch.feedback.models import FollowUp, Message
from planwatch.tasks.models import Task
from tests.api.schema import document
from tests.factories.personas import logged_in

pytestmark = pytest.mark.django_db
URL = "/api/v1/public/messages"


def call(client: Client, method: str, url: str, status: int, body: Any = None) -> Any:
    """Send, assert the status, validate the body against the document's schema."""
    kwargs: dict[str, Any] = {}
    if body is not None:
        kwargs = {"data": json.dumps(body), "content_type": "application/json"}
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code == status, response.content[:400]
    data = response.json()
    path = url.split("?")[0]
    for template, methods in document()["paths"].items():
        pattern = "^/api/v1" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) or re.match(pattern.replace("/api/v1", "", 1), path):
            declared = methods[method]["responses"].get(str(status))
            assert declared is not None, f"{template} {method} does not declare {status}"
            schema = {**declared["content"]["application/json"]["schema"]}
            schema["components"] = document()["components"]
            jsonschema.Draft202012Validator(schema).validate(data)
            return data
    raise AssertionError(f"{path} not in the document")


def payload(task: Task, **kw: Any) -> dict[str, Any]:
    return {
        "kind": "complaint",
        "subject_kind": "task",
        "subject_id": task.pk,
        "title": "城际铁路进度",
        "body": "宜宾至泸州城际铁路什么时候开工？",
        "contact": "13812345678",
    } | kw


def test_submit_follow_and_rate(
    anon: Client, yibin_task: Task, chuannan_planner: Client, yibin_reporter: Client
) -> None:
    out = call(anon, "post", URL, 201, payload(yibin_task))
    code = out["receipt"]
    assert out["status"] == "pending" and code in out["url"]
    listed = call(anon, "get", f"{URL}?kind=task&id={yibin_task.pk}", 200)
    assert listed["count"] == 0  # not before moderation
    own = call(anon, "get", f"{URL}/receipt/{code}", 200)
    assert own["status"] == "pending" and "contact" not in own
    call(anon, "get", f"{URL}/receipt/{code[:-2]}xx", 404)

    mid = Message.objects.get().pk
    queue = call(chuannan_planner, "get", "/api/v1/feedback/moderation", 200)
    assert [m["id"] for m in queue["items"]] == [mid]
    assert queue["items"][0]["contact"] == "138****5678"
    accepted = call(
        chuannan_planner,
        "post",
        f"/api/v1/feedback/messages/{mid}/moderate",
        200,
        {"decision": "accept"},
    )
    assert accepted["status"] == "accepted" and accepted["unit"]["code"] == "511500"
    listed = call(anon, "get", f"{URL}?kind=task&id={yibin_task.pk}", 200)
    assert listed["count"] == 1 and "13812345678" not in json.dumps(listed, ensure_ascii=False)

    todo = call(yibin_reporter, "get", "/api/v1/feedback/handling", 200)
    assert [m["id"] for m in todo["items"]] == [mid]
    answered = call(
        yibin_reporter,
        "post",
        f"/api/v1/feedback/messages/{mid}/answer",
        200,
        {"text": "该项目已完成可研批复，计划年内开工。"},
    )
    assert answered["contact"] == "13812345678"  # the handler (answering claimed it)
    rated = call(anon, "post", f"{URL}/receipt/{code}/rating", 200, {"rating": "unsatisfied"})
    assert rated["rating"] == "unsatisfied"
    call(anon, "post", f"{URL}/receipt/{code}/rating", 422, {"rating": "satisfied"})
    assert FollowUp.objects.filter(message_id=mid).exists()
    filled = call(
        yibin_reporter,
        "post",
        f"/api/v1/feedback/messages/{mid}/follow-up",
        200,
        {
            "caller": "宜宾市 王科长",
            "called_at": "2024-10-30T09:00:00+08:00",
            "summary": "电话回访，说明开工安排。",
            "outcome": "表示理解",
        },
    )
    assert filled["follow_up_open"] is False


def test_refusals_store_nothing(anon: Client, yibin_task: Task, settings: Any) -> None:
    call(anon, "post", URL, 422, payload(yibin_task, website="x"))
    call(anon, "post", URL, 422, payload(yibin_task, title="长" * 61))
    call(anon, "post", URL, 422, payload(yibin_task, contact="abc"))
    call(anon, "post", URL, 422, payload(yibin_task, subject_id=999999))
    assert not Message.objects.exists()
    call(anon, "post", URL, 201, payload(yibin_task))
    dup = call(anon, "post", URL, 422, payload(yibin_task, title="城际铁路 进度！"))
    assert "相同内容" in dup["error"]["message"]
    settings.PLANWATCH_FEEDBACK_PER_HOUR = 2
    call(anon, "post", URL, 201, payload(yibin_task, title="第二条"))
    limited = call(anon, "post", URL, 429, payload(yibin_task, title="第三条"))
    assert limited["error"]["code"] == "too_many_requests"
    assert Message.objects.count() == 2


def test_unpublished_subjects_are_not_found(anon: Client, issued: Any) -> None:
    task = issued.tasks.first()
    call(anon, "get", f"{URL}?kind=task&id={task.pk}", 404)
    call(anon, "post", URL, 422, payload(task))


def test_staff_endpoints_deny_alike(
    anon: Client,
    yibin_task: Task,
    luzhou_reporter: Client,
    panxi_planner: Client,
    yibin_reporter: Client,
) -> None:
    call(anon, "post", URL, 201, payload(yibin_task))
    mid = Message.objects.get().pk
    call(anon, "get", "/api/v1/feedback/moderation", 401)
    assert call(panxi_planner, "get", "/api/v1/feedback/moderation", 200)["items"] == []
    for client in (panxi_planner, luzhou_reporter, yibin_reporter):  # pending: unit not yet
        call(client, "get", f"/api/v1/feedback/messages/{mid}", 404)
        call(
            client, "post", f"/api/v1/feedback/messages/{mid}/moderate", 404, {"decision": "accept"}
        )
    call(
        yibin_reporter,
        "post",
        f"/api/v1/feedback/messages/{mid}/answer",
        404,
        {"text": "答复答复答复"},
    )


def test_a_session_post_needs_the_csrf_token(yibin_task: Task, chuannan_planner_user: User) -> None:
    client = logged_in(chuannan_planner_user)
    client.handler.enforce_csrf_checks = True
    call(client, "post", URL, 403, payload(yibin_task))
    assert not Message.objects.exists()


@pytest.mark.parametrize("odd", ["\x00", "\ud800"])
@pytest.mark.parametrize("field", ["title", "body", "contact"])
def test_odd_characters_are_refused_or_stored_never_a_server_error(
    anon: Client, yibin_task: Task, field: str, odd: str
) -> None:
    response = anon.post(
        URL,
        data=json.dumps(payload(yibin_task, **{field: f"城际铁路{odd}进度"})),
        content_type="application/json",
    )
    assert response.status_code in (201, 400, 422), response.content[:300]
