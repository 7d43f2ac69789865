"""Which organisation units a piece of plan text names, by the parser's own matcher over
the gazetteer (one matcher, one list of names: the same counts as the parse output)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import cache

from planwatch.parsing.gazetteer import load_gazetteer
from planwatch.parsing.places import find_place_mentions

ZONE_PREFIX = "zone:"


@cache
def _zone_codes() -> dict[str, str]:
    """Zone name → OrgUnit code ("zone:<code>")."""
    return {z.name: f"{ZONE_PREFIX}{z.code}" for z in load_gazetteer().zones()}


def unit_code_counts(texts: Iterable[str]) -> Counter[str]:
    """How often the texts name each organisation unit, keyed by OrgUnit.code: the adcode
    of a division, "zone:<code>" of an economic zone. A composite abbreviation (成德眉资)
    counts for each member; places outside the tree (regions, other provinces) are left out
    by the caller, who knows which codes exist."""
    zones = _zone_codes()
    counts: Counter[str] = Counter()
    for text in texts:
        if not text:
            continue
        for mention in find_place_mentions(text):
            key = mention.key
            code = key.adcode if key.adcode else zones.get(key.name)
            if code:
                counts[code] += 1
    return counts


def first_span(text: str, code: str) -> tuple[int, int] | None:
    """Where `text` first names the unit `code` (as in `unit_code_counts`), as (start, end)
    of the name — for a composite such as 成自宜 the whole abbreviation."""
    zones = _zone_codes()
    for mention in find_place_mentions(text):
        key = mention.key
        if (key.adcode or zones.get(key.name)) == code:
            return mention.start, mention.end
    return None
