"""The formulas of methods.md §1 against hand computations, including the worked example
(川南 GDP 7,884 亿元 in 2020 → 11,000 in 2025, 8,761.0 in 2021)."""

from __future__ import annotations

import itertools
import math

import pytest

from planwatch.indicators import methods as m

CHUANNAN = {"baseline": 7884.0, "target": 11000.0, "year0": 2020, "year1": 2025}


def test_worked_example_geometric_path_ratio_status_and_required_growth() -> None:
    e = m.expected(**CHUANNAN, year=2021, rule=m.GEOMETRIC)
    assert round(e, 1) == 8427.1  # methods.md: E₂₀₂₁ = 8,427.1
    r = m.progress_ratio(actual=8761.0, baseline=7884.0, expected_value=e)
    assert r is not None and round(r, 2) == 1.61
    g = m.required_growth(actual=8761.0, target=11000.0, year=2021, year1=2025)
    assert g is not None and round(g * 100, 2) == 5.85
    a = m.assess(
        kind=m.LEVEL,
        direction=m.HIGHER,
        comparator="≥",
        baseline=7884.0,
        year0=2020,
        target=11000.0,
        year1=2025,
        actual=8761.0,
        year=2021,
    )
    assert (a.status, round(a.ratio or 0, 2), a.method_version) == (m.FASTER, 1.61, "2026.1")


def test_worked_example_linear_path() -> None:
    e = m.expected(**CHUANNAN, year=2021, rule=m.LINEAR)
    assert round(e, 1) == 8507.2  # 7884 + 3116/5
    r = m.progress_ratio(actual=8761.0, baseline=7884.0, expected_value=e)
    assert r is not None and round(r, 2) == 1.41
    assert m.status_for_ratio(r) == m.FASTER


def test_path_ends_at_baseline_and_target() -> None:
    path = m.expected_path(**CHUANNAN, rule=m.GEOMETRIC)
    assert [y for y, _ in path] == list(range(2020, 2026))
    assert math.isclose(path[0][1], 7884.0) and math.isclose(path[-1][1], 11000.0)
    # geometric: constant ratio between consecutive years
    ratios = {round(b / a, 9) for (_, a), (_, b) in itertools.pairwise(path)}
    assert len(ratios) == 1


@pytest.mark.parametrize(
    ("ratio", "status"),
    [
        (1.1, m.FASTER),
        (1.0999, m.ON_TRACK),
        (0.9, m.ON_TRACK),
        (0.8999, m.LAGGING),
        (None, m.ON_TRACK),
    ],
)
def test_thresholds(ratio: float | None, status: str) -> None:
    assert m.status_for_ratio(ratio) == status


def test_a_new_method_version_moves_the_thresholds() -> None:
    strict = m.Method(version="test-strict", faster=1.5, on_track=1.2)
    assert m.status_for_ratio(1.41, strict) == m.ON_TRACK
    assert m.status_for_ratio(1.1, strict) == m.LAGGING


def test_target_already_reached_is_ahead() -> None:
    a = m.assess(
        kind=m.LEVEL,
        direction=m.HIGHER,
        comparator="≥",
        baseline=100.0,
        year0=2020,
        target=150.0,
        year1=2025,
        actual=151.0,
        year=2023,
    )
    assert a.status == m.AHEAD


def test_lagging_share_uses_linear_path() -> None:
    # 城镇化率 60 → 70 % over five years: E₂₀₂₂ = 64; actual 61 → r = 1/4 = 0.25 → 滞后
    a = m.assess(
        kind=m.SHARE,
        direction=m.HIGHER,
        comparator="≥",
        baseline=60.0,
        year0=2020,
        target=70.0,
        year1=2025,
        actual=61.0,
        year=2022,
    )
    assert a.expected == 64.0 and a.ratio == 0.25 and a.status == m.LAGGING
    assert a.required_growth is None


def test_lower_is_better() -> None:
    # 单位GDP能耗 100 → 86 (2020 → 2025): linear E₂₀₂₁ = 97.2; actual 96 → r = 4/2.8
    a = m.assess(
        kind=m.SHARE,
        direction=m.LOWER,
        comparator="≤",
        baseline=100.0,
        year0=2020,
        target=86.0,
        year1=2025,
        actual=96.0,
        year=2021,
    )
    assert a.ratio is not None and math.isclose(a.ratio, 4 / 2.8) and a.status == m.FASTER
    b = m.assess(
        kind=m.SHARE,
        direction=m.LOWER,
        comparator="≤",
        baseline=100.0,
        year0=2020,
        target=86.0,
        year1=2025,
        actual=99.0,
        year=2021,
    )
    assert b.status == m.LAGGING


def test_standard_and_relative() -> None:
    ok = m.assess(
        kind=m.STANDARD,
        direction=m.REACH,
        comparator="≥",
        baseline=None,
        year0=None,
        target=100.0,
        year1=2025,
        actual=100.0,
        year=2022,
    )
    no = m.assess(
        kind=m.STANDARD,
        direction=m.REACH,
        comparator="≥",
        baseline=None,
        year0=None,
        target=100.0,
        year1=2025,
        actual=97.5,
        year=2022,
    )
    assert (ok.status, no.status) == (m.MET, m.NOT_MET)
    rel = m.assess(
        kind=m.RELATIVE,
        direction=m.HIGHER,
        comparator="",
        baseline=None,
        year0=None,
        target=None,
        year1=None,
        actual=8.2,
        year=2021,
        benchmark=8.0,
    )
    assert rel.status == m.MET
    with pytest.raises(m.MethodError):
        m.assess(
            kind=m.RELATIVE,
            direction=m.HIGHER,
            comparator="",
            baseline=None,
            year0=None,
            target=None,
            year1=None,
            actual=8.2,
            year=2021,
        )


def test_no_baseline_no_path() -> None:
    with pytest.raises(m.MethodError):
        m.assess(
            kind=m.LEVEL,
            direction=m.HIGHER,
            comparator="≥",
            baseline=None,
            year0=None,
            target=100.0,
            year1=2025,
            actual=90.0,
            year=2022,
        )
    a = m.assess(
        kind=m.LEVEL,
        direction=m.HIGHER,
        comparator="≥",
        baseline=None,
        year0=None,
        target=100.0,
        year1=2025,
        actual=101.0,
        year=2022,
    )
    assert a.status == m.AHEAD


def test_bad_inputs() -> None:
    with pytest.raises(m.MethodError):
        m.expected(baseline=0.0, target=10.0, year0=2020, year1=2025, year=2021, rule=m.GEOMETRIC)
    with pytest.raises(m.MethodError):
        m.expected(baseline=1.0, target=10.0, year0=2025, year1=2025, year=2021, rule=m.LINEAR)
    assert m.required_growth(actual=1.0, target=2.0, year=2025, year1=2025) is None
    assert m.progress_ratio(actual=5.0, baseline=5.0, expected_value=5.0) is None
