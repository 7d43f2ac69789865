"""`planwatch evidence verify`: check every stored file against its recorded sha256 and name
any missing or altered one (exit status 1 if any)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from planwatch.core.evidence import verify_files


class Command(BaseCommand):
    help = "佐证材料工具。verify：逐个校验存储的文件与登记的 sha256，列出缺失或被改动的文件。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="校验每个存储的文件（有缺失或改动时退出码为 1）")

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_files()
        summary = f"checked {report.checked} stored files ({report.hashed} against their sha256)"
        if not report.problems:
            self.stdout.write(self.style.SUCCESS(f"{summary}: OK"))
            return
        self.stdout.write(f"{summary}: {len(report.problems)} problem(s)")
        for problem in report.problems:
            self.stdout.write(f"  {problem}")
        raise CommandError("stored files are missing or altered", returncode=1)
