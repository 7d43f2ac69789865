"""Whatever a user types gives results or an empty list, never an error: on the selector,
on the page and in the API, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planwatch.search.backends import PostgresBackend, SQLiteBackend
from planwatch.search.segment import QueryGroup, group_query_tokens, tokens_for_query
from planwatch.search.selectors import search_nodes
from tests.factories.search import PlanFixture, make_corpus

pytestmark = pytest.mark.django_db

NASTY = [
    '"',
    '""',
    "'",
    '成自宜高铁"',
    '"成自宜高铁',
    "*",
    "高铁*",
    "^高铁",
    "高铁 AND",
    "AND OR NOT",
    "高铁 OR 宜宾",
    "NOT 宜宾",
    "NEAR(宜宾 泸州",
    "NEAR(宜宾 泸州, 2)",
    "(((",
    "宜宾)",
    "{宜宾}",
    "title:宜宾",
    "body : 宜宾",
    "宜宾 -泸州",
    "<script>alert(1)</script>",
    "<mark>宜宾</mark>",
    "&amp; &lt;",
    "🚄 高铁 🚄",
    "\x00宜宾\x00",
    "宜宾\u200b泸州",
    "\ud800",
    "!@#$%^&*()_+-=[]{}|;':,./<>?",
    "%",
    "_",
    "\\",
    "宜宾 & 泸州 | !高铁 <-> :*",
    "ｐｍ２.５",
    "a" * 5000,
    "成都" * 1000,
    " ".join(["宜宾"] * 300),
]


@pytest.fixture(autouse=True)
def no_refused_queries(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """The backends' last-resort fallback (a refused query gives no hits) must never be
    what kept a test green: every query here must be one the engine accepts."""
    yield
    refused = [r for r in caplog.records if r.name == "planwatch.search.backends"]
    assert not refused, [r.getMessage() for r in refused]


@pytest.fixture
def corpus(persona_units: object) -> dict[str, PlanFixture]:
    return make_corpus()


@pytest.mark.parametrize("q", NASTY)
def test_nasty_queries_never_raise(corpus: dict[str, PlanFixture], q: str) -> None:
    results = search_nodes(viewer=None, q=q)
    assert results.total >= len(results.hits)
    for hit in results.hits:
        assert "<script" not in hit.snippet


def test_operators_are_not_syntax(corpus: dict[str, PlanFixture]) -> None:
    # Operators typed in capitals are dropped, never interpreted: every other word must
    # occur (高铁 and 铁路 are both only in the box item).
    for q in ["高铁 OR 铁路", "高铁 AND 铁路", "高铁 铁路 NOT", "NEAR 高铁 铁路"]:
        assert [h.node.key for h in search_nodes(viewer=None, q=q).hits] == ["c1.b1.i1"], q
    assert search_nodes(viewer=None, q="高铁 NOT 铁路").total == 1  # NOT excludes nothing
    # In lower case they are words like any other.
    assert search_nodes(viewer=None, q="高铁 or 铁路").hits == []
    assert [h.node.key for h in search_nodes(viewer=None, q='"成自宜高铁"').hits] == ["c1.b1.i1"]
    assert [h.node.key for h in search_nodes(viewer=None, q="高铁*").hits] == ["c1.b1.i1"]


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(q=st.text(max_size=80))
def test_any_text_gives_results_or_nothing(corpus: dict[str, PlanFixture], q: str) -> None:
    results = search_nodes(viewer=None, q=q, limit=5)
    assert len(results.hits) <= 5


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    q=st.lists(
        st.sampled_from(
            [
                "宜宾",
                "高铁",
                '"',
                "*",
                "AND",
                "OR",
                "NOT",
                "NEAR(",
                ")",
                "(",
                ":",
                "^",
                "-",
                "成自宜高铁",
                "<b>",
                "'",
                "\\",
                "🚄",
                "天府新区",
                "&",
                "|",
                "!",
                "<->",
                " ",
            ]
        ),
        max_size=12,
    ).map("".join)
)
def test_operator_soup_gives_results_or_nothing(corpus: dict[str, PlanFixture], q: str) -> None:
    search_nodes(viewer=None, q=q)


@given(q=st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_query_building_quotes_every_token(q: str) -> None:
    groups = group_query_tokens(tokens_for_query(q))
    expression = SQLiteBackend.match_expression(groups)
    # Every group is one double-quoted string; outside the quotes only AND appears.
    outside = "".join(expression.split('"')[0::2])
    assert set(outside.split()) <= {"AND"}
    params: list[object] = []
    sql = PostgresBackend.tsquery_sql(groups, params)
    assert len(params) == len(groups)
    assert "%s" in sql or not groups
    assert all(isinstance(p, str) and "\x00" not in p for p in params)


def test_single_character_runs_become_phrases() -> None:
    groups = group_query_tokens(["宜宾", "同", "城", "化", "高铁", "水"])
    assert groups == [
        QueryGroup(("宜宾",)),
        QueryGroup(("同", "城", "化")),
        QueryGroup(("高铁",)),
        QueryGroup(("水",)),
    ]


@pytest.mark.parametrize("q", NASTY[:24])
def test_nasty_queries_on_the_page_and_the_api(
    corpus: dict[str, PlanFixture], client: Client, q: str
) -> None:
    page = client.get("/search/", {"q": q})
    assert page.status_code == 200
    assert b"<script>alert" not in page.content
    api = client.get("/api/v1/search", {"q": q})
    assert api.status_code == 200, api.content
