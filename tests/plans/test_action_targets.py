"""Action targets (任务目标): the quantified goals the parser finds outside the goal sections
are stored with the plan version, shown on the targets page and served by the API, apart from
the plan's own 目标 (decision 0016)."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from planwatch.plans.choices import QuantityRole
from planwatch.plans.models import Plan, Quantity
from tests.factories.plans import bundled_parse

pytestmark = pytest.mark.django_db


def test_every_parsed_action_target_is_stored(bundled_plans: list[Plan]) -> None:
    parsed = bundled_parse().plans
    assert sum(len(p.action_targets) for p in parsed) > 0
    for plan, parsed_plan in zip(bundled_plans, parsed, strict=True):
        stored = list(
            Quantity.objects.filter(
                version=plan.current_version, role=QuantityRole.ACTION_TARGET
            ).order_by("seq")
        )
        assert [(q.line, q.indicator, q.value_text) for q in stored] == [
            (q.line, q.indicator, q.value_text or "") for q in parsed_plan.action_targets
        ]
        for q, p in zip(stored, parsed_plan.action_targets, strict=True):
            assert q.origin == "action"
            assert q.normalised_value == p.normalised_value
            assert q.comparator_text == (p.comparator_text or "")
            assert q.year_stated is p.year_stated
            # Each points back to the node whose lines hold it.
            assert q.node is not None and q.node.line <= q.line <= q.node.end_line
        # The plan's own targets keep their role and are not mixed with them.
        targets = Quantity.objects.filter(version=plan.current_version, role=QuantityRole.TARGET)
        assert targets.count() == len(parsed_plan.targets)


def test_grain_output_of_chuannan(bundled_plans: list[Plan]) -> None:
    chuannan = bundled_plans[1]
    q = Quantity.objects.get(
        version=chuannan.current_version, role=QuantityRole.ACTION_TARGET, indicator="粮食产量"
    )
    assert (q.value, q.unit, q.comparator_text, q.year, q.year_stated) == (
        785.0,
        "万吨",
        "稳定在…以上",
        2025,
        False,
    )
    assert q.normalised_value == pytest.approx(7.85e6)


def test_targets_page_and_api_show_them(
    anon: Client, bundled_plans: list[Plan], django_assert_max_num_queries: Any
) -> None:
    plan = bundled_plans[3]  # 攀西
    count = Quantity.objects.filter(
        version=plan.current_version, role=QuantityRole.ACTION_TARGET
    ).count()
    with django_assert_max_num_queries(12):
        response = anon.get(reverse("plan_targets", args=[plan.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"任务目标（{count}）" in html and "有机肥使用面积" in html
    body = anon.get(f"/api/v1/plans/{plan.pk}/targets?role=action_target").json()
    assert body["count"] == count
    assert {item["role"] for item in body["items"]} == {"action_target"}
    assert anon.get(f"/api/v1/plans/{plan.pk}").json()["action_target_count"] == count
