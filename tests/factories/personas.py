"""The one way the tests make a persona: an account holding roles on organisation units
(`make_user`) and a test client logged in as it (`logged_in`).

Every set of named personas is built from these two on its own units: the reference units
(tests/factories/web_personas.py, for every folder), tests/dashboards (its conftest) and the
implementation slice (tests/factories/implementation_fixtures.py, for tests/tasks,
tests/reports, tests/supervision and tests/implementation). A fixture named after a
persona is its logged-in client (`yibin_reporter`); the account is `<name>_user`
(`yibin_reporter_user`).

Every persona can log in with `PASSWORD` and has an address of its own
(`<username>@example.cn`), so mail sent to it has somewhere to go.
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.test import Client

from planwatch.accounts.choices import Role
from planwatch.accounts.models import Membership
from planwatch.orgunits.models import OrgUnit

PASSWORD = "Shu-dao-nan-2021"

Grant = tuple[OrgUnit, Role]


@functools.cache
def _password_hash() -> str:
    # Hashed once per run with the first configured hasher (argon2): hashing is slow on purpose.
    return make_password(PASSWORD)


def make_user(username: str, *grants: Grant, **extra: Any) -> User:
    """An account with the known test password holding each (unit, role) of `grants` as a
    membership; `extra` sets other User fields (`first_name`, `is_superuser`, `email`, …)."""
    fields: dict[str, Any] = {"email": f"{username}@example.cn", **extra}
    user = User.objects.create(username=username, password=_password_hash(), **fields)
    for org_unit, role in grants:
        Membership.objects.create(user=user, org_unit=org_unit, role=role)
    return user


def logged_in(user: User) -> Client:
    """A test client with `user`'s session."""
    client = Client()
    client.force_login(user)
    return client
