"""Every formula of the 区域一体化发展指数 (methods.md §2), in one module without Django.

A method is a tree dimension → sub-dimension → indicator. Each indicator has a direction
(positive: higher is better; negative: lower is better) and each node a weight. The raw
observations are normalised indicator by indicator, then aggregated up the tree by weighted
means. Two normalisations:

- ``fixed_base`` (the default): I = x_t / x_0 · 100 for a positive indicator, x_0 / x_t · 100
  for a negative one, x_0 being the value of the same place in the base year (so the base
  year is 100 everywhere);
- ``min_max``: over the pooled panel of the edition (every place × year given), a positive
  indicator becomes (x − min) / (max − min) · 100, a negative one (max − x) / (max − min) · 100;
  an indicator that does not vary at all scores 100 everywhere. Pooling the years keeps the
  scores comparable from one year to the next.

Three weightings: ``equal`` (every child of a node weighs the same, whatever the tree says),
``set`` (the weights written in the tree; a node without a weight weighs 1) and ``entropy``
(indicator weights from the entropy of the min–max scores: p_ij = x_ij / Σ_i x_ij,
e_j = −(1/ln m) Σ_i p_ij ln p_ij, w_j = (1 − e_j) / Σ_j (1 − e_j); a sub-dimension weighs the
sum of its indicators' weights, a dimension the sum of its sub-dimensions', so the index is
Σ_j w_j x_j).

Convergence across places (integration means the gaps narrow): the coefficient of variation
σ / μ (population standard deviation) and the Theil index T = (1/n) Σ (x_i/μ) ln(x_i/μ).

Missing inputs are reported, never filled: a node with any missing input below it has no
value (None), and every missing (indicator, place, year) is listed with its reason.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

POSITIVE = "positive"
NEGATIVE = "negative"
DIRECTIONS = (POSITIVE, NEGATIVE)

FIXED_BASE = "fixed_base"
MIN_MAX = "min_max"
NORMALISATIONS = (FIXED_BASE, MIN_MAX)

EQUAL = "equal"
SET = "set"
ENTROPY = "entropy"
WEIGHTINGS = (EQUAL, SET, ENTROPY)

TOTAL = "TOTAL"  # the code of the index itself in a row of scores

# Reasons a score is missing.
NO_VALUE = "no_value"  # no observation for this place and year
NO_BASE = "no_base"  # fixed base: no observation in the base year
ZERO_VALUE = "zero_value"  # fixed base: a zero divisor (base of a positive, value of a negative)


class MethodError(ValueError):
    """A method that cannot be applied as written (unknown direction, empty tree, …)."""


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str = ""
    direction: str = POSITIVE
    weight: float | None = None


@dataclass(frozen=True)
class SubDimension:
    code: str
    name: str = ""
    weight: float | None = None
    indicators: tuple[IndicatorSpec, ...] = ()


@dataclass(frozen=True)
class Dimension:
    code: str
    name: str = ""
    weight: float | None = None
    subdimensions: tuple[SubDimension, ...] = ()


@dataclass(frozen=True)
class Method:
    dimensions: tuple[Dimension, ...]
    base_year: int
    normalisation: str = FIXED_BASE
    weighting: str = EQUAL

    def indicators(self) -> list[IndicatorSpec]:
        return [i for d in self.dimensions for s in d.subdimensions for i in s.indicators]

    def validate(self) -> None:
        if self.normalisation not in NORMALISATIONS:
            raise MethodError(f"unknown normalisation {self.normalisation!r}")
        if self.weighting not in WEIGHTINGS:
            raise MethodError(f"unknown weighting {self.weighting!r}")
        if not self.indicators():
            raise MethodError("the method has no indicator")
        seen: set[str] = set()

        def once(code: str) -> None:
            if code in seen or code == TOTAL:
                raise MethodError(f"code {code} is used twice in the tree")
            seen.add(code)

        for dim in self.dimensions:
            once(dim.code)
            if not dim.subdimensions:
                raise MethodError(f"dimension {dim.code} has no sub-dimension")
            _check_weight(dim.code, dim.weight)
            for sub in dim.subdimensions:
                once(sub.code)
                if not sub.indicators:
                    raise MethodError(f"sub-dimension {sub.code} has no indicator")
                _check_weight(sub.code, sub.weight)
                for ind in sub.indicators:
                    _check_weight(ind.code, ind.weight)
                    if ind.direction not in DIRECTIONS:
                        raise MethodError(
                            f"indicator {ind.code}: unknown direction {ind.direction!r}"
                        )
                    once(ind.code)


def _check_weight(code: str, weight: float | None) -> None:
    if weight is not None and (not math.isfinite(weight) or weight < 0):
        raise MethodError(f"{code}: a weight must be a number ≥ 0, not {weight!r}")


# ---------------------------------------------------------------- normalisation


def fixed_base(value: float, base: float, direction: str = POSITIVE) -> float:
    """I = x_t / x_0 · 100 (positive) or x_0 / x_t · 100 (negative)."""
    if direction == POSITIVE:
        if base == 0:
            raise ZeroDivisionError("base value is zero")
        return value / base * 100.0
    if direction == NEGATIVE:
        if value == 0:
            raise ZeroDivisionError("value is zero")
        return base / value * 100.0
    raise MethodError(f"unknown direction {direction!r}")


def min_max(values: Mapping[object, float], direction: str = POSITIVE) -> dict[object, float]:
    """(x − min)/(max − min)·100 (positive) or (max − x)/(max − min)·100 (negative) over the
    values given; 100 everywhere when they are all equal."""
    if direction not in DIRECTIONS:
        raise MethodError(f"unknown direction {direction!r}")
    if not values:
        return {}
    lo, hi = min(values.values()), max(values.values())
    if hi == lo:
        return {k: 100.0 for k in values}
    span = hi - lo
    if direction == POSITIVE:
        return {k: (v - lo) / span * 100.0 for k, v in values.items()}
    return {k: (hi - v) / span * 100.0 for k, v in values.items()}


# ---------------------------------------------------------------- weights


def entropy_weights(matrix: Mapping[str, Sequence[float]]) -> dict[str, float]:
    """Entropy weights of the indicators of ``matrix`` (indicator → its m non-negative scores,
    the same m observations for every indicator). p = x/Σx; e = −(1/ln m)Σ p ln p (0·ln 0 = 0);
    w = (1 − e)/Σ(1 − e). An indicator whose scores are all zero carries no information (e = 1).
    When no indicator carries information the weights are equal."""
    if not matrix:
        raise MethodError("no indicator to weigh")
    sizes = {len(v) for v in matrix.values()}
    if len(sizes) != 1:
        raise MethodError("entropy weights need the same observations for every indicator")
    m = sizes.pop()
    if m < 2:
        raise MethodError("entropy weights need at least two observations")
    divergence: dict[str, float] = {}
    for code, scores in matrix.items():
        if any(x < 0 for x in scores):
            raise MethodError(f"indicator {code}: entropy weights need scores ≥ 0")
        total = sum(scores)
        if total == 0:
            divergence[code] = 0.0
            continue
        e = -sum((x / total) * math.log(x / total) for x in scores if x > 0) / math.log(m)
        divergence[code] = 1.0 - e
    s = sum(divergence.values())
    if s <= 1e-15:
        return {code: 1.0 / len(matrix) for code in matrix}
    return {code: d / s for code, d in divergence.items()}


def weighted_mean(
    values: Mapping[str, float | None], weights: Mapping[str, float] | None = None
) -> float | None:
    """Σ w·v / Σ w over the keys of ``values``; None if any value is None (never filled).
    Without weights every value weighs the same."""
    if not values:
        return None
    if any(v is None for v in values.values()):
        return None
    w = {k: (1.0 if weights is None else float(weights[k])) for k in values}
    total = sum(w.values())
    if total <= 0:
        raise MethodError("the weights of a node add up to zero")
    return sum(w[k] * float(v) for k, v in values.items() if v is not None) / total


# ---------------------------------------------------------------- convergence


def coefficient_of_variation(values: Iterable[float]) -> float:
    """σ/μ with the population standard deviation σ = √(Σ(x − μ)²/n)."""
    xs = list(values)
    if not xs:
        raise MethodError("no value")
    mu = sum(xs) / len(xs)
    if mu == 0:
        raise MethodError("the mean is zero")
    sigma = math.sqrt(sum((x - mu) ** 2 for x in xs) / len(xs))
    return sigma / mu


def theil(values: Iterable[float]) -> float:
    """T = (1/n) Σ (x_i/μ) ln(x_i/μ), values > 0 (a zero contributes 0)."""
    xs = list(values)
    if not xs:
        raise MethodError("no value")
    if any(x < 0 for x in xs):
        raise MethodError("the Theil index needs values ≥ 0")
    mu = sum(xs) / len(xs)
    if mu == 0:
        raise MethodError("the mean is zero")
    return sum((x / mu) * math.log(x / mu) for x in xs if x > 0) / len(xs)


# ---------------------------------------------------------------- computation


@dataclass(frozen=True)
class Missing:
    indicator: str
    place: str
    year: int
    reason: str


@dataclass(frozen=True)
class Convergence:
    year: int
    places: int
    mean: float
    cv: float
    theil: float


@dataclass
class IndexResult:
    method: Method
    places: tuple[str, ...]
    years: tuple[int, ...]
    # (place, year) → code → score; codes are indicators, sub-dimensions, dimensions and
    # TOTAL for the index itself. None: not computed (a missing input below it).
    scores: dict[tuple[str, int], dict[str, float | None]] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)  # normalised within each parent
    missing: list[Missing] = field(default_factory=list)
    convergence: list[Convergence] = field(default_factory=list)

    def value(self, place: str, year: int, code: str = "TOTAL") -> float | None:
        return self.scores.get((place, year), {}).get(code)

    def missing_places(self) -> list[str]:
        named = {m.place for m in self.missing}
        return [p for p in self.places if p in named]

    def ranks(self, year: int, code: str = "TOTAL") -> dict[str, int]:
        """Competition ranks (1, 2, 2, 4) of the places with a value, highest first."""
        vals = {p: self.value(p, year, code) for p in self.places}
        present = {p: v for p, v in vals.items() if v is not None}
        return {p: 1 + sum(1 for w in present.values() if w > v) for p, v in present.items()}


def compute(
    method: Method,
    data: Mapping[tuple[str, str, int], float],
    places: Sequence[str],
    years: Sequence[int],
    convergence_places: Sequence[str] | None = None,
) -> IndexResult:
    """The index of ``places`` in ``years`` from ``data`` ((indicator, place, year) → value).
    For the fixed base the base year's values are read from ``data`` too. The convergence is
    measured across ``convergence_places`` (all the places unless given: a zone computed
    beside its cities is not one of the places converging)."""
    method.validate()
    places_t = tuple(places)
    years_t = tuple(sorted(set(years)))
    if not places_t or not years_t:
        raise MethodError("no place or no year to compute")
    result = IndexResult(method=method, places=places_t, years=years_t)
    inds = method.indicators()

    # 1. indicator scores
    scores: dict[str, dict[tuple[str, int], float | None]] = {}
    for ind in inds:
        per: dict[tuple[str, int], float | None] = {}
        if method.normalisation == FIXED_BASE:
            for p in places_t:
                base = data.get((ind.code, p, method.base_year))
                for y in years_t:
                    x = data.get((ind.code, p, y))
                    if base is None:
                        per[(p, y)] = None
                        result.missing.append(Missing(ind.code, p, y, NO_BASE))
                    elif x is None:
                        per[(p, y)] = None
                        result.missing.append(Missing(ind.code, p, y, NO_VALUE))
                    else:
                        try:
                            per[(p, y)] = fixed_base(x, base, ind.direction)
                        except ZeroDivisionError:
                            per[(p, y)] = None
                            result.missing.append(Missing(ind.code, p, y, ZERO_VALUE))
        else:
            present: dict[object, float] = {}
            for p in places_t:
                for y in years_t:
                    x = data.get((ind.code, p, y))
                    if x is None:
                        per[(p, y)] = None
                        result.missing.append(Missing(ind.code, p, y, NO_VALUE))
                    else:
                        present[(p, y)] = x
            for key, s in min_max(present, ind.direction).items():
                per[key] = s  # type: ignore[index]
        scores[ind.code] = per

    # 2. weights, normalised within each parent
    weights = _weights(method, scores, places_t, years_t)
    result.weights = weights

    # 3. aggregation
    for p in places_t:
        for y in years_t:
            row: dict[str, float | None] = {}
            dim_vals: dict[str, float | None] = {}
            for dim in method.dimensions:
                sub_vals: dict[str, float | None] = {}
                for sub in dim.subdimensions:
                    ind_vals = {i.code: scores[i.code][(p, y)] for i in sub.indicators}
                    row.update(ind_vals)
                    sub_vals[sub.code] = weighted_mean(ind_vals, weights)
                row.update(sub_vals)
                dim_vals[dim.code] = weighted_mean(sub_vals, weights)
            row.update(dim_vals)
            row[TOTAL] = weighted_mean(dim_vals, weights)
            result.scores[(p, y)] = row

    # 4. convergence of the index across the places that have one
    conv_places = places_t if convergence_places is None else tuple(convergence_places)
    for y in years_t:
        vals = [v for p in conv_places if (v := result.value(p, y)) is not None]
        if len(vals) >= 2 and sum(vals) > 0:
            result.convergence.append(
                Convergence(
                    year=y,
                    places=len(vals),
                    mean=sum(vals) / len(vals),
                    cv=coefficient_of_variation(vals),
                    theil=theil(vals),
                )
            )
    return result


def _weights(
    method: Method,
    scores: Mapping[str, Mapping[tuple[str, int], float | None]],
    places: Sequence[str],
    years: Sequence[int],
) -> dict[str, float]:
    """Every node's weight within its parent, the weights of one parent adding up to 1."""
    raw: dict[str, float] = {}
    if method.weighting == ENTROPY:
        # Entropy weights use the observations (place × year) complete for every indicator.
        keys = [
            (p, y)
            for p in places
            for y in years
            if all(scores[i.code][(p, y)] is not None for i in method.indicators())
        ]
        if len(keys) < 2:
            raise MethodError("entropy weights need at least two places × years with every input")
        if method.normalisation == MIN_MAX:
            matrix = {
                i.code: [float(scores[i.code][k] or 0.0) for k in keys] for i in method.indicators()
            }
        else:
            # Under the fixed base the weights come from the min–max scores all the same.
            matrix = {}
            for i in method.indicators():
                mm = min_max({k: float(scores[i.code][k] or 0.0) for k in keys}, POSITIVE)
                matrix[i.code] = [mm[k] for k in keys]
        ew = entropy_weights(matrix)
        for dim in method.dimensions:
            dim_w = 0.0
            for sub in dim.subdimensions:
                sub_w = sum(ew[i.code] for i in sub.indicators)
                for i in sub.indicators:
                    raw[i.code] = ew[i.code]
                raw[sub.code] = sub_w
                dim_w += sub_w
            raw[dim.code] = dim_w
    else:
        use = method.weighting == SET

        def w(node: IndicatorSpec | SubDimension | Dimension) -> float:
            return 1.0 if not use or node.weight is None else float(node.weight)

        for dim in method.dimensions:
            raw[dim.code] = w(dim)
            for sub in dim.subdimensions:
                raw[sub.code] = w(sub)
                for i in sub.indicators:
                    raw[i.code] = w(i)
    out: dict[str, float] = {}
    groups: list[list[str]] = [[d.code for d in method.dimensions]]
    for dim in method.dimensions:
        groups.append([s.code for s in dim.subdimensions])
        for sub in dim.subdimensions:
            groups.append([i.code for i in sub.indicators])
    for g in groups:
        s = sum(raw[c] for c in g)
        for c in g:
            out[c] = raw[c] / s if s > 0 else 1.0 / len(g)
    return out
