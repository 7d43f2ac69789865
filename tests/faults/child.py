"""The process the fault tests kill: `python -m tests.faults.child OP DIR`, run with the
trial's DATABASE_URL and PLANWATCH_VAR_DIR. It prints "go" when it starts the operation and
"done" when it returns. With FAULT_PAUSE_AT=ACTION (an audit action, e.g. annual_list.import)
it prints "paused" and sleeps when the operation writes that audit event — inside the
operation's transaction, after all its other writes — so the test's kill -9 lands there for
certain. The product code is unchanged: the pause is this script wrapping `audit_record`.

OP: prepare (the slice, lists and files the other operations need), prepare-reference (the
reference tree only, for an ingest), import, ingest, report, supervise."""

from __future__ import annotations

import io
import os
import sys
import time
from datetime import date
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planwatch.settings")
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from planwatch.accounts.choices import Role  # noqa: E402
from planwatch.audit import services as audit_services  # noqa: E402
from planwatch.core.xlsx import workbook_bytes  # noqa: E402
from planwatch.orgunits.services import orgunits_load_reference  # noqa: E402
from planwatch.plans.services import plan_ingest  # noqa: E402
from planwatch.reports.evidence import evidence_add  # noqa: E402
from planwatch.reports.services import (  # noqa: E402
    progress_report_start,
    progress_report_submit,
    progress_report_update,
)
from planwatch.supervision.jobs import supervise_run  # noqa: E402
from planwatch.tasks.models import AnnualList  # noqa: E402
from planwatch.tasks.services import annual_list_issue  # noqa: E402
from planwatch.tasks.xlsx import annual_list_export, annual_list_import  # noqa: E402
from tests.factories import implementation as f  # noqa: E402
from tests.factories.personas import make_user  # noqa: E402

ROWS = 600
BUNDLED = Path(__file__).resolve().parents[2] / "data" / "plans"


def _pause_at(action: str) -> None:
    """Wrap audit_record everywhere it was imported: pause when `action` is written."""
    original = audit_services.audit_record

    def pausing(**kwargs: object) -> object:
        result = original(**kwargs)
        if kwargs.get("action") == action:
            print("paused", flush=True)
            time.sleep(600)
        return result

    for module in list(sys.modules.values()):
        if getattr(module, "audit_record", None) is original:
            module.audit_record = pausing  # type: ignore[attr-defined]


def _big_list_file(template: bytes, rows: int) -> bytes:
    """The exported list with its first row copied `rows` times (seq and title made unique)."""
    wb = load_workbook(io.BytesIO(template))
    ws = wb.active
    first = [c.value for c in ws[3]]
    ws.delete_rows(3, ws.max_row)
    for i in range(1, rows + 1):
        row = list(first)
        row[0] = i
        row[1] = f"故障测试任务{i:04d}"
        ws.append(row)
    return workbook_bytes(wb)


def prepare(out: Path) -> None:
    from planwatch.tasks.xlsx import annual_list_import

    units = f.make_units()
    plan = f.make_plan(units)
    planner = make_user("planner", (units.chuannan, Role.PLANNER))
    make_user("reporter", (units.yibin, Role.REPORTER))
    issued = f.issued_list(plan, planner, units)
    data = _big_list_file(annual_list_export(annual_list=issued), ROWS)
    (out / "list.xlsx").write_bytes(data)
    AnnualList.objects.create(plan=plan, year=2025)
    supervised = AnnualList.objects.create(plan=plan, year=2026)
    annual_list_import(annual_list=supervised, actor=planner, data=data)
    annual_list_issue(annual_list=supervised, actor=planner)


def run(op: str, out: Path) -> None:

    if op == "prepare":
        prepare(out)
        return
    if op == "prepare-reference":
        orgunits_load_reference(actor=None)
        return
    if os.environ.get("FAULT_PAUSE_AT"):
        _pause_at(os.environ["FAULT_PAUSE_AT"])
    print("go", flush=True)
    if op == "import":
        alist = AnnualList.objects.get(year=2025)
        annual_list_import(
            annual_list=alist,
            actor=User.objects.get(username="planner"),
            data=(out / "list.xlsx").read_bytes(),
        )
    elif op == "ingest":
        path = next(BUNDLED.glob("*.txt"))
        plan_ingest(data=path.read_bytes(), name=path.name, actor=None)
    elif op == "report":
        reporter = User.objects.get(username="reporter")
        task = AnnualList.objects.get(year=2024).tasks.get(seq=1)
        report = progress_report_start(
            task=task,
            unit=task.responsible_units.get(code="511500"),
            period_start=date(2024, 1, 1),
            actor=reporter,
        )
        evidence_add(
            report=report,
            actor=reporter,
            name="佐证.pdf",
            content=io.BytesIO(b"%PDF-1.4\n" + os.urandom(4 << 20)),
        )
        report = progress_report_update(
            report=report,
            actor=reporter,
            version=report.version,
            completion=60,
            progress_status="in_progress",
            narrative="按计划推进",
        )
        progress_report_submit(report=report, actor=reporter)
    elif op == "supervise":
        supervise_run(today=date(2026, 9, 30), now=timezone.now())
    else:
        raise SystemExit(f"unknown operation {op}")
    print("done", flush=True)


if __name__ == "__main__":
    run(sys.argv[1], Path(sys.argv[2]))
