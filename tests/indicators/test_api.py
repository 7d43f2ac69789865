"""/api/v1/indicators: signed-in reads (anonymous callers get 401 and read published
indicators at /api/v1/public/) validated against the committed OpenAPI document (the
worked example's status and path through the API), observation entry and import by data
clerks, refusals, and a schemathesis run over the indicator reads with data present."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from planwatch.api.services import api_token_create
from planwatch.indicators.models import Indicator, Observation
from planwatch.indicators.services import observation_create, observation_verify
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from tests.api.schema import check, document
from tests.factories.personas import logged_in, make_user
from tests.indicators.helpers import csv_bytes, south_gdp

pytestmark = pytest.mark.django_db


@pytest.fixture
def gdp(south: Plan, chuannan_planner_user: User) -> Indicator:
    return south_gdp(south, chuannan_planner_user)


@pytest.fixture
def verified(
    gdp: Indicator, zone: OrgUnit, chuannan_clerk_user: User, chuannan_reviewer_user: User
) -> Observation:
    obs = observation_create(
        indicator=gdp, place=zone, year=2021, value=8761.0, actor=chuannan_clerk_user, source="x"
    )
    observation_verify(observation=obs, actor=chuannan_reviewer_user)
    return obs


def _bearer(user: User) -> dict[str, str]:
    secret = api_token_create(user=user, name="t", actor=None)[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_reads_give_the_worked_example(gdp: Indicator, verified: Observation) -> None:
    check(Client(), f"/api/v1/indicators?plan={gdp.plan_id}", status=401)
    client = logged_in(make_user("visitor"))
    listing = check(client, f"/api/v1/indicators?plan={gdp.plan_id}")
    assert [i["name"] for i in listing["items"]] == ["地区生产总值"]
    detail = check(client, f"/api/v1/indicators/{gdp.pk}")
    assert detail["baseline"]["value"] == 7884.0 and detail["target"]["value"] == 11000.0
    assert detail["target"]["line"] == gdp.target_line
    assert [p["year"] for p in detail["path"]] == list(range(2020, 2026))
    [status] = detail["statuses"]
    assert status["status"] == "快于预期" and round(status["ratio"], 2) == 1.61
    assert round(status["required_growth"] * 100, 2) == 5.85
    observations = check(client, f"/api/v1/indicators/{gdp.pk}/observations")
    assert [(o["value"], o["verified"]) for o in observations] == [(8761.0, True)]


def test_public_sees_verified_values_only(
    gdp: Indicator, zone: OrgUnit, chuannan_clerk_user: User
) -> None:
    observation_create(
        indicator=gdp, place=zone, year=2022, value=9000.0, actor=chuannan_clerk_user, source="x"
    )
    visitor = logged_in(make_user("visitor"))
    assert check(visitor, f"/api/v1/indicators/{gdp.pk}/observations") == []
    mine = check(logged_in(chuannan_clerk_user), f"/api/v1/indicators/{gdp.pk}/observations")
    assert [o["value"] for o in mine] == [9000.0]


def test_drafts_are_not_found(south: Plan, chuannan_planner_user: User) -> None:
    south_gdp(south, chuannan_planner_user)
    draft = Indicator.objects.filter(plan=south).exclude(status="confirmed").first()
    assert draft is not None
    check(logged_in(make_user("visitor")), f"/api/v1/indicators/{draft.pk}", status=404)
    check(Client(), f"/api/v1/indicators/{draft.pk}", status=401)


def test_clerk_creates_and_imports(
    gdp: Indicator, zone: OrgUnit, chuannan_clerk_user: User, yibin_clerk_user: User
) -> None:
    client = Client()
    body = {"place": zone.code, "year": 2021, "value": 8761.0, "source": "统计公报"}
    url = f"/api/v1/indicators/{gdp.pk}/observations"
    made = client.post(url, json.dumps(body), "application/json", **_bearer(chuannan_clerk_user))
    assert made.status_code == 201 and made.json()["value"] == 8761.0
    denied = client.post(url, json.dumps(body), "application/json", **_bearer(yibin_clerk_user))
    assert denied.status_code == 403
    bad = csv_bytes([["指标", zone.name], ["地区生产总值", "abc"]])
    form = {"plan": gdp.plan_id, "year": 2022, "source": "公报"}
    refused = client.post(
        "/api/v1/indicators/import",
        {**form, "file": _file("a.csv", bad)},
        **_bearer(chuannan_clerk_user),
    )
    assert refused.status_code == 422
    [problem] = refused.json()["error"]["problems"]
    assert (problem["row"], problem["column"]) == (2, "B")
    good = csv_bytes([["指标", zone.name], ["地区生产总值", "9300"]])
    done = client.post(
        "/api/v1/indicators/import",
        {**form, "file": _file("a.csv", good)},
        **_bearer(chuannan_clerk_user),
    )
    assert done.status_code == 200 and done.json() == {"created": 1, "revised": 0}
    assert Observation.objects.filter(indicator=gdp).count() == 2


def _file(name: str, data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize(
    "label",
    [
        "GET /api/v1/indicators",
        "GET /api/v1/indicators/{indicator_id}",
        "GET /api/v1/indicators/{indicator_id}/observations",
        "GET /api/v1/indicators/{indicator_id}/benchmarks",
        "POST /api/v1/indicators/{indicator_id}/benchmarks",
    ],
)
def test_schemathesis_with_data(
    label: str, wsgi_app: WSGIHandler, verified: Observation, chuannan_clerk_user: User
) -> None:
    schema = schemathesis.openapi.from_dict(document())
    operation = next(op.ok() for op in schema.get_all_operations() if op.ok().label == label)
    secret = api_token_create(user=chuannan_clerk_user, name="st", actor=None)[1]
    pk = verified.indicator_id

    @settings(
        max_examples=15,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(GenerationMode.POSITIVE))
    def run(case: Any) -> None:
        if case.path_parameters and len(repr(case)) % 3 == 0:
            case.path_parameters["indicator_id"] = pk  # hit the real indicator too
        headers = {"Authorization": f"Bearer {secret}"} if len(repr(case)) % 2 else {}
        response = case.call(app=wsgi_app, headers=headers)
        case.validate_response(
            response,
            checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
            headers=headers,
        )

    run()
