"""Every rule of major-project scheduling (项目调度) in one pure module (no Django models, no
database): 完成率, 时间进度, the gap, the lights, 双过半, 开工率 / 竣工率 / 资金到位率, and the
due date of a monthly 调度 report on the official holiday calendar. The thresholds live in a
versioned `Method` whose version is stored with each computed result, so a published light
can be recomputed exactly as it was published (/work/shared/docs/methods.md §4).

The due date uses the `chinese_calendar` package (pinned in pyproject.toml), which carries the
State Council's holiday and adjusted-workday notices for the years it covers (2004–2026 in
1.11.0). For a year it does not cover the working days are taken as Monday to Friday and the
result says so (`DueDate.official` is False), so a page can mark the date as provisional
instead of pretending to know next year's holidays."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from planwatch.core.workdays import DueDate, add_workdays

GREEN, YELLOW, RED = "green", "yellow", "red"
LIGHTS = (GREEN, YELLOW, RED)


@dataclass(frozen=True)
class Method:
    """A versioned set of thresholds. `version` is stored with every result computed under
    it; a changed threshold is a new version, never an edit of an old one."""

    version: str = "2026.1"
    yellow_behind: float = 10.0  # gap ≤ −yellow_behind points → yellow
    red_behind: float = 30.0  # gap < −red_behind points → red
    not_started_red_after: int = 3  # months after turning yellow, an unstarted project is red
    double_half_month: int = 6  # 双过半 is checked at the end of this month
    double_half_share: float = 0.5  # … against this share of the annual plan / planned starts
    report_due_workdays: int = 5  # a monthly report is due within N working days
    list_group: float = 1 / 3  # 红黑榜: the top / bottom group is this share of the series


DEFAULT_METHOD = Method()


class MethodError(ValueError):
    """Inputs the rules cannot work with (a month outside 1–12, a negative plan)."""


def _check_month(month: int) -> None:
    if not 1 <= month <= 12:
        raise MethodError(f"month must be 1–12, not {month}")


def completion_rate(*, ytd: float, annual_plan: float) -> float | None:
    """完成率 = year-to-date investment ÷ annual plan (None without a positive plan)."""
    if annual_plan < 0:
        raise MethodError("the annual plan cannot be negative")
    if annual_plan == 0:
        return None
    return ytd / annual_plan


def time_progress(month: int) -> float:
    """时间进度 = months elapsed ÷ 12, at the end of `month`."""
    _check_month(month)
    return month / 12


def gap_points(*, rate: float, month: int) -> float:
    """The gap in percentage points: (完成率 − 时间进度) × 100; negative is behind. Rounded
    to 1e-9 point so that a gap exactly on a threshold (40 % in June: 10 points behind) is
    not pushed across it by binary floating point (0.4 − 0.5 = −0.09999…)."""
    return round((rate - time_progress(month)) * 100, 9)


def light_for_gap(gap: float, method: Method = DEFAULT_METHOD) -> str:
    """Green on, ahead or less than `yellow_behind` points behind; yellow from there up to
    `red_behind` points behind; red beyond."""
    if gap < -method.red_behind:
        return RED
    if gap <= -method.yellow_behind:
        return YELLOW
    return GREEN


def months_between(a: dt.date, year: int, month: int) -> int:
    """Whole months from the month of `a` to (`year`, `month`): 0 in the same month."""
    return (year * 12 + month) - (a.year * 12 + a.month)


def light_not_started(
    *, planned_start: dt.date, year: int, month: int, method: Method = DEFAULT_METHOD
) -> str:
    """A project not started: green until its planned start month has passed, yellow once it
    has (as of the end of a later month), red `not_started_red_after` months after that."""
    past = months_between(planned_start, year, month)
    if past <= 0:
        return GREEN
    return RED if past > method.not_started_red_after else YELLOW


@dataclass(frozen=True, slots=True)
class Assessment:
    """What one project's figures say at the end of one month (slots: the 台账 makes one per
    project, thousands per page)."""

    rate: float | None
    time_progress: float
    gap: float | None
    light: str
    reason: str  # "gap", "not_started", "no_plan"
    method_version: str


def assess(
    *,
    year: int,
    month: int,
    ytd: float,
    annual_plan: float,
    started: bool = True,
    planned_start: dt.date | None = None,
    method: Method = DEFAULT_METHOD,
) -> Assessment:
    """The light of a project at the end of (`year`, `month`). A project not yet started and
    past its planned start is judged by the months past; the others by the gap."""
    tp = time_progress(month)
    rate = completion_rate(ytd=ytd, annual_plan=annual_plan)
    gap = None if rate is None else gap_points(rate=rate, month=month)
    if not started and planned_start is not None and months_between(planned_start, year, month):
        light = light_not_started(
            planned_start=planned_start, year=year, month=month, method=method
        )
        if light != GREEN:
            return Assessment(rate, tp, gap, light, "not_started", method.version)
    if gap is None:
        return Assessment(rate, tp, None, GREEN, "no_plan", method.version)
    return Assessment(rate, tp, gap, light_for_gap(gap, method), "gap", method.version)


def ratio(done: int | float, planned: int | float) -> float | None:
    """A plain share (开工率, 竣工率, 资金到位率): None when nothing was planned."""
    if planned < 0 or done < 0:
        raise MethodError("counts and amounts cannot be negative")
    return None if planned == 0 else done / planned


def start_rate(*, started: int, planned_starts: int) -> float | None:
    """开工率 = projects started this year ÷ projects planned to start this year."""
    return ratio(started, planned_starts)


def completion_count_rate(*, completed: int, planned_completions: int) -> float | None:
    """竣工率 = projects completed this year ÷ projects planned to complete this year."""
    return ratio(completed, planned_completions)


def funds_rate(*, funds_in_place: float, planned: float) -> float | None:
    """资金到位率 = funds in place ÷ the investment planned."""
    return ratio(funds_in_place, planned)


@dataclass(frozen=True)
class DoubleHalfRow:
    """One project's figures for the 双过半 check."""

    key: str
    ytd: float
    annual_plan: float
    planned_start_this_year: bool = False
    started: bool = False


@dataclass(frozen=True)
class DoubleHalf:
    """The 双过半 check at the end of June: investment and starts each past half."""

    investment_rate: float | None
    start_rate: float | None
    investment_ok: bool
    starts_ok: bool
    below_half: tuple[str, ...]  # projects whose own 完成率 is under half
    not_started: tuple[str, ...]  # projects planned to start this year and not started
    method_version: str

    @property
    def ok(self) -> bool:
        return self.investment_ok and self.starts_ok


def double_half(rows: Iterable[DoubleHalfRow], method: Method = DEFAULT_METHOD) -> DoubleHalf:
    """双过半: total YTD ÷ total annual plan ≥ half, and starts made ≥ half of those planned;
    names the projects below half (by their own 完成率) and those not started."""
    rows = list(rows)
    share = method.double_half_share
    total_plan = sum(r.annual_plan for r in rows)
    total_ytd = sum(r.ytd for r in rows)
    inv = completion_rate(ytd=total_ytd, annual_plan=total_plan)
    planned = [r for r in rows if r.planned_start_this_year]
    sr = start_rate(started=sum(r.started for r in planned), planned_starts=len(planned))
    below = tuple(
        r.key
        for r in rows
        if r.annual_plan > 0
        and (completion_rate(ytd=r.ytd, annual_plan=r.annual_plan) or 0) < share
    )
    return DoubleHalf(
        investment_rate=inv,
        start_rate=sr,
        investment_ok=inv is None or inv >= share,
        starts_ok=sr is None or sr >= share,
        below_half=below,
        not_started=tuple(r.key for r in planned if not r.started),
        method_version=method.version,
    )


def report_due(year: int, month: int, method: Method = DEFAULT_METHOD) -> DueDate:
    """The due date of the report for (`year`, `month`): the Nth working day after the month
    ends (N = `report_due_workdays`), counting adjusted working weekends and skipping
    holidays as the State Council's notice for that year sets them."""
    _check_month(month)
    month_end = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return add_workdays(month_end, method.report_due_workdays)


@dataclass(frozen=True)
class ListEntry:
    """One unit of a 红黑榜 series (prefectures, departments) in a quarter: its projects'
    YTD investment and annual plan summed, and an exemption reason if force majeure."""

    key: str
    ytd: float
    annual_plan: float
    exempt_reason: str = ""


@dataclass(frozen=True)
class RedBlackList:
    ranking: tuple[tuple[str, float | None], ...]  # (unit, 完成率), best first
    red: tuple[str, ...]
    black: tuple[str, ...]
    exempt: tuple[tuple[str, str], ...]  # (unit, reason) kept off the black list
    target: float  # the quarter's target: its 时间进度
    method_version: str


def red_black_list(
    entries: Iterable[ListEntry], *, quarter: int, method: Method = DEFAULT_METHOD
) -> RedBlackList:
    """红黑榜 of one series for `quarter` (default rule, methods.md §4): the quarter's target
    is its 时间进度 (quarter × 3 ÷ 12); units are ranked by 完成率; the red list is those
    in the top group (`list_group` of the series, at least one) that beat the target, the
    black list those in the bottom group that missed it — unless exempted with a reason."""
    if not 1 <= quarter <= 4:
        raise MethodError(f"quarter must be 1–4, not {quarter}")
    target = time_progress(quarter * 3)
    rows = [(e, completion_rate(ytd=e.ytd, annual_plan=e.annual_plan)) for e in entries]
    ranked = sorted((r for r in rows if r[1] is not None), key=lambda r: (-(r[1] or 0.0), r[0].key))
    size = max(1, int(len(ranked) * method.list_group)) if ranked else 0
    red = tuple(e.key for e, rate in ranked[:size] if (rate or 0.0) >= target)
    bottom = ranked[len(ranked) - size :] if size else []
    black = tuple(
        e.key for e, rate in bottom if (rate or 0.0) < target and not e.exempt_reason.strip()
    )
    exempt = tuple(
        (e.key, e.exempt_reason.strip())
        for e, rate in bottom
        if (rate or 0.0) < target and e.exempt_reason.strip()
    )
    return RedBlackList(
        ranking=tuple((e.key, rate) for e, rate in ranked),
        red=red,
        black=black,
        exempt=exempt,
        target=target,
        method_version=method.version,
    )
