"""Who may call what: anonymous, session, token, bad token, revoked token, and the
wrong-unit case on the members endpoint."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client

from planwatch.api.models import ApiToken
from planwatch.api.services import api_token_create, api_token_revoke
from planwatch.audit.models import AuditEvent
from tests.api.schema import check
from tests.factories.search import PlanFixture, make_corpus, unit

pytestmark = pytest.mark.django_db

PUBLIC = ["/api/v1/plans", "/api/v1/places", "/api/v1/orgunits", "/api/v1/search?q=高铁"]
SIGNED_IN = ["/api/v1/me", "/api/v1/tokens"]


@pytest.fixture
def corpus(persona_units: object) -> dict[str, PlanFixture]:
    return make_corpus()


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def yibin_token(yibin_reporter_user: User) -> str:
    return api_token_create(user=yibin_reporter_user, name="nightly export", actor=None)[1]


@pytest.mark.parametrize("url", PUBLIC)
def test_anonymous_may_read_public_endpoints(
    anon: Client, corpus: dict[str, PlanFixture], url: str
) -> None:
    check(anon, url)


@pytest.mark.parametrize("url", [*SIGNED_IN, "/api/v1/orgunits/511500/members"])
def test_anonymous_gets_401_on_signed_in_endpoints(
    anon: Client, persona_units: object, url: str
) -> None:
    response = anon.get(url)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")
    check(anon, url, 401)


def test_token_authenticates_a_script(anon: Client, yibin_token: str) -> None:
    body = check(anon, "/api/v1/me", **bearer(yibin_token))
    assert body["username"] == "yibin_reporter"
    assert [(m["org_unit"]["name"], m["role"]) for m in body["memberships"]] == [
        ("宜宾市", "reporter")
    ]
    token = ApiToken.objects.get()
    assert token.last_used_at is not None


def test_session_authenticates_the_browser(yibin_reporter: Client) -> None:
    assert check(yibin_reporter, "/api/v1/me")["username"] == "yibin_reporter"


@pytest.mark.parametrize("url", PUBLIC + SIGNED_IN)
@pytest.mark.parametrize(
    "header",
    ["Bearer pw_not-a-real-token", "Bearer ", "Bearer", "Basic dXNlcjpwYXNz", "Token x"],
)
def test_a_bad_token_is_refused_everywhere(
    anon: Client, persona_units: object, url: str, header: str
) -> None:
    body = check(anon, url, 401, HTTP_AUTHORIZATION=header)
    assert body["error"]["message"] == "invalid or revoked token"


def test_a_bad_token_is_refused_even_with_a_session(yibin_reporter: Client) -> None:
    check(yibin_reporter, "/api/v1/me", 401, **bearer("pw_wrong"))


def test_a_revoked_token_is_refused(anon: Client, yibin_token: str) -> None:
    check(anon, "/api/v1/me", 200, **bearer(yibin_token))
    assert api_token_revoke(token=ApiToken.objects.get(), actor=None) is True
    assert api_token_revoke(token=ApiToken.objects.get(), actor=None) is False
    check(anon, "/api/v1/me", 401, **bearer(yibin_token))
    check(anon, "/api/v1/plans", 401, **bearer(yibin_token))


def test_an_inactive_users_token_is_refused(
    anon: Client, yibin_token: str, yibin_reporter_user: User
) -> None:
    yibin_reporter_user.is_active = False
    yibin_reporter_user.save()
    check(anon, "/api/v1/me", 401, **bearer(yibin_token))


def test_only_the_hash_is_stored_and_creation_is_audited(
    yibin_reporter_user: User, yibin_token: str
) -> None:
    token = ApiToken.objects.get()
    assert token.token_hash == hashlib.sha256(yibin_token.encode()).hexdigest()
    assert yibin_token not in str(token.__dict__)
    event = AuditEvent.objects.get(action="api_token.create")
    assert yibin_token not in str(event.new)


def test_token_list_shows_only_own_tokens_and_never_secrets(
    anon: Client, yibin_token: str, luzhou_reporter_user: User
) -> None:
    api_token_create(user=luzhou_reporter_user, name="luzhou", actor=None)
    body = check(anon, "/api/v1/tokens", **bearer(yibin_token))
    assert [t["name"] for t in body["items"]] == ["nightly export"]
    assert yibin_token not in str(body)
    assert body["items"][0]["prefix"] == yibin_token[:10]


def test_api_token_command_prints_the_token_once(yibin_reporter_user: User) -> None:
    out, err = StringIO(), StringIO()
    call_command("api_token", "create", "yibin_reporter", "--name", "cron", stdout=out, stderr=err)
    secret = out.getvalue().strip()
    assert secret.startswith("pw_") and len(secret) > 40
    assert "shown only now" in err.getvalue()
    token = ApiToken.objects.get(name="cron")
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    listing = StringIO()
    call_command("api_token", "list", "yibin_reporter", stdout=listing)
    assert "cron" in listing.getvalue() and secret not in listing.getvalue()
    call_command("api_token", "revoke", str(token.pk), stdout=StringIO())
    token.refresh_from_db()
    assert token.revoked_at is not None
    with pytest.raises(CommandError):
        call_command("api_token", "create", "nobody")
    with pytest.raises(CommandError):
        call_command("api_token", "revoke", "999999")


# Members of a unit: only within the caller's own scope (superusers everywhere); a unit out
# of scope looks exactly like one that does not exist.


@pytest.mark.parametrize(
    "persona", ["planner", "chuannan_planner", "leader", "admin", "yibin_reporter"]
)
def test_members_of_yibin_allowed(
    request: pytest.FixtureRequest, persona: str, yibin_reporter_user: User
) -> None:
    client: Client = request.getfixturevalue(persona)
    code = unit("宜宾市").code
    body = check(client, f"/api/v1/orgunits/{code}/members")
    assert ("yibin_reporter", "reporter") in {(m["username"], m["role"]) for m in body["items"]}


def test_members_of_another_unit_look_missing(
    luzhou_reporter: Client, yibin_reporter_user: User
) -> None:
    yibin = unit("宜宾市").code
    denied = check(luzhou_reporter, f"/api/v1/orgunits/{yibin}/members", 404)
    missing = check(luzhou_reporter, "/api/v1/orgunits/no-such-unit/members", 404)
    assert denied == missing


def test_members_with_a_token_follow_the_same_rules(
    anon: Client, yibin_token: str, luzhou_reporter_user: User
) -> None:
    luzhou = unit("泸州市").code
    check(anon, f"/api/v1/orgunits/{luzhou}/members", 404, **bearer(yibin_token))
    county = unit("翠屏区").code  # below 宜宾: in the reporter's scope
    check(anon, f"/api/v1/orgunits/{county}/members", 200, **bearer(yibin_token))


def test_a_zone_planner_sees_members_only_in_the_zone(
    chuannan_planner: Client, yibin_reporter_user: User
) -> None:
    check(chuannan_planner, f"/api/v1/orgunits/{unit('泸州市').code}/members", 200)
    check(chuannan_planner, f"/api/v1/orgunits/{unit('成都市').code}/members", 404)
