"""Action targets (任务目标: quantified goals stated in action paragraphs, plans.Quantity role
action_target) are offered as indicator drafts beside the goal targets, each with its
clause; a planner generates them from the drafts page, edits and confirms them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from planwatch.accounts.choices import Role
from planwatch.indicators.models import Indicator
from planwatch.indicators.services import indicator_confirm, indicator_drafts_generate
from planwatch.plans.models import Plan, Quantity
from tests.factories.personas import make_user
from tests.factories.plans import ensure_bundled

pytestmark = pytest.mark.django_db


def test_every_plans_action_targets_become_drafts_with_their_clause(db: None) -> None:
    ensure_bundled()
    total = 0
    for plan in Plan.objects.filter(org_unit__isnull=False).order_by("pk"):
        planner = make_user(f"planner_{plan.pk}", (plan.org_unit, Role.PLANNER))
        actions = Quantity.objects.filter(
            version=plan.current_version, role="action_target", value__isnull=False
        )
        goals = indicator_drafts_generate(plan=plan, actor=planner)
        result = indicator_drafts_generate(plan=plan, actor=planner, origin="action")
        assert len(result.created) == actions.count(), plan.title
        assert all(i.origin == "goal" for i in goals.created)
        horizon = max(
            q.year
            for q in Quantity.objects.filter(
                version=plan.current_version, role="target", year__isnull=False
            )
        )
        for ind in result.created:
            q = actions.get(pk=ind.drafted_from["target_value"]["quantity"])
            assert ind.origin == "action" and ind.status == "draft"
            assert (ind.name, ind.target_line, ind.target_page) == (q.indicator, q.line, q.page)
            assert ind.drafted_from["name"]["text"] == q.text and q.text
            assert ind.target_year == (q.year or horizon)
            # each can be confirmed as it stands (a target value and year)
            indicator_confirm(indicator=ind, actor=planner)
        again = indicator_drafts_generate(plan=plan, actor=planner, origin="action")
        assert (again.created, again.skipped) == ([], actions.count())
        total += actions.count()
    assert total == 25  # the bundled plans state 25 (2 川南, 9 川东北, 7 攀西, 7 川西北)


def test_the_drafts_page_offers_them_beside_the_goal_targets(
    south: Plan, chuannan_planner_user: User
) -> None:
    client = Client()
    client.force_login(chuannan_planner_user)
    url = reverse("indicators:plan_drafts", args=[south.slug])
    offered = Quantity.objects.filter(
        version=south.current_version, role="action_target", value__isnull=False
    ).count()
    page = client.get(url).content.decode()
    assert "从任务目标生成指标草稿" in page and f"还有 {offered} 个量化任务目标" in page
    client.post(url, {"origin": "action"})
    drafts = Indicator.objects.filter(plan=south, origin="action")
    assert drafts.count() == offered
    page = client.get(url).content.decode()
    assert "还有 0 个量化任务目标" in page
    first = drafts.first()
    assert first is not None
    card = page[page.index(f'id="indicator-{first.pk}"') :]
    assert "出自任务目标" in card[:600] and "原文第" in card[:3000]
