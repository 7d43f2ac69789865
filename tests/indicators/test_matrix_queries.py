"""The indicator × year matrix of a place costs a fixed number of queries: growing the
indicators, the years and the places observed adds none (no query per row or per cell)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planwatch.indicators.choices import IndicatorStatus
from planwatch.indicators.models import ComputedStatus, Indicator, Observation
from planwatch.indicators.services import status_compute
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from tests.factories.personas import logged_in, make_user

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _visitor() -> Client:
    """Someone signed in without any role: the internal pages show them what they showed
    anonymous visitors before the portal (anonymous visitors now sign in first)."""
    user = User.objects.filter(username="visitor").first() or make_user("visitor")
    return logged_in(user)


def _grow(
    plan: Plan, places: list[OrgUnit], user: User, start: int, count: int, years: int
) -> None:
    """`count` more confirmed indicators, each with a verified value (and its status) for
    every place in `places` in each of 2021 … 2020 + `years`."""
    for i in range(start, start + count):
        ind = Indicator.objects.create(
            plan=plan,
            place=places[0],
            name=f"测试指标{i:02d}",
            unit="亿元",
            kind="level",
            baseline_year=2020,
            baseline_value=100.0 + i,
            target_year=2025,
            target_value=160.0 + i,
            status=IndicatorStatus.CONFIRMED,
        )
        for place in places:
            for year in range(2021, 2021 + years):
                obs = Observation.objects.create(
                    indicator=ind,
                    place=place,
                    year=year,
                    value=100.0 + i + 9 * (year - 2020),
                    source="测试",
                    entered_by=user,
                    entered_at=NOW,
                    verified_by=user,
                    verified_at=NOW,
                )
                status_compute(observation=obs, actor=user, now=NOW, settle=False)


def _count(client: Client, url: str) -> tuple[int, str]:
    client.get(url)  # the session and caches warm
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_matrix_queries_do_not_grow_with_indicators_years_or_places(
    south: Plan, zone: OrgUnit, yibin: OrgUnit, chuannan_reviewer_user: User
) -> None:
    url = reverse("indicators:matrix", args=[zone.code])
    viewers = {"public": _visitor(), "reviewer": logged_in(chuannan_reviewer_user)}
    _grow(south, [zone], chuannan_reviewer_user, 0, 1, 1)
    small = {who: _count(client, url) for who, client in viewers.items()}
    _grow(south, [zone, yibin], chuannan_reviewer_user, 1, 7, 4)
    large = {who: _count(client, url) for who, client in viewers.items()}
    shown = ComputedStatus.objects.filter(place=zone).values_list("status", flat=True)
    assert len(shown) == 1 + 7 * 4
    for who in viewers:
        assert large[who][0] == small[who][0], (who, small[who][0], large[who][0])
        page = large[who][1]
        # every indicator is a row, every year a column, each cell with its stored status
        assert all(f"测试指标{i:02d}" in page for i in range(8))
        assert all(f'<th class="num">{y}</th>' in page for y in range(2021, 2025))
        assert page.count('<span class="status-word">') == len(shown)
        for status in set(shown):
            assert page.count(f">{status}</span>") == list(shown).count(status)
