"""Workbench benchmark: prints figures (never a pass/fail test).

In a fresh SQLite database (a temporary directory): the reference units, the bundled five
plans and `planwatch demo`; then a province planner, a 川南 planner, a 宜宾 reporter and
reviewer, a 泸州 reporter and a province leader (accounts on the reference units), and each
one's workbench (工作台, /workbench/) requested --requests times through Django's test Client:
median and p95 in milliseconds, the number of SQL queries of one request, and the counts it
shows. The demo's objects are left out of these real people's workbench, so the counts are
what a real person on a real installation with the demo loaded would see.

Run: `.venv/bin/python scripts/bench_workbench.py [--requests 20]`.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BUNDLED = ROOT / "data" / "plans" / "sichuan-2021-five-regional-plans.txt"

PERSONAS = (
    ("planner", "510000", "planner"),
    ("chuannan_planner", "zone:south-sichuan", "planner"),
    ("yibin_reporter", "511500", "reporter"),
    ("yibin_reviewer", "511500", "unit_reviewer"),
    ("luzhou_reporter", "510500", "reporter"),
    ("leader", "510000", "leader"),
)


def setup_data() -> float:
    from django.core.management import call_command

    from planwatch.orgunits.services import orgunits_load_reference
    from planwatch.plans.services import plan_ingest

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    orgunits_load_reference(actor=None)
    plan_ingest(data=BUNDLED.read_bytes(), name=BUNDLED.name, actor=None)
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return time.perf_counter() - started


def measure(requests: int) -> None:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from planwatch.accounts.models import Membership
    from planwatch.orgunits.models import OrgUnit

    print(f"{'persona':18} {'median ms':>9} {'p95 ms':>7} {'queries':>7}  counts")
    for username, code, role in PERSONAS:
        user = User.objects.create(username=f"bench_{username}")
        Membership.objects.create(user=user, org_unit=OrgUnit.objects.get(code=code), role=role)
        client = Client()
        client.force_login(user)
        client.get("/workbench/")  # warm: templates, content types
        times = []
        for _ in range(requests):
            t0 = time.perf_counter()
            response = client.get("/workbench/")
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/workbench/").content.decode()
        counts = dict(re.findall(r'data-key="(\w+)">(\d+)<', html))
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 2 else times[0]
        print(
            f"{username:18} {statistics.median(times):9.1f} {p95:7.1f} "
            f"{len(queries.captured_queries):7d}  {counts}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="planwatch-bench-") as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ["PLANWATCH_VAR_DIR"] = tmp
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planwatch.settings")
        import django

        django.setup()
        from django.conf import settings

        settings.ALLOWED_HOSTS = ["*"]
        seconds = setup_data()
        print(f"reference units, the bundled plans and the demo loaded in {seconds:.0f} s")
        measure(args.requests)


if __name__ == "__main__":
    main()
