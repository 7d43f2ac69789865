"""/api/v1/documents with real bearer tokens: a planner drafts an annual report, reads it
with its figures (validated against docs/openapi.json) and downloads the DOCX; a leader of
the zone reads; another zone's planner gets 404 everywhere; anonymous callers 401."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from planwatch.api.services import api_token_create
from tests.api.schema import check
from tests.documents.docx_checks import load

pytestmark = pytest.mark.django_db


def _bearer(user: User) -> dict[str, str]:
    secret = api_token_create(user=user, name="t", actor=None)[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _create(client: Client, user: User, **body: Any) -> Any:
    return client.post(
        "/api/v1/documents",
        data=json.dumps(body),
        content_type="application/json",
        **_bearer(user),
    )


def test_create_read_download(
    monitored: dict[str, Any], chuannan_planner_user: User, chuannan_leader_user: User
) -> None:
    client = Client()
    response = _create(client, chuannan_planner_user, kind="annual", plan="chuannan", year=2024)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["title"] == "川南经济区2024年度规划实施监测报告"
    assert created["status"] == "draft" and "overview" in created["placeholders_left"]
    assert any(f["label"] == "年度重点任务数" for f in created["figures"])
    url = f"/api/v1/documents/{created['id']}"
    body = check(client, url, **_bearer(chuannan_leader_user))
    assert body["sha256"] == created["sha256"]
    listed = check(client, "/api/v1/documents", **_bearer(chuannan_planner_user))
    assert [d["id"] for d in listed["items"]] == [created["id"]]
    docx = client.get(f"{url}/docx", **_bearer(chuannan_planner_user))
    assert docx.status_code == 200
    assert hashlib.sha256(docx.content).hexdigest() == created["sha256"]
    assert load(docx.content).tables[0].rows[0].cells[0].text == "指标"


def test_denied(
    monitored: dict[str, Any], chuannan_planner_user: User, panxi_planner_user: User
) -> None:
    client = Client()
    created = _create(client, chuannan_planner_user, kind="annual", plan="chuannan", year=2024)
    url = f"/api/v1/documents/{created.json()['id']}"
    other = _bearer(panxi_planner_user)
    check(client, url, 404, **other)
    assert client.get(f"{url}/docx", **other).status_code == 404
    assert check(client, "/api/v1/documents", **other)["count"] == 0
    refused = _create(client, panxi_planner_user, kind="annual", plan="chuannan", year=2024)
    assert refused.status_code == 404
    check(client, url, 401)
    bad = _create(client, chuannan_planner_user, kind="bulletin", plan="chuannan", year=2024)
    assert bad.status_code == 422  # a bulletin needs its quarter
