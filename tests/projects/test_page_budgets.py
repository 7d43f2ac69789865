"""The project pages cost a fixed number of queries (issue 15): the 台账 of a zone or a city,
the zone dashboard's projects panel and a project's page read the same number of queries
with 3 projects as with 30, whatever the months reported and segments — no query per
project, per segment or per report — within a budget. And their figures stay those of the
accepted reports: the latest of each project and segment up to the month, summed."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from planwatch.orgunits.models import OrgUnit
from planwatch.projects.models import AnnualInvestmentPlan, MonthlyReport, Project, Segment
from planwatch.projects.selectors import ledger, projects_panel
from planwatch.projects.summary import project_figures_rebuild
from tests.factories.personas import logged_in

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 1, 1, tzinfo=UTC)
YEAR = 2026


def _grow(zone: OrgUnit, lead: OrgUnit, other: OrgUnit, start: int, count: int) -> None:
    """`count` more confirmed projects of `zone` led by `lead`, each with its 2026 plan and
    accepted reports for January to May; every third crosses into `other` with two segments
    reporting apart (the project's own reports too)."""
    for i in range(start, start + count):
        p = Project.objects.create(
            name=f"预算项目{i:03d}",
            zone=zone,
            lead_unit=lead,
            sector="infrastructure",
            stage="continuing",
            status="confirmed",
            total_investment=Decimal(100000 + i),
            planned_start=date(YEAR - 1, 1, 1),
            actual_start=date(YEAR - 1, 3, 1),
        )
        segments: list[Segment | None] = [None]
        if i % 3 == 0:
            segments += [
                Segment.objects.create(project=p, place=lead, unit=lead),
                Segment.objects.create(project=p, place=other, unit=other),
            ]
        for seg in segments:
            AnnualInvestmentPlan.objects.create(
                project=p, segment=seg, year=YEAR, amount=Decimal(12000 + i)
            )
            for month in range(1, 6):
                MonthlyReport.objects.create(
                    project=p,
                    segment=seg,
                    unit=seg.unit if seg else lead,
                    year=YEAR,
                    month=month,
                    due=date(YEAR, month + 1, 7),
                    invested_month=Decimal(1000),
                    invested_ytd=Decimal(1000 * month + i),
                    invested_total=Decimal(50000 + 1000 * month),
                    funds_in_place=Decimal(900 * month),
                    progress_text="按计划推进",
                    status="accepted",
                    accepted_at=NOW,
                )
    # written past the services: the summary the pages read is rebuilt, as the benchmark does
    project_figures_rebuild()


def _count(client: Client, url: str) -> int:
    client.get(url)  # the session and memos warm
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


# URL → query budget (the count measured when set, with a little headroom)
BUDGETS = {
    "/projects/?place={zone}&year=2026&month=6": 13,
    "/projects/?place={city}&year=2026&month=6": 13,
    "/projects/?year=2026&month=6": 13,
    "/projects/?year=2026&month=6&light=green": 13,
    "/projects/?year=2026&month=6&page=2": 13,
    "/projects/{project}/?year=2026&month=6": 30,
    "/dashboards/zone/south-sichuan/?part=projects&year=2026": 20,
}


def test_project_pages_read_a_fixed_number_of_queries(
    zone: OrgUnit, yibin: OrgUnit, zigong: OrgUnit, chuannan_planner_user: User
) -> None:
    client = logged_in(chuannan_planner_user)
    _grow(zone, yibin, zigong, 0, 3)
    first = Project.objects.order_by("pk").first()
    assert first is not None

    def counts() -> dict[str, int]:
        return {
            url: _count(client, url.format(zone=zone.code, city=yibin.code, project=first.pk))
            for url in BUDGETS
        }

    small = counts()
    _grow(zone, yibin, zigong, 3, 27)
    large = counts()
    assert large == small
    over = {url: n for url, n in large.items() if n > BUDGETS[url]}
    assert over == {}


def test_ledger_and_panel_figures_are_the_latest_accepted_reports(
    zone: OrgUnit, yibin: OrgUnit, zigong: OrgUnit, chuannan_planner_user: User
) -> None:
    _grow(zone, yibin, zigong, 0, 4)
    # a later report still being filled counts nowhere; an accepted June one does from June
    p0 = Project.objects.get(name="预算项目000")
    MonthlyReport.objects.filter(project=p0, segment=None, month=5).update(status="submitted")
    project_figures_rebuild()
    rows = {r.project.name: r for r in ledger(user=chuannan_planner_user, year=YEAR, month=6)}
    # 预算项目000: own report of April (4,000) + each segment's May (5,000) — two segments
    assert rows["预算项目000"].ytd == Decimal(4000 + 5000 + 5000)
    assert rows["预算项目000"].annual_plan == Decimal(12000 * 2)  # the segments' plans
    assert rows["预算项目000"].funds_in_place == Decimal(900 * 4 + 900 * 5 * 2)
    assert rows["预算项目001"].ytd == Decimal(5001)
    assert rows["预算项目001"].annual_plan == Decimal(12001)
    panel = projects_panel(user=chuannan_planner_user, place=zone, year=YEAR, month=6)
    assert panel.ytd == sum((r.ytd for r in rows.values()), Decimal(0))
    # January … May: every project's (and segment's) latest up to the month, summed; June
    # carries May forward; April of 预算项目000's own reports carries into May
    expected: list[float | None] = []
    for month in range(1, 7):
        total = Decimal(0)
        for i in range(4):
            pairs = 3 if i % 3 == 0 else 1
            last = min(month, 5)
            total += (1000 * last + i) * pairs
        if month >= 5:
            total -= (1000 * 5 + 0) - (1000 * 4 + 0)  # 预算项目000's own May is not accepted
        expected.append(round(float(total), 2))
    assert panel.actual_by_month[:6] == expected
    assert panel.actual_by_month[6:] == [None] * 6


def test_ledger_page_shows_a_hundred_rows_at_a_time(
    zone: OrgUnit, yibin: OrgUnit, zigong: OrgUnit, chuannan_planner_user: User, monkeypatch: Any
) -> None:
    from planwatch.projects import views

    monkeypatch.setattr(views, "LEDGER_PAGE", 2)
    _grow(zone, yibin, zigong, 0, 5)
    client = logged_in(chuannan_planner_user)
    first = client.get(f"/projects/?place={zone.code}&year=2026&month=6").content.decode()
    last = client.get(f"/projects/?place={zone.code}&year=2026&month=6&page=3").content.decode()
    shown = [f"预算项目{i:03d}" for i in range(5)]
    assert sum(name in first for name in shown) == 2
    assert sum(name in last for name in shown) == 1
    assert "page=2" in first and f"place={zone.code}".replace(":", "%3A") in first
    # the export keeps every row
    export = client.get(f"/projects/?place={zone.code}&year=2026&month=6&format=xlsx")
    assert export.status_code == 200


def test_ledger_rows_project_is_the_stored_project_without_queries(
    zone: OrgUnit, yibin: OrgUnit, zigong: OrgUnit, chuannan_planner_user: User
) -> None:
    """The ledger reads its projects as plain values and builds a row's Project on first
    use: every field the ledger reads, the lead unit's name and the row's own copies of the
    dates and name are those stored, and building it reads nothing."""
    from planwatch.projects.selectors import LEDGER_FIELDS

    _grow(zone, yibin, zigong, 0, 4)
    Project.objects.filter(name="预算项目001").update(
        code="P-001",
        planned_start=date(YEAR, 3, 1),
        planned_completion=date(YEAR + 1, 6, 30),
        actual_start=None,
        actual_completion=date(YEAR, 5, 1),
        stage="new",
    )
    Project.objects.filter(name="预算项目002").update(lead_unit=None)
    rows = ledger(user=chuannan_planner_user, year=YEAR, month=6)
    assert len(rows) == 4
    with CaptureQueriesContext(connection) as ctx:
        built = [(r, r.project) for r in rows]
        units = [p.lead_unit.name if p.lead_unit else None for _r, p in built]
    assert len(ctx.captured_queries) == 0
    for (row, project), unit in zip(built, units, strict=True):
        stored = Project.objects.select_related("lead_unit").get(pk=row.pk)
        assert project.pk == stored.pk
        assert project._state.adding is False
        for name in LEDGER_FIELDS:
            if name == "lead_unit__name":
                assert unit == (stored.lead_unit.name if stored.lead_unit else None)
            else:
                assert getattr(project, name) == getattr(stored, name), name
        for name in ("name", "planned_start", "actual_start", "planned_completion"):
            assert getattr(row, name) == getattr(stored, name), name
        assert row.actual_completion == stored.actual_completion
        assert row.project is project  # built once
    assert units.count(None) == 1
