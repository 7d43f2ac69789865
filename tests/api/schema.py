"""Validating API responses against the committed OpenAPI document (docs/openapi.json)."""

from __future__ import annotations

import functools
import json
import re
from typing import Any

import jsonschema
from django.test.client import Client

from planwatch.api.openapi import COMMITTED


@functools.cache
def document() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(COMMITTED.read_text(encoding="utf-8"))
    return doc


def _operation(path: str) -> tuple[str, dict[str, Any]]:
    """The OpenAPI path template and GET operation matching a concrete path."""
    for template, methods in document()["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            return template, methods["get"]
    raise AssertionError(f"{path} is not in the OpenAPI document")


def check(client: Client, url: str, status: int = 200, **kwargs: Any) -> Any:
    """GET `url`, assert the status, validate the body against the response schema the
    document declares for that status, and return the parsed body."""
    response = client.get(url, **kwargs)
    assert response.status_code == status, (url, response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    template, operation = _operation(url.split("?")[0])
    declared = operation["responses"].get(str(status))
    assert declared is not None, f"{template} does not declare {status}"
    schema = {**declared["content"]["application/json"]["schema"]}
    schema["components"] = document()["components"]
    jsonschema.Draft202012Validator(schema).validate(body)
    if status >= 400:
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    return body
