"""Unit names as a notice writes them → organisation units.

In order: a mapping a planner made before (`UnitMapping`), a unit's own name or short name
or one of its aliases (宜宾市人民政府 → 宜宾市: orgunits aliases, as the list import reads
them), then the names that stand for a group by themselves (「各市（州）人民政府」). Anything
else is unknown and shown to the planner to map once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from planwatch.notices.choices import UnitGroup
from planwatch.notices.models import UnitMapping
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.tasks.xlsx import UnitResolver

# Names that stand for a group without being mapped.
BUILT_IN_GROUPS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^各市[（(]?州[）)]?(?:人民)?(?:政府)?$"), UnitGroup.PREFECTURES),
    (
        re.compile(
            r"^各(?:县[（(]市、?区[）)]|县市区|县[（(]区[）)]|区县|县区)(?:人民)?(?:政府)?$"
        ),
        UnitGroup.COUNTIES,
    ),
    (re.compile(r"^省直(?:各|有关|相关)?部门$|^省级(?:各|有关)部门$"), UnitGroup.DEPARTMENTS),
]

Status = Literal["unit", "group", "mapped", "ambiguous", "unknown"]


@dataclass
class Resolution:
    name: str
    status: Status
    units: list[OrgUnit] = field(default_factory=list)
    group: str = ""

    @property
    def resolved(self) -> bool:
        return self.status in ("unit", "group", "mapped") and bool(self.units)


class NoticeUnits:
    """Resolves a notice's names for one plan (a group of counties is the plan's own)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.by_name = UnitResolver().by_name
        self.mappings = {m.name: m for m in UnitMapping.objects.select_related("org_unit")}
        self._cache: dict[str, Resolution] = {}

    def resolve(self, name: str) -> Resolution:
        if name not in self._cache:
            self._cache[name] = self._resolve(name)
        return self._cache[name]

    def _resolve(self, name: str) -> Resolution:
        mapping = self.mappings.get(name)
        if mapping is not None:
            if mapping.org_unit is not None:
                return Resolution(name, "mapped", [mapping.org_unit])
            return Resolution(name, "mapped", self.group_units(mapping.group), mapping.group)
        matches = self.by_name.get(name, [])
        if len(matches) == 1:
            return Resolution(name, "unit", matches)
        if matches:
            return Resolution(name, "ambiguous", matches)
        for pattern, group in BUILT_IN_GROUPS:
            if pattern.match(name):
                return Resolution(name, "group", self.group_units(group), group)
        return Resolution(name, "unknown")

    def group_units(self, group: str) -> list[OrgUnit]:
        units = OrgUnit.objects.filter(is_active=True).order_by("path")
        if group == UnitGroup.PREFECTURES:
            return list(units.filter(kind=OrgUnitKind.PREFECTURE))
        if group == UnitGroup.DEPARTMENTS:
            return list(units.filter(kind=OrgUnitKind.DEPARTMENT))
        counties = units.filter(kind=OrgUnitKind.COUNTY)
        owner = self.plan.org_unit
        if owner is not None and owner.kind in (OrgUnitKind.PREFECTURE, OrgUnitKind.COUNTY):
            counties = counties.filter(path__startswith=owner.path)
        return list(counties)
