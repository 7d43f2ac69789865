"""Who is calling the API: a script with `Authorization: Bearer <token>`, or a browser with
its session cookie. Public endpoints also let anonymous callers in; a token that is sent
but not valid is refused everywhere, so a script learns at once that its token is wrong."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from planwatch.api.services import api_token_authenticate


class TokenAuth(HttpBearer):
    """Bearer token first, then the session. With `anonymous=True` a caller with neither
    gets through as AnonymousUser (an instance is truthy, which is what django-ninja asks
    of a successful authentication)."""

    openapi_description = (
        "An API token created with `planwatch api_token create USERNAME`, sent as "
        "`Authorization: Bearer <token>`. Browsers may use their session instead."
    )

    def __init__(self, *, anonymous: bool) -> None:
        super().__init__()
        self.anonymous = anonymous

    def __call__(self, request: HttpRequest) -> Any | None:
        # A present but empty (or blank) header is treated as no header at all: the caller is
        # then whoever the session says, and the session's CSRF check applies (require_csrf).
        header = (request.headers.get(self.header) or "").strip()
        if header:
            scheme, _, secret = header.partition(" ")
            user = None
            if scheme.lower() == "bearer":
                user = self.authenticate(request, secret.strip())
            if user is None:
                raise AuthenticationError(401, "invalid or revoked token")
            request.token_authenticated = True  # type: ignore[attr-defined]
            return user
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return AnonymousUser() if self.anonymous else None

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        return api_token_authenticate(token)


public = TokenAuth(anonymous=True)
signed_in = TokenAuth(anonymous=False)


def caller(request: HttpRequest) -> Any:
    """The user an endpoint runs for (AnonymousUser on public endpoints without one)."""
    return getattr(request, "auth", None) or AnonymousUser()
