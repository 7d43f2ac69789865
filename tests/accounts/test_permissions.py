"""The access predicates: scope inherited down the unit tree, superusers, inactive accounts,
and the cost of asking (one query per user object)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import (
    can_grant,
    can_manage_user,
    can_manage_users,
    forget_memberships,
    grantable_roles,
    has_role,
    is_admin,
    is_planner,
    manageable_units,
    minimal_paths,
    scope_q,
    units_for,
)
from planwatch.orgunits.models import OrgUnit
from tests.factories.personas import make_user

pytestmark = pytest.mark.django_db

Units = dict[str, OrgUnit]


def test_role_on_a_unit_covers_the_units_below(
    yibin_reporter_user: User, persona_units: Units
) -> None:
    u = persona_units
    assert has_role(yibin_reporter_user, Role.REPORTER, u["511500"])
    assert has_role(yibin_reporter_user, Role.REPORTER, u["511502"])  # 翠屏区, below 宜宾
    assert not has_role(yibin_reporter_user, Role.REPORTER, u["510500"])  # 泸州
    assert not has_role(yibin_reporter_user, Role.REPORTER, u["zone:south-sichuan"])  # above
    assert not has_role(yibin_reporter_user, Role.UNIT_REVIEWER, u["511500"])
    assert has_role(yibin_reporter_user, Role.REPORTER)
    assert not has_role(yibin_reporter_user, Role.PLANNER)


def test_zone_planner_covers_its_prefectures_only(
    chuannan_planner_user: User, persona_units: Units
) -> None:
    u = persona_units
    for code in ["zone:south-sichuan", "511500", "511502", "510500"]:
        assert has_role(chuannan_planner_user, Role.PLANNER, u[code]), code
    for code in ["510000", "510100", "zone:chengdu-plain", "dept:ndrc"]:
        assert not has_role(chuannan_planner_user, Role.PLANNER, u[code]), code


def test_provincial_planner_covers_everything(planner_user: User, persona_units: Units) -> None:
    assert all(has_role(planner_user, Role.PLANNER, unit) for unit in persona_units.values())
    assert set(units_for(planner_user, Role.PLANNER)) == set(OrgUnit.objects.all())


def test_units_for_lists_the_subtree(chuannan_planner_user: User, persona_units: Units) -> None:
    zone = persona_units["zone:south-sichuan"]
    units = units_for(chuannan_planner_user, Role.PLANNER)
    codes = set(units.values_list("code", flat=True))
    assert {"zone:south-sichuan", "511500", "511502", "510500"} <= codes
    assert "510100" not in codes and "510000" not in codes
    assert set(units) == set(OrgUnit.objects.filter(path__startswith=zone.path))
    assert not units_for(chuannan_planner_user, Role.REPORTER).exists()


def test_anonymous_and_inactive_hold_nothing(
    yibin_reporter_user: User, persona_units: Units
) -> None:
    anon = AnonymousUser()
    assert not has_role(anon, Role.REPORTER)
    assert not units_for(anon, Role.REPORTER).exists()
    assert not is_planner(anon) and not can_manage_users(anon)
    yibin_reporter_user.is_active = False
    assert not has_role(yibin_reporter_user, Role.REPORTER, persona_units["511500"])


def test_superuser_holds_every_role(admin_user: User, persona_units: Units) -> None:
    assert has_role(admin_user, Role.REPORTER, persona_units["510500"])
    assert is_admin(admin_user) and is_planner(admin_user)
    assert scope_q(admin_user, Role.REPORTER) is None
    assert units_for(admin_user, Role.LEADER).count() == OrgUnit.objects.count()
    assert set(grantable_roles(admin_user)) == set(Role)


def test_one_query_per_user_however_many_questions(
    chuannan_planner_user: User, persona_units: Units
) -> None:
    user = User.objects.get(pk=chuannan_planner_user.pk)
    with CaptureQueriesContext(connection) as queries:
        for unit in persona_units.values():
            has_role(user, Role.PLANNER, unit)
            has_role(user, Role.REPORTER, unit)
        is_planner(user)
        can_grant(user, persona_units["511500"], Role.REPORTER)
    assert len(queries) == 1


def test_memo_is_dropped_after_a_change(yibin_reporter_user: User, persona_units: Units) -> None:
    from planwatch.accounts.models import Membership

    assert not has_role(yibin_reporter_user, Role.LEADER)
    Membership.objects.create(
        user=yibin_reporter_user, org_unit=persona_units["511500"], role=Role.LEADER
    )
    forget_memberships(yibin_reporter_user)
    assert has_role(yibin_reporter_user, Role.LEADER, persona_units["511502"])


def test_minimal_paths_drops_covered_descendants() -> None:
    assert minimal_paths(["/a/b/", "/a/", "/c/", "/a/b/d/"]) == ["/a/", "/c/"]


def test_scope_q_filters_other_models_by_unit_path(
    chuannan_planner_user: User, yibin_reporter_user: User
) -> None:
    q = scope_q(yibin_reporter_user, Role.REPORTER)
    assert q is not None
    yibin = OrgUnit.objects.get(code="511500")
    assert set(OrgUnit.objects.filter(q)) == set(
        OrgUnit.objects.filter(path__startswith=yibin.path)
    )
    assert {"511500", "511502"} <= set(OrgUnit.objects.filter(q).values_list("code", flat=True))
    nothing = scope_q(yibin_reporter_user, Role.PLANNER)
    assert nothing is not None and not OrgUnit.objects.filter(nothing).exists()


def test_planner_grants_inside_scope_only(
    chuannan_planner_user: User, planner_user: User, persona_units: Units
) -> None:
    u = persona_units
    assert can_grant(chuannan_planner_user, u["511500"], Role.REPORTER)
    assert not can_grant(chuannan_planner_user, u["510100"], Role.REPORTER)
    assert not can_grant(chuannan_planner_user, u["511500"], Role.ADMIN)
    assert not can_grant(planner_user, u["510000"], Role.ADMIN)
    assert Role.ADMIN not in grantable_roles(planner_user)
    managed = set(manageable_units(chuannan_planner_user))
    assert {u["zone:south-sichuan"], u["511500"], u["511502"], u["510500"]} <= managed
    assert u["510100"] not in managed and u["dept:ndrc"] not in managed


def test_who_manages_whom(
    chuannan_planner_user: User,
    planner_user: User,
    yibin_reporter_user: User,
    luzhou_reporter_user: User,
    leader_user: User,
    admin_user: User,
    persona_units: Units,
) -> None:
    assert can_manage_user(chuannan_planner_user, yibin_reporter_user)
    assert can_manage_user(chuannan_planner_user, luzhou_reporter_user)
    assert not can_manage_user(chuannan_planner_user, leader_user)  # leader of the province
    assert not can_manage_user(chuannan_planner_user, planner_user)
    assert can_manage_user(planner_user, chuannan_planner_user)
    assert not can_manage_user(planner_user, admin_user)
    assert not can_manage_user(yibin_reporter_user, luzhou_reporter_user)
    # a user with one role outside the planner's scope is out of reach entirely
    both = make_user(
        "both", (persona_units["511500"], Role.REPORTER), (persona_units["510100"], Role.REPORTER)
    )
    assert not can_manage_user(chuannan_planner_user, both)
    # an account without any role is left to the administrators
    bare = make_user("bare")
    assert not can_manage_user(planner_user, bare)
    admin_role = make_user("sysadmin", (persona_units["510000"], Role.ADMIN))
    assert is_admin(admin_role) and can_manage_user(admin_role, bare)
    assert not can_manage_user(admin_role, admin_user)
