"""The /search/ page: full page and htmx partial, filters, pagination, highlighted snippets;
the same for anonymous visitors and signed-in users (plans are public)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from planwatch.search import views
from tests.factories.search import PlanFixture, make_corpus, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(persona_units: object) -> dict[str, PlanFixture]:
    return make_corpus()


def test_empty_page_has_the_form_and_filters(anon: Client, corpus: dict[str, PlanFixture]) -> None:
    page = anon.get("/search/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="q"' in html and 'name="plan"' in html
    assert 'name="kind"' in html and 'name="place"' in html
    assert "川南经济区“十四五”一体化发展规划" in html  # a plan to filter by
    assert "专栏条目" in html  # a kind to filter by
    assert "宜宾市" in html  # a place to filter by


@pytest.mark.parametrize("persona", ["anon", "yibin_reporter", "planner"])
def test_searching_finds_the_box_item_for_everyone(
    request: pytest.FixtureRequest, persona: str, corpus: dict[str, PlanFixture]
) -> None:
    client: Client = request.getfixturevalue(persona)
    page = client.get("/search/", {"q": "成自宜高铁"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<mark>成自宜高铁</mark>" in html
    assert "川南经济区“十四五”一体化发展规划" in html
    assert "原文第 6 页" in html


def test_htmx_request_gets_only_the_results(anon: Client, corpus: dict[str, PlanFixture]) -> None:
    partial = anon.get("/search/", {"q": "天府新区"}, headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert "<mark>天府新区</mark>" in html
    assert "<html" not in html and 'name="q"' not in html


def test_filters_on_the_page(anon: Client, corpus: dict[str, PlanFixture]) -> None:
    chuannan = corpus["chuannan"].plan.pk
    html = anon.get("/search/", {"q": "建设", "plan": chuannan}).content.decode()
    assert "成都平原经济区“十四五”一体化发展规划</p>" not in html
    assert "天府新区" not in html
    html = anon.get("/search/", {"q": "高铁", "kind": "provision"}).content.decode()
    assert "没有找到结果" in html
    luzhou = unit("泸州市").code
    html = anon.get("/search/", {"q": "建设", "place": luzhou}).content.decode()
    assert "<mark>建设</mark>" in html and "<mark>建设</mark>成自宜高铁" not in html
    assert "铁路：建成" not in html


def test_bad_filter_values_are_ignored(anon: Client, corpus: dict[str, PlanFixture]) -> None:
    page = anon.get(
        "/search/", {"q": "高铁", "plan": "x", "kind": "<b>", "place": "?", "page": "-1"}
    )
    assert page.status_code == 200
    assert "<mark>高铁</mark>" in page.content.decode()


def test_pagination(
    anon: Client, corpus: dict[str, PlanFixture], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "PER_PAGE", 1)
    first = anon.get("/search/", {"q": "建设"}).content.decode()
    assert "第 1 / " in first and 'rel="next"' in first and 'rel="prev"' not in first
    second = anon.get("/search/", {"q": "建设", "page": 2}).content.decode()
    assert "第 2 / " in second and 'rel="prev"' in second
    far = anon.get("/search/", {"q": "建设", "page": 99})
    assert far.status_code == 200


def test_snippets_never_carry_markup_from_the_text(
    anon: Client, corpus: dict[str, PlanFixture]
) -> None:
    html = anon.get("/search/", {"q": "水利"}).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html


def test_a_page_past_the_last_links_back(anon: Client, corpus: dict[str, PlanFixture]) -> None:
    html = anon.get("/search/", {"q": "建设", "page": 99}).content.decode()
    assert "结果只有 1 页" in html and "page=1" in html


def test_box_items_show_their_box(anon: Client, corpus: dict[str, PlanFixture]) -> None:
    html = anon.get("/search/", {"q": "成自宜高铁"}).content.decode()
    assert "专栏1 重大交通项目" in html


def test_the_page_links_each_hit_to_its_place_in_the_plan(
    anon: Client, corpus: dict[str, PlanFixture]
) -> None:
    html = anon.get("/search/", {"q": "成自宜高铁"}).content.decode()
    assert "/plans/chuannan/n/c1/#n-c1.b1.i1" in html


def test_query_budget(
    anon: Client, corpus: dict[str, PlanFixture], django_assert_max_num_queries: Any
) -> None:
    anon.get("/search/", {"q": "建设"})  # warm the segmenter
    with django_assert_max_num_queries(12):
        anon.get("/search/", {"q": "建设", "plan": corpus["chuannan"].plan.pk})
    with django_assert_max_num_queries(8):
        anon.get("/api/v1/search", {"q": "建设"})
