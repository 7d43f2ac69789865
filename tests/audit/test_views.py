"""The audit log page and its Django admin: administrators only, filters, pagination,
read-only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from planwatch.accounts import services
from planwatch.accounts.choices import Role
from planwatch.audit.models import AuditEvent
from planwatch.audit.services import audit_record
from planwatch.orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db
URL = "/audit/"


def test_url_name() -> None:
    assert reverse("audit:event_list") == URL


def test_anonymous_is_sent_to_login(anon: Client) -> None:
    response = anon.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_everyone_but_administrators_is_refused(
    planner: Client, chuannan_planner: Client, leader: Client, yibin_reporter: Client
) -> None:
    for client in (planner, chuannan_planner, leader, yibin_reporter):
        assert client.get(URL).status_code == 403


def test_admin_role_holder_may_read_it(sysadmin: Client) -> None:
    assert sysadmin.get(URL).status_code == 200


def test_admin_sees_events_with_old_and_new_values(
    admin: Client, chuannan_planner_user: User, yibin_reporter_user: User
) -> None:
    services.user_set_active(actor=chuannan_planner_user, user=yibin_reporter_user, is_active=False)
    html = admin.get(URL).content.decode()
    assert "user.deactivate" in html and "chuannan_planner" in html and "yibin_reporter" in html
    assert "修改前" in html and "修改后" in html


def test_filters(
    admin: Client,
    chuannan_planner_user: User,
    planner_user: User,
    yibin_reporter_user: User,
    persona_units: dict[str, OrgUnit],
) -> None:
    services.user_set_active(actor=chuannan_planner_user, user=yibin_reporter_user, is_active=False)
    services.membership_grant(
        actor=planner_user,
        user=yibin_reporter_user,
        org_unit=persona_units["511500"],
        role=Role.UNIT_REVIEWER,
    )

    def rows(**params: str) -> str:
        response = admin.get(URL, params)
        assert response.status_code == 200
        return response.content.decode().split("<tbody>")[1]

    assert "user.deactivate" in rows(actor="chuannan_planner")
    assert "membership.grant" not in rows(actor="chuannan_planner")
    assert "user.deactivate" not in rows(action="membership.grant")
    history = rows(target_type="user", target_id=str(yibin_reporter_user.pk))
    assert "user.deactivate" in history and "membership.grant" not in history
    assert "membership.grant" in rows(target_type="membership")
    today = timezone.localdate().isoformat()
    assert "membership.grant" in rows(date_from=today, date_to=today)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert "没有符合条件的记录" in rows(date_from=tomorrow)
    # an unreadable filter is reported, not a server error
    response = admin.get(URL, {"date_from": "not-a-date", "action": "nonsense"})
    assert response.status_code == 200


def test_pagination(admin: Client) -> None:
    for i in range(60):
        audit_record(actor=None, action="bulk.test", target_type="thing", target_id=i)
    first = admin.get(URL, {"action": "bulk.test"}).content.decode()
    assert first.count('<td data-label="操作" >bulk.test</td>') == 50
    assert "第 1 / 2 页" in first and "action=bulk.test&amp;page=2" in first
    second = admin.get(URL, {"action": "bulk.test", "page": "2"}).content.decode()
    assert second.count('<td data-label="操作" >bulk.test</td>') == 10
    assert admin.get(URL, {"page": "999"}).status_code == 200


def test_list_query_count(admin: Client, django_assert_max_num_queries: object) -> None:
    for i in range(60):
        audit_record(actor=None, action="bulk.test", target_type="thing", target_id=i)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert admin.get(URL).status_code == 200


def test_django_admin_is_read_only(admin: Client) -> None:
    event = audit_record(actor=None, action="x.y", target_type="thing")
    base = "/admin/audit/auditevent/"
    assert admin.get(base).status_code == 200
    assert admin.get(f"{base}add/").status_code == 403
    assert admin.get(f"{base}{event.pk}/delete/").status_code == 403
    change = admin.post(f"{base}{event.pk}/change/", {"action": "forged"})
    assert change.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == "x.y"


def test_django_admin_refuses_staff_without_admin_role(
    planner_user: User, persona_units: dict[str, OrgUnit]
) -> None:
    planner_user.is_staff = True
    planner_user.save()
    client = Client()
    client.force_login(planner_user)
    assert client.get("/admin/audit/auditevent/").status_code == 403


def test_request_id_is_echoed_and_recorded(
    chuannan_planner: Client, yibin_reporter_user: User
) -> None:
    response = chuannan_planner.post(
        reverse("accounts:user_set_active", args=[yibin_reporter_user.pk]),
        {"is_active": "0"},
        headers={"X-Request-ID": "req-12345678"},
    )
    assert response["X-Request-ID"] == "req-12345678"
    assert AuditEvent.objects.order_by("-id").first().request_id == "req-12345678"  # type: ignore[union-attr]
    generated = chuannan_planner.get(reverse("accounts:user_list"))["X-Request-ID"]
    assert len(generated) == 32
    bad = chuannan_planner.get("/audit/", headers={"X-Request-ID": "<script>"})
    assert bad["X-Request-ID"] != "<script>"


def test_user_page_links_admins_to_the_history(
    admin: Client, planner: Client, yibin_reporter_user: User
) -> None:
    url = reverse("accounts:user_detail", args=[yibin_reporter_user.pk])
    link = f"target_type=user&amp;target_id={yibin_reporter_user.pk}"
    assert link in admin.get(url).content.decode()
    assert link not in planner.get(url).content.decode()
