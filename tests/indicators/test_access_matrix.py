"""Every page and endpoint of the indicators app, checked three ways: an anonymous visitor,
a signed-in user outside the scope, and the persona the page is for. Public pages answer
everyone (showing confirmed indicators and verified values only); the rest send anonymous
visitors to the login page and answer 404 to outsiders, changing nothing. A new URL in the
`indicators` namespace fails `test_every_page_is_in_the_matrix` until it is added here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from planwatch.audit.models import AuditEvent
from planwatch.indicators.models import Indicator, Observation
from planwatch.indicators.services import observation_create
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from tests.factories.personas import logged_in, make_user
from tests.indicators.helpers import south_gdp

pytestmark = pytest.mark.django_db


@dataclass
class World:
    plan: Plan
    zone: OrgUnit
    gdp: Indicator
    draft: Indicator
    rel: Indicator
    obs: Observation
    users: dict[str, User]


@dataclass(frozen=True)
class Page:
    name: str
    args: Callable[[World], list[Any]]
    allowed: str
    denied: str | None  # None: a public page, nobody is denied
    method: str = "get"


PAGES = [
    Page("index", lambda w: [], "anonymous", None),
    Page("matrix", lambda w: [w.zone.code], "anonymous", None),
    Page("detail", lambda w: [w.gdp.pk], "anonymous", None),
    Page("detail", lambda w: [w.draft.pk], "planner", "yibin_clerk"),
    Page("plan_drafts", lambda w: [w.plan.slug], "planner", "yibin_clerk"),
    Page("plan_drafts", lambda w: [w.plan.slug], "planner", "yibin_clerk", "post"),
    Page("action", lambda w: [w.draft.pk, "confirm"], "planner", "yibin_clerk", "post"),
    Page("import", lambda w: [], "clerk", "planner"),
    Page("observation_add", lambda w: [w.gdp.pk], "clerk", "reviewer_elsewhere", "post"),
    Page("observation_verify", lambda w: [w.obs.pk], "reviewer", "yibin_clerk", "post"),
]


@pytest.fixture
def world(
    south: Plan,
    zone: OrgUnit,
    chuannan_planner_user: User,
    chuannan_clerk_user: User,
    chuannan_reviewer_user: User,
    yibin_clerk_user: User,
    panzhihua_reviewer_user: User,
) -> World:
    gdp = south_gdp(south, chuannan_planner_user)
    draft = Indicator.objects.create(plan=south, place=zone, name="草稿指标", target_value=1.0)
    rel = Indicator.objects.create(
        plan=south,
        place=zone,
        name="居民人均可支配收入增速",
        kind="relative",
        status="confirmed",
        target_year=2025,
    )
    obs = observation_create(
        indicator=gdp, place=zone, year=2021, value=8761.0, actor=chuannan_clerk_user, source="x"
    )
    elsewhere = panzhihua_reviewer_user
    users = {
        "planner": chuannan_planner_user,
        "clerk": chuannan_clerk_user,
        "reviewer": chuannan_reviewer_user,
        "yibin_clerk": yibin_clerk_user,
        "reviewer_elsewhere": elsewhere,
        "visitor": make_user("visitor"),
    }
    return World(south, zone, gdp, draft, rel, obs, users)


def _client(w: World, who: str) -> Client:
    return Client() if who == "anonymous" else logged_in(w.users[who])


def _call(client: Client, page: Page, w: World) -> Any:
    url = reverse(f"indicators:{page.name}", args=page.args(w))
    return client.post(url, {}) if page.method == "post" else client.get(url)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: f"{p.method}-{p.name}")
def test_page_access(page: Page, world: World) -> None:
    if page.denied is not None:
        before = AuditEvent.objects.count()
        anonymous = _call(Client(), page, world)
        assert anonymous.status_code in (302, 404)
        if anonymous.status_code == 302:
            assert "/accounts/login" in anonymous["Location"]
        assert _call(_client(world, page.denied), page, world).status_code == 404
        assert AuditEvent.objects.count() == before  # nothing changed
    response = _call(_client(world, page.allowed), page, world)
    assert response.status_code in (200, 302)


def test_public_pages_hide_unverified_values(world: World) -> None:
    page = Client().get(reverse("indicators:detail", args=[world.gdp.pk])).content.decode()
    assert "8761.0" not in page
    inside = logged_in(world.users["clerk"]).get(reverse("indicators:detail", args=[world.gdp.pk]))
    assert "8761.0" in inside.content.decode()


def test_every_page_is_in_the_matrix() -> None:
    resolver = get_resolver()
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "indicators":
            names |= {p.name for p in pattern.url_patterns if p.name}  # type: ignore[union-attr]
    assert names == {p.name for p in PAGES}


API = [
    # anonymous callers read published indicators at /api/v1/public/observations
    ("get", "/api/v1/indicators", "anonymous", 401),
    ("get", "/api/v1/indicators", "visitor", 200),
    ("get", "/api/v1/indicators/{gdp}", "anonymous", 401),
    ("get", "/api/v1/indicators/{gdp}", "visitor", 200),
    ("get", "/api/v1/indicators/{draft}", "anonymous", 401),
    ("get", "/api/v1/indicators/{draft}", "visitor", 404),
    ("get", "/api/v1/indicators/{draft}", "yibin_clerk", 404),
    ("get", "/api/v1/indicators/{draft}", "planner", 200),
    ("get", "/api/v1/indicators/{gdp}/observations", "anonymous", 401),
    ("get", "/api/v1/indicators/{gdp}/observations", "visitor", 200),
    ("post", "/api/v1/indicators/{gdp}/observations", "anonymous", 401),
    ("post", "/api/v1/indicators/{gdp}/observations", "yibin_clerk", 403),
    ("post", "/api/v1/indicators/{draft}/observations", "clerk", 404),
    ("post", "/api/v1/indicators/{gdp}/observations", "clerk", 201),
    ("post", "/api/v1/indicators/import", "anonymous", 401),
    ("get", "/api/v1/indicators/{gdp}/benchmarks", "anonymous", 401),
    ("get", "/api/v1/indicators/{gdp}/benchmarks", "visitor", 200),
    ("get", "/api/v1/indicators/{draft}/benchmarks", "anonymous", 401),
    ("get", "/api/v1/indicators/{draft}/benchmarks", "visitor", 404),
    ("get", "/api/v1/indicators/{draft}/benchmarks", "planner", 200),
    ("post", "/api/v1/indicators/{rel}/benchmarks", "anonymous", 401),
    ("post", "/api/v1/indicators/{rel}/benchmarks", "clerk", 404),
    ("post", "/api/v1/indicators/{rel}/benchmarks", "yibin_clerk", 404),
    ("post", "/api/v1/indicators/{gdp}/benchmarks", "planner", 422),
    ("post", "/api/v1/indicators/{rel}/benchmarks", "planner", 201),
]


@pytest.mark.parametrize(("method", "path", "who", "status"), API)
def test_api_access(method: str, path: str, who: str, status: int, world: World) -> None:
    import json

    from planwatch.api.services import api_token_create

    url = path.format(gdp=world.gdp.pk, draft=world.draft.pk, rel=world.rel.pk)
    headers = {}
    if who != "anonymous":
        secret = api_token_create(user=world.users[who], name="m", actor=None)[1]
        headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    body = {"place": world.zone.code, "year": 2022, "value": 9000.0, "source": "公报"}
    before = AuditEvent.objects.count()
    client = Client()
    if method == "get":
        response = client.get(url, **headers)
    else:
        response = client.post(url, json.dumps(body), "application/json", **headers)
    assert response.status_code == status
    if method == "post" and status >= 400:
        assert AuditEvent.objects.count() == before  # a refusal changes nothing
