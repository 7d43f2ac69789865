"""Precision and recall of the extractors on the hand-checked fixtures registered in
`planwatch.parsing.extract.accuracy.FIXTURES` (tasks from task-division notices; other
kinds add their rows and scorers there). Prints one line per fixture and the totals per
kind and set.

Run: `.venv/bin/python scripts/extract_accuracy.py [KIND ...]`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planwatch.parsing.extract.accuracy import FIXTURES, SCORERS, Tally, measure, total  # noqa: E402


def _line(label: str, tally: Tally) -> str:
    return (
        f"{label:<58} found {tally.found:>3}  expected {tally.expected:>3}  correct "
        f"{tally.correct:>3}  precision {tally.precision:.2f}  recall {tally.recall:.2f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kinds", nargs="*", help="kinds to measure (default: every registered)")
    args = parser.parse_args()
    kinds = args.kinds or [kind for kind in SCORERS if any(row[0] == kind for row in FIXTURES)]
    for kind in kinds:
        print(f"extract {kind}")
        for subset in ("real", "synthetic"):
            tallies = measure(ROOT, kind, subset)
            for document, tally in tallies.items():
                print("  " + _line(Path(document).name, tally))
            if tallies:
                print("  " + _line(f"TOTAL {kind} ({subset} documents)", total(tallies)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
