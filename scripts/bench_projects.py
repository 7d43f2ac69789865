"""Project scheduling benchmark: prints figures (never a pass/fail test).

Builds, in a scratch database (PostgreSQL: CREATE DATABASE on the server of --pg, dropped at
the end; or a temporary SQLite file with --sqlite), the reference units, one plan per zone,
--projects confirmed projects (default 5,000) spread over the zones and led by the
prefectures, each with its annual investment plans and --months accepted monthly reports
(default 60: five years). Then it times, through Django's test Client, --requests requests
(default 30) of the 台账 page of a zone, of a prefecture and of the whole province for June
of the last year (its first page: 100 rows, every project assessed and sorted), a project's
page, and the projects panel of that zone's dashboard for the last year — each with median
and p95 beside the goal of issue 15 (p95 <= 150 ms) — and the
import of a monthly 调度表 of --rows rows (default 2,000) as new
draft reports, in rows per second. With --lights, the daily light job for June of the last
year too (time and number of queries, first and second run).

Each page's line gives the process CPU time per request too (median and p95: the Python side
of the request, not the database's), steadier than wall-clock time on a shared machine.
`--keep NAME` builds into a PostgreSQL database NAME that is kept (reused if it exists:
migrated, then timed), so that two versions of the code can be timed on the same data;
`--runs` repeats each page's --requests, `--only` times the pages whose label contains one of
its comma-separated texts, `--gc-freeze` freezes the collector's objects before timing as a
server worker does (planwatch.wsgi).

Run: `.venv/bin/python scripts/bench_projects.py [--projects 5000 --months 60]`
(`--pg postgresql://postgres@127.0.0.1:5432/postgres` by default; `--sqlite` for SQLite).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_indicators import print_timing, scratch_database  # noqa: E402
from benchkit import p95  # noqa: E402

FIRST_YEAR = 2022


def build(n_projects: int, n_months: int) -> dict[str, object]:
    from django.contrib.auth import get_user_model

    from planwatch.accounts.choices import Role
    from planwatch.accounts.models import Membership
    from planwatch.orgunits.choices import OrgUnitKind
    from planwatch.orgunits.models import OrgUnit
    from planwatch.orgunits.services import orgunits_load_reference
    from planwatch.plans.models import Plan
    from planwatch.projects.models import AnnualInvestmentPlan, MonthlyReport, Project

    orgunits_load_reference(actor=None)
    zones = list(OrgUnit.objects.filter(kind=OrgUnitKind.ZONE).order_by("code"))
    for z in zones:
        Plan.objects.create(title=f"{z.name}规划", slug=z.code[5:], org_unit=z)
    prefectures = list(OrgUnit.objects.filter(kind=OrgUnitKind.PREFECTURE).select_related("parent"))
    chengdu = next(p for p in prefectures if p.name == "成都市")
    zone_of = {
        p.pk: (p.parent if p.parent and p.parent.kind == OrgUnitKind.ZONE else zones[0])
        for p in prefectures
    }
    projects = Project.objects.bulk_create(
        Project(
            name=f"重大项目{i:05d}",
            zone=zone_of[prefectures[i % len(prefectures)].pk],
            lead_unit=prefectures[i % len(prefectures)],
            sector="infrastructure",
            stage="continuing",
            status="confirmed",
            total_investment=Decimal(100000 + i),
            planned_start=date(FIRST_YEAR - 1, 1, 1),
            actual_start=date(FIRST_YEAR - 1, 3, 1),
        )
        for i in range(n_projects)
    )
    years = sorted({FIRST_YEAR + k // 12 for k in range(n_months)})
    AnnualInvestmentPlan.objects.bulk_create(
        (
            AnnualInvestmentPlan(project=p, year=y, amount=Decimal(12000 + p.pk % 500))
            for p in projects
            for y in years
        ),
        batch_size=5000,
    )
    now = datetime(2026, 1, 1, tzinfo=UTC)
    batch: list[MonthlyReport] = []
    count = 0
    for p in projects:
        for k in range(n_months):
            y, m = FIRST_YEAR + k // 12, k % 12 + 1
            ytd = Decimal((900 + p.pk % 300) * m)
            batch.append(
                MonthlyReport(
                    project=p,
                    unit_id=p.lead_unit_id,
                    year=y,
                    month=m,
                    due=date(y + (m == 12), m % 12 + 1, 7),
                    invested_month=Decimal(900 + p.pk % 300),
                    invested_ytd=ytd,
                    invested_total=ytd + 50000,
                    progress_text="按计划推进",
                    status="accepted",
                    accepted_at=now,
                )
            )
        if len(batch) >= 5000:
            MonthlyReport.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    MonthlyReport.objects.bulk_create(batch)
    count += len(batch)
    user = get_user_model().objects.create_user(username="bench_planner", password=None)
    province = OrgUnit.objects.get(code="510000")
    Membership.objects.create(user=user, org_unit=province, role=Role.PLANNER)
    filler = get_user_model().objects.create_user(username="bench_filler", password=None)
    # a filler of every unit (the province), so that the import can name --rows projects
    Membership.objects.create(user=filler, org_unit=province, role=Role.REPORTER)
    return {
        "user": user,
        "filler": filler,
        "chengdu": chengdu,
        "zone": zone_of[chengdu.pk],
        "reports": count,
        "last_year": years[-1],
        "project_names": [p.name for p in projects],
    }


def reopen() -> dict[str, object]:
    """The figures `build` returns, read from a kept database."""
    from django.contrib.auth import get_user_model

    from planwatch.orgunits.models import OrgUnit
    from planwatch.projects.models import AnnualInvestmentPlan, MonthlyReport

    chengdu = OrgUnit.objects.select_related("parent").get(name="成都市")
    users = get_user_model().objects
    return {
        "user": users.get(username="bench_planner"),
        "filler": users.get(username="bench_filler"),
        "chengdu": chengdu,
        "zone": chengdu.parent,
        "reports": MonthlyReport.objects.filter(status="accepted").count(),
        "last_year": max(AnnualInvestmentPlan.objects.values_list("year", flat=True)),
        "project_names": [],
    }


def monthly_file(names: list[str]) -> bytes:
    from openpyxl import Workbook

    from planwatch.projects.xlsx import MONTHLY_HEADERS

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["重大项目月度调度表"])
    ws.append(list(MONTHLY_HEADERS))
    for i, name in enumerate(names, 1):
        ws.append([i, name, "", "成都市", 1000, 1000, 60000, 800, "按计划推进", ""])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def bench_lights(today: date) -> None:
    from django.db import connection

    from planwatch.projects.scheduled import project_lights_run

    for label in ("first run (stores every light)", "second run (recomputes them)"):
        queries = 0

        def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            t0 = time.perf_counter()
            summary = project_lights_run(today=today)
            elapsed = time.perf_counter() - t0
        print(f"daily light job, {label}: {elapsed:.2f} s, {queries:,} queries — {summary}")


@contextmanager
def kept_database(server: str, name: str) -> Iterator[tuple[str, bool]]:
    """The database `name` on the server of `server`, created if missing and never dropped:
    (its URL, whether it already existed)."""
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        existed = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not existed:
            conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{server.rsplit('/', 1)[0]}/{name}", bool(existed)


def time_page(client: object, label: str, path: str, n: int, runs: int) -> None:
    """`runs` rounds of `n` requests after a warm-up: each round's wall-clock median and p95
    (beside the goal) and the process CPU time per request (median and p95)."""
    client.get(path)  # type: ignore[attr-defined]  # warm-up
    for run in range(runs):
        wall: list[float] = []
        cpu: list[float] = []
        for _ in range(n):
            c0, t0 = time.process_time(), time.perf_counter()
            response = client.get(path)  # type: ignore[attr-defined]
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            assert response.status_code == 200, (path, response.status_code)
        extra = f"; CPU median {statistics.median(cpu) * 1000:.0f} ms, p95 {p95(cpu) * 1000:.0f} ms"
        name = label if runs == 1 else f"{label} [run {run + 1}/{runs}]"
        print_timing(name, statistics.median(wall), p95(wall), n, extra)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead")
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument(
        "--lights",
        action="store_true",
        help="also time the daily light job (planwatch.projects.scheduled) for June of the "
        "last year: a first run storing every light, and a second one recomputing them",
    )
    parser.add_argument(
        "--keep",
        metavar="NAME",
        help="build into the PostgreSQL database NAME and keep it; if it exists already, "
        "migrate it and time the pages on its data (same conditions for two versions of the "
        "code); the import is then skipped",
    )
    parser.add_argument("--runs", type=int, default=1, help="rounds of --requests per page")
    parser.add_argument(
        "--only",
        default="",
        help="time only the pages whose label contains one of these comma-separated texts",
    )
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="gc.freeze() once the data is built and Django loaded, as planwatch.wsgi does in "
        "a server worker (decision 0033): full collections then skip the start-up objects",
    )
    args = parser.parse_args()
    kept = args.keep and not args.sqlite
    database = kept_database(args.pg, args.keep) if kept else None
    with (
        database if database is not None else scratch_database(None if args.sqlite else args.pg)
    ) as opened:
        url, existed = opened if database is not None else (opened, False)
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planwatch.settings")
        os.environ.setdefault("PLANWATCH_ALLOWED_HOSTS", "testserver")
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        t0 = time.perf_counter()
        world = reopen() if existed else build(args.projects, args.months)
        if not existed:
            # the reports were written past the services: their summary is rebuilt, as
            # `planwatch rollup rebuild` would (decision 0033)
            from planwatch.projects.summary import project_figures_rebuild

            project_figures_rebuild()
        if not args.sqlite and not existed:
            # as autovacuum would after a bulk load: statistics for the planner and the
            # visibility map that lets the 台账's index-only lookups skip the table
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        print(
            f"data ({'SQLite' if args.sqlite else 'PostgreSQL'}): {args.projects:,} projects × "
            f"{args.months} monthly reports = {world['reports']:,} accepted reports, built in "
            f"{time.perf_counter() - t0:.1f} s"
        )
        from django.test import Client

        from planwatch.projects.xlsx import monthly_import

        client = Client()
        client.force_login(world["user"])  # type: ignore[arg-type]
        year = world["last_year"]
        zone_slug = world["zone"].code.removeprefix("zone:")  # type: ignore[attr-defined]
        from planwatch.projects.models import Project

        project = Project.objects.filter(lead_unit=world["chengdu"]).order_by("pk").first()
        assert project is not None
        pages = [
            ("台账 page, zone", f"/projects/?place={world['zone'].code}&year={year}&month=6"),  # type: ignore[attr-defined]
            (
                "台账 page, prefecture (成都)",
                f"/projects/?place={world['chengdu'].code}&year={year}&month=6",  # type: ignore[attr-defined]
            ),
            ("台账 page, whole province", f"/projects/?year={year}&month=6"),
            ("project page", f"/projects/{project.pk}/?year={year}&month=6"),
            (
                "zone dashboard projects panel",
                f"/dashboards/zone/{zone_slug}/?part=projects&year={year}",
            ),
        ]
        if args.gc_freeze:
            import gc

            gc.collect()
            gc.freeze()
        wanted = [w for w in args.only.split(",") if w] or [""]
        for label, path in pages:
            if any(w in label for w in wanted):
                time_page(client, label, path, args.requests, args.runs)
        if kept:
            return 0
        names = list(world["project_names"])[: args.rows]  # type: ignore[call-overload]
        data = monthly_file(names)
        t0 = time.perf_counter()
        result = monthly_import(year=int(year) + 1, month=1, actor=world["filler"], data=data)  # type: ignore[call-overload]
        elapsed = time.perf_counter() - t0
        n = result.created + result.updated
        print(f"monthly 调度表 import: {n:,} rows in {elapsed:.2f} s = {n / elapsed:,.0f} rows/s")
        if args.lights:
            bench_lights(date(int(year), 7, 1))  # type: ignore[call-overload]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
