"""Viewers who see a whole zone, plan or unit without seeing the whole province (a zone's
planner or leader, a unit's leader) get their dashboard's figures from the summaries
(planwatch.rollups), and those figures equal what the rows they may see give; a viewer who
sees only part of a scope (a prefecture's planner) keeps the figures counted from the rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from planwatch.accounts.choices import Role
from planwatch.dashboards import permissions as perms
from planwatch.dashboards.selectors import (
    Scope,
    _trend_and_as_of,
    dashboard_for,
    figures_from_tasks,
    map_units,
    sees_every_scope_task,
    unit_completion,
)
from planwatch.orgunits.models import OrgUnit
from planwatch.tasks.models import Task
from planwatch.tasks.permissions import visible_tasks_q
from tests.dashboards.conftest import TODAY, Board
from tests.factories.personas import logged_in, make_user

pytestmark = pytest.mark.django_db


def _scopes(user: User) -> list[Scope]:
    return [
        perms.access_zone(user, "south-sichuan"),
        perms.access_plan(user, "south-sichuan"),
        perms.access_unit(user, "511500"),
        perms.access_unit(user, "510500"),
    ]


def _from_rows(user: User, scope: Scope, year: int) -> dict[str, Any]:
    """The figures counted from the tasks `user` may see, past every shortcut."""
    tasks = (
        Task.objects.filter(
            annual_list__issued_number__gte=1, status__in=("active", "completed"), year=year
        )
        .filter(pk__in=Task.objects.filter(visible_tasks_q(user)).values("pk"))
        .filter(
            pk__in=_scope_ids(scope),
        )
    )
    figures = figures_from_tasks(tasks)
    trend, as_of = _trend_and_as_of(tasks, year=year, frequency=figures.frequency)
    return {
        "status": [(c.key, c.count) for c in figures.by_status],
        "lights": [(c.key, c.count) for c in figures.by_light],
        "average": figures.average_progress,
        "trend": [(p.label, p.average, p.reports, p.expected) for p in trend],
        "as_of": as_of,
        "map": [(v.code, v.tasks, v.completed) for v in unit_completion(tasks, map_units(scope))],
    }


def _scope_ids(scope: Scope) -> list[int]:
    """The issued tasks of `scope` by its definition (selectors.scope_tasks' cases)."""
    if scope.plan is not None:
        return list(Task.objects.filter(plan=scope.plan).values_list("pk", flat=True))
    assert scope.unit is not None
    if scope.kind == "zone":
        return list(Task.objects.filter(plan__org_unit=scope.unit).values_list("pk", flat=True))
    inside = OrgUnit.objects.filter(path__startswith=scope.unit.path)
    lead = set(Task.objects.filter(lead_unit__in=inside).values_list("pk", flat=True))
    named = Task.objects.filter(responsible_units__in=inside).values_list("pk", flat=True)
    return sorted(lead | set(named))


def _shown(user: User, scope: Scope) -> dict[str, Any]:
    d = dashboard_for(user=user, scope=scope, year=2024, today=TODAY)
    return {
        "status": [(c.key, c.count) for c in d.by_status],
        "lights": [(c.key, c.count) for c in d.by_light],
        "average": d.average_progress,
        "trend": [(p.label, p.average, p.reports, p.expected) for p in d.trend],
        "as_of": d.as_of,
        "map": [(v.code, v.tasks, v.completed) for v in d.prefectures],
    }


def test_zone_leader_and_planner_read_the_summaries_with_the_rows_figures(
    board: Board, chuannan_leader_user: User, orgunits: dict[str, OrgUnit]
) -> None:
    zone_planner = make_user("cn_planner_rollup", (orgunits["zone:south-sichuan"], Role.PLANNER))
    for user in (chuannan_leader_user, zone_planner):
        zone = perms.access_zone(user, "south-sichuan")
        plan = perms.access_plan(user, "south-sichuan")
        assert sees_every_scope_task(user, zone) and sees_every_scope_task(user, plan)
        for scope in (zone, plan):
            shown = _shown(user, scope)
            assert shown == _from_rows(user, scope, 2024)
            assert sum(n for _k, n in shown["status"]) > 0
    # the zone's leader leads 宜宾 too: its dashboard reads the summaries as well
    yibin = perms.access_unit(chuannan_leader_user, "511500")
    assert sees_every_scope_task(chuannan_leader_user, yibin)
    assert _shown(chuannan_leader_user, yibin) == _from_rows(chuannan_leader_user, yibin, 2024)


def test_prefecture_planner_keeps_figures_from_the_rows(
    board: Board, orgunits: dict[str, OrgUnit]
) -> None:
    """A 宜宾 planner sees only the plans of 宜宾's units: 宜宾's dashboard must not show
    the zone plan's tasks they may not see, so it is not read from the summaries."""
    planner = make_user("yb_planner_rollup", (orgunits["511500"], Role.PLANNER))
    yibin = perms.access_unit(planner, "511500")
    assert not sees_every_scope_task(planner, yibin)
    assert _shown(planner, yibin) == _from_rows(planner, yibin, 2024)
    leader = make_user("yb_leader_rollup", (orgunits["511500"], Role.LEADER))
    assert sees_every_scope_task(leader, yibin)
    assert not sees_every_scope_task(leader, perms.Scope("zone", "川南", unit=yibin.unit.parent))
    assert _shown(leader, yibin) == _from_rows(leader, yibin, 2024)
    assert _shown(leader, yibin)["status"] != _shown(planner, yibin)["status"]


@pytest.mark.parametrize(
    "url",
    [
        "/dashboards/zone/south-sichuan/",
        "/dashboards/plan/south-sichuan/",
        "/dashboards/unit/511500/",
    ],
)
def test_zone_leader_query_budget(board: Board, chuannan_leader: Client, url: str) -> None:
    chuannan_leader.get(url)  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as ctx:
        response = chuannan_leader.get(url)
    assert response.status_code == 200
    assert len(ctx.captured_queries) <= 16
    # the reports are not read: every report figure comes from the summaries
    assert not any("reports_progressreport" in q["sql"] for q in ctx.captured_queries)


def test_leader_client_sees_the_page(board: Board, orgunits: dict[str, OrgUnit]) -> None:
    leader = logged_in(make_user("yb_leader_page", (orgunits["511500"], Role.LEADER)))
    html = leader.get("/dashboards/unit/511500/").content.decode()
    assert 'data-status="active">' in html
    assert leader.get("/dashboards/zone/south-sichuan/").status_code == 404
