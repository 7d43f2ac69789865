"""`planwatch rollup check`: recompute the dashboards' summaries from the raw rows and name
every difference (exit status 1 if any); `planwatch rollup rebuild`: rewrite them all. Both
cover the summaries higher apps keep themselves too (hooks.summaries_check and
summaries_rebuild: the projects' per-year figures)."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from planwatch.core import hooks
from planwatch.rollups.services import rollup_check, rollup_rebuild


class Command(BaseCommand):
    help = "看板汇总表工具。check：由原始数据重算并比对；rebuild：全部重算。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("check", help="由原始数据重算汇总表并逐项比对（有差异时退出码为 1）")
        sub.add_parser("rebuild", help="由原始数据重算全部汇总表")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["subcommand"] == "rebuild":
            done = rollup_rebuild()
            seconds = time.perf_counter() - started
            self.stdout.write(f"rebuilt the summaries of {done} plan-years in {seconds:.1f} s")
            for what, written in hooks.summaries_rebuild.send():
                self.stdout.write(f"rebuilt the summaries of {written} {what}")
            return
        checked, problems = rollup_check()
        counts = [f"{checked} plan-years"]
        for what, number, found in hooks.summaries_check.send():
            counts.append(f"{number} {what}")
            problems += found
        seconds = time.perf_counter() - started
        if not problems:
            self.stdout.write(
                self.style.SUCCESS(f"checked {', '.join(counts)} in {seconds:.1f} s: OK")
            )
            return
        self.stdout.write(f"checked {', '.join(counts)}: {len(problems)} difference(s)")
        for problem in problems:
            self.stdout.write(f"  {problem}")
        raise CommandError("the summaries differ from the reports", returncode=1)
