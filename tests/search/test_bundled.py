"""Acceptance on the bundled document (the five Sichuan plans, parsed and ingested):
searching 成自宜高铁 finds the 川南 box item that names it, and 成德眉资, 天府新区 and
成渝地区双城经济圈 are found as words."""

from __future__ import annotations

from typing import Any

import pytest

from planwatch.search.backends import Filters, get_backend
from planwatch.search.segment import QueryGroup, tokens_for_query
from planwatch.search.selectors import search_nodes

pytestmark = pytest.mark.django_db


def test_chengziyi_high_speed_rail_finds_the_chuannan_box_item(bundled_plans: Any) -> None:
    results = search_nodes(viewer=None, q="成自宜高铁", limit=100)
    box_items = [h for h in results.hits if h.kind == "box_item"]
    assert any("川南" in h.plan.title for h in box_items), [
        (h.plan.title, h.kind, h.title) for h in results.hits
    ]
    hit = next(h for h in box_items if "川南" in h.plan.title)
    assert "<mark>成自宜高铁</mark>" in hit.snippet
    assert hit.node.page is not None


@pytest.mark.parametrize("word", ["成自宜高铁", "成德眉资", "天府新区", "成渝地区双城经济圈"])
def test_compound_names_are_single_words(bundled_plans: Any, word: str) -> None:
    assert tokens_for_query(word) == [word]
    # The index holds the word itself: a search for the one token finds nodes.
    total, _ = get_backend().search([QueryGroup((word,))], Filters(), limit=1, offset=0)
    assert total > 0, word
    results = search_nodes(viewer=None, q=word, limit=100)
    assert results.total == total
    assert all(f"<mark>{word}</mark>" in h.snippet for h in results.hits[:20]), word


def test_filters_on_the_bundled_plans(bundled_plans: Any, orgunits: Any) -> None:
    everything = search_nodes(viewer=None, q="高铁", limit=100)
    assert len({h.plan.pk for h in everything.hits}) >= 3
    plan = next(p for p in bundled_plans if "川南" in p.title)
    only = search_nodes(viewer=None, q="高铁", plan=plan, limit=100)
    assert only.total and {h.plan.pk for h in only.hits} == {plan.pk}
    items = search_nodes(viewer=None, q="高铁", kind="box_item", limit=100)
    assert items.total and {h.kind for h in items.hits} == {"box_item"}
    yibin = orgunits["511500"]
    there = search_nodes(viewer=None, q="港口", place=yibin, limit=100)
    assert there.total < search_nodes(viewer=None, q="港口", limit=100).total
