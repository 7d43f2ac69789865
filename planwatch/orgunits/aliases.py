"""Other names of units, as people write them in lists: the full name of a division's
government (宜宾市人民政府, 宜宾市政府 for 宜宾市; 凉山州人民政府 for 凉山彝族自治州),
derived from the unit's names, and common abbreviations of departments (省发改委) from
``data/aliases.csv``. Kept in step with the reference data by `orgunits_load_reference`; an
administrator may add more in the admin. Read by the list import (tasks.xlsx)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from planwatch.orgunits.choices import OrgUnitKind

ALIASES_CSV = Path(__file__).parent / "data" / "aliases.csv"
GOVERNMENT_SUFFIXES = ("人民政府", "政府")
DIVISION_KINDS = (OrgUnitKind.PREFECTURE, OrgUnitKind.COUNTY)


def derived_aliases(name: str, short_name: str, kind: str) -> set[str]:
    """The names a division's government goes by: 宜宾市人民政府, 宜宾市政府, and for a name
    whose short form drops more than its last character, that form too (凉山州, 凉山州人民政府
    for 凉山彝族自治州). Nothing for other kinds of unit."""
    if kind not in DIVISION_KINDS or not name:
        return set()
    bases = {name}
    if short_name and name[-1] in "市州县区" and short_name + name[-1] != name:
        bases.add(short_name + name[-1])
    found = bases | {base + suffix for base in bases for suffix in GOVERNMENT_SUFFIXES}
    return found - {name, short_name}


def hand_aliases(path: Path = ALIASES_CSV) -> list[tuple[str, str]]:
    """(unit code, alias) pairs from the file."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [(r["code"].strip(), r["alias"].strip()) for r in csv.DictReader(fh) if r["alias"]]


def sync_aliases(unit_model: Any, alias_model: Any) -> int:
    """Add every derived and file alias that is missing (for the units present); returns how
    many were added. Takes the models so that a data migration can pass its historical ones."""
    units = list(unit_model.objects.filter(is_active=True))
    by_code = {u.code: u for u in units}
    wanted: set[tuple[int, str, bool]] = {
        (u.pk, alias, True)
        for u in units
        for alias in derived_aliases(u.name, u.short_name, u.kind)
    }
    wanted |= {
        (by_code[code].pk, alias, False) for code, alias in hand_aliases() if code in by_code
    }
    have = set(alias_model.objects.values_list("org_unit_id", "name"))
    new = [
        alias_model(org_unit_id=pk, name=alias, generated=generated)
        for pk, alias, generated in sorted(wanted)
        if (pk, alias) not in have
    ]
    alias_model.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)
