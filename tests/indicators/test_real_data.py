"""The five bundled plans' numeric targets and baselines become confirmed indicators through
the drafting flow (draft → merge duplicates → rename → confirm), and the official 2021
preliminary GDP figures shipped in data/indicators/ (each with its stated source) give each
zone its status — 川南's the worked example of methods.md §1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from planwatch.accounts.choices import Role
from planwatch.indicators import methods as m
from planwatch.indicators.models import ComputedStatus, Indicator
from planwatch.indicators.services import (
    indicator_confirm,
    indicator_drafts_generate,
    indicator_merge,
    indicator_update,
    observation_create,
    observation_verify,
)
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan, Quantity
from tests.factories.personas import make_user
from tests.factories.plans import ensure_bundled

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[2] / "data" / "indicators" / "gdp-2021-preliminary.json"


def _confirm_all(plan: Plan, planner: User) -> list[Indicator]:
    """What a planner does on the drafts page: merge 经济总量 into 地区生产总值 where the plan
    states both, else call it 地区生产总值; then confirm every draft."""
    indicator_drafts_generate(plan=plan, actor=planner)
    drafts = {i.name: i for i in Indicator.objects.filter(plan=plan)}
    total, gdp = drafts.get("经济总量"), drafts.get("地区生产总值")
    if total is not None and gdp is not None:
        indicator_merge(keep=gdp, duplicate=total, actor=planner)
    elif total is not None:
        indicator_update(indicator=total, actor=planner, changes={"name": "地区生产总值"})
    confirmed = []
    for ind in Indicator.objects.filter(plan=plan, status="draft"):
        confirmed.append(indicator_confirm(indicator=ind, actor=planner))
    return confirmed


def test_bundled_plans_become_confirmed_indicators() -> None:
    ensure_bundled()
    planner = make_user("province_planner", (OrgUnit.objects.get(name="四川省"), Role.PLANNER))
    for plan in Plan.objects.all():
        numeric = Quantity.objects.filter(
            version=plan.current_version, role="target", value__isnull=False
        )
        confirmed = _confirm_all(plan, planner)
        merged = Indicator.objects.filter(plan=plan, status="merged").count()
        assert len(confirmed) + merged == numeric.count() > 0
        for ind in confirmed:
            q = numeric.get(pk=ind.drafted_from["target_value"]["quantity"])
            # every confirmed target is traceable to its line and page of the plan
            assert (ind.target_line, ind.target_page, ind.target_year) == (q.line, q.page, q.year)
            if ind.baseline_value is not None:
                assert ind.baseline_line and ind.baseline_year and ind.baseline_year < q.year  # type: ignore[operator]


def _official() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return data


def test_official_2021_gdp_gives_each_zone_its_status() -> None:
    ensure_bundled()
    province = OrgUnit.objects.get(name="四川省")
    planner = make_user("province_planner", (province, Role.PLANNER))
    clerk = make_user("province_clerk", (province, Role.DATA_CLERK))
    reviewer = make_user("province_reviewer", (province, Role.UNIT_REVIEWER))
    for plan in Plan.objects.all():
        _confirm_all(plan, planner)
    official = _official()
    assert official["source"] and official["stage"] == "preliminary"
    results: dict[str, ComputedStatus | None] = {}
    for entry in official["values"]:
        zone = OrgUnit.objects.get(name=entry["place"])
        ind = Indicator.objects.get(
            plan__org_unit=zone, name=official["indicator"], status="confirmed"
        )
        assert ind.unit == official["unit"]
        obs = observation_create(
            indicator=ind,
            place=zone,
            year=official["year"],
            value=entry["value"],
            actor=clerk,
            source=official["source"],
            stage=official["stage"],
        )
        results[entry["place"]] = observation_verify(observation=obs, actor=reviewer)
    south = results["川南经济区"]
    assert south is not None and south.status == m.FASTER
    assert round(south.ratio or 0, 2) == 1.61
    assert round((south.required_growth or 0) * 100, 2) == 5.85
    for place, status in results.items():
        ind = Indicator.objects.get(
            plan__org_unit__name=place, name="地区生产总值", status="confirmed"
        )
        if ind.baseline_value is None:
            # a target the plan states without a baseline has no path: no status until reached
            assert status is None, place
        else:
            assert status is not None and status.ratio is not None, place
