"""The parse pipeline: bytes → decoded text → reader blocks → plans (tree, TOC check,
targets, baselines, places). Owned by the structure work; see each stage's module."""

from __future__ import annotations

from pathlib import Path

from planwatch.parsing.errors import ParseError
from planwatch.parsing.model import ParseResult


def parse_file(path: str | Path) -> ParseResult:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ParseError(p.name, f"cannot read file ({exc.strerror or exc})") from None
    return parse_bytes(data, name=p.name)


def parse_bytes(data: bytes, *, name: str, format: str | None = None) -> ParseResult:
    raise ParseError(name, "parser not implemented yet")
