"""Precision and recall of the numeric targets found, against a hand-checked sample.

The sample is a CSV (`file,line,indicator,value,unit,comparator,year,set`, one row per target
statement; an empty comparator is null) listing every numeric target of the files it covers
(tests/parsing/fixtures/targets-sample.csv). `set` is `dev` for the files looked at while the
rules were written, `held-out` for files written and labelled after the rules were frozen.
Per file the found targets are compared with its rows, one to one:

- **located**: same line, value and unit (the target was found, and where);
- **exact**: located, and the same indicator phrase, comparator and year.

Files under `data/plans/` are scored on their action targets only (their goal sections are
covered by tests of their own); other files on all their numeric targets."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from planwatch.parsing.model import Plan, Quantity


@dataclass(frozen=True)
class Row:
    """One target statement: expected (from the sample) or found (from the parser)."""

    file: str
    line: int
    indicator: str
    value: float
    unit: str
    comparator: str
    year: int | None
    set: str = ""

    def located(self) -> tuple[str, int, float, str]:
        return (self.file, self.line, round(self.value, 6), self.unit)

    def exact(self) -> tuple[object, ...]:
        return (*self.located(), self.indicator, self.comparator, self.year)


@dataclass(frozen=True)
class Score:
    expected: int
    found: int
    located: int
    exact: int

    @property
    def precision(self) -> float:
        return self.located / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.located / self.expected if self.expected else 0.0

    @property
    def exact_precision(self) -> float:
        return self.exact / self.found if self.found else 0.0

    @property
    def exact_recall(self) -> float:
        return self.exact / self.expected if self.expected else 0.0


def read_sample(path: Path) -> list[Row]:
    """The hand-checked rows of a sample CSV."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Row(
                r["file"],
                int(r["line"]),
                r["indicator"],
                float(r["value"]),
                r["unit"],
                r["comparator"],
                int(r["year"]) if r["year"] else None,
                r.get("set") or "",
            )
            for r in csv.DictReader(handle)
        ]


def found_rows(file: str, plans: Iterable[Plan]) -> list[Row]:
    """The numeric targets the parser found in `file` (see the module docstring for scope)."""
    action_only = file.startswith("data/plans/")
    out: list[Row] = []
    for plan in plans:
        quantities: list[Quantity] = plan.action_targets + ([] if action_only else plan.targets)
        out += [_row(file, q) for q in quantities if q.value is not None]
    return out


def _row(file: str, q: Quantity) -> Row:
    assert q.value is not None
    return Row(file, q.line, q.indicator, q.value, q.unit or "", q.comparator or "", q.year)


def score(expected: list[Row], found: list[Row]) -> tuple[Score, list[Row], list[Row]]:
    """The score, the found rows matching no expected one (false positives), and the
    expected rows no found one matched (misses); matching is one to one."""
    pool: dict[tuple[str, int, float, str], list[Row]] = {}
    for row in expected:
        pool.setdefault(row.located(), []).append(row)
    located = exact = 0
    extra: list[Row] = []
    for row in found:
        candidates = pool.get(row.located())
        if not candidates:
            extra.append(row)
            continue
        same = next((c for c in candidates if c.exact() == row.exact()), candidates[0])
        candidates.remove(same)
        located += 1
        exact += same.exact() == row.exact()
    missed = [row for rows in pool.values() for row in rows]
    return Score(len(expected), len(found), located, exact), extra, missed
