"""Reads from a streaming replica (issue 15, item 6).

With `DATABASE_REPLICA_URL` set, a second database alias `replica` points at a PostgreSQL hot
standby. `ReplicaMiddleware` marks a GET or HEAD request whose path starts with one of
`PLANWATCH_REPLICA_PATHS` (default: the dashboards and the public portal with its data and
feed) as read-only, and `ReplicaRouter` then sends that request's reads to the replica. Every
other request — every form, every write, every page that must show what was just written —
reads and writes the primary, and writes always go to the primary. A read-only request that
writes after all (a session touched, a rate counter) writes to the primary too.

The replica lags the primary by its replay delay (normally well under a second); the pages
read from it show the time their figures are as of (数据截至), so a lag is visible, never
silent. Without `DATABASE_REPLICA_URL` nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
# Who is signed in, and the counters that guard the forms, are always read from the
# primary: a session created a moment ago may not have reached the replica yet.
PRIMARY_ONLY = frozenset({"sessions", "auth", "accounts", "axes", "core"})
_read_only: ContextVar[bool] = ContextVar("planwatch_read_only_request", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Reads of a read-only request go to the replica; everything else to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _read_only.get() and replica_configured() and model._meta.app_label not in PRIMARY_ONLY:
            return REPLICA
        return "default"

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica is the same database, a moment behind

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == "default"


class ReplicaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.paths = tuple(getattr(settings, "PLANWATCH_REPLICA_PATHS", ()))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or not request.path.startswith(self.paths):
            return self.get_response(request)
        token = _read_only.set(True)
        try:
            return self.get_response(request)
        finally:
            _read_only.reset(token)
