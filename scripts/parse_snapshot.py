"""Parser output snapshot: every parse fixture and the bundled file through `planwatch parse`'s
renderers, to compare a change of the parser's internals before/after (never a test).

Writes one file per input and renderer (JSON compact and indented, Markdown, outline, check)
under OUT, then `diff -r BEFORE AFTER` shows any change. A file the parser rejects records its
error line instead.

Run: `.venv/bin/python scripts/parse_snapshot.py OUT`
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planwatch.parsing import render  # noqa: E402
from planwatch.parsing.errors import ParseError  # noqa: E402
from planwatch.parsing.pipeline import parse_file  # noqa: E402

SUFFIXES = {".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".csv", ".xlsx"}


def inputs() -> list[Path]:
    found = [ROOT / "data" / "plans" / "sichuan-2021-five-regional-plans.txt"]
    for p in sorted((ROOT / "tests").rglob("*")):
        if p.is_file() and p.suffix.lower() in SUFFIXES and p.name != "README.md":
            found.append(p)
    return found


def main() -> int:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for path in inputs():
        rel = path.relative_to(ROOT).as_posix().replace("/", "__")
        try:
            result = parse_file(path)
        except (ParseError, ValueError) as exc:
            (out / f"{rel}.error").write_text(f"{type(exc).__name__}: {exc}\n")
            continue
        outputs = {
            "json": render.to_json(result),
            "compact.json": render.to_json(result, indent=None),
            "md": render.to_markdown(result),
            "outline": render.to_outline(result),
            "check": render.to_check(result),
        }
        for ext, text in outputs.items():
            (out / f"{rel}.{ext}").write_text(text)
    digest = hashlib.sha256()
    for f in sorted(out.iterdir()):
        digest.update(f.name.encode() + b"\0" + f.read_bytes())
    print(f"{len(list(out.iterdir()))} files, sha256 {digest.hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
