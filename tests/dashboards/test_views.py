"""Dashboard pages: allowed and denied for each persona, what the page shows, query budgets."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from planwatch.core.models import DemoMarker
from planwatch.orgunits.models import OrgUnit
from planwatch.tasks.models import Task
from tests.dashboards.conftest import Board, make_task

pytestmark = pytest.mark.django_db

PROVINCE = reverse("dashboards:province")
ZONE = reverse("dashboards:zone", args=["south-sichuan"])
YIBIN = reverse("dashboards:unit", args=["511500"])
DEPT = reverse("dashboards:unit", args=["dept:ndrc"])
PLAN = reverse("dashboards:plan", args=["south-sichuan"])
INDEX = reverse("dashboards:index")

# persona → the dashboards it may open (every other one answers 404)
ALLOWED = {
    "planner": {PROVINCE, ZONE, YIBIN, DEPT, PLAN, INDEX},
    "leader": {PROVINCE, ZONE, YIBIN, DEPT, PLAN, INDEX},
    "chuannan_leader": {ZONE, YIBIN, PLAN, INDEX},
    "chuannan_planner": {ZONE, YIBIN, PLAN, INDEX},
    "chengdu_leader": {INDEX},
    "yibin_reporter": set(),
    "yibin_reviewer": set(),
    "luzhou_reporter": set(),
}


@pytest.mark.parametrize("persona", sorted(ALLOWED))
@pytest.mark.parametrize("url", [PROVINCE, ZONE, YIBIN, DEPT, PLAN, INDEX])
def test_access(board: Board, request: pytest.FixtureRequest, persona: str, url: str) -> None:
    client: Client = request.getfixturevalue(persona)
    response = client.get(url)
    assert response.status_code == (200 if url in ALLOWED[persona] else 404)


@pytest.mark.parametrize("url", [PROVINCE, ZONE, YIBIN, DEPT, PLAN, INDEX, ZONE + "?part=health"])
def test_anonymous_goes_to_login(board: Board, anon: Client, url: str) -> None:
    response = anon.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "url", ["/dashboards/zone/nowhere/", "/dashboards/unit/999999/", "/dashboards/plan/nope/"]
)
def test_missing_is_404(board: Board, planner: Client, url: str) -> None:
    assert planner.get(url).status_code == 404


def test_health_partial_denied_like_the_page(board: Board, chengdu_leader: Client) -> None:
    assert chengdu_leader.get(ZONE + "?part=health").status_code == 404


def test_zone_page_shows_figures_and_lists(board: Board, chuannan_leader: Client) -> None:
    response = chuannan_leader.get(ZONE)
    html = response.content.decode()
    for key, n in {"green": 5, "blue": 1, "yellow": 2, "red": 1, "none": 1}.items():
        assert f'data-light="{key}">{n}<' in html
    assert 'data-status="completed">2<' in html
    for task in board.tasks[4:7]:  # the yellow and the red tasks link to their pages
        assert reverse("tasks:task_detail", args=[task.pk]) in html
    assert reverse("tasks:task_detail", args=[board.chengdu_task.pk]) not in html
    match = re.search(
        r'<script id="dashboard-data" type="application/json">(.*?)</script>', html, re.S
    )
    assert match is not None
    data = json.loads(match.group(1))
    assert {d["key"]: d["value"] for d in data["lights"]}["yellow"] == 2
    # the zone's map shows the zone's own four prefectures, not the whole province
    assert {p["adcode"] for p in data["prefectures"]} == {"510300", "510500", "511000", "511500"}
    assert "示意图" in html
    assert "演示数据" not in html
    assert "<script>" not in html  # no inline script (CSP)


def test_health_partial(board: Board, planner: Client) -> None:
    response = planner.get(YIBIN + "?part=health")
    html = response.content.decode()
    assert "宜宾市" in html and "泸州市" not in html
    assert "<html" not in html


def test_demo_badge(board: Board, planner: Client) -> None:
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Task)
    DemoMarker.objects.create(content_type=ct, object_id=board.tasks[0].pk)
    assert "演示数据" in planner.get(ZONE).content.decode()
    assert (
        "演示数据"
        not in planner.get(reverse("dashboards:plan", args=["chengdu-plain"])).content.decode()
    )


@pytest.mark.parametrize("url", [PROVINCE, ZONE, YIBIN, DEPT, PLAN])
def test_query_budget_does_not_grow_with_tasks(
    board: Board,
    planner: Client,
    orgunits: dict[str, OrgUnit],
    django_assert_max_num_queries: Any,
    url: str,
) -> None:
    planner.get(url)  # warm the session and content-type caches
    with django_assert_max_num_queries(18):
        assert planner.get(url).status_code == 200
    alist = board.tasks[0].annual_list
    for seq in range(100, 140):
        make_task(
            alist,
            seq,
            light=["green", "yellow", "red"][seq % 3],
            units=[orgunits["511500"], orgunits["511502"]],
            lead=orgunits["dept:ndrc"],
        )
    with django_assert_max_num_queries(18):
        assert planner.get(url).status_code == 200


def test_nav_link_for_planners_and_leaders_only(
    board: Board, chuannan_leader: Client, yibin_reporter: Client
) -> None:
    assert INDEX in chuannan_leader.get(INDEX).content.decode()
    assert INDEX not in yibin_reporter.get("/").content.decode()


def test_english(board: Board, planner: Client) -> None:
    planner.post(reverse("set_language"), {"language": "en", "next": ZONE})
    html = planner.get(ZONE).content.decode()
    assert "Implementation dashboard" in html and "Schematic" in html


def test_empty_province(orgunits: dict[str, OrgUnit], planner: Client) -> None:
    html = planner.get(PROVINCE).content.decode()
    assert 'data-light="red">0<' in html and "尚无已采纳的进展报告" in html
