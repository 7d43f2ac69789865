"""Integers beyond 64 bits in a path or a query answer 400 (422 in the API) or 404, never
500 (issue 9 item 14). Every URL pattern of the site is walked; each of its parameters is given an
integer no id column can hold (path), and every id-like query parameter the pages and the
API read is given one too (query), for anonymous visitors, a planner and the superuser."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planwatch.core.middleware import ID_MAX, out_of_range
from tests.api.schema import document

HUGE = st.one_of(
    st.integers(min_value=ID_MAX + 1, max_value=10**40),
    st.integers(min_value=-(10**40), max_value=-ID_MAX - 2),
)
# Query parameters the pages read as ids or numbers (forms, filters, pagination), beside those
# the API document declares.
PAGE_PARAMETERS = [
    "plan_id", "plan", "ids", "parent", "page", "year", "month", "unit", "org_unit", "task",
    "list", "line", "v", "version", "actor", "target_id", "node", "period", "limit", "offset",
]  # fmt: skip


def _routes(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), dict(getattr(p.pattern, "converters", {}))


def _url(route: str, values: dict[str, str]) -> str | None:
    if route.startswith("^") or "(?P" in route:
        return None  # regular-expression catch-alls take no parameters
    out = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)
    return "/" + out


ROUTES = sorted({r: c for r, c in _routes(get_resolver())}.items())
PARAMETERISED = [(r, c) for r, c in ROUTES if c]


def _api_query_parameters() -> list[str]:
    names = set()
    for methods in document()["paths"].values():
        for op in methods.values():
            for param in op.get("parameters", []):
                if param.get("in") == "query" and param["name"] != "q":
                    names.add(param["name"])
    return sorted(names)


QUERY_PARAMETERS = sorted({*PAGE_PARAMETERS, *_api_query_parameters()})


def test_the_walk_covers_the_named_cases() -> None:
    routes = {r for r, _ in ROUTES}
    assert "plans/upload/jobs/<int:job_id>/retry/" in routes
    assert "api/v1/plans/<plan_id>/nodes" in routes
    assert "tasks/" in routes and "plans/upload/jobs/" in routes
    assert {"parent", "plan_id", "ids"} <= set(QUERY_PARAMETERS)
    assert len(PARAMETERISED) > 50


def test_out_of_range() -> None:
    assert out_of_range(ID_MAX + 1) and out_of_range(-ID_MAX - 2) and not out_of_range(ID_MAX)
    assert out_of_range("99999999999999999999") and out_of_range("1,2,99999999999999999999")
    assert not out_of_range("9223372036854775807") and not out_of_range("abc")


@pytest.fixture
def clients(persona_units: Any, planner: Client, admin_user: User) -> list[Client]:
    admin = Client()
    admin.force_login(admin_user)
    return [Client(), planner, admin]


@pytest.mark.parametrize("route,converters", PARAMETERISED, ids=[r for r, _ in PARAMETERISED])
def test_every_path_parameter_refuses_a_huge_integer(
    clients: list[Client], route: str, converters: dict[str, Any]
) -> None:
    huge = str(10**20)
    for name in converters:
        values = dict.fromkeys(converters, "1")
        values[name] = huge
        url = _url(route, values)
        if url is None:
            continue
        for client in clients:
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code < 500, (method, url, response.status_code)
                if isinstance(converters[name], IntConverter) or name.endswith("_id"):
                    assert response.status_code in {302, 400, 403, 404, 405}, (
                        method,
                        url,
                        response.status_code,
                    )


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    route=st.sampled_from(ROUTES),
    name=st.sampled_from(QUERY_PARAMETERS),
    value=HUGE,
    who=st.integers(min_value=0, max_value=2),
    listed=st.booleans(),
)
def test_every_query_parameter_refuses_a_huge_integer(
    clients: list[Client],
    route: tuple[str, dict[str, Any]],
    name: str,
    value: int,
    who: int,
    listed: bool,
) -> None:
    url = _url(route[0], dict.fromkeys(route[1], "1"))
    if url is None:
        return
    raw = f"1,{value}" if listed else str(value)
    response = clients[who].get(url, {name: raw})
    expected = 422 if url.startswith("/api/") else 400  # the API's validation status
    assert response.status_code == expected, (url, name, raw, response.status_code)


@pytest.mark.parametrize(
    "method,url",
    [
        ("get", "/tasks/?plan_id=99999999999999999999"),
        ("get", "/plans/upload/jobs/?ids=1,99999999999999999999"),
        ("post", "/plans/upload/jobs/99999999999999999999/retry/"),
        ("get", "/api/v1/plans/2/nodes?parent=99999999999999999999"),
        ("get", "/api/v1/tasks/99999999999999999999"),
    ],
)
def test_the_probed_addresses(clients: list[Client], method: str, url: str) -> None:
    for client in clients:
        response = getattr(client, method)(url)
        assert response.status_code in {400, 404, 422}, (url, response.status_code)
    api = clients[2].get("/api/v1/plans/2/nodes?parent=99999999999999999999")
    assert api.status_code == 422
    assert api.json()["error"] == {
        "code": "invalid_request",
        "message": "参数“parent”不是有效的编号。",
    }
