"""Read benchmark: what `GET /api/v1/plans` reads from the database and how long it takes
(issue 15, item 7). Prints figures, never a pass/fail.

A fresh SQLite database in a temporary directory, set up as `planwatch setup` does (reference
data and the five bundled plans), then anonymous requests through Django's test client: the
bytes the request's queries return (tests/factories/reads.py) and the median and p95 time of
`--runs` requests.

Run: `.venv/bin/python scripts/bench_reads.py [--runs 50]`. To measure another checkout (say
main, before the fix), put it first: `PLANWATCH_BENCH_TREE=/work/main .venv/bin/python
scripts/bench_reads.py`.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

from benchkit import ROOT, measure_tree, p95

measure_tree()

URLS = ("/api/v1/plans", "/plans/", "/")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--threads", type=int, default=8, help="concurrent callers of the API")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-reads-") as var:
        os.environ.update(
            PLANWATCH_VAR_DIR=var,
            PLANWATCH_ALLOWED_HOSTS="testserver",
            DJANGO_SETTINGS_MODULE="planwatch.settings",
        )
        os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client

        from planwatch.plans.models import Plan, SourceDocument

        # this checkout's measure, whichever tree is measured
        spec = importlib.util.spec_from_file_location(
            "bench_reads_measure", ROOT / "tests" / "factories" / "reads.py"
        )
        assert spec is not None and spec.loader is not None
        measure = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = measure
        spec.loader.exec_module(measure)
        measure_reads = measure.measure_reads

        call_command("setup", "--no-static", stdout=io.StringIO())
        plans = Plan.objects.count()
        stored = sum(d.size for d in SourceDocument.objects.only("size"))
        print(f"tree: {sys.path[0]}")
        print(f"{plans} plans; source documents {stored / 1e6:.2f} MB in the database")
        client = Client()
        for url in URLS:
            reads = measure_reads(client, url)
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            print(
                f"GET {url} (anonymous): {len(reads.queries)} queries, "
                f"{reads.bytes_read / 1e3:.1f} kB read; median "
                f"{statistics.median(times):.1f} ms, p95 {p95(times):.1f} ms ({args.runs} requests)"
            )
        _concurrent(URLS[0], args.threads, args.runs)


def _concurrent(url: str, threads: int, runs: int) -> None:
    """`threads` callers at once, each with its own client and database connection."""
    from django.db import connection
    from django.test import Client

    def caller(_: int) -> list[float]:
        client, times = Client(), []
        try:
            for _ in range(runs):
                start = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - start) * 1000)
        finally:
            connection.close()
        return times

    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        times = sorted(t for batch in pool.map(caller, range(threads)) for t in batch)
    wall = time.perf_counter() - start
    print(
        f"GET {url} with {threads} concurrent callers: {len(times) / wall:.0f} requests/s, "
        f"median {statistics.median(times):.0f} ms, p95 {p95(times):.0f} ms"
    )


if __name__ == "__main__":
    main()
