"""`planwatch rollup check`: recompute the dashboards' summaries from the raw rows and name
every difference (exit status 1 if any); `planwatch rollup rebuild`: rewrite them all."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

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
            return
        checked, problems = rollup_check()
        seconds = time.perf_counter() - started
        if not problems:
            self.stdout.write(
                self.style.SUCCESS(f"checked {checked} plan-years in {seconds:.1f} s: OK")
            )
            return
        self.stdout.write(f"checked {checked} plan-years: {len(problems)} difference(s)")
        for problem in problems:
            self.stdout.write(f"  {problem}")
        raise CommandError("the summaries differ from the reports", returncode=1)
