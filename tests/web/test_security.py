"""Security settings seen from outside: content security policy and other headers, cookie
flags, CSRF, login throttling (django-axes) and argon2 password hashing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from planwatch.accounts import services
from planwatch.accounts.choices import Role
from planwatch.orgunits.models import OrgUnit
from tests.factories.personas import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
ROOT = Path(__file__).resolve().parents[2]


def test_content_security_policy_header(anon: Client) -> None:
    response = anon.get(LOGIN)
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_other_security_headers(anon: Client) -> None:
    response = anon.get(LOGIN)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_templates_have_no_inline_script_or_style() -> None:
    """The policy forbids inline code: no <script> without src, no style attribute or
    <style> element, no on…= event handler in any template."""
    offenders = []
    pattern = re.compile(
        r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle\s*=|\son[a-z]+\s*=", re.IGNORECASE
    )
    comments = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)
    for path in sorted((ROOT / "planwatch").rglob("templates/**/*.html")):
        text = comments.sub("", path.read_text(encoding="utf-8"))
        for match in pattern.finditer(text):
            offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert offenders == []


def test_session_and_csrf_cookies_are_httponly_and_samesite(
    anon: Client, yibin_reporter_user: User
) -> None:
    page = anon.get(LOGIN)
    csrf = page.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"
    response = anon.post(LOGIN, {"username": "yibin_reporter", "password": PASSWORD})
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["samesite"] == "Lax"


def test_secure_cookie_switch_from_the_environment() -> None:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    )
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "planwatch.settings",
        "PLANWATCH_SECURE_COOKIES": "1",
        "PLANWATCH_HSTS_SECONDS": "31536000",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["True", "True", "31536000"]


def test_csrf_is_enforced_on_post(yibin_reporter_user: User, chuannan_planner_user: User) -> None:
    browser = Client(enforce_csrf_checks=True)
    data = {"username": "yibin_reporter", "password": PASSWORD}
    assert browser.post(LOGIN, data).status_code == 403
    token = browser.get(LOGIN).cookies[settings.CSRF_COOKIE_NAME].value
    assert browser.post(LOGIN, data | {"csrfmiddlewaretoken": token}).status_code == 302
    # a logged-in user's state-changing request without the token is refused too
    planner = Client(enforce_csrf_checks=True)
    planner.force_login(chuannan_planner_user)
    target = reverse("accounts:user_set_active", args=[yibin_reporter_user.pk])
    assert planner.post(target, {"is_active": "0"}).status_code == 403
    yibin_reporter_user.refresh_from_db()
    assert yibin_reporter_user.is_active


def test_login_is_throttled_after_repeated_failures(
    anon: Client, yibin_reporter_user: User, luzhou_reporter_user: User
) -> None:
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert anon.post(LOGIN, {"username": "yibin_reporter", "password": "x"}).status_code == 200
    locked = anon.post(LOGIN, {"username": "yibin_reporter", "password": "x"})
    assert locked.status_code == 429
    assert "登录已暂时锁定" in locked.content.decode()
    # now even the right password is refused for this account from this address ...
    right = anon.post(LOGIN, {"username": "yibin_reporter", "password": PASSWORD})
    assert right.status_code == 429 and "_auth_user_id" not in anon.session
    # ... while another account can still log in
    other = Client()
    ok = other.post(LOGIN, {"username": "luzhou_reporter", "password": PASSWORD})
    assert ok.status_code == 302


def test_new_passwords_are_hashed_with_argon2(
    planner_user: User, persona_units: dict[str, OrgUnit]
) -> None:
    user = services.user_create(
        actor=planner_user,
        username="new_one",
        password="Min-jiang-2035",
        org_unit=persona_units["511500"],
        role=Role.REPORTER,
    )
    user.refresh_from_db()
    # argon2id at OWASP's parameters: 19 MiB, 2 passes, 1 lane
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert user.check_password("Min-jiang-2035")


def test_older_hashes_are_upgraded_to_argon2_on_login(
    anon: Client, yibin_reporter_user: User
) -> None:
    yibin_reporter_user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    yibin_reporter_user.save()
    assert anon.post(LOGIN, {"username": "yibin_reporter", "password": PASSWORD}).status_code == 302
    yibin_reporter_user.refresh_from_db()
    assert yibin_reporter_user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_hashes_of_djangos_argon2_parameters_still_sign_in_and_are_upgraded(
    anon: Client, yibin_reporter_user: User
) -> None:
    """Accounts hashed before the change (Django's 100 MiB, 8 lanes) keep working; their hash
    moves to the new parameters at the next sign-in, and a wrong password changes nothing."""
    old = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    assert "$m=102400,t=2,p=8$" in old
    yibin_reporter_user.password = old
    yibin_reporter_user.save()
    wrong = anon.post(LOGIN, {"username": "yibin_reporter", "password": "not-it-2035"})
    assert wrong.status_code == 200
    yibin_reporter_user.refresh_from_db()
    assert yibin_reporter_user.password == old
    assert anon.post(LOGIN, {"username": "yibin_reporter", "password": PASSWORD}).status_code == 302
    yibin_reporter_user.refresh_from_db()
    assert yibin_reporter_user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert yibin_reporter_user.check_password(PASSWORD)


def test_sessions_expire(anon: Client, yibin_reporter_user: User) -> None:
    response = anon.post(LOGIN, {"username": "yibin_reporter", "password": PASSWORD})
    max_age = response.cookies[settings.SESSION_COOKIE_NAME]["max-age"]
    assert int(max_age) == settings.SESSION_COOKIE_AGE <= 24 * 3600
