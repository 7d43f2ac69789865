"""The 台账 page computed by the database (`LedgerPage`, decision 0033) shows what the Python
computation (`ledger` and `rates`) gives: the same rows in the same order, page by page, with
the same figures as the page prints them (a zero as `0`, amounts at their scale) and the same
开工率, 竣工率 and 资金到位率 — on data with segments, reports not accepted, projects without
an annual plan (or a plan of 0), projects not reporting, and ties in the sort (equal rates
with names whose code-point order is not a dictionary's, equal names)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.test import Client

from planwatch.orgunits.models import OrgUnit
from planwatch.projects.models import AnnualInvestmentPlan, MonthlyReport, Project
from planwatch.projects.selectors import LedgerPage, LedgerRow, ledger, rates
from planwatch.projects.summary import project_figures_rebuild
from tests.factories.personas import logged_in
from tests.projects.test_page_budgets import YEAR, _grow

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _project(
    zone: OrgUnit,
    lead: OrgUnit,
    name: str,
    plan: Decimal | None,
    ytd_by_month: dict[int, tuple[Decimal, str]],
    **dates: date | None,
) -> Project:
    """A confirmed project of `zone` with its plan of the year (none if None) and its own
    reports (month → (YTD, status)); `dates`: planned/actual start and completion."""
    p = Project.objects.create(
        name=name,
        zone=zone,
        lead_unit=lead,
        sector="infrastructure",
        stage="continuing",
        status="confirmed",
        total_investment=Decimal(90000),
        **dates,
    )
    if plan is not None:
        AnnualInvestmentPlan.objects.create(project=p, segment=None, year=YEAR, amount=plan)
    for month, (ytd, status) in ytd_by_month.items():
        MonthlyReport.objects.create(
            project=p,
            segment=None,
            unit=lead,
            year=YEAR,
            month=month,
            due=date(YEAR, month % 12 + 1, 7),
            invested_month=Decimal(100),
            invested_ytd=ytd,
            invested_total=Decimal(50000),
            funds_in_place=ytd / 2,
            progress_text="按计划推进",
            status=status,
            accepted_at=NOW if status == "accepted" else None,
        )
    return p


@pytest.fixture
def world(zone: OrgUnit, yibin: OrgUnit, zigong: OrgUnit) -> None:
    # six projects, two of them with two segments each, accepted reports January to May
    _grow(zone, yibin, zigong, 0, 6)
    # a report not accepted counts nowhere: 预算项目001's May
    MonthlyReport.objects.filter(project__name="预算项目001", month=5).update(status="submitted")
    accepted, submitted = "accepted", "submitted"
    same = {3: (Decimal("3000.00"), accepted)}
    # equal rates: "Tie-B" < "Tie-a" < "平局" by code point ("Tie-a" first in a dictionary)
    _project(zone, yibin, "平局甲", Decimal(10000), same, planned_start=date(YEAR, 2, 1))
    _project(zone, yibin, "Tie-a", Decimal(10000), same, actual_start=date(YEAR, 3, 1))
    _project(
        zone,
        zigong,
        "Tie-B",
        Decimal(10000),
        same,
        planned_start=date(YEAR, 3, 1),
        actual_start=date(YEAR, 7, 1),
    )
    # equal rates and equal names: by id
    for _ in range(2):
        _project(zone, yibin, "同名项目", Decimal(20000), {4: (Decimal("6000.00"), accepted)})
    # a plan and no accepted report (YTD 0), one with a report still submitted
    _project(
        zone,
        yibin,
        "未报项目",
        Decimal(5000),
        {},
        planned_start=date(YEAR, 1, 1),
        planned_completion=date(YEAR, 5, 1),
        actual_completion=date(YEAR, 4, 1),
    )
    _project(zone, zigong, "未采纳项目", Decimal(5000), {2: (Decimal(900), submitted)})
    # no plan (last, by name), a plan of 0, and one without plan that reports
    _project(zone, yibin, "无计划乙", None, {})
    _project(zone, yibin, "无计划甲", None, {1: (Decimal(700), accepted)})
    _project(
        zone,
        zigong,
        "零计划",
        Decimal(0),
        {1: (Decimal(10), accepted)},
        planned_completion=date(YEAR, 11, 30),
        actual_completion=date(YEAR, 6, 1),
    )
    # ahead of time: a rate above 1
    _project(zone, yibin, "超前项目", Decimal(1000), {2: (Decimal(1500), accepted)})
    project_figures_rebuild()


def _key(r: LedgerRow) -> tuple[Any, ...]:
    """A row as the page and the export print it (decimals as text: their scale shows)."""
    return (
        r.pk,
        r.name,
        str(r.annual_plan),
        str(r.ytd),
        str(r.funds_in_place),
        r.assessment,
        r.planned_start,
        r.actual_start,
        r.planned_completion,
        r.actual_completion,
        r.project.lead_unit.name if r.project.lead_unit else None,
    )


@pytest.mark.usefixtures("world")
@pytest.mark.parametrize("month", [1, 4, 6, 12])
def test_ledger_page_is_the_python_ledger(
    month: int, zone: OrgUnit, yibin: OrgUnit, chuannan_planner_user: User
) -> None:
    for place in (None, zone, yibin):
        expected = ledger(user=chuannan_planner_user, year=YEAR, month=month, place=place)
        assert len(expected) >= 6
        page = LedgerPage(user=chuannan_planner_user, year=YEAR, month=month, place=place)
        assert len(page) == len(expected)
        for size in (1, 3, len(expected) + 1):
            got = [r for start in range(0, len(expected), size) for r in page[start : start + size]]
            assert [_key(r) for r in got] == [_key(r) for r in expected], (place, size)
        want = rates(expected, YEAR, month, expected)
        have = page.rates()
        assert have == want
        assert (str(have.planned), str(have.funds_in_place)) == (
            str(want.planned),
            str(want.funds_in_place),
        )
    # the data has the cases the sort and the rates must get right
    names = [r.name for r in ledger(user=chuannan_planner_user, year=YEAR, month=month)]
    if month >= 3:
        assert names.index("Tie-B") < names.index("Tie-a") < names.index("平局甲")
    assert names[-3:] == ["无计划乙", "无计划甲", "零计划"]


@pytest.mark.usefixtures("world")
def test_ledger_page_shows_the_python_order_and_rates(
    zone: OrgUnit, chuannan_planner_user: User, monkeypatch: Any
) -> None:
    from planwatch.projects import views

    monkeypatch.setattr(views, "LEDGER_PAGE", 4)
    client: Client = logged_in(chuannan_planner_user)
    for query in ("year=2026&month=6", f"place={zone.code}&year=2026&month=6"):
        place = zone if "place" in query else None
        expected = ledger(user=chuannan_planner_user, year=YEAR, month=6, place=place)
        shown: list[int] = []
        for number in range(1, len(expected) // 4 + 2):
            html = client.get(f"/projects/?{query}&page={number}").content.decode()
            shown += [int(pk) for pk in re.findall(r'href="/projects/(\d+)/"', html)]
            want = rates(expected, YEAR, 6, expected)
            assert render_to_string("projects/_rates.html", {"rates": want}) in html
            assert f"共 {len(expected)} 个项目" in html
        assert shown == [r.pk for r in expected]


@pytest.mark.usefixtures("world")
def test_ledger_page_with_a_light_keeps_the_python_rows(
    zone: OrgUnit, chuannan_planner_user: User
) -> None:
    client: Client = logged_in(chuannan_planner_user)
    seen = 0
    for light in ("green", "yellow", "red"):
        expected = ledger(user=chuannan_planner_user, year=YEAR, month=6, light=light)
        html = client.get(f"/projects/?year=2026&month=6&light={light}").content.decode()
        shown = [int(pk) for pk in re.findall(r'href="/projects/(\d+)/"', html)]
        assert shown == [r.pk for r in expected][:100]
        want = rates(expected, YEAR, 6, expected)
        assert render_to_string("projects/_rates.html", {"rates": want}) in html
        seen += len(expected)
    assert seen == len(ledger(user=chuannan_planner_user, year=YEAR, month=6))


@pytest.mark.usefixtures("world")
@pytest.mark.parametrize("month", [5, 6, 12])
def test_panel_is_the_python_ledger(month: int, zone: OrgUnit, chuannan_planner_user: User) -> None:
    """The panel reads its projects lean (no LedgerRow) and gives what the ledger's rows
    give: counts, sums, lights and 双过半 (totals added and projects named in the ledger's
    order, June's YTD for the month's rows)."""
    from collections import Counter

    from planwatch.projects import methods as m
    from planwatch.projects.selectors import projects_panel

    for place in (None, zone):
        rows = ledger(user=chuannan_planner_user, year=YEAR, month=month, place=place)
        panel = projects_panel(user=chuannan_planner_user, place=place, year=YEAR, month=month)
        assert panel.projects == len(rows)
        assert str(panel.annual_plan) == str(sum((r.annual_plan for r in rows), Decimal(0)))
        assert str(panel.ytd) == str(sum((r.ytd for r in rows), Decimal(0)))
        lights = Counter(r.assessment.light for r in rows)
        assert panel.lights == {c: lights[c] for c in ("green", "yellow", "red")}
        assert sum(panel.lights.values()) == len(rows) and len(lights) >= 2
        if month < 6:
            assert panel.double_half is None
            continue
        june = {
            r.pk: r.ytd for r in ledger(user=chuannan_planner_user, year=YEAR, month=6, place=place)
        }
        end = date(YEAR, 6, 30)
        expected = m.double_half(
            m.DoubleHalfRow(
                r.name,
                ytd=float(june[r.pk]),
                annual_plan=float(r.annual_plan),
                planned_start_this_year=r.planned_start is not None
                and r.planned_start.year == YEAR,
                started=r.actual_start is not None and r.actual_start <= end,
            )
            for r in rows
        )
        assert panel.double_half == expected
        assert expected.below_half and expected.not_started
