"""Login lockout behind a reverse proxy and against password spraying (issue 9 item 14).

The client address is taken from X-Forwarded-For only when the peer is a trusted proxy
(PLANWATCH_TRUSTED_PROXIES), so five bad tries through the proxy lock a username for that
client only; and an address is locked once its failures across usernames reach
PLANWATCH_LOGIN_ADDRESS_LIMIT."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client, RequestFactory

from planwatch.core.client_address import client_address
from tests.factories.personas import PASSWORD, make_user

LOGIN = "/accounts/login/"
PROXY = "10.0.0.5"


def _login(username: str, password: str, peer: str, forwarded: str | None = None) -> int:
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    response = Client().post(LOGIN, {"username": username, "password": password}, **extra)
    return response.status_code


def test_the_forwarded_header_counts_only_from_a_trusted_proxy(settings: Any) -> None:
    rf = RequestFactory()
    spoofed = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    settings.PLANWATCH_TRUSTED_PROXIES = []
    assert client_address(spoofed) == "203.0.113.9"
    settings.PLANWATCH_TRUSTED_PROXIES = ["10.0.0.0/8", "::1"]
    assert client_address(spoofed) == "203.0.113.9"  # the peer is not a proxy
    chained = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="9.9.9.9, 1.2.3.4, 10.0.0.7")
    assert client_address(chained) == "1.2.3.4"  # right to left, past trusted hops
    assert client_address(rf.get("/", REMOTE_ADDR=PROXY)) == PROXY
    bad = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_address(bad) == PROXY


@pytest.mark.django_db
def test_behind_a_proxy_five_bad_tries_lock_one_client_not_everyone(
    settings: Any, yibin_reporter_user: User
) -> None:
    settings.PLANWATCH_TRUSTED_PROXIES = ["10.0.0.0/8"]
    limit = settings.AXES_FAILURE_LIMIT
    codes = [_login("yibin_reporter", "wrong", PROXY, "198.51.100.1") for _ in range(limit)]
    assert codes == [200] * (limit - 1) + [429]
    assert _login("yibin_reporter", PASSWORD, PROXY, "198.51.100.1") == 429
    # The same user, through the same proxy, from another client: signs in.
    assert _login("yibin_reporter", PASSWORD, PROXY, "198.51.100.2") == 302


@pytest.mark.django_db
def test_without_a_trusted_proxy_the_header_cannot_dodge_the_lock(
    settings: Any, yibin_reporter_user: User
) -> None:
    settings.PLANWATCH_TRUSTED_PROXIES = []
    limit = settings.AXES_FAILURE_LIMIT
    for i in range(limit):
        _login("yibin_reporter", "wrong", "203.0.113.9", f"198.51.100.{i}")
    assert _login("yibin_reporter", PASSWORD, "203.0.113.9", "198.51.100.200") == 429
    assert _login("yibin_reporter", PASSWORD, "203.0.113.10") == 302


@pytest.mark.django_db
def test_an_address_spraying_passwords_over_usernames_is_locked(
    settings: Any, persona_units: Any
) -> None:
    settings.PLANWATCH_LOGIN_ADDRESS_LIMIT = 8
    names = [f"user{i}" for i in range(5)]
    for name in names:
        make_user(name)
    sprayer = "192.0.2.66"
    # Two bad tries on each of four accounts: below the per-account limit every time; the
    # eighth failure from the address reaches its limit and is answered with the lockout.
    codes = [_login(name, "Spring2026!", sprayer) for name in names[:4] for _ in range(2)]
    assert codes == [200] * 7 + [429]
    # The address has failed 8 times: even a right password is refused from it ...
    assert _login(names[4], PASSWORD, sprayer) == 429
    # ... while the same account signs in from elsewhere.
    assert _login(names[4], PASSWORD, "192.0.2.67") == 302


@pytest.mark.django_db
def test_the_address_limit_can_be_turned_off(settings: Any, persona_units: Any) -> None:
    settings.PLANWATCH_LOGIN_ADDRESS_LIMIT = 0
    for i in range(6):
        make_user(f"u{i}")
        assert _login(f"u{i}", "bad", "192.0.2.70") == 200
    assert _login("u5", PASSWORD, "192.0.2.70") == 302
