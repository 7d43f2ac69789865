"""The projects panel of the zone (and province) dashboard: plan against actual investment
by month, 双过半, the lights with links to the 台账 filtered by light, and the latest
published 红黑榜 — all computed from the stored plans and accepted reports."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from planwatch.dashboards.selectors import panel_month
from planwatch.projects import lists
from planwatch.projects import methods as m
from planwatch.projects.selectors import projects_panel
from tests.factories.personas import logged_in
from tests.projects.helpers import filed_and_accepted

pytestmark = pytest.mark.django_db


@pytest.fixture
def march(
    cheng_zi_yi,
    chuannan_planner_user,
    yibin_reporter_user,
    yibin_reviewer_user,
    zigong_reporter_user,
    zigong_reviewer_user,
):
    """宜宾 31,000 of 120,000 and 自贡 17,000 of 80,000 by March; 宜宾 10,000 by February."""
    p, zg, yb = cheng_zi_yi
    for seg, month, ytd, filler, reviewer in (
        (yb, 2, 10000, yibin_reporter_user, yibin_reviewer_user),
        (yb, 3, 31000, yibin_reporter_user, yibin_reviewer_user),
        (zg, 3, 17000, zigong_reporter_user, zigong_reviewer_user),
    ):
        filed_and_accepted(
            project=p,
            segment=seg,
            year=2026,
            month=month,
            ytd=ytd,
            filler=filler,
            reviewer=reviewer,
            planner=chuannan_planner_user,
        )
    return p


def test_panel_figures_equal_a_hand_computation(march, zone, chuannan_planner_user):
    panel = projects_panel(user=chuannan_planner_user, place=zone, year=2026, month=3)
    assert panel.projects == 1
    assert (panel.annual_plan, panel.ytd) == (Decimal(200000), Decimal(48000))
    assert panel.rate == pytest.approx(48000 / 200000)
    # No monthly plan given: the annual plans are spread evenly over the months.
    assert panel.plan_by_month == [pytest.approx(200000 * i / 12) for i in range(1, 13)]
    # Actual: each segment's latest accepted YTD carried forward; nothing after March.
    assert panel.actual_by_month == [0.0, 10000.0, 48000.0] + [None] * 9
    # 24 % against 25 %: one point behind, green.
    assert panel.lights == {"green": 1, "yellow": 0, "red": 0}
    assert panel.double_half is None  # June has not ended in the month shown


def test_double_half_at_june_names_the_projects_below_half(march, zone, chuannan_planner_user):
    panel = projects_panel(user=chuannan_planner_user, place=zone, year=2026, month=6)
    half = panel.double_half
    assert half is not None and not half.ok
    assert half.investment_rate == pytest.approx(0.24)
    assert half.below_half == ("成自宜高铁",)
    # 24 % against 50 % at June: 26 points behind, yellow.
    assert panel.lights == {"green": 0, "yellow": 1, "red": 0}


def test_published_lists_show_on_the_panel(march, zone, chuannan_planner_user, planner_user):
    province_planner = planner_user
    draft = lists.quarter_list_compute(
        series="prefectures", year=2026, quarter=1, actor=province_planner
    )
    assert projects_panel(user=chuannan_planner_user, place=zone, year=2026, month=3).lists == []
    lists.quarter_list_publish(quarter_list=draft, actor=province_planner, version=draft.version)
    panel = projects_panel(user=chuannan_planner_user, place=zone, year=2026, month=3)
    (shown,) = panel.lists
    assert [e.unit.name for e in shown.red] == ["宜宾市"]
    assert [e.unit.name for e in shown.black] == ["自贡市"]


def test_zone_dashboard_shows_the_panel(march, zone, chuannan_planner_user):
    client = logged_in(chuannan_planner_user)
    slug = zone.code.removeprefix("zone:")
    url = reverse("dashboards:zone", args=[slug])
    page = client.get(url + "?year=2026").content.decode()
    # The panel is loaded after the page, as an htmx partial of the same URL.
    assert f'hx-get="{url}?part=projects&amp;year=2026"' in page
    response = client.get(url + "?part=projects&year=2026")
    assert response.status_code == 200
    html = response.content.decode()
    month = panel_month(2026, timezone.localdate())
    a = m.assess(year=2026, month=month, ytd=48000, annual_plan=200000, started=True)
    assert 'id="projects-panel"' in html
    ledger = reverse("projects:ledger")
    link = f"{ledger}?place={zone.code.replace(':', '%3A')}&amp;year=2026&amp;month={month}"
    assert f'{link}&amp;light={a.light}">1</a>' in html
    data = json.loads(html.split('id="projects-data" type="application/json">')[1].split("<")[0])
    assert data["actual"][2] == 48000.0
    assert data["plan"][11] == pytest.approx(200000)
    # The ledger link opens the project under that light.
    ledger_page = client.get(f"{ledger}?place={zone.code}&year=2026&month={month}&light={a.light}")
    assert "成自宜高铁" in ledger_page.content.decode()


def test_panel_only_on_province_and_zone_dashboards(
    march, chuannan_planner_user, yibin, yibin_leader
):
    leader = yibin_leader
    url = reverse("dashboards:unit", args=[yibin.code])
    assert "part=projects" not in leader.get(url).content.decode()
    assert leader.get(url + "?part=projects").status_code == 404
