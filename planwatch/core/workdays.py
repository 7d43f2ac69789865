"""Working days by the official holiday calendar (国务院办公厅's yearly notice): holidays
skipped and adjusted working weekends (调休) counted, from the `chinese_calendar` package
(pinned in pyproject.toml). Outside the years the package covers, Monday to Friday are
working days and the answer says it is not official, so a page can mark a date as
provisional."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import chinese_calendar


@dataclass(frozen=True)
class DueDate:
    date: dt.date
    official: bool  # False when the holiday calendar does not cover every day counted


def is_workday(day: dt.date) -> tuple[bool, bool]:
    """(working day?, from the official calendar?) — Monday to Friday outside its years."""
    try:
        return bool(chinese_calendar.is_workday(day)), True
    except NotImplementedError:
        return day.weekday() < 5, False


def add_workdays(start: dt.date, days: int) -> DueDate:
    """The `days`-th working day after `start` (`start` itself not counted): an answer due
    within 15 working days of 2024-09-27 is due on the 15th working day after it."""
    if days < 1:
        raise ValueError("days must be at least 1")
    day, official, count = start, True, 0
    while count < days:
        day += dt.timedelta(days=1)
        work, known = is_workday(day)
        official = official and known
        count += work
    return DueDate(day, official)


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` <= `start`)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_workday(day)[0]
    return count
