"""The formulas of the 区域一体化发展指数 (methods.md §2) against hand computations on a small
data set, to the fourth decimal, under each normalisation and weighting.

The data set: two places A and B, base year 2020, the tree

    D1 (weight 2) ── S1 ── I1 (positive), I2 (negative)
    D2 (weight 1) ── S2 ── I3 (positive)

          I1 2020  I1 2021  I2 2020  I2 2021  I3 2020  I3 2021
    A       100      110      20       16       200      180
    B        50       60      10       10        40       50
"""

from __future__ import annotations

import math

import pytest

from planwatch.assessment import index_methods as im

DATA = {
    ("I1", "A", 2020): 100.0,
    ("I1", "A", 2021): 110.0,
    ("I1", "B", 2020): 50.0,
    ("I1", "B", 2021): 60.0,
    ("I2", "A", 2020): 20.0,
    ("I2", "A", 2021): 16.0,
    ("I2", "B", 2020): 10.0,
    ("I2", "B", 2021): 10.0,
    ("I3", "A", 2020): 200.0,
    ("I3", "A", 2021): 180.0,
    ("I3", "B", 2020): 40.0,
    ("I3", "B", 2021): 50.0,
}

TREE = (
    im.Dimension(
        "D1",
        weight=2,
        subdimensions=(
            im.SubDimension(
                "S1",
                indicators=(im.IndicatorSpec("I1"), im.IndicatorSpec("I2", direction=im.NEGATIVE)),
            ),
        ),
    ),
    im.Dimension(
        "D2", weight=1, subdimensions=(im.SubDimension("S2", indicators=(im.IndicatorSpec("I3"),)),)
    ),
)


def method(normalisation: str = im.FIXED_BASE, weighting: str = im.EQUAL) -> im.Method:
    return im.Method(TREE, base_year=2020, normalisation=normalisation, weighting=weighting)


def close(a: float | None, b: float) -> bool:
    return a is not None and abs(a - b) < 5e-5


def test_fixed_base_one_value() -> None:
    assert im.fixed_base(110, 100) == pytest.approx(110.0)  # 110/100·100
    assert im.fixed_base(16, 20, im.NEGATIVE) == pytest.approx(125.0)  # 20/16·100
    with pytest.raises(ZeroDivisionError):
        im.fixed_base(5, 0)
    with pytest.raises(im.MethodError):
        im.fixed_base(5, 1, "moderate")


def test_fixed_base_equal_weights_by_hand() -> None:
    r = im.compute(method(), DATA, ["A", "B"], [2020, 2021])
    # The base year is 100 for every node of every place.
    for p in "AB":
        for code in ("I1", "I2", "I3", "S1", "D1", "D2", "TOTAL"):
            assert close(r.value(p, 2020, code), 100.0)
    # A 2021: I1 = 110/100·100 = 110; I2 = 20/16·100 = 125; S1 = D1 = (110+125)/2 = 117.5;
    # I3 = 180/200·100 = 90 = D2; index = (117.5+90)/2 = 103.75
    assert close(r.value("A", 2021, "I2"), 125.0)
    assert close(r.value("A", 2021, "D1"), 117.5)
    assert close(r.value("A", 2021, "D2"), 90.0)
    assert close(r.value("A", 2021), 103.75)
    # B 2021: I1 = 60/50·100 = 120; I2 = 10/10·100 = 100; D1 = 110; I3 = 50/40·100 = 125;
    # index = (110+125)/2 = 117.5
    assert close(r.value("B", 2021, "D1"), 110.0)
    assert close(r.value("B", 2021), 117.5)
    assert r.ranks(2021) == {"B": 1, "A": 2}
    assert r.missing == []
    # Convergence 2021 over (103.75, 117.5): μ = 110.625, σ = 13.75/2 = 6.875,
    # CV = 6.875/110.625 = 0.062147; Theil = ½[(103.75/μ)ln(103.75/μ) + (117.5/μ)ln(117.5/μ)]
    conv = {c.year: c for c in r.convergence}
    assert close(conv[2021].mean, 110.625)
    assert close(conv[2021].cv, 0.0621)  # 0.062146…
    mu = 110.625
    hand_theil = ((103.75 / mu) * math.log(103.75 / mu) + (117.5 / mu) * math.log(117.5 / mu)) / 2
    assert close(conv[2021].theil, hand_theil)
    assert close(conv[2021].theil, 0.0019)  # 0.0019324
    assert close(conv[2020].cv, 0.0) and close(conv[2020].theil, 0.0)


def test_fixed_base_set_weights_by_hand() -> None:
    r = im.compute(method(weighting=im.SET), DATA, ["A", "B"], [2020, 2021])
    # D1 weighs 2, D2 weighs 1: A = (2·117.5 + 90)/3 = 108.3333; B = (2·110 + 125)/3 = 115
    assert close(r.value("A", 2021), 108.3333)
    assert close(r.value("B", 2021), 115.0)
    assert close(r.weights["D1"], 2 / 3) and close(r.weights["D2"], 1 / 3)


def test_min_max_equal_weights_by_hand() -> None:
    r = im.compute(method(im.MIN_MAX), DATA, ["A", "B"], [2020, 2021])
    # Pooled over A, B × 2020, 2021.
    # I1 ∈ {100, 110, 50, 60}: min 50, max 110 → A20 = 50/60·100 = 83.3333, A21 = 100, B20 = 0,
    #    B21 = 10/60·100 = 16.6667
    # I2 (negative) ∈ {20, 16, 10, 10}: (20 − x)/10·100 → A20 = 0, A21 = 40, B = 100
    # I3 ∈ {200, 180, 40, 50}: min 40, max 200 → A20 = 100, A21 = 87.5, B20 = 0, B21 = 6.25
    assert close(r.value("A", 2020, "I1"), 83.3333)
    assert close(r.value("B", 2021, "I1"), 16.6667)
    assert close(r.value("A", 2021, "I2"), 40.0)
    assert close(r.value("B", 2020, "I2"), 100.0)
    assert close(r.value("B", 2021, "I3"), 6.25)
    # A21: S1 = (100+40)/2 = 70, D2 = 87.5, index = (70+87.5)/2 = 78.75
    assert close(r.value("A", 2021), 78.75)
    # B21: S1 = (16.6667+100)/2 = 58.3333, D2 = 6.25, index = (58.3333+6.25)/2 = 32.2917
    assert close(r.value("B", 2021), 32.2917)
    # A20: S1 = (83.3333+0)/2 = 41.6667, D2 = 100, index = 70.8333
    assert close(r.value("A", 2020), 70.8333)


def _entropy(xs: list[float]) -> float:
    total = sum(xs)
    return -sum((x / total) * math.log(x / total) for x in xs if x > 0) / math.log(len(xs))


def test_min_max_entropy_weights_by_hand() -> None:
    r = im.compute(method(im.MIN_MAX, im.ENTROPY), DATA, ["A", "B"], [2020, 2021])
    # The min–max scores of the four observations (A20, A21, B20, B21):
    # I1 = [83.3333, 100, 0, 16.6667] (Σ 200): p = [0.4167, 0.5, 0, 0.0833]
    # e1 = −(0.4167 ln 0.4167 + 0.5 ln 0.5 + 0.0833 ln 0.0833)/ln 4 = 0.6625
    # I2 = [0, 40, 100, 100] (Σ 240): e2 = −(1/6 ln 1/6 + 2·5/12 ln 5/12)/ln 4 = 0.7417
    # I3 = [100, 87.5, 0, 6.25] (Σ 193.75): e3 = 0.5851
    e1 = -(
        (250 / 3 / 200) * math.log(250 / 3 / 200)
        + 0.5 * math.log(0.5)
        + (50 / 3 / 200) * math.log(50 / 3 / 200)
    ) / math.log(4)
    e2 = -((1 / 6) * math.log(1 / 6) + 2 * (5 / 12) * math.log(5 / 12)) / math.log(4)
    assert close(e1, 0.6625) and close(e2, 0.7417) and close(_entropy([100, 87.5, 0, 6.25]), 0.5851)
    # w = (1 − e)/Σ(1 − e) = (0.3375, 0.2583, 0.4149)/1.0107 = (0.3339, 0.2556, 0.4105)
    assert close(r.weights["I1"], 0.3339 / (0.3339 + 0.2556))  # within S1
    assert close(r.weights["D1"], 0.5895)  # 0.3339 + 0.2556
    assert close(r.weights["D2"], 0.4105)
    # The index is Σ w_j x_j: A21 = 0.33392·100 + 0.25559·40 + 0.41049·87.5 = 79.5336
    assert close(r.value("A", 2021), 79.5336)
    # B21 = 0.33392·16.6667 + 0.25559·100 + 0.41049·6.25 = 33.6896
    assert close(r.value("B", 2021), 33.6896)
    # S1 of A21 = (0.33392·100 + 0.25559·40)/(0.33392 + 0.25559) = 73.9864
    assert close(r.value("A", 2021, "S1"), 73.9864)


def test_entropy_weights_alone() -> None:
    # x = [1, 2, 3]: e = −(1/6 ln 1/6 + 1/3 ln 1/3 + 1/2 ln 1/2)/ln 3 = 0.920620
    # y = [4, 4, 2]: e = −(2·0.4 ln 0.4 + 0.2 ln 0.2)/ln 3 = 0.960230
    # w = (0.079380, 0.039770)/0.119150 = (0.6662, 0.3338)
    w = im.entropy_weights({"x": [1, 2, 3], "y": [4, 4, 2]})
    assert close(w["x"], 0.6662) and close(w["y"], 0.3338)
    # An indicator that does not vary carries no information: weight 0.
    w = im.entropy_weights({"x": [1, 2, 3], "flat": [5, 5, 5]})
    assert close(w["flat"], 0.0) and close(w["x"], 1.0)
    # None carries any: equal weights.
    assert im.entropy_weights({"a": [1, 1], "b": [2, 2]}) == {"a": 0.5, "b": 0.5}
    with pytest.raises(im.MethodError):
        im.entropy_weights({"a": [1, 2], "b": [1, 2, 3]})


def test_min_max_and_weighted_mean_alone() -> None:
    assert im.min_max({"a": 2, "b": 4, "c": 6}) == {"a": 0.0, "b": 50.0, "c": 100.0}
    assert im.min_max({"a": 2, "b": 4, "c": 6}, im.NEGATIVE) == {"a": 100.0, "b": 50.0, "c": 0.0}
    assert im.min_max({"a": 3, "b": 3}) == {"a": 100.0, "b": 100.0}
    # (1·10 + 3·20)/4 = 17.5
    assert im.weighted_mean({"a": 10, "b": 20}, {"a": 1, "b": 3}) == pytest.approx(17.5)
    assert im.weighted_mean({"a": 10, "b": None}) is None


def test_convergence_alone() -> None:
    # [2, 4, 6]: μ = 4, σ = √((4 + 0 + 4)/3) = 1.632993, CV = 0.408248
    assert close(im.coefficient_of_variation([2, 4, 6]), 0.4082)
    # Theil = (0.5 ln 0.5 + 1 ln 1 + 1.5 ln 1.5)/3 = (−0.346574 + 0.608198)/3 = 0.087208
    assert close(im.theil([2, 4, 6]), 0.0872)
    assert im.theil([5, 5, 5]) == pytest.approx(0.0)


def test_missing_inputs_are_listed_never_filled() -> None:
    data = dict(DATA)
    del data[("I3", "B", 2021)]  # B has no I3 in 2021
    del data[("I1", "A", 2020)]  # A has no base for I1
    r = im.compute(method(), data, ["A", "B"], [2020, 2021])
    assert im.Missing("I3", "B", 2021, im.NO_VALUE) in r.missing
    assert im.Missing("I1", "A", 2020, im.NO_BASE) in r.missing
    assert im.Missing("I1", "A", 2021, im.NO_BASE) in r.missing
    assert len(r.missing) == 3
    assert r.missing_places() == ["A", "B"]
    # B 2021: D1 is still computed (110), D2 and the index are not.
    assert close(r.value("B", 2021, "D1"), 110.0)
    assert r.value("B", 2021, "D2") is None and r.value("B", 2021) is None
    # A: D1 has no value in any year; D2 has (90 in 2021); the index has none.
    assert r.value("A", 2021, "D1") is None and close(r.value("A", 2021, "D2"), 90.0)
    assert r.value("A", 2021) is None
    # No convergence where fewer than two places have an index.
    assert r.convergence == []
    # Min–max: the missing observation is listed, the others are normalised without it.
    r = im.compute(method(im.MIN_MAX), data, ["A", "B"], [2020, 2021])
    assert [(m.indicator, m.place, m.year) for m in r.missing] == [
        ("I1", "A", 2020),
        ("I3", "B", 2021),
    ]
    # I3 without B21 ∈ {200, 180, 40}: A21 = 140/160·100 = 87.5 still
    assert close(r.value("A", 2021, "I3"), 87.5)


def test_a_method_that_cannot_be_applied_is_refused() -> None:
    with pytest.raises(im.MethodError):
        im.compute(im.Method((), base_year=2020), DATA, ["A"], [2020])
    bad = (
        im.Dimension(
            "D",
            subdimensions=(
                im.SubDimension("S", indicators=(im.IndicatorSpec("I1", direction="up"),)),
            ),
        ),
    )
    with pytest.raises(im.MethodError, match="direction"):
        im.compute(im.Method(bad, base_year=2020), DATA, ["A"], [2020])
    twice = (
        im.Dimension(
            "D", subdimensions=(im.SubDimension("D", indicators=(im.IndicatorSpec("I1"),)),)
        ),
    )
    with pytest.raises(im.MethodError, match="twice"):
        im.compute(im.Method(twice, base_year=2020), DATA, ["A"], [2020])
    with pytest.raises(im.MethodError, match="normalisation"):
        im.compute(method("z_score"), DATA, ["A"], [2020])
