"""Page benchmark with the demo loaded: prints figures (never a pass/fail test).

Builds a SQLite database in a temporary folder (or reuses --db, built once and kept), runs
the migrations, loads the reference units, the bundled plans and `planwatch demo` (five
years of lists, dated today), adds the personas, then times --requests requests (default
20, after one warm-up) of each page through Django's test Client, signed in as the person
who uses it, and prints the median and p95 in milliseconds (and the SQL queries of one
request; the times depend on what else the machine is doing):

- the workbench (工作台, `/workbench/`): as a provincial planner and as a 宜宾 reporter
  (real accounts: the demo is kept off their workbench, so theirs is nearly empty), and as
  the demo's own planner account, whose workbench is full of the demo's reports to accept
  and cases to check;
- the 督办 case list (`supervision:case_list`) as a provincial planner;
- the province dashboard (`dashboards:province`) as a provincial planner.

Run: `.venv/bin/python scripts/bench_pages.py [--requests 20] [--db var/bench-pages.sqlite3]`.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchkit import p95  # noqa: E402


def _setup(db: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planwatch.settings")
    os.environ.setdefault("PLANWATCH_SECRET_KEY", "bench-pages-not-secret")
    import django

    django.setup()


def _load(say: bool) -> None:
    from django.core.management import call_command

    from planwatch.core.models import DemoMarker
    from planwatch.orgunits.choices import OrgUnitKind
    from planwatch.orgunits.models import OrgUnit
    from planwatch.orgunits.services import orgunits_load_reference
    from planwatch.pages.demo import demo_load

    call_command("migrate", verbosity=0)
    if not OrgUnit.objects.filter(kind=OrgUnitKind.PROVINCE).exists():
        orgunits_load_reference(actor=None)
    if not DemoMarker.objects.exists():
        started = time.perf_counter()
        summary = demo_load()
        if say:
            print(f"demo loaded in {time.perf_counter() - started:.0f} s: {summary}")


def _personas() -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from planwatch.accounts.choices import Role
    from planwatch.accounts.models import Membership
    from planwatch.orgunits.choices import OrgUnitKind
    from planwatch.orgunits.models import OrgUnit

    user_model = get_user_model()
    province = OrgUnit.objects.get(kind=OrgUnitKind.PROVINCE)
    yibin = OrgUnit.objects.get(code="511500")
    people: dict[str, Any] = {}
    for name, unit, role in (
        ("bench_planner", province, Role.PLANNER),
        ("bench_yibin_reporter", yibin, Role.REPORTER),
    ):
        user, _created = user_model.objects.get_or_create(username=name)
        Membership.objects.get_or_create(user=user, org_unit=unit, role=role)
        people[name] = user
    from planwatch.pages.demo.common import DEMO_USERNAME

    demo = user_model.objects.filter(username__iexact=DEMO_USERNAME).first()
    if demo is not None:
        people["demo_planner"] = demo
    return people


def _time(client: object, url: str, n: int) -> tuple[int, list[float], int]:
    """(status of the warm-up request, the times of `n` requests, SQL queries per request)."""
    from django.db import connection

    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        first = client.get(url)  # type: ignore[attr-defined]
    if first.status_code != 200:
        return first.status_code, [], 0
    times = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url)  # type: ignore[attr-defined]
        times.append(1000 * (time.perf_counter() - started))
        assert response.status_code == 200, (url, response.status_code)
    return 200, times, len(queries)


def main() -> None:
    warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic here
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--db", type=Path, help="SQLite file to build once and reuse")
    args = parser.parse_args()
    scratch = tempfile.TemporaryDirectory(prefix="planwatch-bench-pages-")
    os.environ.setdefault("PLANWATCH_VAR_DIR", scratch.name)
    db = args.db.resolve() if args.db else Path(scratch.name) / "bench.sqlite3"
    _setup(db)
    logging.disable(logging.WARNING)  # a 404 of a page not present is reported below
    _load(say=True)
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    people = _personas()
    clients = {}
    for name, user in people.items():
        clients[name] = Client(HTTP_HOST="127.0.0.1")
        clients[name].force_login(user)

    def url(name: str, fallback: str) -> str:
        try:
            return reverse(name)
        except NoReverseMatch:
            return fallback

    pages = [
        ("workbench (planner)", "bench_planner", "/workbench/"),
        ("workbench (宜宾 reporter)", "bench_yibin_reporter", "/workbench/"),
        ("workbench (demo planner, full)", "demo_planner", "/workbench/"),
        ("case list (planner)", "bench_planner", url("supervision:case_list", "/cases/")),
        ("province dashboard (planner)", "bench_planner", url("dashboards:province", "")),
    ]
    print(f"page times with the demo loaded, {args.requests} requests each (ms):")
    for label, who, path in pages:
        if who not in clients:
            print(f"  {label:32} {path:26} no such account")
            continue
        status, times, queries = _time(clients[who], path, args.requests)
        if not times:
            print(f"  {label:32} {path:26} not present (HTTP {status})")
            continue
        median = statistics.median(times)
        print(
            f"  {label:32} {path:26} median {median:7.1f}  p95 {p95(times):7.1f}"
            f"  ({queries} queries)"
        )
    scratch.cleanup()


if __name__ == "__main__":
    main()
