"""Implementation benchmark: prints figures (never a pass/fail test).

In a throwaway SQLite database (or the PostgreSQL of DATABASE_URL, in a schema of its own is
NOT attempted — point DATABASE_URL at a scratch database), it measures:
  * xlsx import rate: rows per second of `annual_list_import` (validate every row, then apply
    all in one transaction) for a list of --rows tasks, every row changed;
  * xlsx export rate: rows per second of `annual_list_export`;
  * the supervise job: seconds for one run over the issued list.

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()
    _setup()

    from openpyxl import load_workbook

    from planwatch.accounts.choices import Role
    from planwatch.supervision.jobs import supervise_run
    from planwatch.tasks.models import AnnualList
    from planwatch.tasks.services import annual_list_issue, task_create
    from planwatch.tasks.xlsx import annual_list_export, annual_list_import
    from tests.factories import implementation as f
    from tests.factories.personas import make_user

    units = f.make_units()
    plan = f.make_plan(units)
    planner = make_user("bench_planner", (units.chuannan, Role.PLANNER))
    alist = AnnualList.objects.create(plan=plan, year=2024)
    for i in range(args.rows):
        task_create(
            annual_list=alist,
            actor=planner,
            changes={"title": f"任务 {i + 1}", "lead_unit": units.ndrc},
        )

    t0 = time.perf_counter()
    data = annual_list_export(annual_list=alist)
    export_s = time.perf_counter() - t0
    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    for row in range(3, ws.max_row + 1):
        ws.cell(row=row, column=5, value="宜宾市、泸州市")
        ws.cell(row=row, column=6, value="2024年12月31日")
        ws.cell(row=row, column=9, value="完成年度目标")
    out = io.BytesIO()
    wb.save(out)

    t0 = time.perf_counter()
    result = annual_list_import(annual_list=alist, actor=planner, data=out.getvalue())
    import_s = time.perf_counter() - t0
    annual_list_issue(annual_list=alist, actor=planner)
    t0 = time.perf_counter()
    supervise_run(today=date(2024, 7, 1), now=datetime(2024, 7, 1, tzinfo=UTC))
    supervise_s = time.perf_counter() - t0

    rows = args.rows
    print(f"xlsx export: {rows} rows in {export_s:.2f} s = {rows / export_s:,.0f} rows/s")
    print(
        f"xlsx import: {rows} rows ({result.updated} changed) in {import_s:.2f} s"
        f" = {rows / import_s:,.0f} rows/s"
    )
    print(f"supervise:   {rows} tasks in {supervise_s:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
