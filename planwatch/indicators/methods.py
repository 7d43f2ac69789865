"""Every formula of indicator monitoring in one pure module (no Django, no database):
the expected path from baseline to target, the progress ratio r, the growth still required
each year, and the status words of the national mid-term review — with the thresholds and
path rules held in a versioned `Method` whose version is stored with each computed status,
so a published status can be recomputed exactly as it was published
(/work/shared/docs/methods.md §1)."""

from __future__ import annotations

import math
from dataclasses import dataclass

# Status words (the national mid-term review's own words) and the standard / relative ones.
AHEAD = "提前实现"
FASTER = "快于预期"
ON_TRACK = "基本符合预期"
LAGGING = "滞后"
MET = "达标"
NOT_MET = "未达标"
STATUSES = (AHEAD, FASTER, ON_TRACK, LAGGING, MET, NOT_MET)
# Statuses that count as "behind" (a binding indicator in one of them opens a 督办 case).
BEHIND = frozenset({LAGGING, NOT_MET})

# Indicator kinds and directions (also the choices of the models).
LEVEL, GROWTH, SHARE, RELATIVE, ASSIGNED, STANDARD = (
    "level",
    "growth",
    "share",
    "relative",
    "assigned",
    "standard",
)
HIGHER, LOWER, REACH = "higher", "lower", "reach"
GEOMETRIC, LINEAR = "geometric", "linear"


@dataclass(frozen=True)
class Method:
    """A versioned set of thresholds and path rules. `version` is stored with every status
    computed under it; a changed threshold is a new version, never an edit of an old one."""

    version: str = "2026.1"
    faster: float = 1.1  # r ≥ faster → 快于预期
    on_track: float = 0.9  # on_track ≤ r < faster → 基本符合预期; below → 滞后
    amount_path: str = GEOMETRIC  # path for amounts (level indicators)
    other_path: str = LINEAR  # path for rates, shares and the rest


DEFAULT_METHOD = Method()


class MethodError(ValueError):
    """Inputs the formulas cannot work with (e.g. a geometric path through zero)."""


def path_rule(kind: str, method: Method = DEFAULT_METHOD) -> str:
    """Which path an indicator of `kind` follows: geometric for amounts by default."""
    return method.amount_path if kind == LEVEL else method.other_path


def expected(
    *, baseline: float, target: float, year0: int, year1: int, year: int, rule: str
) -> float:
    """E_t on the path from B (year0) to T (year1): linear B + (T − B)(t − t₀)/(t₁ − t₀) or
    geometric B·(T/B)^((t − t₀)/(t₁ − t₀))."""
    if year1 <= year0:
        raise MethodError("target year must be after the baseline year")
    share = (year - year0) / (year1 - year0)
    if rule == LINEAR:
        return baseline + (target - baseline) * share
    if rule == GEOMETRIC:
        if baseline <= 0 or target <= 0:
            raise MethodError("a geometric path needs a positive baseline and target")
        return float(baseline * (target / baseline) ** share)
    raise MethodError(f"unknown path rule {rule!r}")


def expected_path(
    *, baseline: float, target: float, year0: int, year1: int, rule: str
) -> list[tuple[int, float]]:
    """(year, E_t) for every year from the baseline year to the target year."""
    return [
        (y, expected(baseline=baseline, target=target, year0=year0, year1=year1, year=y, rule=rule))
        for y in range(year0, year1 + 1)
    ]


def progress_ratio(*, actual: float, baseline: float, expected_value: float) -> float | None:
    """r = (A_t − B)/(E_t − B); None when the path has not moved yet (E_t = B)."""
    denominator = expected_value - baseline
    if math.isclose(denominator, 0.0, abs_tol=1e-12):
        return None
    return (actual - baseline) / denominator


def required_growth(*, actual: float, target: float, year: int, year1: int) -> float | None:
    """g = (T/A_t)^(1/(t₁ − t)) − 1: the yearly growth still needed to reach the target
    (None at or after the target year, or when the figures are not positive)."""
    if year >= year1 or actual <= 0 or target <= 0:
        return None
    return float((target / actual) ** (1 / (year1 - year)) - 1)


def reached(*, actual: float, target: float, direction: str, comparator: str = "") -> bool:
    """Whether the target is met by `actual` (≥ for higher-is-better, ≤ for lower)."""
    if direction == LOWER or comparator == "≤":
        return actual <= target
    if comparator == "=":
        return math.isclose(actual, target, rel_tol=1e-9)
    return actual >= target


@dataclass(frozen=True)
class Assessment:
    """What one observation says against its indicator's path."""

    status: str
    expected: float | None
    ratio: float | None
    required_growth: float | None
    method_version: str


def status_for_ratio(ratio: float | None, method: Method = DEFAULT_METHOD) -> str:
    """快于预期 / 基本符合预期 / 滞后 from r (no movement expected yet counts as on track)."""
    if ratio is None or method.on_track <= ratio < method.faster:
        return ON_TRACK
    return FASTER if ratio >= method.faster else LAGGING


def assess(
    *,
    kind: str,
    direction: str,
    comparator: str,
    baseline: float | None,
    year0: int | None,
    target: float | None,
    year1: int | None,
    actual: float,
    year: int,
    benchmark: float | None = None,
    method: Method = DEFAULT_METHOD,
) -> Assessment:
    """The status of one observation (`actual` in `year`) of an indicator.

    Standard indicators are 达标 / 未达标 against their target; relative ones 达标 when they
    beat their benchmark that year; the others 提前实现 once the target is reached, else by r."""
    v = method.version
    if kind == RELATIVE:
        if benchmark is None:
            raise MethodError("a relative indicator needs a benchmark")
        ok = reached(actual=actual, target=benchmark, direction=direction)
        return Assessment(MET if ok else NOT_MET, benchmark, None, None, v)
    if target is None:
        raise MethodError("the indicator has no target")
    ok = reached(actual=actual, target=target, direction=direction, comparator=comparator)
    if kind in (STANDARD, ASSIGNED):
        return Assessment(MET if ok else NOT_MET, target, None, None, v)
    if baseline is None or year0 is None or year1 is None:
        if ok:  # reached needs no path
            return Assessment(AHEAD, None, None, None, v)
        raise MethodError("no baseline: the expected path cannot be drawn")
    rule = path_rule(kind, method)
    e = expected(baseline=baseline, target=target, year0=year0, year1=year1, year=year, rule=rule)
    g = (
        required_growth(actual=actual, target=target, year=year, year1=year1)
        if kind == LEVEL
        else None
    )
    if reached(actual=actual, target=target, direction=direction, comparator=comparator) and (
        not math.isclose(target, baseline)
    ):
        return Assessment(
            AHEAD, e, progress_ratio(actual=actual, baseline=baseline, expected_value=e), g, v
        )
    r = progress_ratio(actual=actual, baseline=baseline, expected_value=e)
    return Assessment(status_for_ratio(r, method), e, r, g, v)
