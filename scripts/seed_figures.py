"""Print the structure figures of the bundled five-plan file (or of FILE): per plan the counts
of chapters, sections, provisions, boxes, box items, figures, project names, plus the warnings
and the parse time. `tests/parsing/test_seed.py` asserts the same figures.

Run: `.venv/bin/python scripts/seed_figures.py [FILE]`.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planwatch.parsing import parse_file  # noqa: E402
from planwatch.parsing.model import Node  # noqa: E402

BUNDLED = ROOT / "data" / "plans" / "sichuan-2021-five-regional-plans.txt"
KINDS = ("chapter", "section", "provision", "paragraph", "box", "box_item", "figure")


def walk(nodes: list[Node]) -> Iterator[Node]:
    for node in nodes:
        yield node
        yield from walk(node.children)


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else BUNDLED
    start = time.perf_counter()
    result = parse_file(path)
    seconds = time.perf_counter() - start
    source = result.source
    print(
        f"{source.name}: {source.format}, {source.chars:,} chars, {source.pages} pages, "
        f"parsed in {seconds * 1000:.0f} ms (extractors included)"
    )
    totals: Counter[str] = Counter()
    for plan in result.plans:
        counts: Counter[str] = Counter(node.kind for node in walk(plan.nodes))
        projects = sum(len(node.projects or []) for node in walk(plan.nodes))
        totals.update(counts)
        totals["projects"] += projects
        figures = " ".join(f"{kind}={counts[kind]}" for kind in KINDS)
        print(f"  {plan.title} (line {plan.line}, p.{plan.page}): {figures} projects={projects}")
    print("  total: " + " ".join(f"{kind}={totals[kind]}" for kind in (*KINDS, "projects")))
    for warning in result.warnings:
        print(f"  warning {warning.code} (line {warning.line}): {warning.message}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
