"""Accounts in the Django admin: superusers manage everything, changes are audited (role
changes through the services), accounts are never deleted, staff planners see only their
scope, and nobody else gets in."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db.models import Max, QuerySet
from django.test import Client

from planwatch.accounts.choices import Role
from planwatch.accounts.models import Membership
from planwatch.audit.models import AuditEvent
from planwatch.orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db

Units = dict[str, OrgUnit]
USERS = "/admin/auth/user/"
_since: dict[str, int] = {}


@pytest.fixture(autouse=True)
def _audit_start(persona_units: Units) -> None:
    _since["id"] = AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0


def events() -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(id__gt=_since["id"]).order_by("id")


def change_data(user: User, **extra: object) -> dict[str, object]:
    """The user change form as the admin posts it, with the memberships inline."""
    memberships = list(user.memberships.order_by("pk"))
    data: dict[str, object] = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "memberships-TOTAL_FORMS": str(len(memberships) + 1),
        "memberships-INITIAL_FORMS": str(len(memberships)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for i, m in enumerate(memberships):
        data[f"memberships-{i}-id"] = str(m.pk)
        data[f"memberships-{i}-user"] = str(user.pk)
    data[f"memberships-{len(memberships)}-user"] = str(user.pk)
    data.update(extra)
    return data


def test_anonymous_and_non_staff_are_kept_out(anon: Client, chuannan_planner: Client) -> None:
    for client in (anon, chuannan_planner):
        response = client.get(USERS)
        assert response.status_code == 302 and "/admin/login/" in response.url


def test_superuser_lists_and_opens_accounts(admin: Client, yibin_reporter_user: User) -> None:
    assert "yibin_reporter" in admin.get(USERS).content.decode()
    page = admin.get(f"{USERS}{yibin_reporter_user.pk}/change/")
    assert page.status_code == 200 and "宜宾市" in page.content.decode()


def test_admin_changes_are_audited(admin: Client, yibin_reporter_user: User) -> None:
    url = f"{USERS}{yibin_reporter_user.pk}/change/"
    response = admin.post(url, change_data(yibin_reporter_user, first_name="赵六"))
    assert response.status_code == 302, response.content.decode()[:2000]
    event = events().get()
    assert event.action == "user.admin_change" and event.new["name"] == "赵六"


def test_memberships_in_the_admin_go_through_the_services(
    admin: Client, yibin_reporter_user: User, persona_units: Units
) -> None:
    url = f"{USERS}{yibin_reporter_user.pk}/change/"
    extra = {"memberships-1-org_unit": persona_units["511500"].pk, "memberships-1-role": "leader"}
    assert admin.post(url, change_data(yibin_reporter_user, **extra)).status_code == 302
    assert yibin_reporter_user.memberships.filter(role="leader").exists()
    assert "membership.grant" in events().values_list("action", flat=True)
    reporter = yibin_reporter_user.memberships.get(role="reporter")
    data = change_data(yibin_reporter_user)
    index = list(yibin_reporter_user.memberships.order_by("pk")).index(reporter)
    data[f"memberships-{index}-DELETE"] = "on"
    assert admin.post(url, data).status_code == 302
    assert not Membership.objects.filter(pk=reporter.pk).exists()
    assert "membership.revoke" in events().values_list("action", flat=True)


def test_accounts_are_never_deleted_in_the_admin(admin: Client, yibin_reporter_user: User) -> None:
    response = admin.post(f"{USERS}{yibin_reporter_user.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert User.objects.filter(pk=yibin_reporter_user.pk).exists()


def test_password_change_in_the_admin_is_audited(admin: Client, yibin_reporter_user: User) -> None:
    url = f"{USERS}{yibin_reporter_user.pk}/password/"
    data = {"password1": "Jinsha-jiang-1999", "password2": "Jinsha-jiang-1999"}
    response = admin.post(url, data | {"usable_password": "true"})
    assert response.status_code == 302
    yibin_reporter_user.refresh_from_db()
    assert yibin_reporter_user.check_password("Jinsha-jiang-1999")
    assert events().get().action == "user.admin_change"


def test_staff_planner_sees_only_their_scope(
    chuannan_planner_user: User,
    yibin_reporter_user: User,
    leader_user: User,
    admin_user: User,
) -> None:
    chuannan_planner_user.is_staff = True
    chuannan_planner_user.save()
    client = Client()
    client.force_login(chuannan_planner_user)
    listing = client.get(USERS).content.decode()
    assert "yibin_reporter" in listing and ">leader<" not in listing
    assert client.get(f"{USERS}{leader_user.pk}/change/").status_code != 200
    assert client.get(f"{USERS}{admin_user.pk}/change/").status_code != 200
    page = client.get(f"{USERS}{yibin_reporter_user.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page and 'name="is_staff"' not in page
    assert client.get(f"{USERS}add/").status_code == 403


def test_membership_admin_grants_through_the_service(
    admin: Client, yibin_reporter_user: User, persona_units: Units
) -> None:
    data = {
        "user": yibin_reporter_user.pk,
        "org_unit": persona_units["511502"].pk,
        "role": Role.DATA_STEWARD.value,
    }
    assert admin.post("/admin/accounts/membership/add/", data).status_code == 302
    assert events().get().action == "membership.grant"


def test_membership_admin_refuses_admin_role_below_the_root(
    admin: Client, yibin_reporter_user: User, persona_units: Units
) -> None:
    data = {"user": yibin_reporter_user.pk, "org_unit": persona_units["511500"].pk, "role": "admin"}
    response = admin.post("/admin/accounts/membership/add/", data)
    assert response.status_code == 200 and "顶级单位" in response.content.decode()
    assert not events().exists()
