"""Precision and recall of the statistical-communiqué and project-list extractors
(planwatch.parsing.extract.observations / .projects) on the hand-checked fixtures in
tests/fixtures/extract/ (communique-*.expected.json, projects-*.expected.json). Prints the
figures per set (dev: looked at while the rules were written; held-out: written and
labelled after they were frozen), then each miss and each extra proposal.

Run: `.venv/bin/python scripts/extract_accuracy_data.py [--quiet]`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planwatch.parsing.extract.data_accuracy import measure  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "extract"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="figures only")
    args = parser.parse_args()
    labels = {"communique": "observations (with values)", "projects": "projects (with 总投资)"}
    for prefix, label in labels.items():
        scores = measure(FIXTURES, prefix)
        for subset in ("dev", "held-out", "all"):
            s = scores[subset]
            if not s.expected and not s.proposed:
                continue
            line = (
                f"{label:28} {subset:8} expected {s.expected:4} proposed {s.proposed:4} "
                f"correct {s.correct:4}  precision {s.precision:.3f}  recall {s.recall:.3f}"
            )
            if prefix == "communique":
                line += f"  place {s.place_right}/{s.files}  year {s.year_right}/{s.files}"
            print(line)
        if not args.quiet:
            for miss in scores["all"].misses:
                print("   ", miss)


if __name__ == "__main__":
    main()
