"""Signed-in list pages benchmark (issue 15 item 3): the heaviest pages of the load test —
the task list, the review queue and the 督办 cases — as the load test's users open them
(the 川南 planner; a city reporter), one after the other through Django's test client on the
database scripts/bench_load.py prepared. Prints, per page, the queries of one request, the
page's size and the median and p95 wall and CPU time of `--runs` requests (figures, never a
pass/fail).

The database and the accounts come from a `bench_load.py` preparation: DATABASE_URL names the
database (default: bench_load's `pw_bench_load` on the local server) and `--fixture` the
fixture.json it wrote. `--profile PAGE` (e.g. `planner:/tasks/`) prints cProfile's top
functions (cumulative) of `--runs` requests instead of timing them; `--queries` lists the
queries of one request with their times.

To measure another checkout (say main, before a change), put it first:
`PLANWATCH_BENCH_TREE=/work/main .venv/bin/python scripts/bench_lists.py`.

Run: `.venv/bin/python scripts/bench_lists.py [--fixture /tmp/pw-bench-load/fixture.json]
[--runs 30] [--only planner:/tasks/] [--profile planner:/tasks/] [--queries]`.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, os.environ.get("PLANWATCH_BENCH_TREE", str(ROOT)))

# who opens which page in scripts/locust_planwatch.py
PAGES = (
    "planner:/tasks/",
    "reporter:/tasks/",
    "planner:/reports/queue/",
    "planner:/cases/",
)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fixture", type=Path, default=Path("/tmp/pw-bench-load/fixture.json"))
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--only", action="append", default=[], help="who:path (repeatable)")
    parser.add_argument("--profile", default="", help="profile this who:path instead")
    parser.add_argument("--queries", action="store_true", help="list one request's queries")
    args = parser.parse_args()
    fixture = json.loads(args.fixture.read_text())
    os.environ.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/pw_bench_load")
    os.environ.setdefault("PLANWATCH_VAR_DIR", str(args.fixture.parent))
    os.environ.setdefault("PLANWATCH_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planwatch.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    users = {
        "planner": fixture["planner"],
        "leader": fixture["leader"],
        "reporter": fixture["reporters"][0]["username"],
    }
    clients: dict[str, Client] = {}

    def client_of(who: str) -> Client:
        if who not in clients:
            clients[who] = Client(headers={"Accept-Language": "zh-CN"})
            clients[who].force_login(get_user_model().objects.get(username=users[who]))
        return clients[who]

    if args.profile:
        who, path = args.profile.split(":", 1)
        client = client_of(who)
        client.get(path)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.runs):
            client.get(path)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        return
    print(f"tree: {sys.path[0]}; database: {connection.settings_dict['NAME']}")
    for page in args.only or PAGES:
        who, path = page.split(":", 1)
        client = client_of(who)
        response = client.get(path)  # warm
        assert response.status_code == 200, (page, response.status_code)
        queries: list[tuple[str, float]] = []

        def count(run: Any, sql: str, *rest: Any, into: list[tuple[str, float]] = queries) -> Any:
            start = time.perf_counter()
            try:
                return run(sql, *rest)
            finally:
                into.append((sql, (time.perf_counter() - start) * 1000))

        with connection.execute_wrapper(count):
            response = client.get(path)
        if args.queries:
            for sql, ms in queries:
                print(f"  {ms:6.1f} ms  {sql[:110]}")
        wall, cpu = [], []
        for _ in range(args.runs):
            w, c = time.perf_counter(), time.process_time()
            client.get(path)
            cpu.append((time.process_time() - c) * 1000)
            wall.append((time.perf_counter() - w) * 1000)
        print(
            f"{page:<26} {len(queries):>3} queries, {len(response.content):>7} B; "
            f"wall median {statistics.median(wall):6.1f} p95 {p95(wall):6.1f} ms; "
            f"CPU median {statistics.median(cpu):6.1f} p95 {p95(cpu):6.1f} ms"
        )


if __name__ == "__main__":
    main()
