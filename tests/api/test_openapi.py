"""The OpenAPI document: committed, served, valid, and checked for drift."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from openapi_spec_validator import validate

from planwatch.api import openapi
from planwatch.api.openapi import COMMITTED, drift_summary, generated_schema, render


def test_committed_document_matches_the_code() -> None:
    committed = COMMITTED.read_text(encoding="utf-8")
    generated = render(generated_schema())
    assert committed == generated, "\n".join(
        [
            "docs/openapi.json has drifted: run `planwatch openapi --write`",
            "",
            *drift_summary(committed, generated),
        ]
    )


def test_document_is_valid_openapi() -> None:
    validate(json.loads(COMMITTED.read_text(encoding="utf-8")))


def test_every_operation_says_who_may_call_it() -> None:
    doc = json.loads(COMMITTED.read_text(encoding="utf-8"))
    for path, methods in doc["paths"].items():
        for op in methods.values():
            assert op["x-access"] in {"public", "signed-in"}, path
            assert op["description"].startswith("Access: "), path
            if op["x-access"] == "public":
                assert {} in op["security"], path
            else:
                assert {} not in op["security"], path
            for status, response in op["responses"].items():
                if status.startswith(("4", "5")):
                    schema = response["content"]["application/json"]["schema"]
                    # The schema itself, nothing beside it: the error shape is one.
                    assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (path, status)


@pytest.mark.django_db
def test_document_is_served(anon: Client) -> None:
    response = anon.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json() == json.loads(render(generated_schema()))


def test_check_command_fails_with_a_summary_on_drift(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "openapi.json"
    monkeypatch.setattr("planwatch.api.management.commands.openapi.COMMITTED", target)
    call_command("openapi", "--write")
    call_command("openapi", "--check")
    doc = json.loads(target.read_text(encoding="utf-8"))
    del doc["paths"]["/api/v1/search"]
    doc["paths"]["/api/v1/plans"]["get"]["summary"] = "changed"
    target.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        call_command("openapi", "--check")
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "added:   GET /api/v1/search" in err
    assert "changed: GET /api/v1/plans" in err
    assert openapi.COMMITTED == COMMITTED
