"""search_nodes: compound words found as words, filters, pagination, snippets."""

from __future__ import annotations

from typing import Any

import pytest

from planwatch.orgunits.models import OrgUnit
from planwatch.search.selectors import search_nodes
from tests.factories.search import PlanFixture, make_corpus, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(persona_units: dict[str, OrgUnit]) -> dict[str, PlanFixture]:
    return make_corpus(persona_units)


def keys(q: str, **kw: Any) -> list[tuple[str, str]]:
    results = search_nodes(viewer=None, q=q, **kw)
    return [(h.plan.slug, h.node.key) for h in results.hits]


def test_project_name_finds_the_chuannan_box_item(corpus: dict[str, PlanFixture]) -> None:
    results = search_nodes(viewer=None, q="成自宜高铁")
    assert [(h.plan.slug, h.node.key, h.kind) for h in results.hits] == [
        ("chuannan", "c1.b1.i1", "box_item")
    ]
    assert "<mark>成自宜高铁</mark>" in results.hits[0].snippet
    assert results.total == 1


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("成德眉资", [("chengdu-plain", "c1.p1")]),
        ("天府新区", [("chengdu-plain", "c1.p1")]),
        ("成渝地区双城经济圈", [("chuannan", "c1.p1")]),
    ],
)
def test_compound_names_are_found_as_words(
    corpus: dict[str, PlanFixture], q: str, expected: list[tuple[str, str]]
) -> None:
    # The decoy provision has 天府…新区 and 成渝…经济圈 apart: it must not match.
    assert keys(q) == expected


def test_every_word_must_match_and_order_does_not_matter(corpus: dict[str, PlanFixture]) -> None:
    assert keys("宜宾 泸州") == [("chuannan", "c1.p1")]
    assert keys("泸州 宜宾") == [("chuannan", "c1.p1")]
    assert keys("宜宾 成都") == []


def test_filters(corpus: dict[str, PlanFixture]) -> None:
    chuannan = corpus["chuannan"].plan
    assert keys("建设", plan=chuannan) == [("chuannan", "c1.p1")] or all(
        slug == "chuannan" for slug, _ in keys("建设", plan=chuannan)
    )
    assert {slug for slug, _ in keys("建设")} == {"chuannan", "chengdu-plain"}
    assert keys("高铁", kind="provision") == []
    assert keys("高铁", kind="box_item") == [("chuannan", "c1.b1.i1")]
    # Place: 宜宾 is named by the provision and the box item; 泸州 only by the provision.
    assert set(keys("建设", place=unit("宜宾市"))) == {
        ("chuannan", "c1.p1"),
        ("chuannan", "c1.b1.i1"),
    }
    assert keys("建设", place=unit("泸州市")) == [("chuannan", "c1.p1")]
    # A zone covers the prefectures below it.
    assert {k for _, k in keys("建设", place=unit("川南经济区"))} == {
        "c1.p1",
        "c1.b1.i1",
    }
    assert keys("建设", place=unit("成都平原经济区")) == [("chengdu-plain", "c1.p1")]
    # An unknown kind is ignored rather than an error; an unknown plan finds nothing.
    assert keys("高铁", kind="nonsense") == [("chuannan", "c1.b1.i1")]
    assert keys("高铁", plan=999_999) == []


def test_pagination(corpus: dict[str, PlanFixture]) -> None:
    everything = search_nodes(viewer=None, q="建设", limit=100)
    assert everything.total == len(everything.hits) >= 3
    first = search_nodes(viewer=None, q="建设", limit=2, offset=0)
    second = search_nodes(viewer=None, q="建设", limit=2, offset=2)
    assert first.total == second.total == everything.total
    paged = [h.node.pk for h in first.hits + second.hits]
    assert paged == [h.node.pk for h in everything.hits][: len(paged)]
    assert search_nodes(viewer=None, q="建设", offset=1000).hits == []


def test_snippet_escapes_the_text_and_marks_matches(corpus: dict[str, PlanFixture]) -> None:
    [hit] = search_nodes(viewer=None, q="水利").hits
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hit.snippet
    assert "<script>" not in hit.snippet
    assert "<mark>水利</mark>" in hit.snippet
    assert "&amp;" in hit.snippet


def test_title_of_an_untitled_node_is_the_start_of_its_text(
    corpus: dict[str, PlanFixture],
) -> None:
    [hit] = search_nodes(viewer=None, q="成自宜高铁").hits
    assert hit.title.startswith("铁路：建成成自宜高铁")
    assert hit.kind_label == "专栏条目"


def test_project_names_are_searchable(corpus: dict[str, PlanFixture]) -> None:
    assert keys("川南城际铁路内自泸段") == [("chuannan", "c1.b1.i1")]


def test_empty_and_punctuation_only_queries_find_nothing(corpus: dict[str, PlanFixture]) -> None:
    for q in ["", "   ", "“”！？", "*", '"', "()", "AND", "<>"]:
        results = search_nodes(viewer=None, q=q)
        assert results.hits == [] or q == "AND", q
