"""Reporting periods of a list: months or quarters of its year, each due a few days after
it ends (the usual 每月/每季度结束后 5 日内报送)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from planwatch.tasks.choices import ReportingFrequency

REPORT_DUE_DAYS = 5


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str
    due: date


def _period(year: int, first_month: int, months: int, label: str) -> Period:
    last_month = first_month + months - 1
    end = date(year, last_month, calendar.monthrange(year, last_month)[1])
    return Period(date(year, first_month, 1), end, label, end + timedelta(days=REPORT_DUE_DAYS))


def periods_for(year: int, frequency: str) -> list[Period]:
    """Every period of `year` at `frequency`, in order."""
    if frequency == ReportingFrequency.MONTHLY:
        return [_period(year, m, 1, f"{year}-{m:02d}") for m in range(1, 13)]
    return [_period(year, 3 * q - 2, 3, f"{year}Q{q}") for q in range(1, 5)]


def period_starting(year: int, frequency: str, start: date) -> Period | None:
    """The period of `year` beginning on `start`, if there is one."""
    return next((p for p in periods_for(year, frequency) if p.start == start), None)


def periods_between(
    year: int, frequency: str, first: date | None, last: date | None
) -> list[Period]:
    """The periods of `year` that overlap first..last (a task's start and deadline)."""
    return [
        p
        for p in periods_for(year, frequency)
        if (last is None or p.start <= last) and (first is None or p.end >= first)
    ]
