"""The integration index pages: a planner builds the default tree, attaches an indicator,
computes and publishes an edition; the published edition is public with its charts' data, the
method note, the missing cities named, the sensitivity view and the changes of a correction."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from planwatch.assessment.models import IndexEdition, IndexMethod, IndexNode
from planwatch.assessment.services import index_edition_compute, index_edition_publish
from planwatch.indicators.models import Observation
from tests.assessment.conftest import World, observe
from tests.factories.personas import logged_in

pytestmark = pytest.mark.django_db


def _chart(html: str) -> dict:
    m = re.search(r'<script id="index-data" type="application/json">(.*?)</script>', html, re.S)
    assert m is not None
    return json.loads(m.group(1))


def test_planner_computes_and_publishes_through_the_pages(world: World) -> None:
    client = logged_in(world.planner)
    page = client.get(reverse("assessment:method", args=[world.method.pk])).content.decode()
    assert "建设现代化成都都市圈" in page and "同城化指标甲" in page
    r = client.post(
        reverse("assessment:method_compute", args=[world.method.pk]), {"year_to": "2021"}
    )
    edition = IndexEdition.objects.get(method=world.method)
    assert r["Location"] == reverse("assessment:edition", args=[edition.pk])
    # A draft is not public.
    assert logged_in(world.outsider).get(r["Location"]).status_code == 404
    client.post(reverse("assessment:edition_publish", args=[edition.pk]))
    html = logged_in(world.outsider).get(r["Location"]).content.decode()
    assert "117.5" in html  # 成都市 2021: (110 + 125)/2
    last = world.cities[-1].name
    missing = html.split('id="missing"')[1].split("</section>")[0]
    assert last in missing and "成都平原经济区" in missing and world.cities[0].name not in missing
    chart = _chart(html)
    assert chart["years"] == ["2020", "2021"]
    assert chart["dimensions"] == ["同城化", "协同创新"]
    assert chart["cities"][0] == world.cities[0].name and chart["city_totals"][0] == 117.5
    assert len(chart["convergence"]["cv"]) == 2
    note = html.split('id="method-note"')[1]
    assert "x_t ÷ x_2020 × 100" in note and "932" in note and "四川统计年鉴" in note
    assert "产业协作" in note  # named among the dimensions without indicators
    # Sensitivity: four method variants, ranks of the cities.
    sens = html.split('id="sensitivity"')[1].split("</section>")[0]
    assert sens.count('<th class="num">') == 4 and "★" in sens
    # The edition's own method (★) gives the edition's figures: 成都市 117.5, first.
    assert "117.5 · 第 1" in sens
    # Under min–max the ranks move (the cities' bases differ): some change is shown.
    assert "（+" in sens and "（-" in sens


def test_a_correction_shows_its_changes(world: World) -> None:
    e1 = index_edition_compute(method=world.method, actor=world.planner, year_to=2021)
    index_edition_publish(edition=e1, actor=world.planner)
    first = world.cities[0]
    Observation.objects.filter(indicator=world.b, place=first, year=2021).update(is_current=False)
    observe(world.b, first, 2021, 50.0)
    client = logged_in(world.planner)
    client.post(
        reverse("assessment:method_compute", args=[world.method.pk]),
        {"year_to": "2021", "corrects": str(e1.pk), "reason": "成都最终核实"},
    )
    e2 = IndexEdition.objects.get(method=world.method, number=2)
    html = client.get(reverse("assessment:edition", args=[e2.pk])).content.decode()
    changes = html.split('id="changes"')[1].split("</section>")[0]
    # 117.5 → 105: −12.5
    assert (
        first.name in changes and "117.5" in changes and "105.0" in changes and "-12.5" in changes
    )
    assert "成都最终核实" in html


def test_bad_input_changes_nothing(world: World) -> None:
    client = logged_in(world.planner)
    r = client.post(
        reverse("assessment:method_compute", args=[world.method.pk]), {"year_to": "abc"}
    )
    assert r.status_code == 302 and not IndexEdition.objects.exists()
    r = client.post(
        reverse("assessment:method_attach", args=[world.method.pk]),
        {"parent": "999999", "indicator": str(world.a.pk)},
    )
    assert IndexNode.objects.filter(method=world.method, indicator=world.a).count() == 1
    r = client.post(
        reverse("assessment:method_create_default", args=[world.plan.slug]),
    )
    assert IndexMethod.objects.filter(plan=world.plan).count() == 1
