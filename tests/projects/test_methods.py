"""The rules of methods.py against hand computations (methods.md §4)."""

from __future__ import annotations

import datetime as dt

import pytest

from planwatch.projects import methods as m


def test_completion_rate_time_progress_gap_by_hand():
    # 宜宾 segment: annual plan 12 亿元, 3.1 亿元 invested by the end of March.
    rate = m.completion_rate(ytd=3.1, annual_plan=12)
    assert rate == pytest.approx(3.1 / 12)  # 25.83 %
    assert m.time_progress(3) == pytest.approx(0.25)
    assert m.gap_points(rate=rate, month=3) == pytest.approx((3.1 / 12 - 0.25) * 100)  # +0.83
    assert m.completion_rate(ytd=1, annual_plan=0) is None
    with pytest.raises(m.MethodError):
        m.completion_rate(ytd=1, annual_plan=-1)
    with pytest.raises(m.MethodError):
        m.time_progress(13)


@pytest.mark.parametrize(
    ("gap", "light"),
    [
        (5, m.GREEN),
        (0, m.GREEN),
        (-9.99, m.GREEN),
        (-10, m.YELLOW),
        (-30, m.YELLOW),
        (-30.01, m.RED),
    ],
)
def test_lights_by_gap(gap, light):
    assert m.light_for_gap(gap) == light


def test_assess_red_by_gap_and_method_version_kept():
    # June: 时间进度 50 %; 1.5 of 10 → 15 %, 35 points behind → red.
    a = m.assess(year=2026, month=6, ytd=1.5, annual_plan=10)
    assert a.rate == pytest.approx(0.15)
    assert a.gap == pytest.approx(-35)
    assert (a.light, a.reason, a.method_version) == (m.RED, "gap", "2026.1")
    # A stricter edition of the method turns the same figures' 20-point lag red.
    strict = m.Method(version="2026.2", red_behind=15)
    b = m.assess(year=2026, month=6, ytd=3, annual_plan=10, method=strict)
    assert (b.light, b.method_version) == (m.RED, "2026.2")
    assert m.assess(year=2026, month=6, ytd=3, annual_plan=10).light == m.YELLOW


def test_not_started_yellow_then_red_three_months_later():
    start = dt.date(2026, 3, 15)
    assert m.light_not_started(planned_start=start, year=2026, month=3) == m.GREEN
    assert m.light_not_started(planned_start=start, year=2026, month=4) == m.YELLOW
    assert m.light_not_started(planned_start=start, year=2026, month=6) == m.YELLOW
    assert m.light_not_started(planned_start=start, year=2026, month=7) == m.RED
    a = m.assess(year=2026, month=5, ytd=0, annual_plan=10, started=False, planned_start=start)
    assert (a.light, a.reason) == (m.YELLOW, "not_started")
    # Not started but still before its start month: judged by the gap (no plan → green).
    b = m.assess(year=2026, month=2, ytd=0, annual_plan=0, started=False, planned_start=start)
    assert (b.light, b.reason) == (m.GREEN, "no_plan")


def test_rates():
    assert m.start_rate(started=3, planned_starts=4) == pytest.approx(0.75)
    assert m.completion_count_rate(completed=1, planned_completions=0) is None
    assert m.funds_rate(funds_in_place=45, planned=60) == pytest.approx(0.75)
    with pytest.raises(m.MethodError):
        m.ratio(-1, 2)


def test_double_half_names_projects_below_half():
    rows = [
        m.DoubleHalfRow("成自宜高铁", ytd=60, annual_plan=100, planned_start_this_year=False),
        m.DoubleHalfRow(
            "川南城际", ytd=20, annual_plan=50, planned_start_this_year=True, started=True
        ),
        m.DoubleHalfRow("宜宾港", ytd=0, annual_plan=10, planned_start_this_year=True),
    ]
    dh = m.double_half(rows)
    assert dh.investment_rate == pytest.approx(80 / 160)  # exactly half: passes
    assert dh.investment_ok
    assert dh.start_rate == pytest.approx(0.5) and dh.starts_ok
    assert dh.below_half == ("川南城际", "宜宾港")
    assert dh.not_started == ("宜宾港",)
    assert dh.ok
    worse = m.double_half([*rows[1:]])
    assert worse.investment_rate == pytest.approx(20 / 60) and not worse.ok


def test_report_due_on_the_official_calendar():
    # March 2026: 1–3 April are working days, 4–6 April 清明, then 7 and 8 April → 8 April.
    assert m.report_due(2026, 3) == m.DueDate(dt.date(2026, 4, 8), True)
    # September 2026: 1–7 October 国庆, 8, 9, 10 (adjusted Saturday), 12, 13 → 13 October.
    assert m.report_due(2026, 9) == m.DueDate(dt.date(2026, 10, 13), True)
    # A month without holidays: June 2026 → 1–5 July (Wed–Tue with the weekend) → 7 July.
    assert m.report_due(2026, 6).date == dt.date(2026, 7, 7)


def test_report_due_for_a_year_the_calendar_does_not_cover_is_provisional():
    # December 2026 → January 2027, outside chinese_calendar 1.11.0: Monday–Friday only,
    # 1 Jan (Fri), 4, 5, 6, 7 Jan → 7 January, marked not official.
    due = m.report_due(2026, 12)
    assert due == m.DueDate(dt.date(2027, 1, 7), False)


def test_red_black_list_by_hand():
    # Q2 target: 6/12 = 50 %. Six prefectures; groups of 6 × 1/3 = 2.
    entries = [
        m.ListEntry("宜宾", ytd=70, annual_plan=100),  # 70 %
        m.ListEntry("泸州", ytd=55, annual_plan=100),  # 55 %
        m.ListEntry("自贡", ytd=50, annual_plan=100),  # 50 %
        m.ListEntry("内江", ytd=45, annual_plan=100),  # 45 %
        m.ListEntry("乐山", ytd=30, annual_plan=100, exempt_reason="7 月特大洪灾（不可抗力）"),
        m.ListEntry("眉山", ytd=20, annual_plan=100),  # 20 %
        m.ListEntry("雅安", ytd=0, annual_plan=0),  # no plan: not ranked
    ]
    lists = m.red_black_list(entries, quarter=2)
    assert lists.target == pytest.approx(0.5)
    assert [k for k, _r in lists.ranking] == ["宜宾", "泸州", "自贡", "内江", "乐山", "眉山"]
    assert lists.red == ("宜宾", "泸州")
    assert lists.black == ("眉山",)
    assert lists.exempt == (("乐山", "7 月特大洪灾（不可抗力）"),)
    # In the top group but below target: not on the red list.
    low = m.red_black_list([m.ListEntry("a", 10, 100), m.ListEntry("b", 5, 100)], quarter=1)
    assert (low.red, low.black) == ((), ("b",))
    with pytest.raises(m.MethodError):
        m.red_black_list(entries, quarter=5)


def test_a_gap_exactly_on_a_threshold_is_not_moved_by_floating_point():
    # 40 % in June is exactly 10 points behind (yellow); 20 % exactly 30 behind (yellow).
    assert m.gap_points(rate=0.4, month=6) == -10.0
    assert m.assess(year=2026, month=6, ytd=400, annual_plan=1000).light == "yellow"
    assert m.assess(year=2026, month=6, ytd=200, annual_plan=1000).light == "yellow"
