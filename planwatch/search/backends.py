"""The full-text index behind one interface, with one implementation per database vendor.

Both index the same pre-segmented tokens (see `segment.py`): documents are stored as
space-separated words, and queries are built here from segmented words — each one quoted
or passed as a bound parameter — so nothing a user types is ever read as query syntax.

- SQLite: an FTS5 virtual table (`unicode61` tokenizer over the spaces), ranked by bm25.
- PostgreSQL: a table with a `tsvector` built by `to_tsvector('simple', …)`, a GIN index,
  ranked by ts_rank.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, connection, transaction

from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import NodePlace
from planwatch.search.segment import QueryGroup

logger = logging.getLogger(__name__)

SQLITE_TABLE = "search_node_fts"
PG_TABLE = "search_node_index"
TITLE_WEIGHT = 3.0


@dataclass(frozen=True)
class IndexDoc:
    """One plan node as the index stores it."""

    node_id: int
    plan_id: int
    version_id: int
    kind: str
    title_tokens: str
    body_tokens: str


@dataclass(frozen=True)
class Filters:
    plan_id: int | None = None
    kind: str | None = None
    # Materialised path of an organisation unit: nodes naming it or any unit below it.
    place_path: str | None = None
    # Plans whose nodes must not be found (drafts and withdrawn plans the viewer may not see):
    # left out of the hits and of the total alike.
    hidden_plan_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Match:
    node_id: int
    score: float


class SearchBackend(ABC):
    """What the search service needs from an index."""

    @abstractmethod
    def add(self, docs: Sequence[IndexDoc]) -> None:
        """Insert or replace these documents."""

    @abstractmethod
    def delete_plan(self, plan_id: int) -> None:
        """Remove every document of a plan."""

    @abstractmethod
    def clear(self) -> None:
        """Remove everything."""

    @abstractmethod
    def count_all(self) -> int:
        """Documents in the index."""

    @abstractmethod
    def search(
        self, groups: Sequence[QueryGroup], filters: Filters, *, limit: int, offset: int
    ) -> tuple[int, list[Match]]:
        """The total number of matches and one page of them, best first. All groups must
        match."""

    def safe_search(
        self, groups: Sequence[QueryGroup], filters: Filters, *, limit: int, offset: int
    ) -> tuple[int, list[Match]]:
        """`search`, but a query the engine still refuses gives no results, not an error. The
        query is built from quoted words and bound parameters, so this should never happen;
        the savepoint keeps an enclosing PostgreSQL transaction usable if it does."""
        if not groups:
            return 0, []
        try:
            if not connection.in_atomic_block:
                # Outside a transaction a failed statement poisons nothing: spare the
                # BEGIN/COMMIT round trips.
                return self.search(groups, filters, limit=limit, offset=offset)
            with transaction.atomic():
                return self.search(groups, filters, limit=limit, offset=offset)
        except DatabaseError:
            logger.exception("search query refused: %r", [g.tokens for g in groups])
            return 0, []


def _place_clause(column: str, filters: Filters, params: list[Any]) -> str:
    if filters.place_path is None:
        return ""

    links = NodePlace._meta.db_table
    units = OrgUnit._meta.db_table
    escaped = filters.place_path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    params.append(escaped + "%")
    return (
        f" AND {column} IN (SELECT np.node_id FROM {links} np JOIN {units} u"
        f" ON u.id = np.org_unit_id WHERE u.path LIKE %s ESCAPE '\\')"
    )


def _filter_clause(column: str, filters: Filters, params: list[Any]) -> str:
    sql = ""
    if filters.plan_id is not None:
        sql += " AND plan_id = %s"
        params.append(filters.plan_id)
    if filters.kind is not None:
        sql += " AND kind = %s"
        params.append(filters.kind)
    if filters.hidden_plan_ids:
        sql += f" AND plan_id NOT IN ({', '.join(['%s'] * len(filters.hidden_plan_ids))})"
        params.extend(filters.hidden_plan_ids)
    return sql + _place_clause(column, filters, params)


class SQLiteBackend(SearchBackend):
    """SQLite FTS5; the rowid of a document is the node id."""

    def add(self, docs: Sequence[IndexDoc]) -> None:
        rows = [
            (d.node_id, d.title_tokens, d.body_tokens, d.plan_id, d.version_id, d.kind)
            for d in docs
        ]
        with connection.cursor() as cur:
            cur.executemany(f"DELETE FROM {SQLITE_TABLE} WHERE rowid = %s", [(r[0],) for r in rows])
            cur.executemany(
                f"INSERT INTO {SQLITE_TABLE} (rowid, title, body, plan_id, version_id, kind)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                rows,
            )

    def delete_plan(self, plan_id: int) -> None:
        with connection.cursor() as cur:
            cur.execute(f"DELETE FROM {SQLITE_TABLE} WHERE plan_id = %s", [plan_id])

    def clear(self) -> None:
        with connection.cursor() as cur:
            cur.execute(f"DELETE FROM {SQLITE_TABLE}")

    def count_all(self) -> int:
        with connection.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM {SQLITE_TABLE}")
            return int(cur.fetchone()[0])

    @staticmethod
    def match_expression(groups: Iterable[QueryGroup]) -> str:
        """An FTS5 query of quoted strings joined by AND: inside double quotes FTS5 reads
        nothing as an operator, and a doubled quote is a literal quote."""
        quoted = ['"' + " ".join(g.tokens).replace('"', '""') + '"' for g in groups]
        return " AND ".join(quoted)

    def search(
        self, groups: Sequence[QueryGroup], filters: Filters, *, limit: int, offset: int
    ) -> tuple[int, list[Match]]:
        params: list[Any] = [self.match_expression(groups)]
        where = f"{SQLITE_TABLE} MATCH %s" + _filter_clause("rowid", filters, params)
        # bm25() cannot be used beside a window function: count separately (SQLite runs in
        # process, so a second statement costs no round trip).
        with connection.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM {SQLITE_TABLE} WHERE {where}", params)
            total = int(cur.fetchone()[0])
            if total == 0 or offset >= total:
                return total, []
            cur.execute(
                f"SELECT rowid, bm25({SQLITE_TABLE}, {TITLE_WEIGHT}, 1.0) AS score"
                f" FROM {SQLITE_TABLE} WHERE {where} ORDER BY score, rowid LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            # bm25() is lower-is-better; flip it so that every backend's score grows.
            return total, [Match(int(r[0]), -float(r[1])) for r in cur.fetchall()]


class PostgresBackend(SearchBackend):
    """PostgreSQL tsvector('simple') with a GIN index; titles weigh A, bodies B."""

    def add(self, docs: Sequence[IndexDoc]) -> None:
        rows = [
            (d.node_id, d.plan_id, d.version_id, d.kind, d.title_tokens, d.body_tokens)
            for d in docs
        ]
        with connection.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {PG_TABLE} (node_id, plan_id, version_id, kind, document)"
                " VALUES (%s, %s, %s, %s,"
                " setweight(to_tsvector('simple', %s), 'A')"
                " || setweight(to_tsvector('simple', %s), 'B'))"
                " ON CONFLICT (node_id) DO UPDATE SET plan_id = EXCLUDED.plan_id,"
                " version_id = EXCLUDED.version_id, kind = EXCLUDED.kind,"
                " document = EXCLUDED.document",
                rows,
            )

    def delete_plan(self, plan_id: int) -> None:
        with connection.cursor() as cur:
            cur.execute(f"DELETE FROM {PG_TABLE} WHERE plan_id = %s", [plan_id])

    def clear(self) -> None:
        with connection.cursor() as cur:
            cur.execute(f"DELETE FROM {PG_TABLE}")

    def count_all(self) -> int:
        with connection.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM {PG_TABLE}")
            return int(cur.fetchone()[0])

    @staticmethod
    def tsquery_sql(groups: Iterable[QueryGroup], params: list[Any]) -> str:
        """A tsquery combined with && from bound parameters: plainto_tsquery for a word,
        phraseto_tsquery for a run of characters. Neither reads operators."""
        parts = []
        for g in groups:
            func = "phraseto_tsquery" if g.is_phrase else "plainto_tsquery"
            parts.append(f"{func}('simple', %s)")
            params.append(" ".join(g.tokens))
        return " && ".join(parts)

    def search(
        self, groups: Sequence[QueryGroup], filters: Filters, *, limit: int, offset: int
    ) -> tuple[int, list[Match]]:
        params: list[Any] = []
        query = self.tsquery_sql(groups, params)
        where = "document @@ q.query" + _filter_clause("node_id", filters, params)
        base = f"FROM {PG_TABLE}, (SELECT {query} AS query) q WHERE {where}"
        page_sql = (
            f"SELECT node_id, ts_rank(document, q.query) AS score, count(*) OVER () {base}"
            " ORDER BY score DESC, node_id LIMIT %s OFFSET %s"
        )
        return _page(page_sql, f"SELECT count(*) {base}", params, limit, offset)


def _page(
    page_sql: str, count_sql: str, params: list[Any], limit: int, offset: int
) -> tuple[int, list[Match]]:
    """Run the page query (which carries the total in its last column, saving a round trip
    to the server); only a page past the end needs the separate count."""
    with connection.cursor() as cur:
        cur.execute(page_sql, [*params, limit, offset])
        rows = cur.fetchall()
        if rows:
            return int(rows[0][2]), [Match(int(r[0]), float(r[1])) for r in rows]
        if offset == 0:
            return 0, []
        cur.execute(count_sql, params)
        return int(cur.fetchone()[0]), []


def get_backend() -> SearchBackend:
    """The backend for the database in use."""
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise NotImplementedError(f"no search backend for {connection.vendor}")
