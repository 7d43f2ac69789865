"""xlsx import and export rates of annual task lists, indicator observations and monthly
project reports (issue 15 item 2, goal ≥ 5,000 rows per second): prints figures, never a
pass/fail test.

In a scratch database (a temporary SQLite file by default; `--pg URL` for a database created
on that PostgreSQL server and dropped at the end) it builds, with the test factories and the
builders of bench_indicators.py and bench_projects.py:
  * an empty annual list; then times the import of a file of --rows new tasks, the export
    of the list, and the import of the exported file with every row changed;
  * --indicators confirmed indicators of a zone with --years years of observations of the
    zone and its 21 prefectures; then times the import of a statistics-office xlsx
    (indicators down, prefectures across) for a new year and again (every value revised),
    and the export of the zone's indicator × year matrix;
  * --projects confirmed projects with --months accepted monthly reports each; then times the
    import of a monthly 调度表 of every project for a new month (new drafts) and the same file
    again (every draft updated), and the export of the province's 台账 for that month.

Each figure is rows per second by the wall clock and by the process's CPU time (the machine
may be shared: CPU time is what the code costs), with the goal beside it. A row is one stored
observation, monthly report or task, as written or read. A table of the six paths (import
and export of each kind) with the goal closes the output. `--profile N` runs every timed
call under cProfile and prints its N costliest functions (own time) to standard error.

Run: `.venv/bin/python scripts/bench_xlsx.py [--rows 2000 --indicators 250 --projects 2000]`.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
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
PROFILE = 0  # --profile: how many functions of each timed call's profile to print
SUMMARY: list[tuple[str, float, float]] = []  # (path, wall rows/s, CPU rows/s)


def timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """fn's result, wall seconds, CPU seconds (under cProfile with --profile)."""
    profiler = cProfile.Profile() if PROFILE else None
    wall, cpu = time.perf_counter(), time.process_time()
    if profiler is not None:
        profiler.enable()
    result = fn()
    if profiler is not None:
        profiler.disable()
    spent = time.perf_counter() - wall, time.process_time() - cpu
    if profiler is not None:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(PROFILE)
        print(out.getvalue(), file=sys.stderr)
    return result, *spent


def report(label: str, rows: int, wall: float, cpu: float, path: str = "") -> None:
    print(
        f"{label}: {rows:,} rows in {wall:.2f} s = {rows / wall:,.0f} rows/s"
        f" (CPU {cpu:.2f} s = {rows / cpu:,.0f} rows/s; goal {GOAL:,})",
        flush=True,
    )
    if PROFILE:
        print(f"(profile above: {label})", file=sys.stderr, flush=True)
    if path:
        SUMMARY.append((path, rows / wall, rows / cpu))


def lists(args: argparse.Namespace) -> None:
    from openpyxl import Workbook, load_workbook

    from planwatch.accounts.choices import Role
    from planwatch.tasks.models import AnnualList
    from planwatch.tasks.xlsx import EXTRA_HEADERS, HEADERS, annual_list_export, annual_list_import
    from tests.factories import implementation as f
    from tests.factories.personas import make_user

    units = f.make_units()
    plan = f.make_plan(units)
    planner = make_user("bench_planner", (units.chuannan, Role.PLANNER))
    alist = AnnualList.objects.create(plan=plan, year=2024)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["bench重点任务清单"])
    ws.append([*HEADERS, *EXTRA_HEADERS])
    for i in range(1, args.rows + 1):
        ws.append([i, f"任务 {i}", f"内容 {i}", "省发展改革委", "宜宾市", "2024年12月31日"])
    new_file = io.BytesIO()
    wb.save(new_file)
    result, wall, cpu = timed(
        lambda: annual_list_import(annual_list=alist, actor=planner, data=new_file.getvalue())
    )
    report("list xlsx import, new rows", result.created, wall, cpu, "list import (new rows)")
    data, wall, cpu = timed(lambda: annual_list_export(annual_list=alist))
    report("list xlsx export", args.rows, wall, cpu, "list export")
    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    assert ws is not None
    for row in range(3, ws.max_row + 1):
        ws.cell(row=row, column=5, value="宜宾市、泸州市")
        ws.cell(row=row, column=6, value="2024年11月30日")
        ws.cell(row=row, column=9, value="完成年度目标")
    changed = io.BytesIO()
    wb.save(changed)
    result, wall, cpu = timed(
        lambda: annual_list_import(annual_list=alist, actor=planner, data=changed.getvalue())
    )
    report(
        "list xlsx import, every row changed",
        result.updated,
        wall,
        cpu,
        "list import (rows changed)",
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
        report(
            f"observations xlsx import, {label}",
            result.created + result.revised,
            wall,
            cpu,
            "observations import (revised)" if "again" in label else "observations import",
        )

    def export() -> int:
        matrix = matrix_for(user=world["user"], place=world["zone"])
        matrix_export(matrix)
        return sum(1 for row in matrix.rows for cell in row.cells if cell is not None)

    cells, wall, cpu = timed(export)
    report(
        f"observations xlsx export (the zone's matrix, {args.indicators} lines)",
        cells,
        wall,
        cpu,
        "observations export",
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
        report(
            f"monthly 调度表 xlsx import, {label}",
            result.created + result.updated,
            wall,
            cpu,
            "monthly import (updated)" if "again" in label else "monthly reports import",
        )

    def export() -> int:
        rows = ledger(user=world["user"], year=last, month=last_month)
        ledger_export(rows, "全省重大项目台账")
        return len(rows)

    n, wall, cpu = timed(export)
    report("monthly 台账 xlsx export (selector and file)", n, wall, cpu, "monthly reports export")
    rows = ledger(user=world["user"], year=last, month=last_month)
    _, wall, cpu = timed(lambda: ledger_export(rows, "全省重大项目台账"))
    report("monthly 台账 xlsx export (the file only)", len(rows), wall, cpu)


def summary() -> None:
    print(f"\nrows per second, goal ≥ {GOAL:,} (wall clock; CPU time), every timed path:")
    for path, wall, cpu in SUMMARY:
        mark = "met" if wall >= GOAL else ("met by CPU time" if cpu >= GOAL else "not met")
        print(f"  {path:<30} {wall:>8,.0f}  {cpu:>8,.0f}   {mark}")


def main() -> int:
    global PROFILE
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pg", default=None, help="a PostgreSQL server URL (default SQLite)")
    parser.add_argument("--rows", type=int, default=2000, help="tasks of the annual list")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--indicators", type=int, default=250)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--months", type=int, default=3)
    args = parser.parse_args()
    PROFILE = args.profile
    with scratch_database(args.pg) as url:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planwatch.settings")
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        print(f"database: {'PostgreSQL' if args.pg else 'SQLite'}")
        lists(args)
        call_command("flush", interactive=False, verbosity=0)
        observations(args)
        call_command("flush", interactive=False, verbosity=0)
        monthly_reports(args)
    summary()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
