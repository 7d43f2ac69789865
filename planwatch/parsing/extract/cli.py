"""`planwatch extract KIND FILE` — what a document would propose, without a database.

Kinds are modules named in `KINDS`, imported when asked for; each exposes
`extract(path: Path) -> dict`. Exit 0 with the JSON on standard output; exit 2 with one
line on standard error when the file holds nothing of the kind or cannot be read."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from planwatch.parsing.errors import ParseError

KINDS: dict[str, str] = {
    "tasks": "planwatch.parsing.extract.tasks",
    "observations": "planwatch.parsing.extract.observations",
    "projects": "planwatch.parsing.extract.projects",
}

Extractor = Callable[[Path], dict[str, Any]]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="planwatch extract",
        description="Extract what a document proposes: tasks from a task-division notice, "
        "observations from a statistical communiqué, projects from a project list.",
    )
    p.add_argument("kind", choices=sorted(KINDS), help="what to extract")
    p.add_argument("file", help="the document (text, DOCX, PDF, HTML; xlsx for projects)")
    p.add_argument("--format", choices=["json"], default="json", help="output format")
    return p


def extractor(kind: str) -> Extractor:
    """The `extract` function of `kind`'s module; ImportError when it is not installed."""
    module = importlib.import_module(KINDS[kind])
    return cast(Extractor, module.extract)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        extract = extractor(args.kind)
    except ImportError as exc:
        print(
            f"planwatch extract: error: the {args.kind} extractor is not available "
            f"({KINDS[args.kind]}: {exc})",
            file=sys.stderr,
        )
        return 2
    try:
        result = extract(Path(args.file))
    except ParseError as exc:
        print(f"planwatch extract: error: {exc}", file=sys.stderr)
        return 2
    except MemoryError:
        print(f"planwatch extract: error: {args.file}: out of memory", file=sys.stderr)
        return 2
    sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    return 0
