"""Documents benchmark (issue 14): prints figures (never a pass/fail test).

On a scratch SQLite database in a temporary directory (the reference units, the five bundled
plans and the demo data: five years of lists, reports and 督办 cases), it times the annual
report of the largest zone (成都平原经济区, its 2024 list) drafted from the data — the data
gathered, every figure registered, the DOCX rendered with its charts — and its PDF converted
by LibreOffice (skipped, with a notice, where soffice is not installed).

Run: `.venv/bin/python scripts/bench_documents.py [--runs 3] [--year 2024]`
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--year", type=int, default=2024)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="planwatch-bench-documents-")
    os.environ["PLANWATCH_VAR_DIR"] = tmp
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planwatch.settings")
    import django

    django.setup()
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("setup", "--no-static", verbosity=0)
    call_command("demo", verbosity=0)
    print(f"set-up and demo data: {time.perf_counter() - t0:.1f} s")

    from planwatch.documents.pdf import docx_to_pdf, soffice
    from planwatch.documents.services import document_build, document_bytes
    from planwatch.plans.models import Plan

    plan = Plan.objects.get(slug="chengdu-plain")
    for run in range(1, args.runs + 1):
        t0 = time.perf_counter()
        doc = document_build(kind="annual", actor=None, year=args.year, plan=plan)
        built = time.perf_counter() - t0
        data = document_bytes(doc)
        line = (
            f"run {run}: annual report {plan.org_unit.name if plan.org_unit else ''} "
            f"{args.year}: {len(doc.snapshot['figures'])} figures, DOCX {len(data):,} bytes "
            f"in {built:.2f} s"
        )
        if soffice() is not None:
            t1 = time.perf_counter()
            pdf = docx_to_pdf(data)
            line += f"; PDF {len(pdf):,} bytes in {time.perf_counter() - t1:.2f} s"
        else:
            line += "; PDF SKIPPED (LibreOffice not installed)"
        print(line)


if __name__ == "__main__":
    main()
