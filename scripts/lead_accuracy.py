"""Accuracy of the suggested lead department (牵头单位) of drafted tasks on a hand-checked
sample (scripts/data/lead_sample.csv: every draft of two bundled plans, each with the department
that should lead it and, where another is defensible, the others that are also right):

- `dev`: the 112 drafts of the 川南 plan, read while the function terms were written (the
  figure on them is optimistic);
- `held-out`: the 93 drafts of the 攀西 plan, checked by hand after the terms were frozen and
  not used to change them.

Compares the new method (the clause matched against each department's functions,
`tasks.leads`) with the old one (the first keyword of `tasks/data/lead_departments.csv` found in
the chapter, then the section title). Reads the plans from the database: run
`planwatch setup` first (it ingests the bundled plans).

Run: `.venv/bin/python scripts/lead_accuracy.py [--misses]`.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planwatch.settings")

import django  # noqa: E402

django.setup()

from planwatch.plans.models import Node, Plan  # noqa: E402
from planwatch.tasks.leads import DEFAULT_LEAD, MIN_SCORE, clause_text, score_departments  # noqa: E402
from planwatch.tasks.suggest import clause_subjects, lead_mapping  # noqa: E402

SAMPLE = ROOT / "scripts" / "data" / "lead_sample.csv"


@dataclass(frozen=True)
class Checked:
    set: str
    plan: str
    key: str
    title: str
    lead: str
    also_right: tuple[str, ...]


def read_sample() -> list[Checked]:
    with SAMPLE.open(encoding="utf-8", newline="") as fh:
        return [
            Checked(
                r["set"],
                r["plan"],
                r["clause_key"],
                r["clause_title"],
                r["lead"],
                tuple(x for x in r["also_right"].split("、") if x),
            )
            for r in csv.DictReader(fh)
        ]


def old_method(node: Node, by_id: dict[int, Node]) -> str:
    for _label, title in clause_subjects(node, by_id):
        for keyword, dept in lead_mapping():
            if keyword in title:
                return dept
    return DEFAULT_LEAD


def new_method(node: Node, by_id: dict[int, Node]) -> str:
    ranked = score_departments(clause_text(node, by_id))
    if not ranked or ranked[0][0] < MIN_SCORE:
        return DEFAULT_LEAD
    best = [d.department for s, d, _w in ranked if s == ranked[0][0]]
    return DEFAULT_LEAD if DEFAULT_LEAD in best else best[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--misses", action="store_true", help="list the drafts each method got wrong"
    )
    args = parser.parse_args()
    sample = read_sample()
    trees: dict[str, dict[str, Node]] = {}
    by_ids: dict[str, dict[int, Node]] = {}
    for title in {c.plan for c in sample}:
        plan = Plan.objects.filter(title=title).first()
        if plan is None or plan.current_version is None:
            print(f"error: plan {title} is not in the database (run `planwatch setup`)")
            return 2
        nodes = list(plan.current_version.nodes.all())
        trees[title] = {n.key: n for n in nodes}
        by_ids[title] = {n.pk: n for n in nodes}
    misses: dict[str, list[tuple[Checked, str]]] = {"new": [], "old": []}
    tally: dict[tuple[str, str], list[int]] = {}
    for c in sample:
        node = trees[c.plan].get(c.key)
        if node is None:
            print(f"error: {c.plan} has no clause {c.key}")
            return 2
        for name, method in (("new", new_method), ("old", old_method)):
            got = method(node, by_ids[c.plan])
            for part in (c.set, "all"):
                counts = tally.setdefault((name, part), [0, 0, 0])
                counts[0] += 1
                counts[1] += got == c.lead
                counts[2] += got == c.lead or got in c.also_right
            if got != c.lead and got not in c.also_right:
                misses[name].append((c, got))
    print(f"lead department suggestions on hand-checked drafts ({SAMPLE.relative_to(ROOT)})")
    methods = (("new", "new: clause vs. 三定 functions"), ("old", "old: chapter-title keywords"))
    for part in ("held-out", "dev", "all"):
        for name, label in methods:
            n, exact, lenient = tally.get((name, part), [0, 0, 0])
            if n:
                print(
                    f"  {part:8} {label:32} exact {exact}/{n} = {exact / n:.1%}   "
                    f"exact or also-right {lenient}/{n} = {lenient / n:.1%}"
                )
    if args.misses:
        for name, _label in methods:
            print(f"\nmisses of the {name} method (neither the lead nor an also-right):")
            for c, got in misses[name]:
                print(f"  {c.set:8} {c.key:14} {c.title[:24]:24}  got {got}, expected {c.lead}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
