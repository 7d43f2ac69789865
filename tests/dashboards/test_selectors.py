"""Dashboard figures computed from the tasks of tests/dashboards/conftest.py."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.http import Http404

from planwatch.dashboards import permissions as perms
from planwatch.dashboards.selectors import (
    Scope,
    dashboard_for,
    directory_for,
    health_for,
    map_payload,
)
from planwatch.orgunits.models import OrgUnit
from tests.dashboards.conftest import TODAY, Board

pytestmark = pytest.mark.django_db


def lights(user: Any, scope: Scope) -> dict[str, int]:
    return dashboard_for(user=user, scope=scope).light_counts


def test_province_counts_every_issued_task(board: Board, planner_user: User) -> None:
    d = dashboard_for(user=planner_user, scope=perms.access_province(planner_user))
    assert d.light_counts == {"green": 5, "blue": 1, "yellow": 2, "red": 2, "none": 1}
    assert {c.key: c.count for c in d.by_status} == {"active": 9, "completed": 2}
    assert (d.total, d.completed, d.completion_rate) == (11, 2, 18.2)
    assert [t.pk for t in d.red] == sorted([board.tasks[6].pk, board.chengdu_task.pk])
    assert [t.pk for t in d.yellow] == [board.tasks[4].pk, board.tasks[5].pk]
    assert not d.has_demo


def test_zone_counts_only_its_plans(board: Board, planner_user: User) -> None:
    scope = perms.access_zone(planner_user, "south-sichuan")
    d = dashboard_for(user=planner_user, scope=scope)
    assert d.light_counts == {"green": 5, "blue": 1, "yellow": 2, "red": 1, "none": 1}
    assert (d.total, d.completed) == (10, 2)
    # mean of the stored actual progress of the 9 tasks that have a light
    assert d.average_progress == pytest.approx(round((3 * 70 + 95 + 30 + 40 + 60 + 200) / 9, 1))


def test_prefecture_includes_its_counties(board: Board, planner_user: User) -> None:
    d = dashboard_for(user=planner_user, scope=perms.access_unit(planner_user, "511500"))
    # tasks 1–4, 8, 9 name 宜宾; task 7 names 翠屏区 (a county of 宜宾)
    assert d.light_counts == {"green": 5, "blue": 1, "yellow": 0, "red": 1, "none": 0}
    assert (d.total, d.completed) == (7, 2)


def test_department_is_lead_unit(board: Board, planner_user: User) -> None:
    d = dashboard_for(user=planner_user, scope=perms.access_unit(planner_user, "dept:transport"))
    assert d.light_counts["yellow"] == 2
    assert d.total == 2


def test_plan_dashboard(board: Board, planner_user: User) -> None:
    d = dashboard_for(user=planner_user, scope=perms.access_plan(planner_user, "chengdu-plain"))
    assert (d.total, d.light_counts["red"]) == (1, 1)


def test_trend_is_mean_reported_completion_per_period(board: Board, planner_user: User) -> None:
    d = dashboard_for(user=planner_user, scope=perms.access_province(planner_user), year=2024)
    # every quarter of the year is there, Q1 included and Q3, Q4 without reports; 序时进度 of
    # tasks running the whole year is the share of the year elapsed at each quarter's end
    assert [(p.label, p.average, p.reports, p.expected) for p in d.trend] == [
        ("2024Q1", 50.0, 2, 24.7),
        ("2024Q2", 80.0, 1, 49.6),  # the draft report of task 2 is not counted
        ("2024Q3", None, 0, 74.8),
        ("2024Q4", None, 0, 100.0),
    ]


def test_map_per_prefecture(board: Board, planner_user: User) -> None:
    d = dashboard_for(user=planner_user, scope=perms.access_province(planner_user))
    by_code = {v.adcode: v for v in d.prefectures}
    assert len(by_code) == 21
    yibin, luzhou, chengdu = by_code["511500"], by_code["510500"], by_code["510100"]
    assert (yibin.tasks, yibin.completed, yibin.rate) == (7, 2, 28.6)
    assert (luzhou.tasks, luzhou.completed) == (6, 0)
    assert (chengdu.tasks, chengdu.rate) == (1, 0.0)
    assert by_code["513300"].rate is None
    payload = map_payload(d)
    assert {p["adcode"] for p in payload["prefectures"]} == set(by_code)


def test_leader_sees_own_zone_only(
    board: Board, chuannan_leader_user: User, chengdu_leader_user: User
) -> None:
    scope = perms.access_zone(chuannan_leader_user, "south-sichuan")
    assert lights(chuannan_leader_user, scope)["yellow"] == 2
    with pytest.raises(Http404):
        perms.access_zone(chengdu_leader_user, "south-sichuan")
    with pytest.raises(Http404):
        perms.access_province(chuannan_leader_user)
    with pytest.raises(Http404):
        perms.access_unit(chuannan_leader_user, "dept:ndrc")


def test_reporter_and_anonymous_denied(board: Board, yibin_reporter_user: User) -> None:
    from django.contrib.auth.models import AnonymousUser

    for user in (yibin_reporter_user, AnonymousUser()):
        with pytest.raises(Http404):
            perms.access_unit(user, "511500")
        assert directory_for(user=user).empty


def test_directory(
    board: Board, planner_user: User, chuannan_leader_user: User, orgunits: dict[str, OrgUnit]
) -> None:
    full = directory_for(user=planner_user)
    assert full.province and len(full.zones) == 5 and len(full.prefectures) == 21
    assert {p.slug for p in full.plans} == {"south-sichuan", "chengdu-plain"}
    zone = directory_for(user=chuannan_leader_user)
    assert not zone.province and [u.code for u in zone.zones] == ["zone:south-sichuan"]
    assert {u.code for u in zone.prefectures} == {"510300", "510500", "511000", "511500"}
    assert [p.slug for p in zone.plans] == ["south-sichuan"]


def test_health_table_of_a_prefecture(board: Board, planner_user: User) -> None:
    rows = health_for(
        user=planner_user, scope=perms.access_unit(planner_user, "511500"), today=TODAY
    )
    assert {h.unit.code for h in rows} <= {"511500", "511502"}
    yibin = next(h for h in rows if h.unit.code == "511500")
    # 宜宾 is responsible for 6 tasks × 3 quarters due by 2024-10-20; it reported 2 of them
    assert (yibin.due, yibin.on_time, yibin.missing) == (18, 2, 16)


def test_is_demo_filter(board: Board) -> None:
    from django.contrib.contenttypes.models import ContentType

    from planwatch.core.models import DemoMarker
    from planwatch.dashboards.templatetags.demo import is_demo
    from planwatch.tasks.models import Task

    task, other = board.tasks[0], board.tasks[1]
    ct = ContentType.objects.get_for_model(Task)
    DemoMarker.objects.create(content_type=ct, object_id=task.pk)
    assert is_demo(task) and not is_demo(other) and not is_demo("x")


def test_health_table_of_a_zone_counts_its_plans(board: Board, planner_user: User) -> None:
    rows = health_for(
        user=planner_user, scope=perms.access_zone(planner_user, "south-sichuan"), today=TODAY
    )
    by_code = {h.unit.code: h for h in rows}
    # The reporting units of the zone's plan — its lead departments too — not 成都 (another
    # zone's plan).
    assert set(by_code) == {"511500", "510500", "511502", "dept:transport", "dept:ndrc"}
    # 泸州 is responsible for tasks 1–3, 5, 6 and 10: 6 × 3 quarters due, 1 reported on time
    assert (by_code["510500"].due, by_code["510500"].on_time) == (18, 1)


def test_health_sums_rows_of_several_plans(
    board: Board, planner_user: User, orgunits: dict[str, OrgUnit]
) -> None:
    from tests.dashboards.conftest import make_task

    # a 成都平原 task that 宜宾 is also responsible for
    make_task(
        board.chengdu_task.annual_list,
        2,
        light="green",
        units=[orgunits["511500"]],
        lead=orgunits["dept:ndrc"],
    )
    rows = health_for(
        user=planner_user, scope=perms.access_unit(planner_user, "511500"), today=TODAY
    )
    yibin = next(h for h in rows if h.unit.code == "511500")
    assert (yibin.pairs, yibin.due, yibin.on_time) == (7, 21, 2)
