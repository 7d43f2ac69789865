"""Precision and recall of target extraction on the hand-checked sample
(tests/parsing/fixtures/targets-sample.csv: the bundled plans' action paragraphs and the
government-work-report / county-plan fixtures). Prints the figures, then each false positive
and each miss with what was found or expected.

Run: `.venv/bin/python scripts/targets_accuracy.py [--quiet]`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planwatch.parsing import parse_file  # noqa: E402
from planwatch.parsing.quantities.accuracy import (  # noqa: E402
    Row,
    Score,
    found_rows,
    read_sample,
    score,
)

SAMPLE = ROOT / "tests" / "parsing" / "fixtures" / "targets-sample.csv"


def measure(subset: str | None = None) -> tuple[Score, list[Row], list[Row], list[Row]]:
    """(score, false positives, misses, located rows with a wrong field) over the sample,
    or over its `dev` or `held-out` files."""
    expected = [r for r in read_sample(SAMPLE) if subset is None or r.set == subset]
    found: list[Row] = []
    for file in dict.fromkeys(row.file for row in expected):
        found += found_rows(file, parse_file(ROOT / file).plans)
    result, extra, missed = score(expected, found)
    exact = {row.exact() for row in expected}
    wrong = [row for row in found if row not in extra and row.exact() not in exact]
    return result, extra, missed, wrong


def _brief(row: Row) -> str:
    return (
        f"{row.file.rsplit('/', 1)[-1]}:{row.line} {row.indicator} {row.comparator}"
        f"{row.value:g}{row.unit} ({row.year})"
    )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quiet", action="store_true", help="figures only")
    args = ap.parse_args()
    for subset in ("dev", "held-out", None):
        result, extra, missed, wrong = measure(subset)
        print(
            f"{subset or 'whole sample'}: {result.expected} hand-checked targets, "
            f"{result.found} found; located (line, value, unit) precision "
            f"{result.precision:.3f} recall {result.recall:.3f}; exact (+ indicator, "
            f"comparator, year) precision {result.exact_precision:.3f} "
            f"recall {result.exact_recall:.3f}"
        )
    if not args.quiet:
        for title, rows in (
            ("false positives", extra),
            ("misses", missed),
            ("located, a field differs", wrong),
        ):
            print(f"\n{title}: {len(rows)}")
            print("\n".join(f"  {_brief(r)}" for r in rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
