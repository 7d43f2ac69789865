"""The projects' per-year summary (ProjectYearFigures, decision 0033) that the 台账 and the
projects panel read: after every report service (start, update, submit, return, withdraw,
approve, accept) and the 调度表 import it equals a recomputation from the reports, and the
ledger's figures equal those the reports give; `planwatch rollup check` names a tampered,
a missing and a stale row, and `rollup rebuild` repairs them."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from planwatch.projects import services as s
from planwatch.projects import xlsx
from planwatch.projects.models import MonthlyReport, ProjectYearFigures
from planwatch.projects.selectors import _latest_accepted, ledger, projects_panel
from planwatch.projects.summary import (
    FUNDS,
    YTD,
    compute,
    project_figures_check,
    project_figures_rebuild,
)
from tests.projects.test_xlsx import book

pytestmark = pytest.mark.django_db
D = Decimal


def _stored(project: Any, year: int = 2026) -> tuple[list[Decimal], list[Decimal]] | None:
    row = ProjectYearFigures.objects.filter(project=project, year=year).first()
    if row is None:
        return None
    return [getattr(row, f) for f in YTD], [getattr(row, f) for f in FUNDS]


def _agrees(project: Any, planner: Any, zone: Any) -> None:
    """The summary equals its recomputation from the reports, and the ledger's figures for
    every month equal the latest accepted reports' (the raw lookup the 台账 used before)."""
    _checked, problems = project_figures_check()
    assert problems == []
    for month in range(1, 13):
        rows = {r.pk: r for r in ledger(user=planner, year=2026, month=month, place=zone)}
        raw = _latest_accepted([project], 2026, month)
        assert (rows[project.pk].ytd, rows[project.pk].funds_in_place) == raw.get(
            project.pk, (D(0), D(0))
        ), month


def _fill(report: MonthlyReport, actor: Any, ytd: int, funds: int) -> MonthlyReport:
    return s.monthly_report_update(
        report=report,
        actor=actor,
        version=report.version,
        values={
            "invested_month": ytd,
            "invested_ytd": ytd,
            "invested_total": ytd + 100000,
            "funds_in_place": funds,
            "progress_text": "路基施工",
        },
    )


def test_the_summary_follows_every_report_service(
    cheng_zi_yi,
    zone,
    chuannan_planner_user,
    yibin_reporter_user,
    yibin_reviewer_user,
    zigong_reporter_user,
    zigong_reviewer_user,
):
    p, zg, yb = cheng_zi_yi
    planner = chuannan_planner_user
    _agrees(p, planner, zone)
    assert _stored(p) is None  # no accepted report: no row, every figure 0

    # 宜宾's March report: drafted, filled, submitted, withdrawn, submitted, returned by the
    # unit, submitted, approved, returned by the planner — none of it counts yet
    r = s.monthly_report_start(project=p, segment=yb, year=2026, month=3, actor=yibin_reporter_user)
    r = _fill(r, yibin_reporter_user, 31000, 20000)
    r = s.monthly_report_submit(report=r, actor=yibin_reporter_user)
    r = s.monthly_report_withdraw(report=r, actor=yibin_reporter_user)
    r = s.monthly_report_submit(report=r, actor=yibin_reporter_user)
    r = s.monthly_report_return(report=r, actor=yibin_reviewer_user, reason="数据有误")
    r = s.monthly_report_submit(report=r, actor=yibin_reporter_user)
    r = s.monthly_report_approve(report=r, actor=yibin_reviewer_user)
    _agrees(p, planner, zone)
    assert _stored(p) is None
    r = s.monthly_report_return(report=r, actor=planner, reason="请补充")
    r = s.monthly_report_submit(report=r, actor=yibin_reporter_user)
    r = s.monthly_report_approve(report=r, actor=yibin_reviewer_user)
    _agrees(p, planner, zone)
    # accepted: from March on
    s.monthly_report_accept(report=r, actor=planner)
    _agrees(p, planner, zone)
    assert _stored(p) == ([D(0)] * 2 + [D(31000)] * 10, [D(0)] * 2 + [D(20000)] * 10)

    # 自贡's May report accepted: added from May; 宜宾's March carries forward
    z = s.monthly_report_start(
        project=p, segment=zg, year=2026, month=5, actor=zigong_reporter_user
    )
    z = _fill(z, zigong_reporter_user, 17000, 5000)
    z = s.monthly_report_submit(report=z, actor=zigong_reporter_user)
    z = s.monthly_report_approve(report=z, actor=zigong_reviewer_user)
    s.monthly_report_accept(report=z, actor=planner)
    _agrees(p, planner, zone)
    assert _stored(p) == (
        [D(0)] * 2 + [D(31000)] * 2 + [D(48000)] * 8,
        [D(0)] * 2 + [D(20000)] * 2 + [D(25000)] * 8,
    )

    # the 调度表 import files 宜宾's June as a draft, then updates it: nothing changes
    row = [1, "成自宜高铁", "", "宜宾市", 9000, 40000, 140000, 30000, "桥梁施工", ""]
    for ytd in (40000, 45000):
        row[5] = ytd
        data = book("2026年6月重大项目调度表", xlsx.MONTHLY_HEADERS, [row])
        xlsx.monthly_import(year=2026, month=6, actor=yibin_reporter_user, data=data)
        _agrees(p, planner, zone)
    june = MonthlyReport.objects.get(project=p, segment=yb, year=2026, month=6)
    assert june.status == "draft"
    assert _stored(p)[0][5] == D(48000)  # type: ignore[index]
    # accepted: 宜宾's June replaces its March from June on
    june = s.monthly_report_submit(report=june, actor=yibin_reporter_user)
    june = s.monthly_report_approve(report=june, actor=yibin_reviewer_user)
    s.monthly_report_accept(report=june, actor=planner)
    _agrees(p, planner, zone)
    assert _stored(p)[0] == [D(0)] * 2 + [D(31000)] * 2 + [D(48000)] + [D(62000)] * 7  # type: ignore[index]

    # the panel's monthly line is the summary's, month by month
    panel = projects_panel(user=planner, place=zone, year=2026, month=7)
    assert (
        panel.actual_by_month
        == [0.0, 0.0, 31000.0, 31000.0, 48000.0, 62000.0, 62000.0] + [None] * 5
    )
    assert panel.ytd == D(62000)


def test_compute_carries_each_series_forward_and_sums_them() -> None:
    """A project's own reports and each segment's, each carried forward from its latest
    month; a missing figure counts 0 but still replaces the earlier report's."""
    reports = [
        (1, None, 2026, 2, D(100), D(10)),
        (1, None, 2026, 5, None, D(50)),
        (1, 7, 2026, 3, D(1000), None),
        (1, 7, 2025, 12, D(9), D(9)),
        (2, None, 2026, 12, D(5), D(5)),
    ]
    out = compute(reports)
    ytd, funds = out[(1, 2026)]
    assert list(ytd) == [0, 100, 1100, 1100, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000]
    assert list(funds) == [0, 10, 10, 10, 50, 50, 50, 50, 50, 50, 50, 50]
    assert out[(1, 2025)][0][11] == D(9) and out[(1, 2025)][0][10] == D(0)
    assert out[(2, 2026)][0] == tuple([D(0)] * 11 + [D(5)])


def _check() -> str:
    out = io.StringIO()
    try:
        call_command("rollup", "check", stdout=out)
    except CommandError as e:
        assert e.returncode == 1
        return out.getvalue() + "FAILED"
    return out.getvalue()


def test_rollup_check_names_each_difference_and_rebuild_repairs_them(
    cheng_zi_yi,
    chuannan_planner_user,
    yibin_reporter_user,
    yibin_reviewer_user,
):
    p, _zg, yb = cheng_zi_yi
    r = s.monthly_report_start(project=p, segment=yb, year=2026, month=3, actor=yibin_reporter_user)
    r = _fill(r, yibin_reporter_user, 31000, 20000)
    r = s.monthly_report_submit(report=r, actor=yibin_reporter_user)
    r = s.monthly_report_approve(report=r, actor=yibin_reviewer_user)
    s.monthly_report_accept(report=r, actor=chuannan_planner_user)
    ok = _check()
    assert "1 project-years" in ok and "OK" in ok and "FAILED" not in ok

    ProjectYearFigures.objects.filter(project=p, year=2026).update(ytd_05=D(1))
    out = _check()
    assert "FAILED" in out
    assert f"project_year_figures: project {p.pk} 2026-05 ytd: stored 1.00, recomputed 31000" in out

    ProjectYearFigures.objects.filter(project=p).delete()
    assert f"project_year_figures: project {p.pk} 2026: missing row" in _check()

    # a report accepted past the services (a bulk load) is found, and a row left behind
    MonthlyReport.objects.create(
        project=p,
        segment=yb,
        unit=yb.unit,
        year=2025,
        month=12,
        due=date(2026, 1, 8),
        invested_ytd=D(7),
        status="accepted",
    )
    ProjectYearFigures.objects.create(project=p, year=2024, ytd_01=D(3))
    out = _check()
    assert f"project {p.pk} 2025: missing row" in out
    assert f"project {p.pk} 2024: row without accepted reports" in out

    call_command("rollup", "rebuild", stdout=io.StringIO())
    assert "FAILED" not in _check()
    assert project_figures_check() == (2, [])
    assert _stored(p, 2025) == ([D(0)] * 11 + [D(7)], [D(0)] * 12)
    assert project_figures_rebuild() == 2
