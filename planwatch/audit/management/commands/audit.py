"""`planwatch audit verify`: recompute the audit log's hash chain, check each event's keyed
hash and the chain against the checkpoints written outside the database, and report whether
any event was altered or removed (exit status 1 if so).

`planwatch audit checkpoint`: write down the chain head now (the worker does it every ten
minutes; see docs/decisions/0031-audit-anchor.md)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from planwatch.audit.anchor import audit_checkpoint, checkpoint_path
from planwatch.audit.services import audit_verify


class Command(BaseCommand):
    help = (
        "审计日志工具。verify：校验哈希链、密钥签名和检查点，证明审计记录未被修改或删除；"
        "checkpoint：把当前链头记入检查点文件。"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="校验审计日志的哈希链（被篡改时退出码为 1）")
        sub.add_parser("checkpoint", help="把当前链头（条数与哈希）追加到检查点文件")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self._verify()
        elif options["subcommand"] == "checkpoint":
            cp = audit_checkpoint(force=True)
            assert cp is not None  # forced: always written
            self.stdout.write(
                f"checkpoint written to {checkpoint_path()}: {cp.count} events, head {cp.head}"
            )

    def _verify(self) -> None:
        checked, problems = audit_verify()
        if not problems:
            self.stdout.write(self.style.SUCCESS(f"checked {checked} audit events: OK"))
            return
        self.stdout.write(f"checked {checked} audit events: {len(problems)} problem(s)")
        for problem in problems:
            self.stdout.write(f"  {problem}")
        raise CommandError("the audit log was altered", returncode=1)
