"""`planwatch parse FILE` — the parser on the command line. Exit 0 with the output on
standard output; exit 2 with one line on standard error when the file cannot be parsed."""

from __future__ import annotations

import argparse
import sys

from planwatch.parsing import render
from planwatch.parsing.errors import ParseError
from planwatch.parsing.pipeline import parse_file

FORMATS = {
    "json": render.to_json,
    "markdown": render.to_markdown,
    "outline": render.to_outline,
}


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="planwatch parse",
        description="Parse a plan document (PDF text, text, Markdown, HTML, DOCX, PDF, CSV) "
        "into a grounded plan tree.",
    )
    p.add_argument("file", help="the plan document")
    p.add_argument(
        "--format",
        choices=sorted(FORMATS),
        default="json",
        help="json (the planwatch.parse/1 contract), markdown or outline",
    )
    p.add_argument(
        "--check",
        action="store_true",
        help="print the table-of-contents cross-check and the counts instead",
    )
    p.add_argument(
        "--input-format",
        dest="input_format",
        default=None,
        choices=["pdf-text", "text", "markdown", "html", "docx", "pdf", "csv"],
        help="the input's format, when detection should be overridden",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result = parse_file(args.file, format=args.input_format)
    except ParseError as exc:
        print(f"planwatch parse: error: {exc}", file=sys.stderr)
        return 2
    except MemoryError:
        print(f"planwatch parse: error: {args.file}: out of memory", file=sys.stderr)
        return 2
    out = render.to_check(result) if args.check else FORMATS[args.format](result)
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return 0
