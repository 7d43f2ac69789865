"""Property-based run of schemathesis over every operation of the committed OpenAPI
document, in process against the Django WSGI application: no 5xx, and every response
conforms to the document (status codes, content type, body schema). Bounded: a few dozen
examples per operation, positive and negative (invalid parameters must give 4xx)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from planwatch.api.services import api_token_create
from tests.api.schema import document
from tests.factories.search import PlanFixture, make_corpus

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 20


@pytest.fixture
def corpus(persona_units: object) -> dict[str, PlanFixture]:
    return make_corpus()


def operations() -> list[str]:
    return [f"GET {path}" for path, methods in document()["paths"].items() if "get" in methods]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("label", operations())
def test_no_server_errors_and_conforming_responses(
    label: str,
    mode: GenerationMode,
    wsgi_app: WSGIHandler,
    corpus: dict[str, PlanFixture],
    planner_user: Any,
) -> None:
    get = document()["paths"][label.split(" ", 1)[1]]["get"]
    if mode is GenerationMode.NEGATIVE and not get.get("parameters") and {} in get["security"]:
        # no parameter and no required credential: there is nothing to make invalid
        pytest.skip("no input to make invalid")
    schema = schemathesis.openapi.from_dict(document())
    operation = next(op.ok() for op in schema.get_all_operations() if op.ok().label == label)
    secret = api_token_create(user=planner_user, name="schemathesis", actor=None)[1]
    strategy = operation.as_strategy(mode)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        # Half the cases as a signed-in script, half anonymous.
        headers = {"Authorization": f"Bearer {secret}"} if len(repr(case)) % 2 else {}
        response = case.call(app=wsgi_app, headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()
