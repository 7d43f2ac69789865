"""`planwatch document build --kind annual|midterm|final|bulletin --plan SLUG --year YYYY
-o FILE.docx [--pdf]`: draft a document from the stored data (kept as a draft Document,
audited as done by the system), write its DOCX, the sidecar JSON of its figures beside it
(FILE.json) and, with --pdf, the PDF converted by LibreOffice (FILE.pdf).
`planwatch document decision-lights [--today YYYY-MM-DD]`: the daily run over the joint
meetings' decisions (red past the deadline undone, with a 督办 case)."""

from __future__ import annotations

import json
import time
from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from planwatch.core.workflow import ServiceError
from planwatch.documents.meetings import decision_lights_run
from planwatch.documents.pdf import PdfUnavailable, docx_to_pdf
from planwatch.documents.services import document_build, document_bytes
from planwatch.plans.models import Plan

KINDS = ("annual", "midterm", "final", "bulletin", "task_list")


class Command(BaseCommand):
    help = "公文：build 从已存数据起草评估报告、季度通报或任务清单通知（DOCX，可选 PDF）。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        build = sub.add_parser("build", help="起草一份公文并写出 DOCX")
        build.add_argument("--kind", choices=KINDS, required=True)
        build.add_argument("--plan", required=True, help="规划的 slug")
        build.add_argument("--year", type=int, required=True)
        build.add_argument("--quarter", type=int, help="季度通报的季度（1—4，默认第4季度）")
        build.add_argument("-o", "--output", required=True, help="写出的 .docx 文件")
        build.add_argument("--pdf", action="store_true", help="同时经 LibreOffice 转出 PDF")
        lights = sub.add_parser(
            "decision-lights", help="重算联席会议议定事项灯号，逾期未完成的立项督办"
        )
        lights.add_argument("--today", type=date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "decision-lights":
            counts = decision_lights_run(today=options["today"])
            self.stdout.write(
                f"decision lights: {counts['changed']} changed, {counts['cases']} cases opened"
            )
            return
        plan = Plan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            raise CommandError(f"no plan with slug {options['plan']!r}")
        out = Path(options["output"])
        if out.suffix.lower() != ".docx":
            raise CommandError("the output file must end in .docx")
        quarter = options["quarter"] or (4 if options["kind"] == "bulletin" else None)
        started = time.perf_counter()
        try:
            doc = document_build(
                kind=options["kind"], actor=None, year=options["year"], plan=plan, quarter=quarter
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        except (ServiceError, PermissionDenied) as exc:
            raise CommandError(str(exc)) from None
        data = document_bytes(doc)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        sidecar = out.with_suffix(".json")
        sidecar.write_text(
            json.dumps(
                {
                    "document": doc.pk,
                    "title": doc.title,
                    "sha256": doc.sha256,
                    "figures": doc.snapshot.get("figures", []),
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
        built = time.perf_counter() - started
        self.stdout.write(f"document {doc.pk}: {doc.title}")
        self.stdout.write(f"wrote {out} ({len(data)} bytes, {built:.2f} s) and {sidecar}")
        if options["pdf"]:
            started = time.perf_counter()
            try:
                pdf = docx_to_pdf(data)
            except PdfUnavailable as exc:
                raise CommandError(str(exc)) from None
            target = out.with_suffix(".pdf")
            target.write_bytes(pdf)
            took = time.perf_counter() - started
            self.stdout.write(f"wrote {target} ({len(pdf)} bytes, {took:.2f} s)")
