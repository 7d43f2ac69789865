"""API read benchmark (issue 15 item 3): the /api/v1 reads of the load test's API client, one
after the other through Django's test client with its bearer token, on the database
scripts/bench_load.py prepared. Prints, per endpoint, the queries of one request and the
median and p95 wall and CPU time of `--runs` requests (figures, never a pass/fail).

The database and the token come from a `bench_load.py` preparation: DATABASE_URL names the
database (default: bench_load's `pw_bench_load` on the local server) and `--fixture` the
fixture.json it wrote (the token, the API paths). `--profile PATH` prints cProfile's top
functions (cumulative) of `--runs` requests to that path instead of timing them all.

To measure another checkout (say main, before a change), put it first:
`PLANWATCH_BENCH_TREE=/work/main .venv/bin/python scripts/bench_api.py`.

Run: `.venv/bin/python scripts/bench_api.py [--fixture /tmp/pw-bench-load/fixture.json]
[--runs 50] [--only /api/v1/tasks] [--profile /api/v1/tasks]`.
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

# the heaviest reads of the load test first
HEAVY = (
    "/api/v1/tasks",
    "/api/v1/reports",
    "/api/v1/cases",
    "/api/v1/public/tasks",
    "/api/v1/tasks/{id}",
)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fixture", type=Path, default=Path("/tmp/pw-bench-load/fixture.json"))
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--only", action="append", default=[], help="this path (repeatable)")
    parser.add_argument("--all", action="store_true", help="every path of the fixture")
    parser.add_argument("--profile", default="", help="profile this path instead")
    args = parser.parse_args()
    fixture = json.loads(args.fixture.read_text())
    os.environ.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/pw_bench_load")
    os.environ.setdefault("PLANWATCH_VAR_DIR", str(args.fixture.parent))
    os.environ.setdefault("PLANWATCH_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planwatch.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    client = Client(headers={"Authorization": f"Bearer {fixture['token']}"})
    paths = list(fixture["api"])
    if args.only:
        paths = args.only
    elif not args.all:
        paths = [p for p in paths if p.split("/")[-1].isdigit() or p in HEAVY]
        paths = [p for p in paths if not p.startswith("/api/v1/reports/")]
    if args.profile:
        profiler = cProfile.Profile()
        client.get(args.profile)
        profiler.enable()
        for _ in range(args.runs):
            client.get(args.profile)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        return
    print(f"tree: {sys.path[0]}; database: {connection.settings_dict['NAME']}")
    for path in paths:
        response = client.get(path)  # warm
        assert response.status_code == 200, (path, response.status_code)
        queries: list[str] = []

        def count(run: Any, sql: str, *rest: Any, into: list[str] = queries) -> Any:
            into.append(sql)
            return run(sql, *rest)

        with connection.execute_wrapper(count):
            client.get(path)
        wall, cpu = [], []
        for _ in range(args.runs):
            w, c = time.perf_counter(), time.process_time()
            client.get(path)
            cpu.append((time.process_time() - c) * 1000)
            wall.append((time.perf_counter() - w) * 1000)
        print(
            f"{path:<28} {len(queries):>3} queries, {len(response.content):>7} B; "
            f"wall median {statistics.median(wall):6.1f} p95 {p95(wall):6.1f} ms; "
            f"CPU median {statistics.median(cpu):6.1f} p95 {p95(cpu):6.1f} ms"
        )


if __name__ == "__main__":
    main()
