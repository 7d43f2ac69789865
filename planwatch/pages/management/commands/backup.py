"""`planwatch backup [-o FILE]`: the database, the stored files and a manifest in one tar
archive (planwatch.pages.backup). Safe while the system runs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from planwatch.pages.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库和存储的文件（含校验清单）到一个 tar 归档。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            help="the archive to write (default var/backups/planwatch-<UTC time>.tar)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = options["output"]
        if out is None:
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
            out = Path(settings.VAR_DIR) / "backups" / f"planwatch-{stamp}.tar"
        try:
            manifest = backup(out)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(t["rows"] for t in manifest.tables.values())
        self.stdout.write(
            f"backup written to {out}: {manifest.vendor}, {len(manifest.tables)} tables, "
            f"{rows} rows, {len(manifest.files)} files"
        )
