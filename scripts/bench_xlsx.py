"""xlsx import and export rates of indicator observations and monthly project reports
(issue 15 item 2, goal ≥ 5,000 rows per second): prints figures, never a pass/fail test.
The annual lists' rates are printed by scripts/bench_tasks.py.

In a scratch database (a temporary SQLite file by default; `--pg URL` for a database created
on that PostgreSQL server and dropped at the end) it builds, with the builders of
bench_indicators.py and bench_projects.py:
  * --indicators confirmed indicators of a zone with --years years of observations of the
    zone and its 21 prefectures; then times the import of a statistics-office xlsx
    (indicators down, prefectures across) for a new year and again (every value revised),
    and the export of the zone's indicator × year matrix;
  * --projects confirmed projects with --months accepted monthly reports each; then times the
    import of a monthly 调度表 of every project for a new month (new drafts) and the same file
    again (every draft updated), and the export of the province's 台账 for that month.

Each figure is rows per second by the wall clock and by the process's CPU time (the machine
may be shared: CPU time is what the code costs), with the goal beside it. A row is one stored
observation or one monthly report, as written or read.

Run: `.venv/bin/python scripts/bench_xlsx.py [--indicators 250 --projects 2000]`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_indicators import scratch_database  # noqa: E402

GOAL = 5000


def timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """fn's result, wall seconds, CPU seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def report(label: str, rows: int, wall: float, cpu: float) -> None:
    print(
        f"{label}: {rows:,} rows in {wall:.2f} s = {rows / wall:,.0f} rows/s"
        f" (CPU {cpu:.2f} s = {rows / cpu:,.0f} rows/s; goal {GOAL:,})"
    )


def observations(args: argparse.Namespace) -> None:
    import bench_indicators

    from planwatch.indicators.export import matrix_export
    from planwatch.indicators.imports import observations_import
    from planwatch.indicators.selectors import matrix_for

    world = bench_indicators.build(args.indicators, args.years)
    data = bench_indicators.import_file(args.indicators, world["prefectures"])  # type: ignore[arg-type]
    for label in ("new year", "same year again, every value revised"):
        result, wall, cpu = timed(
            lambda: observations_import(
                data=data,
                filename="bench.xlsx",
                plan=world["plan"],
                actor=world["user"],
                source="bench",
                year=int(world["year1"]) + 1,  # type: ignore[call-overload]
            )
        )
        report(f"observations xlsx import, {label}", result.created + result.revised, wall, cpu)

    def export() -> int:
        matrix = matrix_for(user=world["user"], place=world["zone"])
        matrix_export(matrix)
        return sum(1 for row in matrix.rows for cell in row.cells if cell is not None)

    cells, wall, cpu = timed(export)
    report(
        f"observations xlsx export (the zone's matrix, {args.indicators} lines)", cells, wall, cpu
    )


def monthly_reports(args: argparse.Namespace) -> None:
    import bench_projects

    from planwatch.projects.selectors import ledger
    from planwatch.projects.views import ledger_export
    from planwatch.projects.xlsx import monthly_import

    world = bench_projects.build(args.projects, args.months)
    data = bench_projects.monthly_file(list(world["project_names"]))  # type: ignore[call-overload]
    last = int(world["last_year"])  # type: ignore[call-overload]
    year, last_month = last + 1, (args.months - 1) % 12 + 1
    for label in ("new drafts", "same file again, every draft updated"):
        result, wall, cpu = timed(
            lambda: monthly_import(year=year, month=1, actor=world["filler"], data=data)
        )
        report(f"monthly 调度表 xlsx import, {label}", result.created + result.updated, wall, cpu)

    def export() -> int:
        rows = ledger(user=world["user"], year=last, month=last_month)
        ledger_export(rows, "全省重大项目台账")
        return len(rows)

    n, wall, cpu = timed(export)
    report("monthly 台账 xlsx export (selector and file)", n, wall, cpu)
    rows = ledger(user=world["user"], year=last, month=last_month)
    _, wall, cpu = timed(lambda: ledger_export(rows, "全省重大项目台账"))
    report("monthly 台账 xlsx export (the file only)", len(rows), wall, cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pg", default=None, help="a PostgreSQL server URL (default SQLite)")
    parser.add_argument("--indicators", type=int, default=250)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--months", type=int, default=3)
    args = parser.parse_args()
    with scratch_database(args.pg) as url:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planwatch.settings")
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        print(f"database: {'PostgreSQL' if args.pg else 'SQLite'}")
        observations(args)
        call_command("flush", interactive=False, verbosity=0)
        monthly_reports(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
