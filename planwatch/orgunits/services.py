"""Writing organisation units: loading the reference tree (四川省 → zones → prefectures →
counties from the parser's gazetteer files, and the provincial departments from
``data/departments.csv``). Idempotent: a second run changes nothing and records nothing."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from planwatch.audit.services import audit_record
from planwatch.core.types import Actor
from planwatch.orgunits.aliases import sync_aliases
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit, OrgUnitAlias
from planwatch.orgunits.places import ZONE_PREFIX
from planwatch.parsing.gazetteer import SICHUAN, Gazetteer, Unit, load_gazetteer

DEPARTMENTS_CSV = Path(__file__).parent / "data" / "departments.csv"
DEPARTMENT_PREFIX = "dept:"
_FIELDS = ("name", "short_name", "kind", "adcode", "sort_order", "former_names", "is_active")


@dataclass(frozen=True)
class UnitSpec:
    """One unit as the reference files describe it."""

    code: str
    name: str
    short_name: str
    kind: str
    adcode: str | None
    parent_code: str | None
    sort_order: int
    former_names: str = ""


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    deactivated: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deactivated)


def _division(unit: Unit, kind: str, parent_code: str, order: int) -> UnitSpec:
    former = "、".join(name for name, _code in unit.former_names if name != unit.name)
    return UnitSpec(
        code=unit.adcode,
        name=unit.name,
        short_name=unit.short_name,
        kind=kind,
        adcode=unit.adcode,
        parent_code=parent_code,
        sort_order=order,
        former_names=former,
    )


def reference_specs(gaz: Gazetteer | None = None) -> list[UnitSpec]:
    """The whole reference tree, parents before children, in display order: the province,
    each zone followed by its prefectures (in the zone file's order) and their counties (in
    adcode order), then the departments (in the file's order, 省发展改革委 first)."""
    gaz = gaz or load_gazetteer()
    province = gaz.province
    specs = [
        UnitSpec(
            province.adcode,
            province.name,
            province.short_name,
            OrgUnitKind.PROVINCE,
            province.adcode,
            None,
            0,
        )
    ]
    placed: set[str] = set()
    prefectures = {u.adcode: u for u in gaz.prefectures()}
    for zone in gaz.zones():
        zone_code = f"{ZONE_PREFIX}{zone.code}"
        short = zone.aliases[0] if zone.aliases else ""
        specs.append(
            UnitSpec(zone_code, zone.name, short, OrgUnitKind.ZONE, None, SICHUAN, len(specs))
        )
        for adcode in zone.members:
            if adcode in prefectures and adcode not in placed:
                placed.add(adcode)
                specs.extend(_prefecture_specs(gaz, prefectures[adcode], zone_code, len(specs)))
    for adcode, unit in prefectures.items():  # a prefecture in no zone hangs off the province
        if adcode not in placed:
            specs.extend(_prefecture_specs(gaz, unit, SICHUAN, len(specs)))
    specs.extend(department_specs(start=len(specs)))
    return specs


def _prefecture_specs(gaz: Gazetteer, unit: Unit, parent_code: str, start: int) -> list[UnitSpec]:
    out = [_division(unit, OrgUnitKind.PREFECTURE, parent_code, start)]
    for county in gaz.counties(unit.adcode):
        out.append(_division(county, OrgUnitKind.COUNTY, unit.adcode, start + len(out)))
    return out


def department_specs(*, start: int = 0, path: Path = DEPARTMENTS_CSV) -> list[UnitSpec]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [
        UnitSpec(
            code=f"{DEPARTMENT_PREFIX}{row['slug']}",
            name=row["name"],
            short_name=row["short_name"],
            kind=OrgUnitKind.DEPARTMENT,
            adcode=None,
            parent_code=SICHUAN,
            sort_order=start + i,
        )
        for i, row in enumerate(rows)
    ]


def orgunits_load_reference(*, actor: Actor = None) -> LoadResult:
    """Create or update every reference unit so the table matches the files; units no longer
    in the files are deactivated, never deleted (roles and tasks may point at them). One
    audit event when anything changed."""
    specs = reference_specs()
    result = LoadResult()
    with transaction.atomic():
        existing = {u.code: u for u in OrgUnit.objects.select_for_update()}
        paths: dict[str, str] = {}
        for spec in specs:
            parent = existing.get(spec.parent_code) if spec.parent_code else None
            path = f"{paths[spec.parent_code] if spec.parent_code else '/'}{spec.code}/"
            paths[spec.code] = path
            existing[spec.code] = _upsert(spec, parent, path, existing.get(spec.code), result)
        wanted = {s.code for s in specs}
        stale = [u.pk for code, u in existing.items() if code not in wanted and u.is_active]
        result.deactivated = OrgUnit.objects.filter(pk__in=stale).update(is_active=False)
        # Aliases are derived data (no audit event of their own).
        sync_aliases(OrgUnit, OrgUnitAlias)
        if result.changed:
            audit_record(
                actor=actor,
                action="orgunit.load_reference",
                target_type="orgunit",
                target_label="reference data",
                new={
                    "created": result.created,
                    "updated": result.updated,
                    "deactivated": result.deactivated,
                    "total": len(specs),
                },
            )
    return result


def _upsert(
    spec: UnitSpec, parent: OrgUnit | None, path: str, unit: OrgUnit | None, result: LoadResult
) -> OrgUnit:
    values: dict[str, Any] = {
        "name": spec.name,
        "short_name": spec.short_name,
        "kind": spec.kind,
        "adcode": spec.adcode,
        "sort_order": spec.sort_order,
        "former_names": spec.former_names,
        "is_active": True,
    }
    if unit is None:
        result.created += 1
        return OrgUnit.objects.create(code=spec.code, parent=parent, path=path, **values)
    changed = [f for f in _FIELDS if getattr(unit, f) != values[f]]
    if unit.parent_id != (parent.pk if parent else None) or unit.path != path:
        changed += ["parent", "path"]
        unit.parent, unit.path = parent, path
    if changed:
        for f in _FIELDS:
            setattr(unit, f, values[f])
        unit.save(update_fields=sorted(set(changed)))
        result.updated += 1
    return unit


# Fields an administrator may edit by hand; names, codes and the tree come from the files.
EDITABLE_FIELDS = ("short_name", "former_names", "sort_order", "is_active")


def orgunit_update(*, unit: OrgUnit, actor: Actor, **changes: Any) -> OrgUnit:
    """Change the hand-editable fields of a unit (short name, former names, order, active),
    with one audit event holding the values before and after. Other fields are refused:
    they are reference data and change only by reloading the files."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable by hand: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = OrgUnit.objects.select_for_update().get(pk=unit.pk)
        old = {f: getattr(locked, f) for f in changes if getattr(locked, f) != changes[f]}
        if not old:
            return locked
        for field_name in old:
            setattr(locked, field_name, changes[field_name])
        locked.save(update_fields=sorted(old))
        audit_record(
            actor=actor,
            action="orgunit.update",
            target_type="orgunit",
            target_id=locked.pk,
            target_label=locked.name,
            old=old,
            new={f: changes[f] for f in old},
        )
    return locked
