"""Matching what a document proposes to what the system holds: a communiqué's indicators to
the plan's confirmed indicators (by canonical name and kind), its place to an organisation
unit; a project list's rows to the projects already drafted for the plan (by normalised
name) and its 建设地点 to organisation units."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from planwatch.indicators.choices import IndicatorStatus, Kind
from planwatch.indicators.drafting import SYNONYMS
from planwatch.indicators.models import Indicator
from planwatch.orgunits.models import OrgUnit, OrgUnitAlias
from planwatch.parsing.extract.observations import clean, find_name
from planwatch.parsing.extract.projects import name_key
from planwatch.plans.models import Plan
from planwatch.projects.choices import ProjectStatus
from planwatch.projects.models import Project

_GROWTH = re.compile(r"(?:年均)?(?:增速|增长率?|增幅)$")
_BRACKETS = re.compile(r"\([^)]*\)")


def indicator_signature(indicator: Indicator) -> tuple[str, bool] | None:
    """(canonical name, is a growth rate) of a plan's indicator, or None when its name is
    not one a communiqué states (「地区生产总值」, 「地区生产总值增速」, 「经济总量」)."""
    name = _BRACKETS.sub("", clean(indicator.name)).strip()
    growth = indicator.kind == Kind.GROWTH or bool(_GROWTH.search(name))
    base = SYNONYMS.get(_GROWTH.sub("", name), _GROWTH.sub("", name))
    named = find_name(base)
    if named is None or named.written != base:
        return None
    return named.canonical, growth


def plan_indicators(plan: Plan) -> list[Indicator]:
    return list(
        Indicator.objects.filter(plan=plan, status=IndicatorStatus.CONFIRMED).order_by("name")
    )


def match_indicators(items: list[dict[str, Any]], indicators: list[Indicator]) -> list[int | None]:
    """For each proposed observation, the id of the plan's indicator it fills, if any."""
    by_signature: dict[tuple[str, bool], int] = {}
    for indicator in indicators:
        signature = indicator_signature(indicator)
        if signature is not None:
            by_signature.setdefault(signature, indicator.pk)
    return [by_signature.get((i["indicator"], i["kind"] == "growth")) for i in items]


def unit_for_place(place: dict[str, Any] | None) -> OrgUnit | None:
    """The organisation unit of a communiqué's issuing place: by adcode, else by name,
    short name or alias when exactly one unit has it."""
    if not place:
        return None
    if place.get("adcode"):
        unit = OrgUnit.objects.filter(adcode=place["adcode"]).first()
        if unit is not None:
            return unit
    name = place.get("name") or ""
    units = list(OrgUnit.objects.filter(name=name)) or list(OrgUnit.objects.filter(short_name=name))
    if not units:
        ids = OrgUnitAlias.objects.filter(name=name).values_list("org_unit_id", flat=True)
        units = list(OrgUnit.objects.filter(pk__in=ids))
    return units[0] if len(units) == 1 else None


@dataclass
class ProjectMatch:
    """The plan's projects a proposed row may be: the same normalised name (`exact`), or one
    name containing the other (a 「(四川段)」 added)."""

    exact: list[Project] = field(default_factory=list)
    similar: list[Project] = field(default_factory=list)

    @property
    def best(self) -> Project | None:
        candidates = self.exact or self.similar
        return candidates[0] if candidates else None


def match_projects(items: list[dict[str, Any]], plan: Plan) -> list[ProjectMatch]:
    existing = [
        (name_key(p.name), p)
        for p in Project.objects.filter(plan=plan).exclude(status=ProjectStatus.DISCARDED)
    ]
    matches: list[ProjectMatch] = []
    for item in items:
        key = item["key"]
        match = ProjectMatch()
        for other, project in existing:
            if other == key:
                match.exact.append(project)
            elif min(len(other), len(key)) >= 6 and (other in key or key in other):
                match.similar.append(project)
        matches.append(match)
    return matches


def units_for_places(places: list[dict[str, Any]]) -> list[OrgUnit]:
    codes = [p["adcode"] for p in places if p.get("adcode")]
    return list(OrgUnit.objects.filter(adcode__in=codes).order_by("sort_order", "code"))
