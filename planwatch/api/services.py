"""Creating, using and revoking API tokens. Each change writes one audit event."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from planwatch.api.models import ApiToken
from planwatch.audit.services import audit_record
from planwatch.core.types import Actor

TOKEN_PREFIX = "pw_"
# last_used_at is a hint, not a log: write it at most once a minute per token.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def api_token_create(*, user: Any, name: str, actor: Actor) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the secret, which is not kept."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name[:100], token_hash=hash_token(secret), prefix=secret[:10]
        )
        audit_record(
            actor=actor,
            action="api_token.create",
            target_type="api.apitoken",
            target_id=token.pk,
            target_label=str(token),
            new={"user": user.get_username(), "name": token.name, "prefix": token.prefix},
        )
    return token, secret


def api_token_revoke(*, token: ApiToken, actor: Actor) -> bool:
    """Revoke `token`; False when it already was."""
    with transaction.atomic():
        now = timezone.now()
        changed = ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=now)
        if not changed:
            return False
        token.revoked_at = now
        audit_record(
            actor=actor,
            action="api_token.revoke",
            target_type="api.apitoken",
            target_id=token.pk,
            target_label=str(token),
            old={"revoked_at": None},
            new={"revoked_at": now.isoformat()},
        )
    return True


def api_tokens_revoke_on_password_change(*, user: Any, actor: Actor) -> int:
    """Receiver of hooks.password_changed: revoke every active token of `user` (each one
    audited); the number revoked."""
    tokens = list(ApiToken.objects.filter(user=user, revoked_at=None))
    return sum(api_token_revoke(token=token, actor=actor) for token in tokens)


def api_token_authenticate(secret: str) -> Any | None:
    """The active user a token secret belongs to, or None (unknown, revoked, inactive user)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(secret), revoked_at=None, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
