"""Dashboard benchmark: prints figures (never a pass/fail test).

Creates a temporary PostgreSQL database (CREATE DATABASE on the server of --pg, dropped at
the end), migrates it, loads the reference units and builds --tasks tasks (default 50,000:
25 issued lists of 5 zone plans × 5 years, each task with 2 responsible prefectures of its
zone and a stored light) and --reports progress reports (default 1,000,000: monthly
periods per task × unit) with COPY. The reports go in past the services, so the
dashboards' summaries are rebuilt once (planwatch.rollups). Then it times, through Django's
test Client as a province planner, --requests requests (default 30) of the province, a
prefecture, a zone, a department and a plan dashboard, and --health-requests of the
reporting-health partial and page (median and p95, each beside the goal of issue 15:
p95 <= 150 ms), times the summary upkeep a write adds, and runs `rollup check`.

Run: `.venv/bin/python scripts/bench_dashboard.py [--tasks 50000 --reports 1000000]
[--keep NAME]`
(`--pg postgresql://postgres@127.0.0.1:5432/postgres` by default).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchkit import median_p95  # noqa: E402


@contextmanager
def scratch_database(server: str, keep: str | None = None) -> Iterator[str]:
    """A database for the run: a new one dropped at the end, or, with `keep`, that named one
    (created if missing) kept for the next run, which then skips building the data."""
    name = keep or f"planwatch_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    base = server.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        from django.db import connections

        connections.close_all()
        if not keep:
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _copy(table: str, columns: list[str], rows: Iterator[tuple[object, ...]]) -> int:
    from django.db import connection

    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def build(n_tasks: int, n_reports: int) -> dict[str, float]:
    from django.db import connection

    from planwatch.orgunits.choices import OrgUnitKind
    from planwatch.orgunits.models import OrgUnit
    from planwatch.orgunits.services import orgunits_load_reference
    from planwatch.plans.models import Plan
    from planwatch.reports.periods import periods_for
    from planwatch.tasks.models import AnnualList, Task

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    orgunits_load_reference(actor=None)
    zones = list(OrgUnit.objects.filter(kind=OrgUnitKind.ZONE).order_by("code"))
    prefectures = {
        z.pk: list(OrgUnit.objects.filter(parent=z, kind=OrgUnitKind.PREFECTURE)) for z in zones
    }
    ndrc = OrgUnit.objects.get(code="dept:ndrc")
    lists = []
    for z in zones:
        plan = Plan.objects.create(title=f"{z.name}规划", slug=z.code[5:], org_unit=z)
        for year in range(2021, 2026):
            lists.append(
                AnnualList.objects.create(
                    plan=plan,
                    year=year,
                    status="issued",
                    issued_number=1,
                    frequency="monthly",
                )
            )
    per_list = n_tasks // len(lists)
    rng = random.Random(1)
    tasks = []
    for alist in lists:
        for seq in range(1, per_list + 1):
            tasks.append(
                Task(
                    annual_list=alist,
                    plan_id=alist.plan_id,
                    year=alist.year,
                    seq=seq,
                    title=f"任务 {seq}",
                    lead_unit=ndrc,
                    start=date(alist.year, 1, 1),
                    deadline=date(alist.year, 12, 31),
                    criterion="完成",
                    status="completed" if rng.random() < 0.6 else "active",
                )
            )
    created = Task.objects.bulk_create(tasks, batch_size=5000)
    timings["tasks"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    zone_of_plan = {p.pk: p.org_unit_id for p in Plan.objects.all()}
    pairs = []
    for task in created:
        units = rng.sample(prefectures[zone_of_plan[task.plan_id]], 2)
        pairs.extend((task.pk, u.pk) for u in units)
    _copy("tasks_task_responsible_units", ["task_id", "orgunit_id"], iter(pairs))
    lights = ["green"] * 6 + ["blue", "yellow", "yellow", "red"]
    today = date(2025, 10, 20)
    _copy(
        "supervision_tasklight",
        ["task_id", "light", "expected", "actual", "computed_on", "changed_on"],
        ((t.pk, rng.choice(lights), 80, rng.randint(0, 100), today, today) for t in created),
    )
    timings["links+lights"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    periods_per_pair = max(1, n_reports // len(pairs))
    year_of = {t.pk: t.year for t in created}
    stamp = datetime(2025, 1, 1, tzinfo=UTC)

    def report_rows() -> Iterator[tuple[object, ...]]:
        made = 0
        for task_id, unit_id in pairs:
            for i, p in enumerate(periods_for(year_of[task_id], "monthly")[:periods_per_pair]):
                if made >= n_reports:
                    return
                made += 1
                sent = datetime.combine(p.due, datetime.min.time(), tzinfo=UTC) - timedelta(
                    days=rng.randint(-3, 2)
                )
                yield (
                    task_id,
                    unit_id,
                    p.start,
                    p.end,
                    p.label,
                    p.due,
                    1,
                    True,
                    min(100, 8 * (i + 1)),
                    "in_progress",
                    "",
                    "accepted",
                    "",
                    1,
                    sent,
                    sent,
                    sent,
                    stamp,
                    stamp,
                )

    columns = [
        "task_id",
        "unit_id",
        "period_start",
        "period_end",
        "period_label",
        "due",
        "revision",
        "is_current",
        "completion",
        "progress_status",
        "narrative",
        "status",
        "return_reason",
        "version",
        "first_submitted_at",
        "submitted_at",
        "accepted_at",
        "created_at",
        "updated_at",
    ]
    n = _copy("reports_progressreport", columns, report_rows())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timings["reports"] = time.perf_counter() - t0
    timings["n_reports"] = n
    timings["n_tasks"] = len(created)
    return timings


GOAL_MS = 150  # issue 15: every dashboard and the health partial at p95 <= 150 ms


def rebuild_rollups() -> None:
    """The reports went in by COPY, past the services: the summaries are rebuilt once, as
    after the demo (planwatch rollup rebuild)."""
    from planwatch.rollups.services import rollup_rebuild

    t0 = time.perf_counter()
    done = rollup_rebuild()
    print(f"rollup rebuild: {done} plan-years in {time.perf_counter() - t0:.1f} s")


def write_costs() -> None:
    """What keeping the summaries current adds to a write: the recomputation a report's
    service runs (one period and unit of a plan-year) and a task-level one (a whole
    plan-year), each timed a few times in a transaction that is rolled back."""
    from django.db import transaction

    from planwatch.reports.models import ProgressReport
    from planwatch.rollups.compute import Part
    from planwatch.rollups.services import rollup_refresh

    report = ProgressReport.objects.select_related("task").order_by("pk").first()
    if report is None:
        return
    task = report.task
    for label, part in (
        ("a report's write", Part(task.plan_id, task.year, report.period_start, report.unit_id)),
        ("a task-level write (whole plan-year)", Part(task.plan_id, task.year)),
    ):
        samples = []
        for _ in range(3):
            with transaction.atomic():
                t0 = time.perf_counter()
                rollup_refresh(part)
                samples.append(time.perf_counter() - t0)
                transaction.set_rollback(True)
        print(f"summary upkeep of {label}: median {statistics.median(samples) * 1000:.0f} ms")


def check_rollups() -> None:
    """`planwatch rollup check` after the benchmark's writes: it must find no difference."""
    from planwatch.rollups.services import rollup_check

    t0 = time.perf_counter()
    checked, problems = rollup_check()
    seconds = time.perf_counter() - t0
    verdict = "no difference" if not problems else f"{len(problems)} DIFFERENCE(S)"
    print(f"rollup check: {checked} plan-years recomputed in {seconds:.1f} s: {verdict}")
    for problem in problems[:20]:
        print(f"  {problem}")


def time_requests(client: object, url: str, n: int) -> tuple[float, float]:
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        response = client.get(url)  # type: ignore[attr-defined]
        samples.append(time.perf_counter() - t0)
        assert response.status_code == 200, (url, response.status_code)
    return median_p95(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--tasks", type=int, default=50_000)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--health-requests", type=int, default=3)
    parser.add_argument(
        "--keep",
        metavar="NAME",
        help="use (and keep) the database NAME; its data is built only when it has none",
    )
    args = parser.parse_args()
    with scratch_database(args.pg, args.keep) as url:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planwatch.settings")
        os.environ.setdefault("PLANWATCH_ALLOWED_HOSTS", "testserver")
        import django
        from django.core.management import call_command

        django.setup()
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrate: {time.perf_counter() - t0:.1f} s")
        from planwatch.tasks.models import Task

        if Task.objects.exists():
            print(f"data: kept from an earlier run ({Task.objects.count():,} tasks)")
        else:
            t0 = time.perf_counter()
            timings = build(args.tasks, args.reports)
            total = time.perf_counter() - t0
            print(
                f"data: {timings['n_tasks']:,.0f} tasks, {timings['n_reports']:,.0f} reports "
                f"built in {total:.1f} s (tasks {timings['tasks']:.1f} s, links+lights "
                f"{timings['links+lights']:.1f} s, reports COPY+ANALYZE "
                f"{timings['reports']:.1f} s)"
            )
            rebuild_rollups()
        from django.contrib.auth import get_user_model
        from django.test import Client

        from planwatch.accounts.choices import Role
        from planwatch.accounts.models import Membership
        from planwatch.orgunits.models import OrgUnit

        user, made = get_user_model().objects.get_or_create(username="bench_planner")
        if made:
            Membership.objects.create(
                user=user, org_unit=OrgUnit.objects.get(code="510000"), role=Role.PLANNER
            )
        client = Client()
        client.force_login(user)
        pages = [
            ("province dashboard", "/dashboards/province/", args.requests),
            ("prefecture dashboard (宜宾)", "/dashboards/unit/511500/", args.requests),
            ("zone dashboard (川南)", "/dashboards/zone/south-sichuan/", args.requests),
            ("department dashboard (省发展改革委)", "/dashboards/unit/dept:ndrc/", args.requests),
            ("plan dashboard (川南)", "/dashboards/plan/south-sichuan/", args.requests),
            (
                "reporting-health partial (宜宾)",
                "/dashboards/unit/511500/?part=health",
                args.health_requests,
            ),
            (
                "reporting-health partial (province)",
                "/dashboards/province/?part=health",
                args.health_requests,
            ),
            ("reporting-health page /reports/health/", "/reports/health/", args.health_requests),
        ]
        for label, path, n in pages:
            if not n:
                continue
            client.get(path)  # warm-up
            median, p95 = time_requests(client, path, n)
            mark = "ok" if p95 * 1000 <= GOAL_MS else "ABOVE GOAL"
            print(
                f"{label}: median {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms over {n} "
                f"requests (goal p95 <= {GOAL_MS} ms: {mark})"
            )
        write_costs()
        check_rollups()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
