"""`planwatch audit verify`: recompute the audit log's hash chain and report whether any
event was altered or removed (exit status 1 if so)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from planwatch.audit.services import audit_verify


class Command(BaseCommand):
    help = "审计日志工具。verify：校验哈希链，证明审计记录未被修改或删除。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="校验审计日志的哈希链（被篡改时退出码为 1）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self._verify()

    def _verify(self) -> None:
        checked, problems = audit_verify()
        if not problems:
            self.stdout.write(self.style.SUCCESS(f"checked {checked} audit events: OK"))
            return
        self.stdout.write(f"checked {checked} audit events: {len(problems)} problem(s)")
        for problem in problems:
            self.stdout.write(f"  {problem}")
        raise CommandError("the audit log was altered", returncode=1)
