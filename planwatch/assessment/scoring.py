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
- major projects: points × min(1, 完成率 ÷ 时间进度), 完成率 = the unit's projects' Σ YTD
  investment ÷ Σ annual plan at the cut-off month, 时间进度 = months ÷ 12 (the projects app's
  ``methods``); after June, −2 per project whose own 完成率 at the end of June was under half
  (双过半 failed), never below zero;
- an item with nothing to assess it on (no tasks, no indicators, no projects in the year, no
  satisfaction data) is scored by its ``when_nothing`` parameter: "full" (未承担该项工作的，
  该项按满分计; the default) or "zero" (不得分), with one line saying why;
- grades 优秀 ≥ 90, 良好 ≥ 80, 一般 ≥ 60, 较差 below; a 一票否决 gives the grade 否决 whatever
  the total, and ranks the unit after every unit without one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from planwatch.projects import methods as pm

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

BELOW_HALF_POINTS = 2.0  # per project under half at the end of June (双过半 failed)

FLOOR = "floor"  # the kind of the line that carries what a floor absorbed
NOTHING = "nothing"  # the kind of the one line of an item with nothing to assess

FULL = "full"  # nothing to assess: 按满分计 (the default)
ZERO = "zero"  # nothing to assess: 不得分
WHEN_NOTHING = (FULL, ZERO)


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


def nothing_item(
    code: str, max_points: float, when_nothing: str = FULL, label: str = ""
) -> ItemScore:
    """An item with nothing to assess it on: its full points ("full", 未承担该项工作的按满分计)
    or nothing ("zero"), carried by one line of kind ``nothing`` whose label says why."""
    if when_nothing not in WHEN_NOTHING:
        raise ScoringError(f"when_nothing must be one of {WHEN_NOTHING}, not {when_nothing!r}")
    pts = max_points if when_nothing == FULL else 0.0
    return ItemScore(
        code=code, max_points=max_points, points=pts, lines=[Line(NOTHING, "", label, pts)]
    )


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
    when_nothing: str = FULL,
    nothing_label: str = "",
) -> ItemScore:
    """The key-task item: its points shared by the tasks in proportion to their weights,
    each task earning its share × min(1, progress ÷ 序时进度) (× 0.8 when late). Without any
    task there is nothing to assess it on: ``nothing_item``."""
    total_weight = sum(t.weight for t in tasks)
    item = ItemScore(code=code, max_points=max_points, points=0.0)
    if total_weight <= 0:
        return nothing_item(code, max_points, when_nothing, nothing_label)
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


def ratio_item(
    code: str,
    max_points: float,
    ratio: float | None,
    ref: str = "",
    when_nothing: str = FULL,
    nothing_label: str = "",
    label: str = "",
) -> ItemScore:
    """An item earned in proportion to a ratio in [0, 1] (e.g. the share of indicators on
    track, the 公众满意度 rate): points = max_points × ratio, on one line (labelled ``label``,
    else the ratio); no ratio (nothing to assess) is scored by ``when_nothing``
    (``nothing_item``)."""
    item = ItemScore(code=code, max_points=max_points, points=0.0)
    if ratio is None:
        return nothing_item(code, max_points, when_nothing, nothing_label)
    r = min(1.0, max(0.0, ratio))
    item.lines.append(Line("ratio", ref, label or f"{r:.4f}", max_points * r))
    item.points = max_points * r
    return item


@dataclass(frozen=True)
class ProjectRecord:
    """A unit's project in the year: its YTD investment and annual plan at the cut-off month,
    its YTD at the end of June (``june_ytd``, for 双过半) and the labels of its lines."""

    ref: str
    label: str
    ytd: float
    annual_plan: float
    june_ytd: float = 0.0
    half_label: str = ""


def project_item(
    code: str,
    max_points: float,
    projects: Sequence[ProjectRecord],
    month: int,
    per_below_half: float = BELOW_HALF_POINTS,
    when_nothing: str = FULL,
    nothing_label: str = "",
    method: pm.Method = pm.DEFAULT_METHOD,
) -> ItemScore:
    """The major-projects item: points × min(1, 完成率 ÷ 时间进度), with 完成率 = Σ YTD ÷
    Σ annual plan of the unit's projects with a plan (``pm.completion_rate``) and 时间进度 =
    month ÷ 12 (``pm.time_progress``). Each project's line earns points × its YTD ÷ (Σ plan ×
    时间进度); when they add up to more than the points, a negative ``floor`` line cuts the
    excess. After June (``method.double_half_month``), each project whose own 完成率 at the
    end of June was under half (``pm.double_half``) deducts ``per_below_half``; the item never
    goes below zero (a positive ``floor`` line carries what the floor absorbed). No project
    with a plan, or a cut-off before the end of January (month 0): ``nothing_item``."""
    planned = [p for p in projects if p.annual_plan > 0]
    if not planned or month < 1:
        return nothing_item(code, max_points, when_nothing, nothing_label)
    if per_below_half < 0:
        raise ScoringError("the 双过半 deduction is a positive number of points")
    tp = pm.time_progress(month)
    total_plan = sum(p.annual_plan for p in planned)
    item = ItemScore(code=code, max_points=max_points, points=0.0)
    for p in planned:
        item.lines.append(Line("project", p.ref, p.label, max_points * p.ytd / (total_plan * tp)))
    earned = sum(line.points for line in item.lines)
    if earned > max_points:
        item.lines.append(Line(FLOOR, "", "", max_points - earned))
    if month > method.double_half_month:
        rows = [pm.DoubleHalfRow(p.ref, ytd=p.june_ytd, annual_plan=p.annual_plan) for p in planned]
        below = set(pm.double_half(rows, method).below_half)
        for p in planned:
            if p.ref in below:
                item.lines.append(Line("below_half", p.ref, p.half_label, -per_below_half))
    raw = sum(line.points for line in item.lines)
    if raw < 0:
        item.lines.append(Line(FLOOR, "", "", -raw))
        raw = 0.0
    item.points = raw
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
