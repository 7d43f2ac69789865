"""Working days on the official calendar: the National Day holiday skipped, the adjusted
working Saturday counted, provisional outside the calendar's years."""

from __future__ import annotations

import datetime as dt

from planwatch.core.workdays import add_workdays, is_workday, workdays_between


def test_national_day_2024() -> None:
    # 2024-10-01..07 are holidays; Sunday 2024-09-29 and Saturday 2024-10-12 are worked
    assert is_workday(dt.date(2024, 10, 12)) == (True, True)
    assert is_workday(dt.date(2024, 10, 3)) == (False, True)
    due = add_workdays(dt.date(2024, 9, 27), 3)
    # 9-29 (worked Sunday), 9-30, then 10-8
    assert due.date == dt.date(2024, 10, 8) and due.official


def test_fifteen_working_days_and_between() -> None:
    start = dt.date(2025, 3, 3)  # a Monday, no holidays in the next three weeks
    due = add_workdays(start, 15)
    assert due.date == dt.date(2025, 3, 24)
    assert workdays_between(start, due.date) == 15
    assert workdays_between(due.date, start) == 0


def test_outside_the_calendar_is_provisional() -> None:
    due = add_workdays(dt.date(2026, 12, 30), 5)
    assert not due.official
    assert due.date.weekday() < 5
