"""Indicator pages: the worked example through the import page, verification and the
matrix and indicator pages; what the public sees; the xlsx export; the drafts page."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from planwatch.indicators.models import Indicator, Observation
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from tests.factories.personas import logged_in, make_user
from tests.indicators.helpers import csv_bytes, south_gdp

pytestmark = pytest.mark.django_db
SOURCE = "四川省统计局 2021年经济区主要指标（初步核算）"


def _visitor() -> Client:
    """Someone signed in without any role: the internal pages show them what they showed
    anonymous visitors before the portal (anonymous visitors now sign in first)."""
    user = User.objects.filter(username="visitor").first() or make_user("visitor")
    return logged_in(user)


def _import(client: Client, plan: Plan, rows: list[list[str]]) -> object:
    upload = SimpleUploadedFile("gdp-2021.csv", csv_bytes(rows), content_type="text/csv")
    return client.post(
        reverse("indicators:import"),
        {"file": upload, "plan": plan.pk, "year": 2021, "stage": "preliminary", "source": SOURCE},
    )


@pytest.fixture
def gdp(south: Plan, chuannan_planner_user: User) -> Indicator:
    return south_gdp(south, chuannan_planner_user)


def test_worked_example_through_the_pages(
    south: Plan,
    zone: OrgUnit,
    gdp: Indicator,
    chuannan_clerk_user: User,
    chuannan_reviewer_user: User,
) -> None:
    clerk = logged_in(chuannan_clerk_user)
    bad = _import(clerk, south, [["指标", "单位", zone.name], ["地区生产总值", "亿元", "8761,0x"]])
    assert bad.status_code == 400  # type: ignore[attr-defined]
    assert "第 2 行 C 列" in bad.content.decode()  # type: ignore[attr-defined]
    assert not Observation.objects.exists()
    ok = _import(clerk, south, [["指标", "单位", zone.name], ["地区生产总值", "亿元", "8761.0"]])
    assert ok.status_code == 302  # type: ignore[attr-defined]
    obs = Observation.objects.get()
    assert Client().get(reverse("indicators:detail", args=[gdp.pk])).status_code == 302
    public = _visitor()
    assert (
        "8761.0" not in public.get(reverse("indicators:matrix", args=[zone.code])).content.decode()
    )
    page = clerk.get(reverse("indicators:detail", args=[gdp.pk])).content.decode()
    assert "8761.0" in page and "待审核" in page
    reviewer = logged_in(chuannan_reviewer_user)
    reviewer.post(reverse("indicators:observation_verify", args=[obs.pk]))
    matrix = public.get(reverse("indicators:matrix", args=[zone.code])).content.decode()
    assert "8761.0" in matrix and "快于预期" in matrix and "status-faster" in matrix
    detail = public.get(reverse("indicators:detail", args=[gdp.pk])).content.decode()
    assert "快于预期" in detail and "1.61" in detail and "5.85%" in detail
    assert f"?line={gdp.target_line}#L{gdp.target_line}" in detail
    assert f"原文第 {gdp.target_page} 页" in detail and SOURCE in detail


def test_xlsx_export(
    zone: OrgUnit, gdp: Indicator, chuannan_clerk_user: User, chuannan_reviewer_user: User
) -> None:
    from planwatch.indicators.services import observation_create, observation_verify

    obs = observation_create(
        indicator=gdp, place=zone, year=2021, value=8761.0, actor=chuannan_clerk_user, source="x"
    )
    observation_verify(observation=obs, actor=chuannan_reviewer_user)
    response = _visitor().get(reverse("indicators:matrix", args=[zone.code]) + "?format=xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws is not None
    header = [c.value for c in ws[2]]
    row = [c.value for c in ws[3]]
    assert header[-2:] == ["2021年", "2021年状态"] and row[0] == "地区生产总值"
    assert row[-2:] == [8761.0, "快于预期"] and row[6] == 11000.0


def test_public_sees_confirmed_only(
    south: Plan, chuannan_planner_user: User, yibin_clerk_user: User
) -> None:
    from planwatch.indicators.services import indicator_drafts_generate

    indicator_drafts_generate(plan=south, actor=chuannan_planner_user)
    draft = Indicator.objects.filter(plan=south).first()
    assert draft is not None
    url = reverse("indicators:detail", args=[draft.pk])
    assert Client().get(url).status_code == 302  # anonymous: sign in first
    assert _visitor().get(url).status_code == 404
    assert logged_in(yibin_clerk_user).get(url).status_code == 404
    assert logged_in(chuannan_planner_user).get(url).status_code == 200
    drafts = reverse("indicators:plan_drafts", args=[south.slug])
    assert logged_in(yibin_clerk_user).get(drafts).status_code == 404
    page = logged_in(chuannan_planner_user).get(drafts).content.decode()
    assert "原文第" in page and "确认指标" in page


def test_planner_confirms_and_sets_binding_on_the_page(
    south: Plan, chuannan_planner_user: User
) -> None:
    planner = logged_in(chuannan_planner_user)
    planner.post(reverse("indicators:plan_drafts", args=[south.slug]))
    gdp = Indicator.objects.get(plan=south, name="地区生产总值")
    data = {
        "name": gdp.name,
        "unit": gdp.unit,
        "attribute": "binding",
        "direction": gdp.direction,
        "kind": gdp.kind,
        "baseline_year": gdp.baseline_year,
        "baseline_value": gdp.baseline_value,
        "target_year": gdp.target_year,
        "target_value": gdp.target_value,
        "comparator": gdp.comparator,
        "frequency": gdp.frequency,
        "additive": "on",
    }
    planner.post(reverse("indicators:action", args=[gdp.pk, "edit"]), data)
    planner.post(reverse("indicators:action", args=[gdp.pk, "confirm"]))
    gdp.refresh_from_db()
    assert (gdp.attribute, gdp.status) == ("binding", "confirmed")
    assert "target_value" in gdp.drafted_from  # unchanged fields keep their clause
    assert "attribute" not in gdp.drafted_from


def test_import_page_needs_a_clerk(chuannan_planner_user: User) -> None:
    assert Client().get(reverse("indicators:import")).status_code == 302
    assert logged_in(chuannan_planner_user).get(reverse("indicators:import")).status_code == 404
