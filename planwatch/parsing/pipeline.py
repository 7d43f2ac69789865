"""The parse pipeline: bytes → decoded text → reader blocks → plans (tree, TOC check,
targets, baselines, places). Owned by the structure work; see each stage's module."""

from __future__ import annotations

from pathlib import Path

from planwatch.parsing.errors import ParseError
from planwatch.parsing.model import ParseResult


# Larger inputs are refused before they are read: no plan document comes near this, and a
# file that does is more likely a wrong file than a plan.
MAX_INPUT_BYTES = 100 * 1024 * 1024


def parse_file(path: str | Path, *, format: str | None = None) -> ParseResult:
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise ParseError(
                p.name,
                f"file is {size / 1048576:.0f} MB, over the {MAX_INPUT_BYTES // 1048576} MB limit",
            )
        data = p.read_bytes()
    except IsADirectoryError:
        raise ParseError(p.name, "is a directory, not a file") from None
    except OSError as exc:
        raise ParseError(p.name, f"cannot read file ({exc.strerror or exc})") from None
    return parse_bytes(data, name=p.name, format=format)


def parse_bytes(data: bytes, *, name: str, format: str | None = None) -> ParseResult:
    raise ParseError(name, "parser not implemented yet")
