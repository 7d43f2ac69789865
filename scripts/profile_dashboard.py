"""Dashboard profile: prints, per page, the number of queries, their time, and the time
spent rendering templates and its CPU time (less noisy on a loaded machine than wall-clock
percentiles).
Uses an existing benchmark database (scripts/bench_dashboard.py --keep NAME builds one).

Run: `.venv/bin/python scripts/profile_dashboard.py --db bench_rollups [--requests 10]`
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = [
    ("province dashboard", "/dashboards/province/"),
    ("prefecture dashboard (宜宾)", "/dashboards/unit/511500/"),
    ("zone dashboard (川南)", "/dashboards/zone/south-sichuan/"),
    ("department dashboard (省发展改革委)", "/dashboards/unit/dept:ndrc/"),
    ("plan dashboard (川南)", "/dashboards/plan/south-sichuan/"),
    ("health partial (宜宾)", "/dashboards/unit/511500/?part=health"),
    ("health partial (province)", "/dashboards/province/?part=health"),
    ("/reports/health/", "/reports/health/"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--db", default="bench_rollups")
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--only", default="", help="a substring of the page labels to run")
    parser.add_argument("--user", default="bench_planner")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"{args.pg}/{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planwatch.settings")
    os.environ.setdefault("PLANWATCH_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.template.backends.django import Template
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    spent = {"render": 0.0, "cpu": 0.0}
    original = Template.render

    def timed(self, *a, **kw):  # type: ignore[no-untyped-def]
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            return original(self, *a, **kw)
        finally:
            spent["render"] += time.perf_counter() - t0
            spent["cpu"] += time.process_time() - c0

    Template.render = timed  # type: ignore[method-assign]
    client = Client()
    client.force_login(get_user_model().objects.get(username=args.user))
    print(f"user {args.user}, {args.requests} requests per page (medians)")
    for label, path in PAGES:
        if args.only and args.only not in label:
            continue
        client.get(path)
        walls, renders, cpus, qtimes, counts = [], [], [], [], []
        for _ in range(args.requests):
            spent["render"] = spent["cpu"] = 0.0
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get(path)
                walls.append(time.perf_counter() - t0)
            assert response.status_code == 200, (path, response.status_code)
            renders.append(spent["render"])
            cpus.append(spent["cpu"])
            counts.append(len(ctx.captured_queries))
            qtimes.append(sum(float(q["time"]) for q in ctx.captured_queries))
        print(
            f"{label}: wall {statistics.median(walls) * 1000:.0f} ms, "
            f"{statistics.median(counts):.0f} queries {statistics.median(qtimes) * 1000:.0f} ms, "
            f"template render {statistics.median(renders) * 1000:.0f} ms "
            f"(CPU {statistics.median(cpus) * 1000:.0f} ms)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
