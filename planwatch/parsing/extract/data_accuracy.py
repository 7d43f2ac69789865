"""Precision and recall of the communiqué and project-list extractors against the
hand-checked fixtures (``tests/fixtures/extract/communique-*.expected.json`` and
``projects-*.expected.json``). Used by the tests and by ``scripts/extract_accuracy_data.py``.

An observation counts as found when its indicator, kind (level or growth) and value (in the
indicator's unit) match an expected one; a project when its name matches (normalised) and
its total investment (万元) matches too."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planwatch.parsing.errors import ParseError
from planwatch.parsing.extract import observations, projects


@dataclass
class Score:
    expected: int = 0
    proposed: int = 0
    correct: int = 0
    misses: list[str] = field(default_factory=list)
    # Communiqués: how many files had their issuing place and year found as expected.
    files: int = 0
    place_right: int = 0
    year_right: int = 0

    def add(self, other: Score) -> None:
        self.expected += other.expected
        self.proposed += other.proposed
        self.correct += other.correct
        self.misses += other.misses
        self.files += other.files
        self.place_right += other.place_right
        self.year_right += other.year_right

    @property
    def precision(self) -> float:
        return self.correct / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 1.0


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def score_observations(path: Path, expected: dict[str, Any]) -> Score:
    try:
        result = observations.extract(path)
    except ParseError:
        result = {"items": [], "place": None, "year": None}
    items = result["items"]
    wanted = [(e["indicator"], e["kind"], e["value"]) for e in expected["items"]]
    score = Score(expected=len(wanted), proposed=len(items), files=1)
    place = result["place"]["name"] if result["place"] else None
    score.place_right = int(place == expected["place"])
    score.year_right = int(result["year"] == expected["year"])
    if not score.place_right:
        score.misses.append(f"{path.name}: place {place}, expected {expected['place']}")
    for item in items:
        hit = next(
            (
                w
                for w in wanted
                if w[0] == item["indicator"]
                and w[1] == item["kind"]
                and _close(item["value"], w[2])
            ),
            None,
        )
        if hit is not None:
            wanted.remove(hit)
            score.correct += 1
        else:
            score.misses.append(
                f"{path.name}: extra {item['indicator']} {item['kind']} {item['value']}"
            )
    score.misses += [f"{path.name}: missed {w[0]} {w[1]} {w[2]}" for w in wanted]
    return score


def score_projects(path: Path, expected: dict[str, Any]) -> Score:
    try:
        items = projects.extract(path)["items"]
    except ParseError:
        items = []
    wanted = [(projects.name_key(e["name"]), e["total_investment"]) for e in expected["items"]]
    score = Score(expected=len(wanted), proposed=len(items))
    for item in items:
        key = (item["key"], item["total_investment"])
        hit = next((w for w in wanted if w[0] == key[0] and _close(key[1], w[1])), None)
        if hit is not None:
            wanted.remove(hit)
            score.correct += 1
        else:
            score.misses.append(f"{path.name}: extra {item['name']} {item['total_investment']}")
    score.misses += [f"{path.name}: missed {w[0]} {w[1]}" for w in wanted]
    return score


def measure(directory: Path, prefix: str) -> dict[str, Score]:
    """Scores by set ("dev", "held-out", "all") over the fixtures named `prefix`-*."""
    scorer = score_observations if prefix == "communique" else score_projects
    totals = {"dev": Score(), "held-out": Score(), "all": Score()}
    for expected_path in sorted(directory.glob(f"{prefix}-*.expected.json")):
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        score = scorer(directory / expected["file"], expected)
        totals[expected["set"]].add(score)
        totals["all"].add(score)
    return totals
