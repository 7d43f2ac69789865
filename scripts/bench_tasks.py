"""Implementation benchmark: prints figures (never a pass/fail test).

In a throwaway SQLite database (or the PostgreSQL of DATABASE_URL, in a schema of its own is
NOT attempted — point DATABASE_URL at a scratch database), it measures:
  * xlsx import rate of new rows: rows per second of `annual_list_import` of a file of --rows
    new tasks into an empty list (validate every row, then create all in one transaction);
  * xlsx export rate: rows per second of `annual_list_export`;
  * xlsx import rate of changed rows: the exported file with every row changed, imported;
  * the supervise job: seconds for one run over the issued list (not with --no-supervise).
Each rate by the wall clock and by the process's CPU time (the machine may be shared), with
the goal of issue 15 (5,000 rows per second) beside it.

Run: `.venv/bin/python scripts/bench_tasks.py [--rows 2000]`.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup() -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["PLANWATCH_VAR_DIR"] = tempfile.mkdtemp(prefix="planwatch-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planwatch.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


GOAL = 5000


def _rate(label: str, rows: int, wall: float, cpu: float) -> str:
    return (
        f"{label}: {rows} rows in {wall:.2f} s = {rows / wall:,.0f} rows/s"
        f" (CPU {cpu:.2f} s = {rows / cpu:,.0f} rows/s; goal {GOAL:,})"
    )


def _new_rows_file(rows: int) -> bytes:
    from openpyxl import Workbook

    from planwatch.tasks.xlsx import EXTRA_HEADERS, HEADERS

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["bench重点任务清单"])
    ws.append([*HEADERS, *EXTRA_HEADERS])
    for i in range(1, rows + 1):
        ws.append([i, f"任务 {i}", f"内容 {i}", "省发展改革委", "宜宾市", "2024年12月31日"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--no-supervise", action="store_true", help="skip the supervise job")
    args = parser.parse_args()
    _setup()

    from openpyxl import load_workbook

    from planwatch.accounts.choices import Role
    from planwatch.supervision.jobs import supervise_run
    from planwatch.tasks.models import AnnualList
    from planwatch.tasks.services import annual_list_issue
    from planwatch.tasks.xlsx import annual_list_export, annual_list_import
    from tests.factories import implementation as f
    from tests.factories.personas import make_user

    units = f.make_units()
    plan = f.make_plan(units)
    planner = make_user("bench_planner", (units.chuannan, Role.PLANNER))
    alist = AnnualList.objects.create(plan=plan, year=2024)
    rows = args.rows

    def timed(fn):  # type: ignore[no-untyped-def]
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        return result, time.perf_counter() - wall, time.process_time() - cpu

    new_file = _new_rows_file(rows)
    created, new_wall, new_cpu = timed(
        lambda: annual_list_import(annual_list=alist, actor=planner, data=new_file)
    )
    assert created.created == rows, created
    data, export_wall, export_cpu = timed(lambda: annual_list_export(annual_list=alist))
    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    for row in range(3, ws.max_row + 1):
        ws.cell(row=row, column=5, value="宜宾市、泸州市")
        ws.cell(row=row, column=6, value="2024年11月30日")
        ws.cell(row=row, column=9, value="完成年度目标")
    out = io.BytesIO()
    wb.save(out)
    result, import_wall, import_cpu = timed(
        lambda: annual_list_import(annual_list=alist, actor=planner, data=out.getvalue())
    )

    print(_rate("xlsx import, new rows", rows, new_wall, new_cpu))
    print(_rate("xlsx export", rows, export_wall, export_cpu))
    print(_rate(f"xlsx import, {result.updated} changed rows", rows, import_wall, import_cpu))
    if not args.no_supervise:
        annual_list_issue(annual_list=alist, actor=planner)
        t0 = time.perf_counter()
        supervise_run(today=date(2024, 7, 1), now=datetime(2024, 7, 1, tzinfo=UTC))
        print(f"supervise:   {rows} tasks in {time.perf_counter() - t0:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
