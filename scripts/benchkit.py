"""What the benchmark scripts share: the one percentile they all report, the checkout they
measure, the start-up on the database `scripts/bench_load.py` prepared, and the timing of
repeated requests through Django's test client.

The scripts stay runnable as plain files (`.venv/bin/python scripts/bench_x.py`): Python puts
their own folder first on `sys.path`, which is how they find this module.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import math
import os
import pstats
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LOAD_FIXTURE = Path("/tmp/pw-bench-load/fixture.json")
LOAD_DATABASE = "postgresql://postgres@127.0.0.1:5432/pw_bench_load"


def p95(values: list[float]) -> float:
    """The 95th percentile by nearest rank: the smallest value that at least 95 % of the
    values do not exceed (of 20 values, the 19th smallest)."""
    if not values:
        raise ValueError("p95 of no values")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def median_p95(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), p95(values)


def measure_tree() -> str:
    """Put the checkout to measure first on `sys.path` and return it: this repository, or the
    one `PLANWATCH_BENCH_TREE` names (say main, to measure it before a change)."""
    tree = os.environ.get("PLANWATCH_BENCH_TREE", str(ROOT))
    for path in (str(ROOT), tree):
        if path in sys.path:
            sys.path.remove(path)
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, tree)
    return tree


def add_load_fixture_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--fixture",
        type=Path,
        default=LOAD_FIXTURE,
        help=f"the fixture.json a bench_load.py preparation wrote (default {LOAD_FIXTURE})",
    )


def setup_on_load_database(fixture_path: Path) -> dict[str, Any]:
    """Read a `bench_load.py` fixture and set Django up on its database (DATABASE_URL, or
    bench_load's own database on the local server), with the test client's host allowed."""
    fixture: dict[str, Any] = json.loads(fixture_path.read_text())
    os.environ.setdefault("DATABASE_URL", LOAD_DATABASE)
    os.environ.setdefault("PLANWATCH_VAR_DIR", str(fixture_path.parent))
    os.environ.setdefault("PLANWATCH_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planwatch.settings")
    import django

    django.setup()
    return fixture


# The detail pages a load test's user opens, found as the first links of each kind on the
# pages listing them (scripts/locust_planwatch.py gathers them, scripts/bench_mix.py follows
# them): kind → the pattern of its href.
LINK_PATTERNS = {
    "task": re.compile(r'href="(/tasks/\d+/)"'),
    "case": re.compile(r'href="(/cases/\d+/)"'),
    "indicator": re.compile(r'href="(/indicators/\d+/)"'),
    "report": re.compile(r'href="(/reports/\d+/)"'),
    "dashboard": re.compile(r'href="(/dashboards/(?:zone|unit|plan)/[^"/]+/)"'),
    "edition": re.compile(r'href="(/integration-index/editions/\d+/)"'),
    "result": re.compile(r'href="(/assessment/results/\d+/)"'),
}


def load_clients(fixture: dict[str, Any]) -> Callable[[str], Any]:
    """A function of "planner", "leader" or "reporter" giving a test client signed in as
    that user of a `bench_load.py` fixture (its first reporter), made at the first call,
    asking for Chinese pages as the load test's users do. After `setup_on_load_database`."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    users = {
        "planner": fixture["planner"],
        "leader": fixture["leader"],
        "reporter": fixture["reporters"][0]["username"],
    }
    clients: dict[str, Any] = {}

    def client_of(who: str) -> Any:
        if who not in clients:
            clients[who] = Client(headers={"Accept-Language": "zh-CN"})
            clients[who].force_login(get_user_model().objects.get(username=users[who]))
        return clients[who]

    return client_of


@contextmanager
def recorded_queries() -> Iterator[list[tuple[str, float]]]:
    """The queries run inside the block, each with its milliseconds."""
    from django.db import connection

    queries: list[tuple[str, float]] = []

    def record(run: Callable[..., Any], sql: str, *rest: Any) -> Any:
        start = time.perf_counter()
        try:
            return run(sql, *rest)
        finally:
            queries.append((sql, (time.perf_counter() - start) * 1000))

    with connection.execute_wrapper(record):
        yield queries


def time_calls(call: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    """Wall and process CPU milliseconds of `runs` calls, one after the other."""
    wall, cpu = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        call()
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - w) * 1000)
    return wall, cpu


@dataclass
class PageFigures:
    """One page's figures: the queries of one request (each with its milliseconds), the size
    of its response, and the wall and CPU milliseconds of the timed requests."""

    queries: list[tuple[str, float]]
    size: int
    wall: list[float]
    cpu: list[float]

    def line(self, label: str, width: int) -> str:
        return (
            f"{label:<{width}} {len(self.queries):>3} queries, {self.size:>7} B; "
            f"wall median {statistics.median(self.wall):6.1f} p95 {p95(self.wall):6.1f} ms; "
            f"CPU median {statistics.median(self.cpu):6.1f} p95 {p95(self.cpu):6.1f} ms"
        )


def measure_page(client: Any, path: str, runs: int) -> PageFigures:
    """A page through a Django test client: one warm-up request (which must answer 200), one
    with its queries recorded, then `runs` timed requests."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    with recorded_queries() as queries:
        response = client.get(path)
    wall, cpu = time_calls(lambda: client.get(path), runs)
    return PageFigures(queries, len(response.content), wall, cpu)


def print_database(tree: str) -> None:
    from django.db import connection

    print(f"tree: {tree}; database: {connection.settings_dict['NAME']}")


def print_profile(call: Callable[[], object], runs: int, lines: int = 45) -> None:
    """One warm-up call, then cProfile's costliest functions (cumulative) of `runs` calls."""
    call()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        call()
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(lines)
