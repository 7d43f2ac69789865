"""What a request reads from the database: every query it runs and the bytes of the rows those
queries return (issue 15, item 7). A page that shows a plan's title must not fetch its source
document's bytes; a query count alone does not see that, a byte count does.

`measure_reads(client, url)` runs one GET, records each SQL statement through
`connection.execute_wrapper`, then runs each SELECT again on the same database (inside the
test's transaction, so on the same rows) and adds up the size of every value it returns:
bytes as their length, text as its UTF-8 length, anything else as the length of its text.
It also names every SELECT whose column list reads one of the `LARGE_COLUMNS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.test import Client

# Columns that hold whole documents, uploads, snapshots or audit payloads: a query that reads
# one must be one that shows or serves it.
LARGE_COLUMNS = (
    ("plans_sourcedocument", "content"),
    ("plans_ingestjob", "content"),
    ("audit_auditevent", "old"),
    ("audit_auditevent", "new"),
    ("plans_planversion", "diff"),
    ("documents_document", "snapshot"),
    ("documents_document", "texts"),
    ("tasks_listversion", "snapshot"),
    ("tasks_listversion", "diff"),
    ("assessment_indexedition", "inputs"),
    ("assessment_indexedition", "convergence"),
    ("assessment_resultedition", "inputs"),
)


@dataclass
class Reads:
    """The queries of one request and what they returned."""

    status: int
    queries: list[str] = field(default_factory=list)
    bytes_read: int = 0
    large: list[str] = field(default_factory=list)


def _size(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, bytes | bytearray | memoryview):
        return len(value)
    if isinstance(value, str):
        return len(value.encode("utf-8"))
    return len(str(value))


def _large_columns_read(sql: str) -> list[str]:
    head = sql.split(" FROM ", 1)[0]
    if not head.lstrip().upper().startswith("SELECT"):
        return []
    return [
        f"{table}.{column}"
        for table, column in LARGE_COLUMNS
        if re.search(rf'"{table}"\."{column}"(?!\w)', head)
    ]


def measure_reads(client: Client, url: str, **extra: Any) -> Reads:
    """GET `url` with `client` and measure what it read (see the module docstring)."""
    seen: list[tuple[str, Sequence[Any] | None]] = []

    def record(execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any) -> Any:
        if not many:
            seen.append((sql, params))
        return execute(sql, params, many, ctx)

    with connection.execute_wrapper(record):
        response = client.get(url, **extra)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    reads = Reads(status=response.status_code, queries=[sql for sql, _ in seen])
    with connection.cursor() as cursor:
        for sql, params in seen:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            reads.large += _large_columns_read(sql)
            cursor.execute(sql, params)
            reads.bytes_read += sum(_size(v) for row in cursor.fetchall() for v in row)
    return reads
