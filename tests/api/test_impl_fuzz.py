"""Schemathesis over the operations added for evidence files and annual lists, with their
path parameters pinned to real objects — a draft report of 宜宾 with a file attached, a
draft list (generate, import, frequency), the issued list (export, reopen) — so that
generated bodies, multipart files and form fields reach the services instead of stopping at
a 404. No 5xx, and every response conforms to docs/openapi.json (status, content type,
body). The general run over every implementation operation with random ids is in
test_api_implementation.py."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import User
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
from planwatch.reports.evidence import evidence_add
from planwatch.tasks.services import task_drafts_generate
from tests.api.schema import document
from tests.api.test_impl_evidence import real_pdf
from tests.api.test_implementation import World, world

pytestmark = pytest.mark.django_db
__all__ = ["world"]  # the fixture, shared with the other implementation API tests
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# (method, path) → the path parameters it runs against, by name of a `Pinned` attribute
OPERATIONS = {
    ("POST", "/api/v1/lists"): {},
    ("POST", "/api/v1/lists/{list_id}/generate"): {"list_id": "draft_list"},
    ("GET", "/api/v1/lists/{list_id}/export.xlsx"): {"list_id": "issued_list"},
    ("POST", "/api/v1/lists/{list_id}/reopen"): {"list_id": "issued_list"},
    ("PUT", "/api/v1/lists/{list_id}/frequency"): {"list_id": "draft_list"},
    ("POST", "/api/v1/lists/{list_id}/import"): {"list_id": "draft_list"},
    ("POST", "/api/v1/reports/{report_id}/evidence"): {"report_id": "report"},
    ("GET", "/api/v1/reports/{report_id}/evidence/{evidence_id}"): {
        "report_id": "report",
        "evidence_id": "evidence",
    },
    ("DELETE", "/api/v1/reports/{report_id}/evidence/{evidence_id}"): {
        "report_id": "report",
        "evidence_id": "evidence",
    },
}
# Body fields pinned in positive mode, so that generated lists are for a plan the caller plans
# and the first reopen carries the issued list's version (and so reopens it; later ones are 409).
BODY = {
    ("POST", "/api/v1/lists"): {"plan_id": "plan"},
    ("POST", "/api/v1/lists/{list_id}/reopen"): {"version": "issued_version"},
}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def pinned(world: World, planner_user: User, yibin_reporter_user: User) -> dict[str, int]:
    draft = task_drafts_generate(plan=world.annual_list.plan, year=2025, actor=planner_user)
    evidence = evidence_add(
        report=world.yibin_report,
        actor=yibin_reporter_user,
        name="批复.pdf",
        content=io.BytesIO(real_pdf()),
    )
    return {
        "plan": world.annual_list.plan_id,
        "draft_list": draft.annual_list.pk,
        "issued_list": world.annual_list.pk,
        "issued_version": world.annual_list.version,
        "report": world.yibin_report.pk,
        "evidence": evidence.pk,
    }


def test_the_new_operations_are_in_the_document() -> None:
    declared = {
        (method.upper(), path)
        for path, methods in document()["paths"].items()
        for method in methods
    }
    assert set(OPERATIONS) <= declared


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("method", "path"), list(OPERATIONS))
def test_generated_requests_on_real_objects(
    method: str,
    path: str,
    mode: GenerationMode,
    wsgi_app: WSGIHandler,
    pinned: dict[str, int],
    planner_user: User,
    yibin_reporter_user: User,
) -> None:
    """The planner (lists) or the 宜宾 reporter (evidence) with a token, and anonymous
    callers now and then."""
    schema = schemathesis.openapi.from_dict(document())
    operation = schema[path][method.lower()]
    owner = yibin_reporter_user if "/reports/" in path else planner_user
    secret = api_token_create(user=owner, name="schemathesis", actor=None)[1]
    params = {name: pinned[key] for name, key in OPERATIONS[(method, path)].items()}
    fields = {name: pinned[key] for name, key in BODY.get((method, path), {}).items()}
    statuses: Counter[int] = Counter()

    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(mode))
    def run(case: Any) -> None:
        if case.path_parameters is not None:
            case.path_parameters.update(params)
        if mode == GenerationMode.POSITIVE and isinstance(case.body, dict):
            case.body.update(fields)
        anonymous = len(repr(case)) % 5 == 0
        headers = {} if anonymous else {"Authorization": f"Bearer {secret}"}
        response = case.call(app=wsgi_app, headers=headers)
        statuses[response.status_code] += 1
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()
    print(method, path, mode.value, dict(statuses))
    assert sum(n for s, n in statuses.items() if s not in (401, 404)) > 0
