"""`planwatch restore FILE`: load a backup into an empty database and an empty file storage,
then check every table and file against the backup's manifest and verify the audit log
(exit status 1 on any difference, each named)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from planwatch.pages.backup import BackupError, restore


class Command(BaseCommand):
    help = "从备份恢复到空数据库和空文件存储，并逐表、逐文件校验。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        if not archive.is_file():
            raise CommandError(f"{archive}: no such file")
        try:
            report = restore(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"restored {report.tables} tables, {report.rows} rows, {report.files} files; "
            f"audit log: {report.audit_events} events checked"
        )
        if report.problems:
            for problem in report.problems:
                self.stdout.write(f"  {problem}")
            raise CommandError(f"{len(report.problems)} difference(s) after restore", returncode=1)
        self.stdout.write(self.style.SUCCESS("every table and file matches the backup; audit OK"))
