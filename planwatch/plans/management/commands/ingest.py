"""`planwatch ingest FILE… [--publish]` — parse and store plan documents, each in its own
transaction. New plans are drafts until published (on the plan page, or with --publish)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from planwatch.accounts.permissions import is_planner
from planwatch.core.types import Actor
from planwatch.parsing import ParseError
from planwatch.plans.services import IngestResult, plan_ingest

EXIT_PARSE_ERROR = 2


def progress_bar(done: int, total: int, label: str, width: int = 24) -> str:
    """`[#########-------]  2/5  name` — one line, redrawn in place on a terminal."""
    filled = int(width * done / total) if total else width
    return f"[{'#' * filled}{'-' * (width - filled)}] {done}/{total}  {label}"


class Command(BaseCommand):
    help = "Parse plan documents and store them (a new version per changed plan)."
    actor: Actor = None
    publish = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files", nargs="+", help="plan documents (text, Markdown, HTML, DOCX, PDF)"
        )
        parser.add_argument(
            "--user",
            help="record the ingest in the audit log as this planner (default: the system)",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="publish the plans stored (default: new plans are drafts, seen by planners only)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        files = [Path(f) for f in options["files"]]
        self.actor = _planner(options["user"]) if options["user"] else None
        self.publish = bool(options["publish"])
        failed = 0
        tty = sys.stderr.isatty()
        for i, path in enumerate(files):
            if len(files) > 1:
                self._progress(i, len(files), path.name, tty)
            try:
                result, seconds = self._ingest_one(path)
            except ParseError as exc:
                failed += 1
                self._clear(tty)
                self.stderr.write(f"planwatch ingest: error: {exc}")
                continue
            self._clear(tty)
            self._report(result, seconds)
        if len(files) > 1:
            self._progress(len(files), len(files), "", tty)
            self._clear(tty, final=True)
        if failed:
            # Each failure was already reported on its own line; the status says the rest.
            raise SystemExit(EXIT_PARSE_ERROR)

    def _ingest_one(self, path: Path) -> tuple[IngestResult, float]:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ParseError(str(path), f"cannot read file ({exc.strerror or exc})") from None
        started = time.perf_counter()
        result = plan_ingest(data=data, name=path.name, actor=self.actor, publish=self.publish)
        return result, time.perf_counter() - started

    def _report(self, result: IngestResult, seconds: float) -> None:
        doc = result.document
        if not result.created:
            self.stdout.write(
                f"{doc.name}: already present (sha256 {doc.sha256[:12]}…), nothing changed"
            )
            return
        self.stdout.write(self.style.SUCCESS(f"{doc.name}: ingested in {seconds:.2f} s"))
        for v in result.versions:
            diff = v.diff or {}
            change = (
                f" (+{len(diff.get('added', []))} −{len(diff.get('removed', []))}"
                f" ~{len(diff.get('changed', []))} against v{diff['previous']})"
                if diff.get("previous")
                else ""
            )
            self.stdout.write(f"  {v.title} v{v.number}: {v.nodes.count()} nodes{change}")
        for plan in result.unchanged:
            self.stdout.write(f"  {plan.title}: unchanged, current version kept")
        if result.warnings:
            self.stdout.write(f"  {len(result.warnings)} parser warning(s); see the upload page")

    def _progress(self, done: int, total: int, label: str, tty: bool) -> None:
        line = progress_bar(done, total, label)
        if tty:
            sys.stderr.write("\r\x1b[2K" + line)
            sys.stderr.flush()
        else:
            self.stderr.write(line)

    def _clear(self, tty: bool, final: bool = False) -> None:
        if tty:
            sys.stderr.write("\r\x1b[2K" if not final else "\n")
            sys.stderr.flush()


def _planner(username: str) -> Any:
    """The account named `username`, which must be an active planner."""
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None or not is_planner(user):
        raise CommandError(f"no active planner called {username!r}")
    return user
