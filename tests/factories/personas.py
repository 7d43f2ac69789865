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
| `luzhou_reviewer`  | unit_reviewer             | 泸州市 510500                        |
| `chuannan_clerk`   | data_clerk                | 川南经济区                            |
| `chuannan_reviewer`| unit_reviewer             | 川南经济区                            |
| `chengdu_reporter` | reporter                  | 成都市 510100                        |
| `chengdu_planner`  | planner                   | 成都平原经济区 (username cd_planner)  |
| `panxi_planner`    | planner                   | 攀西经济区 (zone:panxi)               |
| `yibin_clerk`      | data_clerk                | 宜宾市 511500                        |
| `yibin_leader`     | leader                    | 宜宾市 511500                        |
| `zigong_reporter`  | reporter                  | 自贡市 510300                        |
| `zigong_reviewer`  | unit_reviewer             | 自贡市 510300                        |
| `panzhihua_reporter` | reporter                | 攀枝花市 510400                      |
| `panzhihua_reviewer` | unit_reviewer           | 攀枝花市 510400                      |
| `transport_reporter` | reporter                | 省交通运输厅 (dept:transport)         |
| `transport_reviewer` | unit_reviewer           | 省交通运输厅 (dept:transport)         |
| `science_reporter` | reporter                  | 省科技厅 (dept:science)               |
| `sysadmin`         | admin (the role)          | 四川省 (not a superuser)              |
| `admin`            | superuser                 | — (`admin_user` is its account)      |
| `anon`             | anonymous visitor         | —                                   |

The provincial planner holds its role on 四川省, not on 省发展改革委: scope is inherited down
the tree, and 省发展改革委 is a department beside the prefectures, not above them, so a role on
it would cover no city (docs/decisions/0002-roles-and-scopes.md). `admin_user` keeps
pytest-django's meaning (the superuser account; `admin_client` is its client).

The organisation units come from the reference-data fixture `orgunits` when it is present;
otherwise the few units the personas need are created here, with the same codes and paths.
自贡市, 攀西经济区, 攀枝花市, 省交通运输厅 and 省科技厅 are made only when a persona on them is
asked for (`_unit`), so the small trees of other folders do not grow units their tests do
not expect.

The implementation slice (tests/factories/implementation_fixtures.py, for tests/tasks,
tests/reports, tests/supervision and tests/implementation) builds its own small unit tree
with the same codes, first; the personas above sit on it (its `persona_units` reuses the
slice's units), so a fixture name means the same person everywhere. The slice's 川南 plan is
planned by `chuannan_planner`.

The browser tests use the same personas: pytest-django's live server reads the test's own
database, so a test asks for `chuannan_planner_user` and signs in as `chuannan_planner`.
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

# Units made on demand, in the same form: code → (name, kind, parent code).
_UNITS_ON_DEMAND: dict[str, tuple[str, str, str]] = {
    "510300": ("自贡市", OrgUnitKind.PREFECTURE, "zone:south-sichuan"),
    "zone:panxi": ("攀西经济区", OrgUnitKind.ZONE, "510000"),
    "510400": ("攀枝花市", OrgUnitKind.PREFECTURE, "zone:panxi"),
    "dept:transport": ("四川省交通运输厅", OrgUnitKind.DEPARTMENT, "510000"),
    "dept:science": ("四川省科学技术厅", OrgUnitKind.DEPARTMENT, "510000"),
}


def _get_or_make(code: str, name: str, kind: str, parent: OrgUnit | None) -> OrgUnit:
    path = f"{parent.path if parent else '/'}{code}/"
    adcode = code if code[0].isdigit() else None
    unit, _ = OrgUnit.objects.get_or_create(
        code=code,
        defaults={"name": name, "kind": kind, "parent": parent, "path": path, "adcode": adcode},
    )
    return unit


def _unit(units: dict[str, OrgUnit], code: str) -> OrgUnit:
    """The unit `code` of `units`, or of `_UNITS_ON_DEMAND` (found or made)."""
    if code not in units:
        name, kind, parent_code = _UNITS_ON_DEMAND[code]
        units[code] = _get_or_make(code, name, kind, _unit(units, parent_code))
    return units[code]


@pytest.fixture
def persona_units(request: pytest.FixtureRequest, db: None) -> dict[str, OrgUnit]:
    """The units the personas and the account tests use, by code."""
    with contextlib.suppress(pytest.FixtureLookupError):  # else: make the few we need
        request.getfixturevalue("orgunits")
    units: dict[str, OrgUnit] = {}
    for code, name, kind, parent_code in _UNITS:
        units[code] = _get_or_make(code, name, kind, units[parent_code] if parent_code else None)
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


@pytest.fixture
def luzhou_reviewer_user(persona_units: dict[str, OrgUnit]) -> User:
    return make_user("luzhou_reviewer", (_unit(persona_units, "510500"), Role.UNIT_REVIEWER))


@pytest.fixture
def luzhou_reviewer(luzhou_reviewer_user: User) -> Client:
    return logged_in(luzhou_reviewer_user)


@pytest.fixture
def chuannan_clerk_user(persona_units: dict[str, OrgUnit]) -> User:
    return make_user(
        "chuannan_clerk", (_unit(persona_units, "zone:south-sichuan"), Role.DATA_CLERK)
    )


@pytest.fixture
def chuannan_clerk(chuannan_clerk_user: User) -> Client:
    return logged_in(chuannan_clerk_user)


@pytest.fixture
def chuannan_reviewer_user(persona_units: dict[str, OrgUnit]) -> User:
    return make_user(
        "chuannan_reviewer", (_unit(persona_units, "zone:south-sichuan"), Role.UNIT_REVIEWER)
    )


@pytest.fixture
def chuannan_reviewer(chuannan_reviewer_user: User) -> Client:
    return logged_in(chuannan_reviewer_user)


@pytest.fixture
def chengdu_planner_user(persona_units: dict[str, OrgUnit]) -> User:
    return make_user("cd_planner", (_unit(persona_units, "zone:chengdu-plain"), Role.PLANNER))


@pytest.fixture
def chengdu_planner(chengdu_planner_user: User) -> Client:
    return logged_in(chengdu_planner_user)


@pytest.fixture
def panxi_planner_user(persona_units: dict[str, OrgUnit]) -> User:
    return make_user("panxi_planner", (_unit(persona_units, "zone:panxi"), Role.PLANNER))


@pytest.fixture
def panxi_planner(panxi_planner_user: User) -> Client:
    return logged_in(panxi_planner_user)


@pytest.fixture
def yibin_clerk_user(persona_units: dict[str, OrgUnit]) -> User:
    return make_user("yibin_clerk", (_unit(persona_units, "511500"), Role.DATA_CLERK))


@pytest.fixture
def yibin_clerk(yibin_clerk_user: User) -> Client:
    return logged_in(yibin_clerk_user)


@pytest.fixture
def yibin_leader_user(persona_units: dict[str, OrgUnit]) -> User:
    return make_user("yibin_leader", (_unit(persona_units, "511500"), Role.LEADER))


@pytest.fixture
def yibin_leader(yibin_leader_user: User) -> Client:
    return logged_in(yibin_leader_user)


@pytest.fixture
def zigong_reporter_user(persona_units: dict[str, OrgUnit]) -> User:
    return make_user("zigong_reporter", (_unit(persona_units, "510300"), Role.REPORTER))


@pytest.fixture
def zigong_reporter(zigong_reporter_user: User) -> Client:
    return logged_in(zigong_reporter_user)


@pytest.fixture
def zigong_reviewer_user(persona_units: dict[str, OrgUnit]) -> User:
    return make_user("zigong_reviewer", (_unit(persona_units, "510300"), Role.UNIT_REVIEWER))


@pytest.fixture
def zigong_reviewer(zigong_reviewer_user: User) -> Client:
    return logged_in(zigong_reviewer_user)


@pytest.fixture
def panzhihua_reporter_user(persona_units: dict[str, OrgUnit]) -> User:
    return make_user("panzhihua_reporter", (_unit(persona_units, "510400"), Role.REPORTER))


@pytest.fixture
def panzhihua_reporter(panzhihua_reporter_user: User) -> Client:
    return logged_in(panzhihua_reporter_user)


@pytest.fixture
def chengdu_reporter_user(persona_units: dict[str, OrgUnit]) -> User:
    return make_user("chengdu_reporter", (persona_units["510100"], Role.REPORTER))


@pytest.fixture
def chengdu_reporter(chengdu_reporter_user: User) -> Client:
    return logged_in(chengdu_reporter_user)


@pytest.fixture
def panzhihua_reviewer_user(persona_units: dict[str, OrgUnit]) -> User:
    return make_user("panzhihua_reviewer", (_unit(persona_units, "510400"), Role.UNIT_REVIEWER))


@pytest.fixture
def panzhihua_reviewer(panzhihua_reviewer_user: User) -> Client:
    return logged_in(panzhihua_reviewer_user)


@pytest.fixture
def sysadmin_user(persona_units: dict[str, OrgUnit]) -> User:
    return make_user("sysadmin", (persona_units["510000"], Role.ADMIN))


@pytest.fixture
def sysadmin(sysadmin_user: User) -> Client:
    return logged_in(sysadmin_user)


@pytest.fixture
def transport_reporter_user(persona_units: dict[str, OrgUnit]) -> User:
    return make_user("transport_reporter", (_unit(persona_units, "dept:transport"), Role.REPORTER))


@pytest.fixture
def transport_reporter(transport_reporter_user: User) -> Client:
    return logged_in(transport_reporter_user)


@pytest.fixture
def transport_reviewer_user(persona_units: dict[str, OrgUnit]) -> User:
    return make_user(
        "transport_reviewer", (_unit(persona_units, "dept:transport"), Role.UNIT_REVIEWER)
    )


@pytest.fixture
def transport_reviewer(transport_reviewer_user: User) -> Client:
    return logged_in(transport_reviewer_user)


@pytest.fixture
def science_reporter_user(persona_units: dict[str, OrgUnit]) -> User:
    return make_user("science_reporter", (_unit(persona_units, "dept:science"), Role.REPORTER))


@pytest.fixture
def science_reporter(science_reporter_user: User) -> Client:
    return logged_in(science_reporter_user)
