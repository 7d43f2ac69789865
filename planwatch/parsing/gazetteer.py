"""The gazetteer: Sichuan's administrative units, the five economic zones, the places outside
Sichuan and the named regions the plans mention, and the composite abbreviations (成德眉资, 内自,
万达开 …) that stand for several places at once.

The data lives in ``planwatch/parsing/data/*.csv`` (origin, licence and every correction are in
``data/README.md``); this module only reads it. The web app's organisation-unit table is loaded
from the same files, so they are the single source of truth for names and adcodes.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple, cast

from planwatch.parsing.model import PlaceLevel

DATA_DIR = Path(__file__).parent / "data"
SICHUAN = "510000"


class PlaceKey(NamedTuple):
    """What a mention points at: the name shown to users, the adcode when the place is an
    administrative unit (None for regions), and its level (parse contract, ``Place``)."""

    name: str
    adcode: str | None
    level: PlaceLevel


@dataclass(frozen=True)
class Unit:
    """An administrative division (province, prefecture or county level) with its official
    name and adcode. ``former_names`` holds (old name, old adcode) of renamed units."""

    adcode: str
    name: str
    short_name: str
    level: PlaceLevel
    type: str
    parent_adcode: str | None
    aliases: tuple[str, ...] = ()
    former_names: tuple[tuple[str, str], ...] = ()
    lng: float | None = None
    lat: float | None = None

    @property
    def in_sichuan(self) -> bool:
        return self.adcode[:2] == SICHUAN[:2]

    @property
    def display_name(self) -> str:
        """Short name for provinces and prefectures (宜宾, 凉山, as the contract's ``cities``);
        the full official name for counties (仁寿县), whose short names can be ambiguous."""
        return self.name if self.level == "county" else self.short_name

    @property
    def key(self) -> PlaceKey:
        return PlaceKey(self.display_name, self.adcode, self.level)


@dataclass(frozen=True)
class Region:
    """A named area that is not an administrative division: one of the five economic zones
    (a group of prefectures, ``is_zone``) or a region such as 成渝地区双城经济圈."""

    code: str
    name: str
    aliases: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    is_zone: bool = False
    note: str = ""

    @property
    def key(self) -> PlaceKey:
        return PlaceKey(self.name, None, "region")


@dataclass(frozen=True)
class Composite:
    """An abbreviation built from the first characters of several places (成德眉资 = 成都, 德阳,
    眉山, 资阳). A mention counts once for each member."""

    abbr: str
    members: tuple[PlaceKey, ...]
    kind: str
    note: str = ""


@dataclass
class Gazetteer:
    """All reference places, indexed by adcode, region code and name."""

    units: dict[str, Unit]
    regions: dict[str, Region]
    composites: dict[str, Composite]
    _by_name: dict[str, list[PlaceKey]] = field(default_factory=dict, repr=False)
    _former_codes: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for unit in self.units.values():
            for name in _unit_names(unit):
                self._index(name, unit.key)
            for old_name, old_code in unit.former_names:
                self._index(old_name, unit.key)
                if old_code != unit.adcode:
                    self._former_codes[old_code] = unit.adcode
        for region in self.regions.values():
            for name in (region.name, *region.aliases):
                self._index(name, region.key)

    def _index(self, name: str, key: PlaceKey) -> None:
        keys = self._by_name.setdefault(name, [])
        if key not in keys:
            keys.append(key)

    def unit(self, adcode: str) -> Unit | None:
        """The unit with this adcode; a former adcode (郫县 510124) gives the current unit."""
        code = self._former_codes.get(adcode, adcode)
        return self.units.get(code)

    def lookup(self, name: str) -> list[PlaceKey]:
        """Places called ``name`` (full, short, alias or former name; region names and
        aliases). More than one when the name is ambiguous (市中区 of 内江 and of 乐山)."""
        return list(self._by_name.get(name, []))

    def key_for(self, code: str) -> PlaceKey:
        """The PlaceKey of an adcode or a region code; KeyError when unknown."""
        unit = self.unit(code)
        if unit is not None:
            return unit.key
        return self.regions[code].key

    @property
    def province(self) -> Unit:
        return self.units[SICHUAN]

    def sichuan_units(self, level: PlaceLevel) -> list[Unit]:
        """Sichuan's units of one level, in adcode order."""
        return [u for u in self.units.values() if u.in_sichuan and u.level == level]

    def prefectures(self) -> list[Unit]:
        return self.sichuan_units("prefecture")

    def counties(self, parent_adcode: str | None = None) -> list[Unit]:
        """Sichuan's county-level units, optionally those of one prefecture."""
        units = self.sichuan_units("county")
        return [u for u in units if parent_adcode in (None, u.parent_adcode)]

    def zones(self) -> list[Region]:
        return [r for r in self.regions.values() if r.is_zone]

    def zone_named(self, text: str) -> Region | None:
        """The first zone whose full name occurs in ``text`` (e.g. a plan title)."""
        hits = [(text.find(z.name), z) for z in self.zones() if z.name in text]
        return min(hits, key=lambda hit: hit[0])[1] if hits else None

    def zone_of(self, adcode: str) -> Region | None:
        """The economic zone a Sichuan prefecture belongs to."""
        return next((z for z in self.zones() if adcode in z.members), None)


def _unit_names(unit: Unit) -> Iterator[str]:
    yield unit.name
    if len(unit.short_name) >= 2:
        yield unit.short_name
    yield from unit.aliases


def _split(value: str) -> tuple[str, ...]:
    return tuple(part for part in value.split(";") if part)


def _read(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _float(value: str) -> float | None:
    return float(value) if value else None


def _former(value: str) -> tuple[tuple[str, str], ...]:
    pairs = (item.split(":") for item in _split(value))
    return tuple((name, code) for name, code in pairs)


def _sichuan_unit(row: dict[str, str]) -> Unit:
    return Unit(
        adcode=row["adcode"],
        name=row["name"],
        short_name=row["short_name"],
        level=cast(PlaceLevel, row["level"]),
        type=row["type"],
        parent_adcode=row["parent_adcode"] or None,
        aliases=_split(row["aliases"]),
        former_names=_former(row["former_names"]),
        lng=_float(row["lng"]),
        lat=_float(row["lat"]),
    )


def _other_unit(row: dict[str, str]) -> Unit:
    short = _split(row["short_names"])
    return Unit(
        adcode=row["adcode"],
        name=row["name"],
        short_name=short[0] if short else row["name"],
        level=cast(PlaceLevel, row["level"]),
        type=row["note"],
        parent_adcode=row["parent_adcode"] or None,
        aliases=short[1:],
    )


def _region(row: dict[str, str]) -> Region:
    return Region(
        code=row["key"],
        name=row["name"],
        aliases=_split(row["short_names"]),
        members=_split(row["members"]),
        note=row["note"],
    )


def _zone(row: dict[str, str]) -> Region:
    return Region(
        code=row["code"],
        name=row["name"],
        aliases=_split(row["aliases"]),
        members=_split(row["members"]),
        is_zone=True,
    )


def _load_places() -> tuple[dict[str, Unit], dict[str, Region]]:
    units = {row["adcode"]: _sichuan_unit(row) for row in _read("gazetteer.csv")}
    regions = {row["code"]: _zone(row) for row in _read("zones.csv")}
    for row in _read("other_places.csv"):
        if row["level"] == "region":
            regions[row["key"]] = _region(row)
        else:
            units[row["adcode"]] = _other_unit(row)
    return units, regions


def _composite(row: dict[str, str], gaz: Gazetteer) -> Composite:
    members = tuple(gaz.key_for(code) for code in _split(row["members"]))
    return Composite(row["abbr"], members, row["kind"], row["note"])


@cache
def load_gazetteer() -> Gazetteer:
    """Read the shipped CSV files once; the result is shared (treat it as read-only)."""
    units, regions = _load_places()
    gaz = Gazetteer(units=units, regions=regions, composites={})
    for row in _read("composites.csv"):
        gaz.composites[row["abbr"]] = _composite(row, gaz)
    return gaz


def segmentation_words() -> list[str]:
    """Words a jieba-compatible segmenter must keep whole: every place name (full, short,
    alias), region and zone names, and the composite abbreviations (成德眉资, 万达开 …).

    Names shorter than two characters are left out (they would cut ordinary words)."""
    gaz = load_gazetteer()
    words: set[str] = set()
    for unit in gaz.units.values():
        words.update(_unit_names(unit))
    for region in gaz.regions.values():
        words.update((region.name, *region.aliases))
    words.update(gaz.composites)
    return sorted(word for word in words if len(word) >= 2)
