"""The suggested lead department (牵头单位) of a drafted task, from what the clause says.

Each provincial department is described by its functions (its 三定 responsibilities, in
`data/department_functions.csv`) and a list of the words those functions are written in.
The clause — its title, its text and the 专栏 or section it stands in — is cut into words
with the project's segmenter (rjieba, as the search index; see `search.segment`), and every
department scores the words of its functions found there:

- a word in the clause's own title counts 3, in its text 1, in the title of its 专栏 or
  section 1, in its chapter title 0.5 (the chapter says the subject, the clause says the
  work: 医疗卫生 under 公共服务 is 卫生健康委's, not 发展改革委's);
- a word counts at most three times, and a word listed for several departments is shared
  among them (its weight divided by their number);
- the best score wins; below `MIN_SCORE`, or on a tie with it, 省发展改革委 (which draws up
  the list and coordinates what no single department owns).

The reason is stored on the task and shown to the planner, who corrects the lead unit where
it is wrong. Measured on a hand-checked sample: `scripts/lead_accuracy.py`."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.db.models import Q
from django.utils.translation import gettext as _

from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.choices import NodeKind
from planwatch.plans.models import Node
from planwatch.search.segment import Segmenter

FUNCTIONS_FILE = Path(__file__).parent / "data" / "department_functions.csv"
DEFAULT_LEAD = "省发展改革委"
MIN_SCORE = 1.0
MAX_COUNT = 3
WEIGHTS = {"title": 3.0, "text": 1.0, "context": 1.0, "chapter": 0.5}
SHOWN_WORDS = 4


@dataclass(frozen=True)
class DepartmentFunctions:
    """One department as the functions file describes it."""

    department: str
    functions: str
    terms: tuple[str, ...]


@lru_cache(maxsize=1)
def department_functions() -> tuple[DepartmentFunctions, ...]:
    with FUNCTIONS_FILE.open(encoding="utf-8", newline="") as fh:
        return tuple(
            DepartmentFunctions(
                row["department"].strip(),
                row["functions"].strip(),
                tuple(t.strip() for t in row["terms"].split("、") if t.strip()),
            )
            for row in csv.DictReader(fh)
            if row["department"].strip()
        )


@dataclass(frozen=True)
class LeadSuggestion:
    unit: OrgUnit | None
    reason: str


@dataclass(frozen=True)
class ClauseText:
    """The parts of a clause that are matched, by weight class (see WEIGHTS)."""

    title: str
    text: str
    context: str
    chapter: str


def clause_text(node: Node, by_id: dict[int, Node]) -> ClauseText:
    """The clause's title and text, the title of its 专栏 or section, its chapter title."""
    context: list[str] = []
    chapter = ""
    current = by_id.get(node.parent_id) if node.parent_id else None
    while current is not None:
        if current.kind in (NodeKind.BOX, NodeKind.SECTION) and not context:
            context.append(current.title)
        elif current.kind == NodeKind.CHAPTER and not chapter:
            chapter = current.title
        current = by_id.get(current.parent_id) if current.parent_id else None
    return ClauseText(node.title, node.text, " ".join(context), chapter)


@lru_cache(maxsize=1)
def _segmenter() -> Segmenter:
    return Segmenter(t for d in department_functions() for t in d.terms)


def score_departments(
    clause: ClauseText, table: Sequence[DepartmentFunctions] | None = None
) -> list[tuple[float, DepartmentFunctions, list[str]]]:
    """(score, department, the words that matched, strongest first) for every department
    with a match, best first; departments in file order on equal scores."""
    table = tuple(table if table is not None else department_functions())
    sharing = Counter(t for d in table for t in set(d.terms))
    seg = _segmenter()
    counts: dict[str, Counter[str]] = {
        part: Counter(seg.cut_for_search(getattr(clause, part))) for part in WEIGHTS
    }
    scored = []
    for order, dept in enumerate(table):
        found: dict[str, float] = {}
        for term in dict.fromkeys(dept.terms):
            weight = sum(WEIGHTS[part] * min(counts[part][term], MAX_COUNT) for part in WEIGHTS)
            if weight:
                found[term] = weight / sharing[term]
        if found:
            words = sorted(found, key=lambda t: -found[t])
            scored.append((sum(found.values()), order, dept, words))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [(score, dept, words) for score, _order, dept, words in scored]


class FunctionLeadSuggester:
    """Suggests a lead department from the clause text matched against the departments'
    functions; resolves department names to OrgUnits once per drafting run."""

    def __init__(self, table: Iterable[DepartmentFunctions] | None = None) -> None:
        self.table = tuple(table if table is not None else department_functions())
        names = {d.department for d in self.table} | {DEFAULT_LEAD}
        units = OrgUnit.objects.filter(kind=OrgUnitKind.DEPARTMENT, is_active=True).filter(
            Q(name__in=names) | Q(short_name__in=names)
        )
        self.departments = {n: u for u in units for n in (u.name, u.short_name) if n in names}
        self.known = tuple(d for d in self.table if d.department in self.departments)

    def suggest(self, clause: ClauseText) -> LeadSuggestion:
        ranked = score_departments(clause, self.known)
        if not ranked or ranked[0][0] < MIN_SCORE:
            default = self.departments.get(DEFAULT_LEAD)
            reason = _("未明显对应某一部门的职能，默认由%(dept)s牵头") % {"dept": DEFAULT_LEAD}
            return LeadSuggestion(default, reason)
        # On a tie with 省发展改革委, the coordinating department keeps the task.
        tied = [r for r in ranked if r[0] == ranked[0][0]]
        _score, dept, words = next((r for r in tied if r[1].department == DEFAULT_LEAD), tied[0])
        reason = _("依据%(words)s等词，对应%(dept)s职能“%(function)s”") % {
            "words": "".join(f"“{w}”" for w in words[:SHOWN_WORDS]),
            "dept": dept.department,
            "function": _function_matched(dept, words),
        }
        return LeadSuggestion(self.departments[dept.department], _cut(reason))

    def suggest_for(self, node: Node, by_id: dict[int, Node]) -> LeadSuggestion:
        return self.suggest(clause_text(node, by_id))


def _function_matched(dept: DepartmentFunctions, words: Sequence[str]) -> str:
    """The responsibility of the department (its functions are ；-separated) that the matched
    words speak of most: by the words it contains, else by the two-character pieces it
    shares with them; the first on a tie."""
    parts = [p.strip() for p in dept.functions.split("；") if p.strip()]
    pieces = {w[i : i + 2] for w in words for i in range(len(w) - 1)}

    def weight(part: str) -> tuple[int, int]:
        return (
            sum(len(w) for w in words if w in part),
            sum(1 for piece in pieces if piece in part),
        )

    return max(parts, key=weight) if parts else ""


def _cut(text: str, limit: int = 255) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
