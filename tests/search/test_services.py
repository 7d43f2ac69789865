"""Keeping the index in step: a new version replaces the old one, new dictionary words
re-cut other plans, reindex_all and the `search_reindex` command rebuild everything."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from planwatch.plans.choices import NodeKind
from planwatch.search import highlight, segment
from planwatch.search.backends import Filters, get_backend
from planwatch.search.segment import QueryGroup
from planwatch.search.selectors import search_nodes
from planwatch.search.services import index_plan_version, reindex_all
from tests.factories.plans import build_plan
from tests.factories.search import PlanFixture, make_corpus

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(persona_units: object) -> dict[str, PlanFixture]:
    return make_corpus()


def found(q: str) -> list[tuple[str, str]]:
    return [(h.plan.slug, h.node.key) for h in search_nodes(viewer=None, q=q).hits]


def test_index_counts_every_node(corpus: dict[str, PlanFixture]) -> None:
    assert get_backend().count_all() == 5 + 3
    assert index_plan_version(version=corpus["chuannan"].version) == 5
    assert get_backend().count_all() == 8


def test_a_new_version_replaces_the_old_in_the_index(corpus: dict[str, PlanFixture]) -> None:
    old = corpus["chuannan"]
    assert found("成自宜高铁") == [("chuannan", "c1.b1.i1")]
    new = build_plan(
        old.plan.title,
        old.plan.slug,
        [("c1", NodeKind.CHAPTER, "第一章", ""), ("c1.p1", NodeKind.PROVISION, "", "建成泸州港。")],
        plan=old.plan,
        number=2,
    )
    assert found("成自宜高铁") == []
    assert found("泸州港") == [("chuannan", "c1.p1")]
    assert {h.node.version_id for h in search_nodes(viewer=None, q="泸州港").hits} == {
        new.version.pk
    }


def test_a_new_project_name_recuts_the_other_plans(corpus: dict[str, PlanFixture]) -> None:
    # 成都平原's text names 成都东部新区; no dictionary knows it until a plan lists it, so
    # it is indexed as 成都 / 东部 / 新区 (and a query is cut the same way).
    whole_word = [QueryGroup(("成都东部新区",))]
    assert get_backend().search(whole_word, Filters(), limit=10, offset=0) == (0, [])
    assert found("成都东部新区") == [("chengdu-plain", "c1.p2")]
    build_plan(
        "攀西经济区“十四五”转型升级规划",
        "panxi",
        [("c1", NodeKind.BOX, "专栏", ""), ("c1.i1", NodeKind.BOX_ITEM, "", "对接成都东部新区。")],
        projects={"c1.i1": ["成都东部新区"]},
    )
    # Now the query is the one word, and 成都平原's node was cut again to contain it.
    assert segment.tokens_for_query("成都东部新区") == ["成都东部新区"]
    assert get_backend().search(whole_word, Filters(), limit=10, offset=0)[0] == 2
    assert set(found("成都东部新区")) == {("chengdu-plain", "c1.p2"), ("panxi", "c1.i1")}


def test_reindex_all_rebuilds_from_current_versions(corpus: dict[str, PlanFixture]) -> None:
    get_backend().clear()
    assert found("成自宜高铁") == []
    assert reindex_all() == (2, 8)
    assert found("成自宜高铁") == [("chuannan", "c1.b1.i1")]


def test_search_reindex_command(corpus: dict[str, PlanFixture]) -> None:
    get_backend().clear()
    out = StringIO()
    call_command("search_reindex", stdout=out)
    assert out.getvalue().strip() == "indexed 8 nodes of 2 plans"
    dry = StringIO()
    get_backend().clear()
    call_command("search_reindex", "--dry-run", stdout=dry)
    assert dry.getvalue().strip() == "would index 8 nodes of 2 plans (the index holds 0 now)"
    assert get_backend().count_all() == 0
    call_command("search_reindex", stdout=StringIO())
    assert found("天府新区") == [("chengdu-plain", "c1.p1")]


def test_deleted_nodes_drop_out_of_the_index(corpus: dict[str, PlanFixture]) -> None:
    before = get_backend().count_all()
    corpus["chuannan"].nodes["c1.b1.i1"].delete()
    assert found("成自宜高铁") == []
    assert search_nodes(viewer=None, q="成自宜高铁").total == 0
    assert get_backend().count_all() == before - 1


def test_user_dictionary_holds_places_regions_and_projects(
    corpus: dict[str, PlanFixture],
) -> None:
    words = segment.dictionary_words()
    assert {"宜宾市", "川南经济区", "成德眉资", "天府新区", "成渝地区双城经济圈"} <= words
    assert "川南城际铁路内自泸段" in words  # a project name from the box


def test_tokens_for_index_and_query() -> None:
    seg = segment.Segmenter(segment.REGION_WORDS)
    index = segment.tokens_for_index("高水平建设四川天府新区，打造 PM2.5 监测", seg)
    assert {"天府新区", "四川天府新区", "天府", "新区", "pm2", "5"} <= set(index)
    assert "，" not in index
    assert segment.tokens_for_query("成自宜高铁 AND “成德眉资” and", seg) == [
        "成自宜高铁",
        "成德眉资",
        "and",
    ]
    assert segment.tokens_for_query("\x00<script>\ud800", seg) == ["script"]


def test_index_tokens_are_the_search_cut_lower_cased() -> None:
    seg = segment.Segmenter(segment.REGION_WORDS)
    text = "高水平建设四川天府新区，打造 PM2.5 监测；Made in China、成德眉资同城化。" * 2
    assert seg.index_tokens(text) == [t.lower() for t in seg.cut_for_search(text)]
    assert seg.index_tokens(text) == [t.lower() for t in seg.cut_for_search(text)]  # memo


def test_a_prefetched_base_dictionary_is_taken_by_the_next_segmenter() -> None:
    segment.prefetch_base()
    segment.prefetch_base()  # one spare at most
    seg = segment.Segmenter(segment.REGION_WORDS)
    assert segment._spare == [] and segment._spare_thread is None
    fresh = segment.Segmenter(segment.REGION_WORDS)  # loaded in place
    text = "推动成渝地区双城经济圈建设，高水平建设四川天府新区"
    assert seg.cut_for_search(text) == fresh.cut_for_search(text)
    assert "成渝地区双城经济圈" in seg.cut(text)


def test_gazetteer_words_are_used_when_the_parser_provides_them(
    monkeypatch: pytest.MonkeyPatch, corpus: dict[str, PlanFixture]
) -> None:
    monkeypatch.setattr(segment, "_gazetteer_words", lambda: ["叙永县城"])
    assert "叙永县城" in segment.dictionary_words()


def test_snippet_marks_words_not_lone_latin_characters() -> None:
    seg = segment.Segmenter(segment.REGION_WORDS)
    groups = segment.group_query_tokens(segment.tokens_for_query("PM2.5 浓度", seg))
    html = highlight.snippet("细颗粒物(PM2.5)平均浓度下降5%", highlight.terms_of(groups))
    assert html == "细颗粒物(<mark>PM2</mark>.5)平均<mark>浓度</mark>下降5%"
    long = "前文" * 100 + "成自宜高铁" + "后文" * 100
    cut = highlight.snippet(long, ["成自宜高铁"], width=40)
    assert cut.startswith("…") and cut.endswith("…") and "<mark>成自宜高铁</mark>" in cut
