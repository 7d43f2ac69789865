"""The one persona set of the tests, and the one way to make a persona: an account holding
roles on organisation units (`make_user`) and a test client logged in as it (`logged_in`).

A fixture named after a persona is its logged-in client (`yibin_reporter`); the account is
`<name>_user` (`yibin_reporter_user`). Every persona can log in with `PASSWORD` and has an
address of its own (`<username>@example.cn`), so mail sent to it has somewhere to go. This
module is a plugin of tests/conftest.py, so the personas below serve every folder:

| fixture            | role                      | on                                  |
|--------------------|---------------------------|-------------------------------------|
| `planner`          | planner                   | 四川省 (the whole province)          |
| `chuannan_planner` | planner                   | 川南经济区 (zone:south-sichuan)      |
| `leader`           | leader                    | 四川省                               |
| `chuannan_leader`  | leader                    | 川南经济区 (username cn_leader)      |
| `chengdu_leader`   | leader                    | 成都平原经济区 (username cd_leader)  |
| `yibin_reporter`   | reporter                  | 宜宾市 511500                        |
| `yibin_reviewer`   | unit_reviewer             | 宜宾市 511500                        |
| `luzhou_reporter`  | reporter                  | 泸州市 510500                        |
| `admin`            | superuser                 | — (`admin_user` is its account)      |
| `anon`             | anonymous visitor         | —                                   |

The provincial planner holds its role on 四川省, not on 省发展改革委: scope is inherited down
the tree, and 省发展改革委 is a department beside the prefectures, not above them, so a role on
it would cover no city (docs/decisions/0002-roles-and-scopes.md). `admin_user` keeps
pytest-django's meaning (the superuser account; `admin_client` is its client).

The organisation units come from the reference-data fixture `orgunits` when it is present;
otherwise the few units the personas need are created here, with the same codes and paths.

The implementation slice (tests/factories/implementation_fixtures.py, for tests/tasks,
tests/reports, tests/supervision and tests/implementation) builds its own small unit tree
with the same codes, first; the personas above sit on it (its `persona_units` reuses the
slice's units), so a fixture name means the same person everywhere. The slice's 川南 plan is
planned by `chuannan_planner`.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db.models import Max, QuerySet
from django.test import Client

from planwatch.accounts.choices import Role
from planwatch.accounts.models import Membership
from planwatch.audit.models import AuditEvent
from planwatch.orgunits.choices import OrgUnitKind
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


# code, name, kind, parent code
_UNITS: list[tuple[str, str, str, str | None]] = [
    ("510000", "四川省", OrgUnitKind.PROVINCE, None),
    ("zone:south-sichuan", "川南经济区", OrgUnitKind.ZONE, "510000"),
    ("zone:chengdu-plain", "成都平原经济区", OrgUnitKind.ZONE, "510000"),
    ("511500", "宜宾市", OrgUnitKind.PREFECTURE, "zone:south-sichuan"),
    ("511502", "翠屏区", OrgUnitKind.COUNTY, "511500"),
    ("510500", "泸州市", OrgUnitKind.PREFECTURE, "zone:south-sichuan"),
    ("510100", "成都市", OrgUnitKind.PREFECTURE, "zone:chengdu-plain"),
    ("dept:ndrc", "四川省发展和改革委员会", OrgUnitKind.DEPARTMENT, "510000"),
]


@pytest.fixture
def persona_units(request: pytest.FixtureRequest, db: None) -> dict[str, OrgUnit]:
    """The units the personas and the account tests use, by code."""
    with contextlib.suppress(pytest.FixtureLookupError):  # else: make the few we need
        request.getfixturevalue("orgunits")
    units: dict[str, OrgUnit] = {}
    for code, name, kind, parent_code in _UNITS:
        parent = units[parent_code] if parent_code else None
        path = f"{parent.path if parent else '/'}{code}/"
        adcode = code if code[0].isdigit() else None
        units[code], _ = OrgUnit.objects.get_or_create(
            code=code,
            defaults={"name": name, "kind": kind, "parent": parent, "path": path, "adcode": adcode},
        )
    return units


@pytest.fixture
def new_audit_events(persona_units: dict[str, OrgUnit]) -> Callable[[], QuerySet[AuditEvent]]:
    """Audit events written since the test began, oldest first (loading the reference data
    for the session writes events of its own)."""
    start = AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0
    return lambda: AuditEvent.objects.filter(id__gt=start).order_by("id")


@pytest.fixture
def anon() -> Client:
    return Client()


@pytest.fixture
def planner_user(persona_units: dict[str, OrgUnit]) -> User:
    return make_user("planner", (persona_units["510000"], Role.PLANNER), first_name="省规划处")


@pytest.fixture
def planner(planner_user: User) -> Client:
    return logged_in(planner_user)


@pytest.fixture
def chuannan_planner_user(persona_units: dict[str, OrgUnit]) -> User:
    return make_user("chuannan_planner", (persona_units["zone:south-sichuan"], Role.PLANNER))


@pytest.fixture
def chuannan_planner(chuannan_planner_user: User) -> Client:
    return logged_in(chuannan_planner_user)


@pytest.fixture
def leader_user(persona_units: dict[str, OrgUnit]) -> User:
    return make_user("leader", (persona_units["510000"], Role.LEADER))


@pytest.fixture
def leader(leader_user: User) -> Client:
    return logged_in(leader_user)


@pytest.fixture
def yibin_reporter_user(persona_units: dict[str, OrgUnit]) -> User:
    return make_user("yibin_reporter", (persona_units["511500"], Role.REPORTER))


@pytest.fixture
def yibin_reporter(yibin_reporter_user: User) -> Client:
    return logged_in(yibin_reporter_user)


@pytest.fixture
def yibin_reviewer_user(persona_units: dict[str, OrgUnit]) -> User:
    return make_user("yibin_reviewer", (persona_units["511500"], Role.UNIT_REVIEWER))


@pytest.fixture
def yibin_reviewer(yibin_reviewer_user: User) -> Client:
    return logged_in(yibin_reviewer_user)


@pytest.fixture
def luzhou_reporter_user(persona_units: dict[str, OrgUnit]) -> User:
    return make_user("luzhou_reporter", (persona_units["510500"], Role.REPORTER))


@pytest.fixture
def luzhou_reporter(luzhou_reporter_user: User) -> Client:
    return logged_in(luzhou_reporter_user)


@pytest.fixture
def admin_user(persona_units: dict[str, OrgUnit]) -> User:
    """The superuser (overrides pytest-django's fixture of the same name and meaning)."""
    return make_user("admin", is_superuser=True, is_staff=True)


@pytest.fixture
def admin(admin_user: User) -> Client:
    return logged_in(admin_user)


@pytest.fixture
def chuannan_leader_user(persona_units: dict[str, OrgUnit]) -> User:
    return make_user("cn_leader", (persona_units["zone:south-sichuan"], Role.LEADER))


@pytest.fixture
def chuannan_leader(chuannan_leader_user: User) -> Client:
    return logged_in(chuannan_leader_user)


@pytest.fixture
def chengdu_leader_user(persona_units: dict[str, OrgUnit]) -> User:
    return make_user("cd_leader", (persona_units["zone:chengdu-plain"], Role.LEADER))


@pytest.fixture
def chengdu_leader(chengdu_leader_user: User) -> Client:
    return logged_in(chengdu_leader_user)
