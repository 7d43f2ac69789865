"""What accounts answers through hooks of the apps below it (planwatch/core/hooks.py)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from planwatch.accounts.choices import Role


def administrator_addresses() -> list[str]:
    """The e-mail addresses of the active administrators (superusers and holders of the
    administrator role), for mail only they must receive (the audit checkpoints)."""
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(memberships__role=Role.ADMIN))
        .exclude(email="")
        .distinct()
    )
    return sorted({u.email for u in users})
