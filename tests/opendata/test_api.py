"""The public data endpoints under /api/v1/public/: anonymous, paginated, the published rows
only, responses valid against the committed OpenAPI document, and schemathesis (with
published data in the database) finds no 5xx."""

from __future__ import annotations

import json
from typing import Any

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

from planwatch.portal.opendata.datasets import DATASETS
from planwatch.publication.services import publish, withdraw
from tests.api.schema import check, document
from tests.opendata.conftest import SECRET, SECRET_VALUE, World
from tests.opendata.test_downloads import csv_rows

pytestmark = pytest.mark.django_db
ENDPOINTS = {
    "tasks": "tasks",
    "observations": "observations",
    "projects": "projects",
    "index_values": "index-values",
    "assessment_scores": "assessment-scores",
}


def _no_secret(body: Any) -> None:
    blob = json.dumps(body, ensure_ascii=False)
    assert SECRET not in blob and str(SECRET_VALUE) not in blob


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_each_endpoint_matches_the_csv(world: World, client: Client, name: str) -> None:
    body = check(client, f"/api/v1/public/{ENDPOINTS[name]}")
    _no_secret(body)
    rows = csv_rows(client, name)
    if name == "projects":
        assert body["count"] == 1
        (project,) = body["items"]
        assert project["name"] == "宜宾至泸州城际铁路公开项目"
        assert [
            (y["year"], y["annual_plan"], y["completed_investment"]) for y in project["years"]
        ] == [
            (2024, 1000.0, 400.0),
            (2025, 2000.0, None),
        ]
        assert project["years"][0]["completion_rate"] == 40.0
    else:
        assert body["count"] == len(rows) == len(body["items"])
        assert [str(i[DATASETS[name].field_names[0]]) for i in body["items"]] == [
            r[DATASETS[name].field_names[0]] for r in rows
        ]


def test_pagination(world: World, client: Client, chuannan_planner_user: User) -> None:
    publish(actor=chuannan_planner_user, subject=world.annual_list)
    total = world.annual_list.tasks.count()
    assert total >= 3
    seen: list[int] = []
    offset = 0
    while True:
        page = check(client, f"/api/v1/public/tasks?limit=2&offset={offset}")
        assert page["count"] == total and page["limit"] == 2 and page["offset"] == offset
        if not page["items"]:
            break
        seen += [i["id"] for i in page["items"]]
        offset += 2
    assert len(seen) == total and len(set(seen)) == total
    check(client, "/api/v1/public/tasks?limit=0", 422)
    check(client, "/api/v1/public/tasks?limit=501", 422)
    check(client, "/api/v1/public/tasks?offset=-1", 422)


def test_a_task_row(world: World, client: Client) -> None:
    (item,) = check(client, "/api/v1/public/tasks")["items"]
    task = world.public_task
    assert item["id"] == task.pk and item["title"] == task.title
    assert item["deadline"] == "2024-12-31" and item["status"] == "实施中"
    assert item["clause_url"].startswith("http://testserver/plans/")


def test_withdrawn_is_gone_from_the_api(
    world: World, client: Client, chuannan_planner_user: User
) -> None:
    withdraw(actor=chuannan_planner_user, subject=world.public_task, reason="核实中")
    withdraw(actor=chuannan_planner_user, subject=world.indicator, reason="核实中")
    assert check(client, "/api/v1/public/tasks") == {
        "count": 0,
        "limit": 50,
        "offset": 0,
        "items": [],
    }
    assert check(client, "/api/v1/public/observations")["count"] == 0


def test_the_dataset_list(world: World, client: Client) -> None:
    body = check(client, "/api/v1/public/datasets")
    assert [d["name"] for d in body["items"]] == list(DATASETS)
    assert body["datapackage"] == "http://testserver/gongkai/data/datapackage.json"
    for d in body["items"]:
        assert d["license"]["name"] == "CC-BY-4.0"
        assert [f["name"] for f in d["fields"]] == DATASETS[d["name"]].field_names
        for url in (*d["downloads"].values(), d["api"]):
            assert client.get(url.removeprefix("http://testserver")).status_code == 200
    assert {d["name"]: d["rows"] for d in body["items"]}["projects"] == 2


def test_anonymous_or_signed_in_alike_but_a_bad_token_is_refused(
    world: World, client: Client, planner_user: User
) -> None:
    anonymous = check(client, "/api/v1/public/tasks")
    client.force_login(planner_user)
    assert check(client, "/api/v1/public/tasks") == anonymous  # no insider extras
    client.logout()
    check(client, "/api/v1/public/tasks", 401, headers={"Authorization": "Bearer nope"})


def _operations() -> list[str]:
    return [
        f"GET {path}"
        for path in document()["paths"]
        if path.startswith("/api/v1/public/") and "get" in document()["paths"][path]
    ]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("label", _operations())
def test_schemathesis_with_published_data(
    label: str,
    mode: GenerationMode,
    wsgi_app: WSGIHandler,
    world: World,
) -> None:
    get = document()["paths"][label.split(" ", 1)[1]]["get"]
    if mode is GenerationMode.NEGATIVE and not get.get("parameters") and {} in get["security"]:
        # no parameter and no required credential: there is nothing to make invalid
        pytest.skip("no input to make invalid")
    schema = schemathesis.openapi.from_dict(document())
    operation = next(op.ok() for op in schema.get_all_operations() if op.ok().label == label)
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
        response = case.call(app=wsgi_app)
        case.validate_response(response, checks=checks)
        if response.status_code == 200:
            _no_secret(response.json())

    run()


def test_filters(world: World, client: Client, chuannan_planner_user: User) -> None:
    publish(actor=chuannan_planner_user, subject=world.annual_list)
    plan = world.annual_list.plan
    total = world.annual_list.tasks.count()
    assert check(client, f"/api/v1/public/tasks?plan={plan.pk}&year=2024")["count"] == total
    assert check(client, f"/api/v1/public/tasks?plan={plan.pk + 1}")["count"] == 0
    assert check(client, "/api/v1/public/tasks?year=2023")["count"] == 0
    assert check(client, "/api/v1/public/tasks?zone=zone:south-sichuan")["count"] == total
    assert check(client, "/api/v1/public/tasks?zone=zone:panxi")["count"] == 0
    assert check(client, "/api/v1/public/observations?place=511500")["count"] == 1
    assert check(client, "/api/v1/public/observations?place=510500")["count"] == 0
    ind = world.indicator.pk
    assert check(client, f"/api/v1/public/observations?indicator={ind}&year=2023")["count"] == 1
    assert check(client, "/api/v1/public/projects?zone=zone:south-sichuan")["count"] == 1
    assert check(client, "/api/v1/public/projects?zone=zone:panxi")["count"] == 0
    edition = world.index_edition.pk
    assert check(client, f"/api/v1/public/index-values?edition={edition}")["count"] == 2
    hidden = world.hidden_index_edition.pk
    assert check(client, f"/api/v1/public/index-values?edition={hidden}")["count"] == 0
    assert check(client, "/api/v1/public/index-values?place=511500&year=2023")["count"] == 2
    scores = f"/api/v1/public/assessment-scores?edition={world.result_edition.pk}"
    assert check(client, scores)["count"] == 2
    check(client, "/api/v1/public/tasks?year=abc", 422)
    check(client, "/api/v1/public/tasks?plan=0", 422)
