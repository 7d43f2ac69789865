"""Turning a plan's extracted targets and baselines (plans.Quantity) into draft indicators:
each numeric target becomes one draft with the baseline of the same name (and compatible
unit) attached, values brought to one unit, and every drafted field remembering the clause
(line, page, text) it came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planwatch.indicators import methods as m
from planwatch.plans.models import Quantity

SCALES = (("万亿", 1e12), ("亿", 1e8), ("万", 1e4))
# Phrases of indicators where less is better (concentrations, intensities, consumption).
LOWER_WORDS = ("浓度", "能耗", "排放", "劣V类", "劣Ⅴ类", "差距", "收入比")
# Names plans use for the same indicator (经济总量迈上万亿级台阶 = the GDP target).
SYNONYMS = {"经济总量": "地区生产总值"}
COMPARATORS = {">": "≥", ">=": "≥", "≥": "≥", "<": "≤", "<=": "≤", "≤": "≤", "=": "≥"}


def split_unit(unit: str) -> tuple[float, str]:
    """(scale, base): 万亿元 → (1e12, 元); % → (1, %)."""
    for prefix, scale in SCALES:
        if unit.startswith(prefix) and len(unit) > len(prefix):
            return scale, unit[len(prefix) :]
    return 1.0, unit


def convert(value: float, unit: str, to: str) -> float | None:
    """`value` in `unit` expressed in `to`, or None when the bases differ."""
    s1, b1 = split_unit(unit)
    s2, b2 = split_unit(to)
    if b1 != b2:
        return None
    return round(value * s1 / s2, 6)


def preferred_unit(unit: str) -> str:
    """Amounts of money in 亿元 (as statistics offices publish GDP), the rest unchanged."""
    _, base = split_unit(unit)
    return "亿" + base if base == "元" else unit


def _clause(q: Quantity) -> dict[str, Any]:
    return {"quantity": q.pk, "line": q.line, "page": q.page, "text": q.text}


def _kind(q: Quantity) -> str:
    if q.kind == "growth":
        return m.GROWTH
    if q.unit == "%":
        return m.SHARE
    return m.LEVEL


@dataclass
class Draft:
    fields: dict[str, Any]
    drafted_from: dict[str, Any]


def draft_from_target(target: Quantity, baselines: list[Quantity]) -> Draft | None:
    """A draft indicator for one numeric target, or None when the target has no value."""
    if target.value is None:
        return None
    unit = preferred_unit(target.unit)
    value = convert(target.value, target.unit, unit)
    clause = _clause(target)
    kind = _kind(target)
    lower = any(w in target.indicator for w in LOWER_WORDS)
    fields: dict[str, Any] = {
        "name": target.indicator,
        "unit": unit,
        "kind": kind,
        "direction": m.LOWER if lower else m.HIGHER,
        "target_value": value,
        "target_year": target.year,
        "comparator": "≤" if lower else COMPARATORS.get(target.comparator, "≥"),
        "target_node_id": target.node_id,
        "target_line": target.line,
        "target_page": target.page,
        "target_text": target.text,
        "additive": kind == m.LEVEL and split_unit(unit)[1] in ("元", "个", "家", "人", "亩", "吨"),
    }
    sources = {k: clause for k in ("name", "unit", "kind", "target_value", "target_year")}
    sources["comparator"] = clause
    base = _matching_baseline(target, baselines, unit)
    if base is not None:
        b_value = convert(base.value or 0.0, base.unit, unit)
        fields.update(
            baseline_value=b_value,
            baseline_year=base.year,
            baseline_node_id=base.node_id,
            baseline_line=base.line,
            baseline_page=base.page,
        )
        sources["baseline_value"] = sources["baseline_year"] = _clause(base)
    return Draft(fields, sources)


def _matching_baseline(target: Quantity, baselines: list[Quantity], unit: str) -> Quantity | None:
    """The latest baseline of the same indicator name whose unit converts to `unit`."""
    found = [
        b
        for b in baselines
        if SYNONYMS.get(b.indicator, b.indicator)
        == SYNONYMS.get(target.indicator, target.indicator)
        and b.value is not None
        and b.kind != "growth"
        and convert(b.value, b.unit, unit) is not None
    ]
    found.sort(key=lambda b: (b.year or 0, b.line))
    return found[-1] if found else None
