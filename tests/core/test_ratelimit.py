"""The database rate limit: counts per client and action in fixed windows, refuses past the
limit without counting, starts again in the next window, and stores no address."""

from __future__ import annotations

import datetime as dt

import pytest

from planwatch.core.models import RateCount
from planwatch.core.ratelimit import Limit, check, hit

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 10, 0, 5, tzinfo=dt.UTC)


def test_limit_per_window_and_client() -> None:
    for _ in range(3):
        assert hit("survey.respond", "10.0.0.1", limit=3, per=60, now=T0)
    assert not hit("survey.respond", "10.0.0.1", limit=3, per=60, now=T0)
    assert not hit("survey.respond", "10.0.0.1", limit=3, per=60, now=T0 + dt.timedelta(seconds=50))
    # another client, another action: their own counts
    assert hit("survey.respond", "10.0.0.2", limit=3, per=60, now=T0)
    assert hit("feedback.submit", "10.0.0.1", limit=3, per=60, now=T0)
    # the next window starts again
    assert hit("survey.respond", "10.0.0.1", limit=3, per=60, now=T0 + dt.timedelta(seconds=60))
    row = RateCount.objects.order_by("window_start", "count").last()
    assert row is not None and row.count == 1
    assert RateCount.objects.get(window_start=T0.replace(second=0), count=3)


def test_refusals_do_not_count_and_no_address_is_stored() -> None:
    lim = Limit("feedback.submit", 1, 3600)
    assert check(lim, "192.0.2.7", now=T0)
    for _ in range(5):
        assert not check(lim, "192.0.2.7", now=T0)
    assert RateCount.objects.get().count == 1
    assert "192.0.2.7" not in RateCount.objects.get().bucket


def test_old_windows_are_forgotten() -> None:
    hit("a", "x", limit=5, per=60, now=T0)
    hit("a", "x", limit=5, per=60, now=T0 + dt.timedelta(days=3))
    assert RateCount.objects.count() == 1


def test_zero_limit_refuses() -> None:
    assert not hit("a", "x", limit=0, per=60)
