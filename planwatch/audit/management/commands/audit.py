"""`planwatch audit verify`: recompute the audit log's hash chain, check each event's keyed
hash (under the key named on it) and the chain against the checkpoints written outside the
database, and report whether any event was altered or removed (exit status 1 if so).
`--checkpoint-line LINE` (repeatable) and `--checkpoint-mail FILE` (saved e-mails, an mbox
or any text holding checkpoint lines) add checkpoints taken from the administrators' e-mails.

`planwatch audit checkpoint`: write down the chain head now (the worker does it every ten
minutes) and mail it to the administrators.

`planwatch audit rotate-key`: a new audit key; the old one is kept in the keyring to verify
what it signed (docs/decisions/0031-audit-anchor.md)."""

from __future__ import annotations

import re
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from planwatch.audit.anchor import (
    audit_checkpoint,
    checkpoint_lines_in,
    checkpoint_path,
    keyring_path,
)
from planwatch.audit.rotation import RotationRefused, rotate_key
from planwatch.audit.services import audit_verify


class Command(BaseCommand):
    help = (
        "审计日志工具。verify：校验哈希链、密钥签名和检查点，证明审计记录未被修改或删除；"
        "checkpoint：把当前链头记入检查点文件并发给管理员；rotate-key：轮换审计密钥。"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="校验审计日志的哈希链（被篡改时退出码为 1）")
        verify.add_argument(
            "--checkpoint-line",
            action="append",
            default=[],
            dest="checkpoint_lines",
            metavar="LINE",
            help="从管理员邮件中取得的检查点行，一并核对（可多次给出）",
        )
        verify.add_argument(
            "--checkpoint-mail",
            action="append",
            default=[],
            dest="checkpoint_mails",
            metavar="FILE",
            help="保存的检查点邮件（单封邮件、mbox 或含检查点行的文本文件），一并核对",
        )
        sub.add_parser("checkpoint", help="把当前链头（条数与哈希）追加到检查点文件并发给管理员")
        rotate = sub.add_parser("rotate-key", help="生成新的审计密钥，旧密钥保留在密钥环中")
        rotate.add_argument("--force", action="store_true", help="校验发现问题时仍然轮换（不建议）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self._verify(options["checkpoint_lines"], options["checkpoint_mails"])
        elif options["subcommand"] == "checkpoint":
            cp = audit_checkpoint(force=True)
            assert cp is not None  # forced: always written
            self.stdout.write(
                f"checkpoint written to {checkpoint_path()}: {cp.count} events, head {cp.head}"
            )
        elif options["subcommand"] == "rotate-key":
            try:
                done = rotate_key(force=options["force"])
            except RotationRefused as exc:
                raise CommandError(f"audit key not rotated: {exc}") from exc
            self.stdout.write(
                f"audit key rotated: {done.old_kid} -> {done.new_kid}; the old key is kept in "
                f"{keyring_path()} (back it up with the new key); checkpoints at "
                f"{done.before.count} and {done.after.count} events written"
            )

    def _verify(self, lines: list[str], mails: list[str]) -> None:
        # a line has no whitespace of its own: what a mail client's wrapping added goes
        extra = [re.sub(r"\s+", "", line) for line in lines if line.strip()]
        for name in mails:
            try:
                text = Path(name).read_text(encoding="utf-8", errors="replace")
            except OSError as exc:
                raise CommandError(f"cannot read {name}: {exc}") from exc
            found = checkpoint_lines_in(text)
            if not found:
                raise CommandError(f"{name}: no checkpoint line found")
            extra += found
        checked, problems = audit_verify(extra_lines=extra)
        mailed = f", {len(extra)} checkpoint(s) from e-mail" if extra else ""
        if not problems:
            self.stdout.write(self.style.SUCCESS(f"checked {checked} audit events{mailed}: OK"))
            return
        self.stdout.write(f"checked {checked} audit events{mailed}: {len(problems)} problem(s)")
        for problem in problems:
            self.stdout.write(f"  {problem}")
        raise CommandError("the audit log was altered", returncode=1)
