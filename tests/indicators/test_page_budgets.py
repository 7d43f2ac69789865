"""An indicator's page (its path, the prefecture map, the values and their statuses, the
history) costs a fixed number of queries (issue 15): more places and years observed add
none — no query per observation, per place or per status — within a budget, for a visitor
without a role and for a reviewer."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from planwatch.indicators.models import Indicator, Observation
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from tests.factories.personas import logged_in
from tests.indicators.test_matrix_queries import NOW, _count, _grow, _visitor

pytestmark = pytest.mark.django_db

BUDGET = {"public": 20, "reviewer": 24}  # measured 16 and 20 when set


def test_indicator_page_queries_do_not_grow_with_places_or_years(
    south: Plan, zone: OrgUnit, yibin: OrgUnit, chuannan_reviewer_user: User
) -> None:
    viewers = {"public": _visitor(), "reviewer": logged_in(chuannan_reviewer_user)}
    _grow(south, [zone], chuannan_reviewer_user, 0, 1, 1)
    ind = Indicator.objects.get(name="测试指标00")
    url = reverse("indicators:detail", args=[ind.pk])
    small = {who: _count(client, url)[0] for who, client in viewers.items()}
    # every prefecture of the zone observed for four years, and a revised value
    cities = list(OrgUnit.objects.filter(parent=zone, kind=OrgUnitKind.PREFECTURE))
    _grow(south, [zone, *cities], chuannan_reviewer_user, 1, 1, 4)
    ind = Indicator.objects.get(name="测试指标01")
    old = Observation.objects.filter(indicator=ind, place=yibin, year=2021).get()
    Observation.objects.filter(pk=old.pk).update(is_current=False)
    Observation.objects.create(
        indicator=ind, place=yibin, year=2021, value=1.5, source="修订", entered_at=NOW
    )
    url = reverse("indicators:detail", args=[ind.pk])
    large = {who: _count(client, url) for who, client in viewers.items()}
    for who in viewers:
        assert large[who][0] == small[who], (who, small[who], large[who][0])
        assert large[who][0] <= BUDGET[who], (who, large[who][0])
    page = large["reviewer"][1]
    # the map carries every prefecture observed; the history the replaced value
    assert all(c.name in page for c in cities)
    assert "修订" in page
