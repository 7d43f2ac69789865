"""/api/v1/projects through real bearer tokens: the list and detail (signed in without a role:
yearly plans; anonymous callers: 401, they read published projects at /api/v1/public/;
insiders: the month's figures equal to a hand computation), a monthly report created,
saved, submitted, approved and accepted through the API, the access of every endpoint, and
a schemathesis run over every project operation with data present (no 5xx, responses as
documented)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from planwatch.api.services import api_token_create
from planwatch.projects.models import MonthlyEvidence
from tests.api.conftest import wsgi_app  # noqa: F401 — fixture
from tests.api.schema import document
from tests.factories.personas import make_user
from tests.projects.helpers import filed_and_accepted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _bearer(user: User) -> dict[str, str]:
    secret = api_token_create(user=user, name="t", actor=None)[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def filed(cheng_zi_yi, chuannan_planner_user, yibin_reporter_user, yibin_reviewer_user):
    p, _zg, yb = cheng_zi_yi
    return filed_and_accepted(
        project=p,
        segment=yb,
        year=2026,
        month=3,
        ytd=31000,
        filler=yibin_reporter_user,
        reviewer=yibin_reviewer_user,
        planner=chuannan_planner_user,
    )


def test_list_and_detail(filed, yibin_reporter_user):
    p = filed.project
    assert Client().get("/api/v1/projects").status_code == 401
    visitor = _bearer(make_user("visitor"))
    listing = Client().get("/api/v1/projects", **visitor).json()
    assert [i["name"] for i in listing["items"]] == ["成自宜高铁"] and listing["count"] == 1
    public = Client().get(f"/api/v1/projects/{p.pk}", **visitor).json()
    assert public["figures"] is None
    assert public["yearly_plans"] == [{"year": 2026, "amount": "200000.00"}]
    assert {s["place"]["name"] for s in public["segments"]} == {"自贡市", "宜宾市"}
    inside = (
        Client()
        .get(f"/api/v1/projects/{p.pk}?year=2026&month=3", **_bearer(yibin_reporter_user))
        .json()
    )
    # 31,000 / 200,000 = 15.5 %; 3/12 = 25 %; −9.5 points: green (yellow from 10 behind).
    f = inside["figures"]
    assert f["rate"] == pytest.approx(0.155) and f["time_progress"] == pytest.approx(0.25)
    assert f["gap"] == pytest.approx(-9.5) and f["light"] == "green"


def test_report_through_the_api(
    filed, yibin_reporter_user, yibin_reviewer_user, chuannan_planner_user, zigong_reporter_user
):
    p, yb = filed.project, filed.segment
    filler = _bearer(yibin_reporter_user)
    c = Client()
    r = c.post(
        f"/api/v1/projects/{p.pk}/reports",
        json.dumps({"segment": yb.pk, "year": 2026, "month": 4}),
        "application/json",
        **filler,
    )
    # 1–5 May 劳动节; 6, 7, 8, 9 (a worked Saturday), 11 May → 11 May.
    assert r.status_code == 201 and r.json()["due"] == "2026-05-11"
    rid, version = r.json()["id"], r.json()["version"]
    body = {
        "version": version,
        "invested_month": "9000",
        "invested_ytd": "40000",
        "invested_total": "140000",
        "progress_text": "墩身完成",
        "issues": ["用地指标"],
    }
    saved = c.put(f"/api/v1/projects/reports/{rid}", json.dumps(body), "application/json", **filler)
    assert saved.status_code == 200 and saved.json()["issues"] == ["用地指标"]
    stale = c.put(f"/api/v1/projects/reports/{rid}", json.dumps(body), "application/json", **filler)
    assert stale.status_code == 409
    review = f"/api/v1/projects/reports/{rid}/review"
    for who, target in (
        (filler, "submitted"),
        (_bearer(yibin_reviewer_user), "unit_approved"),
        (_bearer(chuannan_planner_user), "accepted"),
    ):
        step = c.post(review, json.dumps({"target": target}), "application/json", **who)
        assert step.status_code == 200, step.content
    assert step.json()["status"] == "accepted"
    again = c.post(
        review,
        json.dumps({"target": "accepted"}),
        "application/json",
        **_bearer(chuannan_planner_user),
    )
    assert again.status_code == 409
    assert (
        c.get(f"/api/v1/projects/reports/{rid}", **_bearer(zigong_reporter_user)).status_code == 404
    )
    assert len(c.get(f"/api/v1/projects/{p.pk}/reports", **filler).json()) == 2


API = [
    ("get", "/api/v1/projects", "anonymous", 401),
    ("get", "/api/v1/projects", "visitor", 200),
    ("get", "/api/v1/projects/{p}", "anonymous", 401),
    ("get", "/api/v1/projects/{p}", "visitor", 200),
    ("get", "/api/v1/projects/{draft}", "anonymous", 401),
    ("get", "/api/v1/projects/{draft}", "visitor", 404),
    ("get", "/api/v1/projects/{draft}", "yibin_reporter", 404),
    ("get", "/api/v1/projects/{draft}", "planner", 200),
    ("get", "/api/v1/projects/{p}/reports", "anonymous", 401),
    ("get", "/api/v1/projects/{p}/reports", "yibin_reporter", 200),
    ("post", "/api/v1/projects/{p}/reports", "anonymous", 401),
    ("post", "/api/v1/projects/{p}/reports", "zigong_reporter", 403),
    ("post", "/api/v1/projects/{p}/reports", "yibin_reporter", 201),
    ("get", "/api/v1/projects/reports/{r}", "anonymous", 401),
    ("get", "/api/v1/projects/reports/{r}", "zigong_reporter", 404),
    ("get", "/api/v1/projects/reports/{r}", "yibin_reviewer", 200),
    ("put", "/api/v1/projects/reports/{r}", "zigong_reporter", 404),
    ("put", "/api/v1/projects/reports/{r}", "yibin_reporter", 409),
    ("post", "/api/v1/projects/reports/{r}/review", "anonymous", 401),
    ("post", "/api/v1/projects/reports/{r}/review", "zigong_reporter", 404),
    ("post", "/api/v1/projects/reports/{r}/review", "planner", 409),
    ("post", "/api/v1/projects/reports/{r}/evidence", "anonymous", 401),
    ("post", "/api/v1/projects/reports/{r}/evidence", "zigong_reporter", 404),
    ("post", "/api/v1/projects/reports/{r}/evidence", "yibin_reporter", 409),
    ("get", "/api/v1/projects/reports/{r}/evidence/{e}", "anonymous", 401),
    ("get", "/api/v1/projects/reports/{r}/evidence/{e}", "zigong_reporter", 404),
    ("get", "/api/v1/projects/reports/{r}/evidence/{e}", "yibin_reviewer", 200),
]


@pytest.mark.parametrize(("method", "path", "who", "status"), API)
def test_api_access(
    method,
    path,
    who,
    status,
    filed,
    south,
    chuannan_planner_user,
    yibin_reporter_user,
    yibin_reviewer_user,
    zigong_reporter_user,
):
    from planwatch.projects.models import Project

    draft = Project.objects.filter(plan=south, status="draft").first()
    users = {
        "planner": chuannan_planner_user,
        "yibin_reporter": yibin_reporter_user,
        "yibin_reviewer": yibin_reviewer_user,
        "zigong_reporter": zigong_reporter_user,
        "visitor": make_user("visitor"),
    }
    stored = default_storage.save("evidence/t/a.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    e = MonthlyEvidence.objects.create(
        report=filed, file=stored, name="a.pdf", sha256="0" * 64, size=15
    )
    url = path.format(p=filed.project_id, draft=draft.pk, r=filed.pk, e=e.pk)
    headers = _bearer(users[who]) if who != "anonymous" else {}
    body: dict[str, Any] = {"segment": filed.segment_id, "year": 2026, "month": 5}
    if method == "put":
        body = {"version": 1, "invested_ytd": "1"}
    if path.endswith("review"):
        body = {"target": "accepted"}
    client = Client()
    if method == "get":
        response = client.get(url, **headers)
    elif path.endswith("evidence"):
        upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")
        response = client.post(url, {"file": upload}, **headers)
    else:
        response = getattr(client, method)(url, json.dumps(body), "application/json", **headers)
    assert response.status_code == status, response.content


def test_schemathesis_with_data(wsgi_app: WSGIHandler, filed, yibin_reporter_user) -> None:  # noqa: F811
    schema = schemathesis.openapi.from_dict(document())
    operations = [
        op.ok() for op in schema.get_all_operations() if "/api/v1/projects" in op.ok().label
    ]
    assert len(operations) == 9
    secret = api_token_create(user=yibin_reporter_user, name="st", actor=None)[1]
    stored = default_storage.save("evidence/t/a.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    e = MonthlyEvidence.objects.create(
        report=filed, file=stored, name="a.pdf", sha256="0" * 64, size=15
    )
    ids = {"project_id": filed.project_id, "report_id": filed.pk, "evidence_id": e.pk}
    for operation in operations:

        @settings(
            max_examples=8,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(GenerationMode.POSITIVE))
        def run(case: Any) -> None:
            if case.path_parameters and len(repr(case)) % 3 == 0:
                for k in case.path_parameters:
                    case.path_parameters[k] = ids[k]
            headers = {"Authorization": f"Bearer {secret}"} if len(repr(case)) % 2 else {}
            response = case.call(app=wsgi_app, headers=headers)
            case.validate_response(
                response,
                checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
                headers=headers,
            )

        run()
