"""Measured fidelity of the extractors on hand-checked fixtures.

`FIXTURES` is the registry: one row per fixture — (kind, document, expected JSON, set), paths
relative to the repository; `set` is "real" for excerpts of published notices and
"synthetic" for documents written to exercise a shape. A kind's rows are scored by the
function named in `SCORERS` ("module:function", taking (found, expected) dicts and returning
a `Tally`). `scripts/extract_accuracy.py` prints the figures; the tests fail below the ones
reached. To add a kind: add its rows and its scorer."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from planwatch.parsing.errors import ParseError

_T = "tests/fixtures/extract/tasks/"


def _row(kind: str, folder: str, stem: str, suffix: str, subset: str) -> tuple[str, str, str, str]:
    """A registry row for `folder/stem.suffix` checked by `folder/stem.expected.json`."""
    return (kind, f"{folder}{stem}.{suffix}", f"{folder}{stem}.expected.json", subset)


FIXTURES: list[tuple[str, str, str, str]] = [
    _row("tasks", _T, "lishan-2023", "txt", "real"),
    _row("tasks", _T, "chuzhou-2020", "txt", "real"),
    _row("tasks", _T, "xianan-2023", "txt", "real"),
    _row("tasks", _T, "yuzhong-2023", "txt", "real"),
    _row("tasks", _T, "caidian-2023", "txt", "real"),
    _row("tasks", _T, "xialuqu-2023", "txt", "real"),
    _row("tasks", _T, "wuhu-2020", "txt", "real"),
    _row("tasks", _T, "chuzhou-2024", "txt", "real"),
    _row("tasks", _T, "xianyang-2022-traditional", "txt", "real"),
    _row("tasks", _T, "qingdao-2023-traditional", "txt", "real"),
    _row("tasks", _T, "yibin-2025-synthetic", "txt", "synthetic"),
]

SCORERS: dict[str, str] = {
    "tasks": "planwatch.parsing.extract.accuracy:score_tasks",
}


@dataclass
class Tally:
    """Counts for precision and recall: `found` proposed, `expected` in the fixture, `correct`
    proposed and right in every checked field."""

    found: int = 0
    expected: int = 0
    correct: int = 0

    def add(self, other: Tally) -> None:
        self.found += other.found
        self.expected += other.expected
        self.correct += other.correct

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 0.0


Scorer = Callable[[dict[str, Any], dict[str, Any]], Tally]


def scorer(kind: str) -> Scorer:
    module, _, name = SCORERS[kind].partition(":")
    return cast(Scorer, getattr(importlib.import_module(module), name))


def measure(root: Path, kind: str, subset: str | None = None) -> dict[str, Tally]:
    """The tally of each fixture of `kind` (of the `subset` set, when given)."""
    from planwatch.parsing.extract.cli import extractor

    extract = extractor(kind)
    tallies: dict[str, Tally] = {}
    for row_kind, document, expected_path, row_set in FIXTURES:
        if row_kind != kind or (subset is not None and row_set != subset):
            continue
        expected = json.loads((root / expected_path).read_text(encoding="utf-8"))
        try:
            found = extract(root / document)
        except ParseError:
            found = {"items": []}  # nothing recognised: every expected item is missed
        tallies[document] = scorer(kind)(found, expected)
    return tallies


def total(tallies: dict[str, Tally]) -> Tally:
    result = Tally()
    for tally in tallies.values():
        result.add(tally)
    return result


_TASK_FIELDS = ("lead_units", "responsible_units", "supporting_units")


def score_tasks(found: dict[str, Any], expected: dict[str, Any]) -> Tally:
    """A proposed task is correct when a hand-checked task starts on its line with the same
    lead, responsible and supporting units (as sets) and the same deadline as written."""
    want = {item["line"]: item for item in expected["items"]}
    correct = 0
    for item in found["items"]:
        checked = want.get(item["source"]["line"])
        if checked is None:
            continue
        deadline = item["deadline"]["text"] if item["deadline"] else None
        same_units = all(set(item[key]) == set(checked[key]) for key in _TASK_FIELDS)
        if same_units and deadline == checked.get("deadline"):
            correct += 1
    return Tally(found=len(found["items"]), expected=len(want), correct=correct)


def units_tally(found: dict[str, Any], expected: dict[str, Any]) -> Tally:
    """The same at the level of (task line, role, unit) triples."""

    def triples(items: list[dict[str, Any]], line: Callable[[dict[str, Any]], int]) -> set[Any]:
        return {(line(i), key, u) for i in items for key in _TASK_FIELDS for u in i[key]}

    got = triples(found["items"], lambda i: i["source"]["line"])
    want = triples(expected["items"], lambda i: i["line"])
    return Tally(found=len(got), expected=len(want), correct=len(got & want))
