"""Relative indicators (相对全省全国) are measured against a benchmark per year: the nation's
or the province's figure a planner records with its source. Without one a value gets no
status; with one it is 达标 when it beats it (or stays under it, for lower-is-better), the
year's verified values are reassessed at once, and a binding one that falls short opens its
督办 case."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from planwatch.audit.models import AuditEvent
from planwatch.indicators import methods as m
from planwatch.indicators.models import Benchmark, ComputedStatus, Indicator
from planwatch.indicators.services import (
    benchmark_set,
    indicator_confirm,
    indicator_drafts_generate,
    indicator_update,
    observation_create,
    observation_verify,
)
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.supervision.models import SupervisionCase
from tests.factories.personas import logged_in, make_user

pytestmark = pytest.mark.django_db
SOURCE = "国家统计局：2021年国民经济和社会发展统计公报"


def _relative(plan: Plan, planner: User, *, binding: bool = False) -> Indicator:
    """A drafted indicator of 川南 made relative (its value against the nation's), with no
    target value of its own."""
    indicator_drafts_generate(plan=plan, actor=planner)
    ind = Indicator.objects.filter(plan=plan, status="draft").order_by("id").first()
    assert ind is not None
    changes = {"kind": "relative", "direction": "higher", "target_value": None}
    if binding:
        changes["attribute"] = "binding"
    indicator_update(indicator=ind, actor=planner, changes=changes)
    return indicator_confirm(indicator=ind, actor=planner)


def _verified(ind: Indicator, zone: OrgUnit, clerk: User, reviewer: User, value: float) -> None:
    obs = observation_create(
        indicator=ind, place=zone, year=2021, value=value, actor=clerk, source="x"
    )
    observation_verify(observation=obs, actor=reviewer)


def test_status_against_the_year_benchmark(
    south: Plan,
    zone: OrgUnit,
    chuannan_planner_user: User,
    chuannan_clerk_user: User,
    chuannan_reviewer_user: User,
) -> None:
    ind = _relative(south, chuannan_planner_user)
    _verified(ind, zone, chuannan_clerk_user, chuannan_reviewer_user, 8.5)
    assert not ComputedStatus.objects.filter(indicator=ind).exists()  # no benchmark yet

    benchmark_set(indicator=ind, year=2021, value=8.1, source=SOURCE, actor=chuannan_planner_user)
    status = ComputedStatus.objects.get(indicator=ind)
    assert (status.status, status.expected) == (m.MET, 8.1)

    # A corrected benchmark is stored once a year and the status follows it.
    benchmark_set(indicator=ind, year=2021, value=9.0, source=SOURCE, actor=chuannan_planner_user)
    assert Benchmark.objects.filter(indicator=ind).count() == 1
    assert ComputedStatus.objects.get(indicator=ind).status == m.NOT_MET
    events = AuditEvent.objects.filter(action="indicator.benchmark_set").order_by("id")
    assert [e.new["value"] for e in events] == [8.1, 9.0]
    assert events.last().old["value"] == 8.1


def test_binding_relative_indicator_short_of_its_benchmark_opens_a_case(
    south: Plan,
    zone: OrgUnit,
    chuannan_planner_user: User,
    chuannan_clerk_user: User,
    chuannan_reviewer_user: User,
) -> None:
    ind = _relative(south, chuannan_planner_user, binding=True)
    benchmark_set(indicator=ind, year=2021, value=9.0, source=SOURCE, actor=chuannan_planner_user)
    _verified(ind, zone, chuannan_clerk_user, chuannan_reviewer_user, 8.5)
    case = SupervisionCase.objects.get()
    assert case.light == "red" and ind.name in case.reason and m.NOT_MET in case.reason


def test_only_the_plans_planner_sets_a_benchmark_and_only_for_relative_ones(
    south: Plan, chuannan_planner_user: User, chuannan_clerk_user: User
) -> None:
    ind = _relative(south, chuannan_planner_user)
    with pytest.raises(PermissionDenied):
        benchmark_set(indicator=ind, year=2021, value=8.1, source=SOURCE, actor=chuannan_clerk_user)
    with pytest.raises(ValidationError) as err:
        benchmark_set(indicator=ind, year=2021, value=8.1, source=" ", actor=chuannan_planner_user)
    assert "source" in err.value.message_dict
    other = Indicator.objects.get(plan=south, name="地区生产总值")
    with pytest.raises(ValidationError) as err:
        benchmark_set(
            indicator=other, year=2021, value=1.0, source=SOURCE, actor=chuannan_planner_user
        )
    assert "indicator" in err.value.message_dict
    assert not Benchmark.objects.exists()


def test_benchmark_on_the_indicator_page(south: Plan, chuannan_planner_user: User) -> None:
    ind = _relative(south, chuannan_planner_user)
    planner = logged_in(chuannan_planner_user)
    url = reverse("indicators:detail", args=[ind.pk])
    html = planner.get(url).content.decode()
    assert "对比基准" in html and "尚未设置对比基准" in html
    response = planner.post(
        reverse("indicators:action", args=[ind.pk, "benchmark"]),
        {"year": "2021", "scope": "province", "value": "7.9", "source": SOURCE, "next": url},
    )
    assert response.status_code == 302 and response["Location"] == url
    html = planner.get(url).content.decode()
    assert "全省" in html and "7.9" in html and SOURCE in html
    # A bad value is refused with the field named, and nothing is stored.
    planner.post(
        reverse("indicators:action", args=[ind.pk, "benchmark"]),
        {"year": "2022", "scope": "nation", "value": "abc", "source": SOURCE, "next": url},
    )
    assert list(Benchmark.objects.values_list("year", flat=True)) == [2021]
    page = planner.get(url).content.decode()
    assert "基准值：" in page  # the message names the field


def test_benchmarks_through_the_api(
    south: Plan,
    zone: OrgUnit,
    chuannan_planner_user: User,
    chuannan_clerk_user: User,
    chuannan_reviewer_user: User,
) -> None:
    """A planner sets a year's benchmark through the API; anyone reads it on the indicator's
    detail and on its benchmarks endpoint (both checked against the committed document); the
    year's verified value is reassessed at once."""
    import json

    from django.test import Client

    from planwatch.api.services import api_token_create
    from tests.api.schema import check

    ind = _relative(south, chuannan_planner_user)
    _verified(ind, zone, chuannan_clerk_user, chuannan_reviewer_user, 8.4)
    assert not ComputedStatus.objects.filter(indicator=ind).exists()  # no benchmark yet
    url = f"/api/v1/indicators/{ind.pk}/benchmarks"
    body = {"year": 2021, "value": 8.1, "scope": "nation", "source": SOURCE}
    planner = api_token_create(user=chuannan_planner_user, name="p", actor=None)[1]
    clerk = api_token_create(user=chuannan_clerk_user, name="c", actor=None)[1]
    client = Client()
    refused = client.post(
        url, json.dumps(body), "application/json", HTTP_AUTHORIZATION=f"Bearer {clerk}"
    )
    assert refused.status_code == 404 and not Benchmark.objects.exists()
    bad = client.post(
        url,
        json.dumps({**body, "source": " "}),
        "application/json",
        HTTP_AUTHORIZATION=f"Bearer {planner}",
    )
    assert bad.status_code == 422 and not Benchmark.objects.exists()
    made = client.post(
        url, json.dumps(body), "application/json", HTTP_AUTHORIZATION=f"Bearer {planner}"
    )
    assert made.status_code == 201, made.content
    assert made.json()["value"] == 8.1 and made.json()["source"] == SOURCE
    visitor = logged_in(make_user("visitor"))
    listed = check(visitor, url)
    assert [(b["year"], b["scope"], b["value"]) for b in listed] == [(2021, "nation", 8.1)]
    detail = check(visitor, f"/api/v1/indicators/{ind.pk}")
    assert detail["benchmarks"] == listed
    assert [s["status"] for s in detail["statuses"]] == [m.MET]
    assert AuditEvent.objects.filter(action="indicator.benchmark_set").count() == 1
