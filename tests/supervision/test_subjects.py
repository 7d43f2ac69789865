"""A 督办 case may stand on a subject other than a task (any model, through contenttypes),
e.g. an indicator's warning or a black listing: one open case per subject; the plan named
on the case decides who manages it (no plan: the province-wide planners); the case list,
the case page and the API show the subject's title and link."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from planwatch.plans.models import Plan
from planwatch.supervision.models import SupervisionCase
from planwatch.supervision.selectors import case_list_for
from planwatch.supervision.services import case_acknowledge, case_assign, case_open
from planwatch.tasks.models import Task
from tests.factories import implementation as f

pytestmark = pytest.mark.django_db


def test_a_case_on_a_subject_without_a_plan(
    units: f.Units,
    planner_user: User,
    chuannan_planner_user: User,
    yibin_reporter_user: User,
    luzhou_reporter_user: User,
) -> None:
    province_planner = planner_user  # the named persona: planner on 四川省
    tasks_before = Task.objects.count()
    # the subject here is the unit itself (its page: the place page)
    case, created = case_open(
        subject=units.yibin,
        title="红黑榜约谈：宜宾市（2026年第1季度）",
        year=2026,
        unit=units.yibin,
        light="red",
        reason="列入黑榜",
        actor=None,
    )
    again, created_again = case_open(
        subject=units.yibin, title="x", unit=units.yibin, light="red", reason="x", actor=None
    )
    assert created and not created_again and again == case
    assert Task.objects.count() == tasks_before
    assert (case.task, case.plan, case.subject) == (None, None, units.yibin)
    assert case.about_url == units.yibin.get_absolute_url()  # the place page
    with pytest.raises(IntegrityError), transaction.atomic():
        SupervisionCase.objects.create(
            subject=units.yibin, title="dup", light="red", reason="x", opened_at=timezone.now()
        )
    with pytest.raises(IntegrityError), transaction.atomic():  # neither a task nor a subject
        SupervisionCase.objects.create(
            title="nothing", light="red", reason="x", opened_at=timezone.now()
        )
    with pytest.raises(ValueError):
        case_open(light="red", reason="x", actor=None)

    # no plan: the province-wide planner manages it, the zone's planner does not
    assert case in case_list_for(user=province_planner)
    assert case not in case_list_for(user=chuannan_planner_user)
    assert case in case_list_for(user=yibin_reporter_user)
    assert case not in case_list_for(user=luzhou_reporter_user)
    with pytest.raises(PermissionDenied):
        case_assign(case=case, actor=chuannan_planner_user, today=date(2026, 4, 10))
    with pytest.raises(PermissionDenied):
        case_open(subject=units.luzhou, light="red", reason="x", actor=chuannan_planner_user)
    case_assign(case=case, actor=province_planner, today=date(2026, 4, 10))
    case_acknowledge(case=case, actor=yibin_reporter_user)
    case.refresh_from_db()
    assert (case.status, case.unit, case.ack_due) == (
        "acknowledged",
        units.yibin,
        date(2026, 4, 13),
    )

    client = Client()
    client.force_login(province_planner)
    listing = client.get(reverse("supervision:case_list") + "?status=").content.decode()
    assert case.title in listing
    page = client.get(reverse("supervision:case_detail", args=[case.pk])).content.decode()
    heading = page.split("<h1>")[1].split("</h1>")[0]
    assert case.title in heading and case.about_url in heading and "/tasks/" not in heading
    outsider = Client()
    outsider.force_login(chuannan_planner_user)
    assert outsider.get(reverse("supervision:case_detail", args=[case.pk])).status_code == 404
    reporter = Client()
    reporter.force_login(yibin_reporter_user)
    item = reporter.get(f"/api/v1/cases/{case.pk}").json()
    assert (item["task_id"], item["subject_type"], item["subject_id"]) == (
        None,
        "orgunits.orgunit",
        units.yibin.pk,
    )
    assert item["title"] == item["task_title"] == case.title and item["plan_id"] is None


def test_a_case_on_a_subject_of_a_plan(
    units: f.Units,
    plan: Plan,
    chuannan_planner_user: User,
    panxi_planner_user: User,
    chuannan_leader_user: User,
) -> None:
    case, _ = case_open(
        subject=units.luzhou,
        plan=plan,
        title="指标预警：泸州市",
        year=2025,
        unit=units.luzhou,
        light="red",
        reason="滞后",
        actor=chuannan_planner_user,
    )
    assert case.plan == plan and case.year == 2025
    assert case in case_list_for(user=chuannan_planner_user) and case in case_list_for(
        user=chuannan_leader_user
    )
    assert case not in case_list_for(user=panxi_planner_user)
    # the filters of the case list read the case's own plan and year
    client = Client()
    client.force_login(chuannan_planner_user)
    got = client.get(reverse("supervision:case_list") + f"?plan={plan.pk}&year=2025")
    assert case.title in got.content.decode()
    home = client.get(reverse("pages:workbench")).content.decode()
    assert case.title in home  # waiting to be assigned (待交办督办)
