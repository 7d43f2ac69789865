"""Login, logout, password change and 用户管理 pages — anonymous, wrong unit or role, allowed."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db.models import Max, QuerySet
from django.test import Client
from django.urls import reverse

from planwatch.accounts.choices import Role
from planwatch.accounts.models import Membership
from planwatch.audit.models import AuditEvent
from planwatch.orgunits.models import OrgUnit
from tests.factories.personas import PASSWORD

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


NEW_PASSWORD = "Jinsha-jiang-1999"


def is_login_redirect(response: object) -> bool:
    url = getattr(response, "url", "")
    return getattr(response, "status_code", 0) == 302 and url.startswith(reverse("accounts:login"))


# --- login, logout, password change ----------------------------------------------------------


def test_login_page_and_successful_login(anon: Client, yibin_reporter_user: User) -> None:
    page = anon.get(reverse("accounts:login"))
    assert page.status_code == 200
    assert "登录名" in page.content.decode()
    response = anon.post(
        reverse("accounts:login"),
        {"username": "yibin_reporter", "password": PASSWORD, "next": "/accounts/password/"},
    )
    assert response.status_code == 302 and response.url == "/accounts/password/"
    assert anon.get(reverse("accounts:password_change")).status_code == 200


def test_login_with_a_wrong_password_says_so(anon: Client, yibin_reporter_user: User) -> None:
    response = anon.post(
        reverse("accounts:login"), {"username": "yibin_reporter", "password": "nope"}
    )
    assert response.status_code == 200
    assert "登录名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in anon.session


def test_login_refuses_open_redirects(anon: Client, yibin_reporter_user: User) -> None:
    response = anon.post(
        reverse("accounts:login"),
        {"username": "yibin_reporter", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and "evil" not in response.url


def test_inactive_account_cannot_log_in(anon: Client, yibin_reporter_user: User) -> None:
    yibin_reporter_user.is_active = False
    yibin_reporter_user.save()
    response = anon.post(
        reverse("accounts:login"), {"username": "yibin_reporter", "password": PASSWORD}
    )
    assert response.status_code == 200 and "_auth_user_id" not in anon.session


def test_logout_is_post_only(yibin_reporter: Client) -> None:
    assert yibin_reporter.get(reverse("accounts:logout")).status_code == 405
    response = yibin_reporter.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in yibin_reporter.session


def test_password_change_needs_login(anon: Client) -> None:
    assert is_login_redirect(anon.get(reverse("accounts:password_change")))
    assert is_login_redirect(anon.post(reverse("accounts:password_change"), {}))


def test_password_change_wrong_old_password(
    yibin_reporter: Client, yibin_reporter_user: User
) -> None:
    response = yibin_reporter.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200 and "当前密码不正确" in response.content.decode()
    yibin_reporter_user.refresh_from_db()
    assert yibin_reporter_user.check_password(PASSWORD)
    assert not events().exists()


def test_password_change_keeps_the_session(
    yibin_reporter: Client, yibin_reporter_user: User
) -> None:
    response = yibin_reporter.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    yibin_reporter_user.refresh_from_db()
    assert yibin_reporter_user.check_password(NEW_PASSWORD)
    assert yibin_reporter.get(reverse("accounts:password_change")).status_code == 200
    assert events().get().action == "user.password_change"


# --- 用户管理: list and create ---------------------------------------------------------------


def test_user_list_anonymous_and_denied(
    anon: Client, yibin_reporter: Client, yibin_reviewer: Client, leader: Client
) -> None:
    url = reverse("accounts:user_list")
    assert is_login_redirect(anon.get(url))
    for client in (yibin_reporter, yibin_reviewer, leader):
        assert client.get(url).status_code == 403


def test_zone_planner_sees_users_of_its_zone_only(
    chuannan_planner: Client,
    yibin_reporter_user: User,
    luzhou_reporter_user: User,
    leader_user: User,
    planner_user: User,
    admin_user: User,
) -> None:
    html = chuannan_planner.get(reverse("accounts:user_list")).content.decode()
    assert "yibin_reporter" in html and "luzhou_reporter" in html
    assert ">leader<" not in html and ">planner<" not in html and ">admin<" not in html
    html = chuannan_planner.get(reverse("accounts:user_list"), {"q": "luzhou"}).content.decode()
    assert "luzhou_reporter" in html and "yibin_reporter" not in html


def test_provincial_planner_and_admin_lists(
    planner: Client, admin: Client, chuannan_planner_user: User, leader_user: User
) -> None:
    html = planner.get(reverse("accounts:user_list")).content.decode()
    assert "chuannan_planner" in html and ">leader<" in html and ">admin<" not in html
    html = admin.get(reverse("accounts:user_list")).content.decode()
    assert ">admin<" in html and ">planner<" in html


def test_user_list_query_count_does_not_grow(
    chuannan_planner: Client, persona_units: Units, django_assert_max_num_queries: object
) -> None:
    from tests.factories.personas import make_user

    for i in range(30):
        make_user(f"r{i}", (persona_units["511500"], Role.REPORTER))
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        response = chuannan_planner.get(reverse("accounts:user_list"))
    assert response.status_code == 200


def test_user_create_denied(anon: Client, yibin_reporter: Client, leader: Client) -> None:
    url = reverse("accounts:user_create")
    assert is_login_redirect(anon.get(url))
    assert is_login_redirect(anon.post(url, {}))
    assert yibin_reporter.get(url).status_code == 403
    assert leader.post(url, {"username": "x"}).status_code == 403
    assert not User.objects.filter(username="x").exists()


def _create_data(unit: OrgUnit, username: str = "yibin_new") -> dict[str, object]:
    return {
        "username": username,
        "name": "李四",
        "email": "",
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
        "org_unit": unit.pk,
        "role": Role.REPORTER.value,
    }


def test_zone_planner_creates_a_user_in_its_zone(
    chuannan_planner: Client, persona_units: Units
) -> None:
    page = chuannan_planner.get(reverse("accounts:user_create")).content.decode()
    assert "宜宾市" in page and "成都市" not in page and "系统管理员" not in page
    response = chuannan_planner.post(
        reverse("accounts:user_create"), _create_data(persona_units["511500"])
    )
    user = User.objects.get(username="yibin_new")
    assert response.status_code == 302
    assert response.url == reverse("accounts:user_detail", args=[user.pk])
    assert user.check_password(NEW_PASSWORD) and user.first_name == "李四"
    assert Membership.objects.filter(user=user, org_unit__code="511500", role="reporter").exists()


def test_zone_planner_cannot_create_outside_its_zone(
    chuannan_planner: Client, persona_units: Units
) -> None:
    response = chuannan_planner.post(
        reverse("accounts:user_create"), _create_data(persona_units["510100"], "chengdu_new")
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="chengdu_new").exists()
    assert not events().exists()


def test_user_create_shows_service_errors_on_the_form(
    chuannan_planner: Client, persona_units: Units, yibin_reporter_user: User
) -> None:
    data = _create_data(persona_units["511500"], "YIBIN_REPORTER")
    response = chuannan_planner.post(reverse("accounts:user_create"), data)
    assert response.status_code == 200 and "登录名已被使用" in response.content.decode()
    data = _create_data(persona_units["511500"], "weakling") | {
        "new_password1": "12345678",
        "new_password2": "12345678",
    }
    response = chuannan_planner.post(reverse("accounts:user_create"), data)
    assert response.status_code == 200 and not User.objects.filter(username="weakling").exists()


# --- 用户管理: one user ----------------------------------------------------------------------


def test_user_detail_missing_and_forbidden_look_alike(
    anon: Client,
    chuannan_planner: Client,
    yibin_reporter: Client,
    leader_user: User,
    yibin_reporter_user: User,
    luzhou_reporter_user: User,
) -> None:
    def url(pk: int) -> str:
        return reverse("accounts:user_detail", args=[pk])

    assert is_login_redirect(anon.get(url(yibin_reporter_user.pk)))
    assert chuannan_planner.get(url(leader_user.pk)).status_code == 404
    assert chuannan_planner.get(url(999_999)).status_code == 404
    assert yibin_reporter.get(url(luzhou_reporter_user.pk)).status_code == 404
    assert yibin_reporter.get(url(yibin_reporter_user.pk)).status_code == 404  # not a manager
    page = chuannan_planner.get(url(yibin_reporter_user.pk))
    assert page.status_code == 200 and "宜宾市" in page.content.decode()


def test_grant_membership(
    anon: Client,
    chuannan_planner: Client,
    yibin_reporter_user: User,
    leader_user: User,
    persona_units: Units,
) -> None:
    data = {"org_unit": persona_units["511502"].pk, "role": Role.UNIT_REVIEWER.value}
    target = reverse("accounts:membership_grant", args=[yibin_reporter_user.pk])
    assert is_login_redirect(anon.post(target, data))
    assert chuannan_planner.get(target).status_code == 405
    forbidden = reverse("accounts:membership_grant", args=[leader_user.pk])
    assert chuannan_planner.post(forbidden, data).status_code == 404
    outside = {"org_unit": persona_units["510100"].pk, "role": Role.REPORTER.value}
    assert chuannan_planner.post(target, outside).status_code == 400
    assert yibin_reporter_user.memberships.count() == 1
    response = chuannan_planner.post(target, data)
    assert response.status_code == 302
    assert yibin_reporter_user.memberships.filter(role="unit_reviewer").exists()
    again = chuannan_planner.post(target, data)
    assert again.status_code == 400 and "已拥有此角色" in again.content.decode()


def test_revoke_membership(
    anon: Client,
    chuannan_planner: Client,
    yibin_reporter: Client,
    yibin_reporter_user: User,
    leader_user: User,
    persona_units: Units,
) -> None:
    extra = Membership.objects.create(
        user=yibin_reporter_user, org_unit=persona_units["511500"], role=Role.UNIT_REVIEWER
    )
    target = reverse("accounts:membership_revoke", args=[extra.pk])
    assert is_login_redirect(anon.post(target))
    assert yibin_reporter.post(target).status_code == 404
    leaders = reverse("accounts:membership_revoke", args=[leader_user.memberships.get().pk])
    assert chuannan_planner.post(leaders).status_code == 404
    assert chuannan_planner.post(reverse("accounts:membership_revoke", args=[0])).status_code == 404
    assert chuannan_planner.post(target).status_code == 302
    assert not Membership.objects.filter(pk=extra.pk).exists()
    last = reverse("accounts:membership_revoke", args=[yibin_reporter_user.memberships.get().pk])
    response = chuannan_planner.post(last, follow=True)
    assert "最后一个角色" in response.content.decode()
    assert yibin_reporter_user.memberships.count() == 1


def test_password_reset_by_a_manager(
    anon: Client,
    chuannan_planner: Client,
    luzhou_reporter: Client,
    yibin_reporter: Client,
    yibin_reporter_user: User,
    leader_user: User,
) -> None:
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    target = reverse("accounts:password_reset", args=[yibin_reporter_user.pk])
    assert is_login_redirect(anon.post(target, data))
    assert luzhou_reporter.post(target, data).status_code == 404
    forbidden = reverse("accounts:password_reset", args=[leader_user.pk])
    assert chuannan_planner.post(forbidden, data).status_code == 404
    mismatch = {"new_password1": NEW_PASSWORD, "new_password2": "other-Password-1"}
    assert chuannan_planner.post(target, mismatch).status_code == 400
    assert chuannan_planner.post(target, data).status_code == 302
    yibin_reporter_user.refresh_from_db()
    assert yibin_reporter_user.check_password(NEW_PASSWORD)
    # the reset ends the user's open sessions
    assert is_login_redirect(yibin_reporter.get(reverse("accounts:password_change")))
    leader_user.refresh_from_db()
    assert leader_user.check_password(PASSWORD)


def test_deactivate_and_activate(
    anon: Client,
    chuannan_planner: Client,
    yibin_reporter: Client,
    yibin_reporter_user: User,
    leader_user: User,
) -> None:
    target = reverse("accounts:user_set_active", args=[yibin_reporter_user.pk])
    assert is_login_redirect(anon.post(target, {"is_active": "0"}))
    forbidden = reverse("accounts:user_set_active", args=[leader_user.pk])
    assert chuannan_planner.post(forbidden, {"is_active": "0"}).status_code == 404
    assert chuannan_planner.post(target, {"is_active": "0"}).status_code == 302
    yibin_reporter_user.refresh_from_db()
    assert not yibin_reporter_user.is_active
    # the disabled account's session no longer works
    assert is_login_redirect(yibin_reporter.get(reverse("accounts:password_change")))
    assert chuannan_planner.post(target, {"is_active": "1"}).status_code == 302
    yibin_reporter_user.refresh_from_db()
    assert yibin_reporter_user.is_active
    assert [e.action for e in events()] == [
        "user.deactivate",
        "user.activate",
    ]


def test_nav_shows_management_links_to_managers_only(
    chuannan_planner: Client, yibin_reporter: Client, admin: Client
) -> None:
    page = reverse("accounts:password_change")
    assert "用户管理" in chuannan_planner.get(page).content.decode()
    html = yibin_reporter.get(page).content.decode()
    assert "用户管理" not in html and reverse("audit:event_list") not in html
    assert reverse("audit:event_list") in admin.get(page).content.decode()


def test_user_list_filters_by_unit_and_role(
    planner: Client,
    chuannan_planner: Client,
    yibin_reporter_user: User,
    yibin_reviewer_user: User,
    luzhou_reporter_user: User,
    persona_units: Units,
) -> None:
    url = reverse("accounts:user_list")
    yibin = persona_units["511500"].pk
    html = planner.get(url, {"unit": yibin}).content.decode().split("<tbody>")[1]
    assert "yibin_reporter" in html and "yibin_reviewer" in html and "luzhou" not in html
    html = planner.get(url, {"unit": yibin, "role": "reporter"}).content.decode()
    assert "yibin_reporter" in html and "yibin_reviewer<" not in html
    # a unit outside the planner's scope is not a valid choice: the filter is ignored
    chengdu = persona_units["510100"].pk
    response = chuannan_planner.get(url, {"unit": chengdu})
    assert response.status_code == 200 and "luzhou_reporter" in response.content.decode()
