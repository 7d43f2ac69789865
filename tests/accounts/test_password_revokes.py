"""A password change or reset ends what the old password opened (issue 9 item 14): the
user's API tokens are revoked (each audited) and their other sessions end; the session that
changed its own password stays signed in."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from planwatch.api.models import ApiToken
from planwatch.api.services import api_token_create
from planwatch.audit.models import AuditEvent
from tests.factories.personas import PASSWORD, logged_in

NEW = "Jian-men-guan-1935"


def _me(client: Client, **headers: str) -> int:
    return client.get("/api/v1/me", **headers).status_code


@pytest.fixture
def tokens(yibin_reporter_user: User) -> list[str]:
    return [api_token_create(user=yibin_reporter_user, name=n, actor=None)[1] for n in "ab"]


def test_changing_ones_own_password_revokes_tokens_and_other_sessions(
    yibin_reporter_user: User, tokens: list[str]
) -> None:
    here = logged_in(yibin_reporter_user)
    elsewhere = logged_in(yibin_reporter_user)
    for secret in tokens:
        assert _me(Client(), HTTP_AUTHORIZATION=f"Bearer {secret}") == 200
    response = here.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    for secret in tokens:
        assert _me(Client(), HTTP_AUTHORIZATION=f"Bearer {secret}") == 401
    assert ApiToken.objects.filter(user=yibin_reporter_user, revoked_at=None).count() == 0
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 2
    assert here.get("/accounts/password/").status_code == 200  # still signed in here
    assert elsewhere.get("/accounts/password/").status_code == 302  # signed out elsewhere
    assert _me(elsewhere) == 401


def test_a_reset_by_an_administrator_revokes_tokens_and_sessions(
    yibin_reporter_user: User, admin_user: User, tokens: list[str]
) -> None:
    theirs = logged_in(yibin_reporter_user)
    admin = logged_in(admin_user)
    response = admin.post(
        f"/accounts/users/{yibin_reporter_user.pk}/password/",
        {"new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    for secret in tokens:
        assert _me(Client(), HTTP_AUTHORIZATION=f"Bearer {secret}") == 401
    assert theirs.get("/accounts/password/").status_code == 302
    revoked = AuditEvent.objects.filter(action="api_token.revoke")
    assert {e.actor_id for e in revoked} == {admin_user.pk}
    # A token made after the reset works.
    fresh = api_token_create(user=yibin_reporter_user, name="c", actor=None)[1]
    assert _me(Client(), HTTP_AUTHORIZATION=f"Bearer {fresh}") == 200


def test_a_refused_change_revokes_nothing(yibin_reporter_user: User, tokens: list[str]) -> None:
    here = logged_in(yibin_reporter_user)
    response = here.post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 200
    assert ApiToken.objects.filter(user=yibin_reporter_user, revoked_at=None).count() == 2
