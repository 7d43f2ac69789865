"""Dashboards that tell the truth (issue 9, item 9): a year and period chooser (the current
year by default, else the latest year before it with tasks), the date the figures are as of,
every period of the year against 序时进度, a prefecture's map showing only itself with its
counties in a table, and map regions linking to the dashboards the viewer may open."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from planwatch.orgunits.models import OrgUnit
from planwatch.reports.models import ProgressReport
from planwatch.rollups.services import rollup_rebuild
from planwatch.tasks.models import AnnualList
from tests.dashboards.conftest import Board, make_task

pytestmark = pytest.mark.django_db

PROVINCE = reverse("dashboards:province")
ZONE = reverse("dashboards:zone", args=["south-sichuan"])
YIBIN = reverse("dashboards:unit", args=["511500"])
CHUANNAN = ("510300", "510500", "511000", "511500")


def charts(html: str) -> dict[str, Any]:
    match = re.search(
        r'<script id="dashboard-data" type="application/json">(.*?)</script>', html, re.S
    )
    assert match is not None
    data: dict[str, Any] = json.loads(match.group(1))
    return data


@pytest.fixture
def old_red(board: Board, orgunits: dict[str, OrgUnit]) -> Any:
    """A red task of an issued 2023 list (of 宜宾): an older year than the board's 2024."""
    alist = AnnualList.objects.create(
        plan=board.chuannan, year=2023, status="issued", issued_number=1
    )
    return make_task(alist, 1, light="red", units=[orgunits["511500"]], lead=orgunits["dept:ndrc"])


def test_year_defaults_to_latest_with_tasks_and_red_list_follows(
    board: Board, old_red: Any, chuannan_leader: Client
) -> None:
    html = chuannan_leader.get(ZONE).content.decode()
    # no 2026 tasks: the latest year before it that has tasks (2024), not 2023 first
    assert re.search(r'<option value="2024" selected>', html)
    assert '<option value="2023"' in html
    assert reverse("tasks:task_detail", args=[board.tasks[6].pk]) in html  # 2024's red task
    assert reverse("tasks:task_detail", args=[old_red.pk]) not in html
    html = chuannan_leader.get(ZONE + "?year=2023").content.decode()
    assert reverse("tasks:task_detail", args=[old_red.pk]) in html
    assert reverse("tasks:task_detail", args=[board.tasks[6].pk]) not in html
    assert 'data-light="red">1<' in html and 'data-status="active">1<' in html


def test_bad_year_is_the_default(board: Board, chuannan_leader: Client) -> None:
    response = chuannan_leader.get(ZONE + "?year=99999&period=nope")
    assert response.status_code == 200
    # Beyond 64 bits the edge refuses it before the view (tests/web/test_ids_at_the_edge.py).
    assert chuannan_leader.get(ZONE + "?year=99999999999999999999").status_code == 400
    assert '<option value="2024" selected>' in response.content.decode()


def test_as_of_is_the_latest_acceptance_and_lights_date(
    board: Board, chuannan_leader: Client
) -> None:
    ProgressReport.objects.filter(period_label="2024Q2").update(
        accepted_at=datetime(2024, 7, 8, 2, 0, tzinfo=UTC)
    )
    # written past the services: the summaries are rebuilt, as after any bulk write (0029);
    # the zone's leader sees every task of the zone, so their page reads the summaries
    rollup_rebuild()
    html = chuannan_leader.get(ZONE).content.decode()
    assert "数据截至" in html
    assert 'data-as-of="2024-07-08"' in html
    assert 'data-lights-on="2024-10-20"' in html


def test_every_period_against_expected_progress(board: Board, chuannan_leader: Client) -> None:
    html = chuannan_leader.get(ZONE + "?year=2024").content.decode()
    rows = re.findall(r'<tr data-period="(\d{4}Q\d)">', html)
    assert rows == ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
    trend = charts(html)["trend"]
    assert trend["labels"] == rows
    assert trend["values"] == [50.0, 80.0, None, None]  # Q1 kept; no data is a gap
    assert trend["expected"] == [24.7, 49.6, 74.8, 100.0]
    assert trend["current"] == "2024Q4"  # the latest period ended (the year is over)


def test_period_chooser(board: Board, chuannan_leader: Client) -> None:
    html = chuannan_leader.get(ZONE + "?year=2024&period=2024Q1").content.decode()
    assert '<option value="2024Q1" selected>' in html
    kpi = re.search(r'id="kpi-period">(.*?)</li>', html, re.S)
    assert kpi is not None and "50.0%" in kpi.group(1) and "24.7%" in kpi.group(1)
    assert charts(html)["trend"]["current"] == "2024Q1"


def test_prefecture_map_shows_itself_and_its_counties(board: Board, planner: Client) -> None:
    html = planner.get(YIBIN).content.decode()
    data = charts(html)
    # only 宜宾 itself, not the four 川南 cities its shared tasks also name
    assert [(p["adcode"], p["tasks"]) for p in data["prefectures"]] == [("511500", 7)]
    children = re.search(r'<section class="card wide" id="children">(.*?)</section>', html, re.S)
    assert children is not None
    assert '<tr data-unit="511502"><td>翠屏区</td><td class="num">1</td>' in children.group(1)


def test_zone_map_shows_its_prefectures_linked(board: Board, chuannan_leader: Client) -> None:
    data = charts(chuannan_leader.get(ZONE).content.decode())
    by_code = {p["adcode"]: p for p in data["prefectures"]}
    assert set(by_code) == set(CHUANNAN)
    assert by_code["511500"]["url"] == YIBIN + "?year=2024"
    assert (by_code["511500"]["tasks"], by_code["510500"]["tasks"]) == (7, 6)
    assert chuannan_leader.get(by_code["511500"]["url"]).status_code == 200


def test_map_links_only_where_the_viewer_may_go(
    board: Board, planner: Client, chuannan_leader: Client
) -> None:
    data = charts(planner.get(PROVINCE).content.decode())
    assert len(data["prefectures"]) == 21 and all(p["url"] for p in data["prefectures"])
    chengdu = reverse("dashboards:unit", args=["510100"])
    assert chuannan_leader.get(chengdu).status_code == 404  # and so is never linked for it
    zone = charts(chuannan_leader.get(ZONE).content.decode())
    assert not any(chengdu in p["url"] for p in zone["prefectures"])
