"""The account services: each validates, checks its actor and writes one audit event."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, QuerySet

from planwatch.accounts import services
from planwatch.accounts.choices import Role
from planwatch.accounts.models import Membership
from planwatch.audit.models import AuditEvent
from planwatch.audit.services import audit_verify
from planwatch.orgunits.models import OrgUnit
from tests.factories.personas import PASSWORD, make_user

pytestmark = pytest.mark.django_db

Units = dict[str, OrgUnit]


_since: dict[str, int] = {}


@pytest.fixture(autouse=True)
def _audit_start(persona_units: Units) -> None:
    # The session's reference data wrote events of its own before this test began.
    _since["id"] = AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0


def events() -> QuerySet[AuditEvent]:
    """Audit events written by this test, oldest first."""
    return AuditEvent.objects.filter(id__gt=_since["id"]).order_by("id")


GOOD_PASSWORD = "Jinsha-jiang-1999"


def actions() -> list[str]:
    return list(events().values_list("action", flat=True))


def test_user_create_with_a_role_is_audited_twice(
    chuannan_planner_user: User, persona_units: Units
) -> None:
    user = services.user_create(
        actor=chuannan_planner_user,
        username="yibin2",
        password=GOOD_PASSWORD,
        name="张三",
        org_unit=persona_units["511500"],
        role=Role.REPORTER,
    )
    assert user.check_password(GOOD_PASSWORD)
    assert user.password.startswith("argon2")
    assert list(user.memberships.values_list("role", "org_unit__code")) == [("reporter", "511500")]
    assert actions() == ["user.create", "membership.grant"]
    created = events().get(action="user.create")
    assert created.actor_label == "chuannan_planner"
    assert created.new == {"username": "yibin2", "name": "张三", "email": "", "is_active": True}
    assert GOOD_PASSWORD not in str(created.new)
    assert audit_verify()[1] == []


def test_user_create_outside_scope_is_refused_and_changes_nothing(
    chuannan_planner_user: User, persona_units: Units
) -> None:
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor=chuannan_planner_user,
            username="chengdu1",
            password=GOOD_PASSWORD,
            org_unit=persona_units["510100"],
            role=Role.REPORTER,
        )
    with pytest.raises(PermissionDenied):  # a planner must give a role
        services.user_create(actor=chuannan_planner_user, username="x1", password=GOOD_PASSWORD)
    assert not User.objects.filter(username__in=["chengdu1", "x1"]).exists()
    assert actions() == []


@pytest.mark.parametrize(
    ("username", "password", "field"),
    [
        ("", GOOD_PASSWORD, "username"),
        ("planner", GOOD_PASSWORD, "username"),
        ("has space", GOOD_PASSWORD, "username"),
        ("<b>x</b>", GOOD_PASSWORD, "username"),
        ("x" * 151, GOOD_PASSWORD, "username"),
    ],
)
def test_user_create_validates_the_username(
    planner_user: User, persona_units: Units, username: str, password: str, field: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.user_create(
            actor=planner_user,
            username=username,
            password=password,
            org_unit=persona_units["511500"],
            role=Role.REPORTER,
        )
    assert field in exc.value.message_dict


def test_user_create_rejects_weak_passwords(planner_user: User, persona_units: Units) -> None:
    with pytest.raises(ValidationError):
        services.user_create(
            actor=planner_user,
            username="weak",
            password="12345678",
            org_unit=persona_units["511500"],
            role=Role.REPORTER,
        )
    assert not User.objects.filter(username="weak").exists()


def test_system_actor_may_create_a_bare_account() -> None:
    user = services.user_create(actor=None, username="setup-admin", password=None)
    assert not user.has_usable_password()
    event = events().get()
    assert event.actor is None and event.actor_label == "system"


def test_user_set_active(chuannan_planner_user: User, yibin_reporter_user: User) -> None:
    services.user_set_active(actor=chuannan_planner_user, user=yibin_reporter_user, is_active=False)
    yibin_reporter_user.refresh_from_db()
    assert not yibin_reporter_user.is_active
    event = events().get()
    assert (event.action, event.old["is_active"], event.new["is_active"]) == (
        "user.deactivate",
        True,
        False,
    )
    # no change, no event
    services.user_set_active(actor=chuannan_planner_user, user=yibin_reporter_user, is_active=False)
    assert events().count() == 1


def test_user_set_active_refuses_others_and_self(
    chuannan_planner_user: User, leader_user: User
) -> None:
    with pytest.raises(PermissionDenied):
        services.user_set_active(actor=chuannan_planner_user, user=leader_user, is_active=False)
    with pytest.raises(ValidationError):
        services.user_set_active(
            actor=chuannan_planner_user, user=chuannan_planner_user, is_active=False
        )
    assert actions() == []


def test_membership_grant_and_revoke(
    chuannan_planner_user: User, yibin_reporter_user: User, persona_units: Units
) -> None:
    m = services.membership_grant(
        actor=chuannan_planner_user,
        user=yibin_reporter_user,
        org_unit=persona_units["511500"],
        role=Role.UNIT_REVIEWER,
    )
    with pytest.raises(ValidationError):  # twice
        services.membership_grant(
            actor=chuannan_planner_user,
            user=yibin_reporter_user,
            org_unit=persona_units["511500"],
            role=Role.UNIT_REVIEWER,
        )
    services.membership_revoke(actor=chuannan_planner_user, membership=m)
    assert not Membership.objects.filter(pk=m.pk).exists()
    grant, revoke = events()
    assert grant.action == "membership.grant" and revoke.action == "membership.revoke"
    assert revoke.old == {
        "user": "yibin_reporter",
        "org_unit": "511500",
        "org_unit_name": "宜宾市",
        "role": "unit_reviewer",
    }


def test_membership_grant_refusals(
    chuannan_planner_user: User,
    planner_user: User,
    yibin_reporter_user: User,
    leader_user: User,
    persona_units: Units,
) -> None:
    u = persona_units
    cases = [
        (chuannan_planner_user, yibin_reporter_user, u["510100"], Role.REPORTER),  # outside zone
        (chuannan_planner_user, leader_user, u["511500"], Role.REPORTER),  # user outside zone
        (planner_user, yibin_reporter_user, u["510000"], Role.ADMIN),  # admin role
        (yibin_reporter_user, yibin_reporter_user, u["511500"], Role.PLANNER),  # not a planner
    ]
    for actor, user, unit, role in cases:
        with pytest.raises(PermissionDenied):
            services.membership_grant(actor=actor, user=user, org_unit=unit, role=role)
    with pytest.raises(ValidationError):
        services.membership_grant(
            actor=None, user=yibin_reporter_user, org_unit=u["511500"], role=Role.ADMIN
        )
    with pytest.raises(ValidationError):
        services.membership_grant(
            actor=None, user=yibin_reporter_user, org_unit=u["511500"], role="boss"
        )
    assert actions() == []


def test_planner_cannot_revoke_the_last_role(
    chuannan_planner_user: User, yibin_reporter_user: User, admin_user: User
) -> None:
    only = yibin_reporter_user.memberships.get()
    with pytest.raises(ValidationError):
        services.membership_revoke(actor=chuannan_planner_user, membership=only)
    services.membership_revoke(actor=admin_user, membership=only)
    assert not yibin_reporter_user.memberships.exists()


def test_revoke_outside_scope_is_refused(chuannan_planner_user: User, leader_user: User) -> None:
    with pytest.raises(PermissionDenied):
        services.membership_revoke(
            actor=chuannan_planner_user, membership=leader_user.memberships.get()
        )


def test_password_change_by_self_needs_the_old_password(yibin_reporter_user: User) -> None:
    with pytest.raises(ValidationError) as exc:
        services.password_change(
            actor=yibin_reporter_user,
            user=yibin_reporter_user,
            old_password="wrong",
            new_password=GOOD_PASSWORD,
        )
    assert "old_password" in exc.value.message_dict
    services.password_change(
        actor=yibin_reporter_user,
        user=yibin_reporter_user,
        old_password=PASSWORD,
        new_password=GOOD_PASSWORD,
    )
    yibin_reporter_user.refresh_from_db()
    assert yibin_reporter_user.check_password(GOOD_PASSWORD)
    event = events().get()
    assert event.action == "user.password_change" and event.old is None and event.new is None


def test_password_reset_by_a_manager(
    chuannan_planner_user: User, yibin_reporter_user: User, leader_user: User
) -> None:
    services.password_change(
        actor=chuannan_planner_user, user=yibin_reporter_user, new_password=GOOD_PASSWORD
    )
    assert events().get().action == "user.password_reset"
    with pytest.raises(PermissionDenied):
        services.password_change(
            actor=chuannan_planner_user, user=leader_user, new_password=GOOD_PASSWORD
        )
    with pytest.raises(ValidationError):
        services.password_change(
            actor=chuannan_planner_user, user=yibin_reporter_user, new_password="yibin_reporter"
        )


def test_a_failed_service_leaves_no_audit_event(persona_units: Units) -> None:
    make_user("taken")
    with pytest.raises(ValidationError):
        services.user_create(actor=None, username="TAKEN", password=GOOD_PASSWORD)
    assert events().count() == 0


def test_chinese_login_names_are_allowed(planner_user: User, persona_units: Units) -> None:
    user = services.user_create(
        actor=planner_user,
        username="宜宾市发改委.张三",
        password=GOOD_PASSWORD,
        org_unit=persona_units["511500"],
        role=Role.REPORTER,
    )
    assert user.username == "宜宾市发改委.张三"
