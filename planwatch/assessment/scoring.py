"""The arithmetic of 绩效考核 (methods.md §3), without Django: item points from their rules,
bonuses and deductions, 一票否决, grades by thresholds and ranks within a series.

Every point is carried by a ``Line`` naming the record that earned or lost it (得分反查): the
lines of an item add up to the item's points, the items and the bonus add up to the total.

Default rules (methods.md §3):
- a key task earns weight × min(1, progress ÷ 序时进度), × 0.8 when completed late; the item
  scales the tasks' earnings to its points: points = item points × Σ earned / Σ weight;
- −2 per red 督办 case, −10 per missing report, −5 per report with nothing in it: a deduction
  item starts at its points and never goes below zero (a last line says how much of the
  deductions the floor absorbed, so the lines still add up);
- bonuses entered by hand are capped at +5 in all;
- grades 优秀 ≥ 90, 良好 ≥ 80, 一般 ≥ 60, 较差 below; a 一票否决 gives the grade 否决 whatever
  the total, and ranks the unit after every unit without one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

LATE_FACTOR = 0.8
RED_CASE_POINTS = 2.0
MISSING_REPORT_POINTS = 10.0
EMPTY_REPORT_POINTS = 5.0
BONUS_CAP = 5.0

EXCELLENT = "excellent"  # 优秀
GOOD = "good"  # 良好
FAIR = "fair"  # 一般
POOR = "poor"  # 较差
VETOED = "vetoed"  # 一票否决

# (grade, lowest total) from the top; the last grade takes everything below.
DEFAULT_GRADES: tuple[tuple[str, float], ...] = ((EXCELLENT, 90.0), (GOOD, 80.0), (FAIR, 60.0))

FLOOR = "floor"  # the kind of the line that carries what a floor absorbed


class ScoringError(ValueError):
    """A rule that cannot be applied as written."""


@dataclass(frozen=True)
class Line:
    """A record's contribution to an item: ``ref`` says which record (e.g. "report:812")."""

    kind: str
    ref: str
    label: str
    points: float


@dataclass
class ItemScore:
    code: str
    max_points: float
    points: float
    lines: list[Line] = field(default_factory=list)


@dataclass(frozen=True)
class TaskRecord:
    ref: str
    label: str
    weight: float
    progress: float  # 0–100
    expected: float  # 序时进度, 0–100
    completed_late: bool = False


def task_earning(
    weight: float,
    progress: float,
    expected: float,
    completed_late: bool = False,
    late_factor: float = LATE_FACTOR,
) -> float:
    """weight × min(1, progress ÷ 序时进度), × late_factor when completed late. A task not yet
    expected to have progressed (序时进度 ≤ 0) earns its whole weight."""
    if weight < 0 or progress < 0:
        raise ScoringError("weight and progress must be ≥ 0")
    ratio = 1.0 if expected <= 0 else min(1.0, progress / expected)
    earned = weight * ratio
    return earned * late_factor if completed_late else earned


def task_item(
    code: str,
    max_points: float,
    tasks: Sequence[TaskRecord],
    late_factor: float = LATE_FACTOR,
) -> ItemScore:
    """The key-task item: its points shared by the tasks in proportion to their weights,
    each task earning its share × min(1, progress ÷ 序时进度) (× 0.8 when late). Without any
    task the item earns nothing (there is nothing to assess it on)."""
    total_weight = sum(t.weight for t in tasks)
    item = ItemScore(code=code, max_points=max_points, points=0.0)
    if total_weight <= 0:
        return item
    for t in tasks:
        earned = task_earning(t.weight, t.progress, t.expected, t.completed_late, late_factor)
        pts = max_points * earned / total_weight
        item.lines.append(Line("task", t.ref, t.label, pts))
    item.points = sum(line.points for line in item.lines)
    return item


@dataclass(frozen=True)
class Deduction:
    kind: str  # "red_case", "missing_report", "empty_report", "manual", …
    ref: str
    label: str
    points: float  # > 0: what it deducts


def deduction_item(code: str, max_points: float, deductions: Iterable[Deduction]) -> ItemScore:
    """An item that starts at its points and loses each deduction, never below zero. The lines
    are: one per deduction (negative), and, when the floor was reached, a positive line of
    kind ``floor`` for what it absorbed; max_points + Σ lines = points."""
    item = ItemScore(code=code, max_points=max_points, points=max_points)
    for d in deductions:
        if d.points < 0:
            raise ScoringError(f"{d.ref}: a deduction is a positive number of points")
        item.lines.append(Line(d.kind, d.ref, d.label, -d.points))
    raw = max_points + sum(line.points for line in item.lines)
    if raw < 0:
        item.lines.append(Line(FLOOR, "", "", -raw))
        raw = 0.0
    item.points = raw
    return item


def red_case_deductions(refs: Iterable[tuple[str, str]]) -> list[Deduction]:
    return [Deduction("red_case", ref, label, RED_CASE_POINTS) for ref, label in refs]


def report_deductions(
    missing: Iterable[tuple[str, str]], empty: Iterable[tuple[str, str]]
) -> list[Deduction]:
    out = [Deduction("missing_report", r, lab, MISSING_REPORT_POINTS) for r, lab in missing]
    out += [Deduction("empty_report", r, lab, EMPTY_REPORT_POINTS) for r, lab in empty]
    return out


def ratio_item(code: str, max_points: float, ratio: float | None, ref: str = "") -> ItemScore:
    """An item earned in proportion to a ratio in [0, 1] (e.g. the share of indicators on
    track, a project 完成率); no ratio (nothing to assess) earns nothing."""
    item = ItemScore(code=code, max_points=max_points, points=0.0)
    if ratio is None:
        return item
    r = min(1.0, max(0.0, ratio))
    item.lines.append(Line("ratio", ref, f"{r:.4f}", max_points * r))
    item.points = max_points * r
    return item


@dataclass(frozen=True)
class Bonus:
    ref: str
    label: str
    points: float


def bonus_total(bonuses: Iterable[Bonus], cap: float = BONUS_CAP) -> tuple[float, list[Line]]:
    """Σ bonuses, capped: the lines are the bonuses and, when the cap bites, a negative line
    of kind ``floor`` for what it cut; Σ lines = the capped total."""
    lines = []
    for b in bonuses:
        if b.points < 0:
            raise ScoringError(f"{b.ref}: a bonus is a positive number of points")
        lines.append(Line("bonus", b.ref, b.label, b.points))
    raw = sum(line.points for line in lines)
    if raw > cap:
        lines.append(Line(FLOOR, "", "", cap - raw))
        raw = cap
    return raw, lines


def grade(
    total: float, vetoed: bool = False, thresholds: Sequence[tuple[str, float]] = DEFAULT_GRADES
) -> str:
    if vetoed:
        return VETOED
    for name, lowest in thresholds:
        if total >= lowest:
            return name
    return POOR


@dataclass
class UnitResult:
    unit: str
    items: list[ItemScore]
    bonus: float = 0.0
    bonus_lines: list[Line] = field(default_factory=list)
    vetoed: bool = False
    veto_reason: str = ""

    @property
    def total(self) -> float:
        return sum(i.points for i in self.items) + self.bonus

    def grade(self, thresholds: Sequence[tuple[str, float]] = DEFAULT_GRADES) -> str:
        return grade(self.total, self.vetoed, thresholds)


def rank(totals: Mapping[str, float], vetoed: Iterable[str] = ()) -> dict[str, int]:
    """Competition ranks within a series (1, 2, 2, 4), highest total first; the units with a
    一票否决 come after all the others, ranked among themselves by total."""
    vetoed_set = set(vetoed)
    clear = {u: t for u, t in totals.items() if u not in vetoed_set}
    out = {u: 1 + sum(1 for o in clear.values() if o > t) for u, t in clear.items()}
    barred = {u: t for u, t in totals.items() if u in vetoed_set}
    for u, t in barred.items():
        out[u] = len(clear) + 1 + sum(1 for o in barred.values() if o > t)
    return out
