"""Observations from a file in the layout statistics offices send: a header row whose first
cell is 指标 (an optional 单位 column next), indicators down, and across either places (one
year for the whole file) or years (one place for the whole file). xlsx or CSV (UTF-8 or GBK).

All rows or none: every cell is checked first and each problem names its row, column and
header; nothing is stored unless the whole file is clean."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any
from zipfile import BadZipFile

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from planwatch.audit.services import audit_record
from planwatch.core.bulk import rows_insert
from planwatch.core.xlsx import sheet_rows
from planwatch.indicators.choices import IndicatorStatus, Stage
from planwatch.indicators.drafting import convert
from planwatch.indicators.models import Indicator, Observation
from planwatch.indicators.permissions import can_enter
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.tasks.xlsx import CellError, ImportFailed

MAX_ROWS = 50000
NAME_HEADERS = ("指标", "指标名称")
EMPTY = ("", "-", "—", "/", "…")
YEAR = re.compile(r"^(\d{4})年?$")
THOUSANDS = re.compile(r"^-?\d{1,3}([,，]\d{3})+(\.\d+)?$")


@dataclass(frozen=True)
class ImportResult:
    created: int
    revised: int


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return re.sub(r"\s+", "", str(value))


def read_table(data: bytes, filename: str) -> list[tuple[Any, ...]]:
    """The first sheet of an xlsx file, or the rows of a CSV file."""
    if filename.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            return [tuple(r) for r in csv.reader(io.StringIO(text))][: MAX_ROWS + 10]
        raise ImportFailed([CellError(0, "", "", _("无法识别 CSV 文件的编码"))])
    try:
        return sheet_rows(data, MAX_ROWS + 10)
    except (BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise ImportFailed([CellError(0, "", "", _("不是有效的 xlsx 文件"))]) from exc


def _number(raw: Any) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return float(raw)
    text = _text(raw)
    if THOUSANDS.match(text):  # 32,927.8 — commas only between groups of three digits
        text = re.sub(r"[,，]", "", text)
    try:
        return float(text)
    except ValueError:
        return None


def _place_index() -> dict[str, list[OrgUnit]]:
    index: dict[str, list[OrgUnit]] = {}
    for unit in OrgUnit.objects.exclude(kind="department"):
        for name in {unit.name, unit.short_name} - {""}:
            index.setdefault(name, []).append(unit)
    return index


@dataclass
class Parsed:
    rows: list[tuple[Indicator, OrgUnit, int, float]]
    errors: list[CellError]


class Reader:
    """Checks the file cell by cell, collecting every problem."""

    def __init__(self, plan: Plan, actor: Any, year: int | None, place: OrgUnit | None) -> None:
        self.actor, self.year, self.place = actor, year, place
        self.indicators: dict[str, Indicator] = {}
        for ind in Indicator.objects.filter(plan=plan, status=IndicatorStatus.CONFIRMED):
            self.indicators.setdefault(ind.name, ind)
        self.out = Parsed([], [])

    def error(self, row: int, col: int, header: str, message: str) -> None:
        letter = get_column_letter(col + 1) if col >= 0 else ""
        self.out.errors.append(CellError(row, letter, header, message))

    def columns(self, header_row: int, header: list[str], start: int) -> list[tuple[int, Any]]:
        """(column, place or year) of each value column."""
        places = _place_index() if self.year is not None else {}
        found: list[tuple[int, Any]] = []
        for col in range(start, len(header)):
            name = header[col]
            if not name:
                continue
            if self.year is None:
                match = YEAR.match(name)
                if match is None:
                    self.error(header_row, col, name, _("应为年份（如 2021 或 2021年）"))
                else:
                    found.append((col, int(match.group(1))))
                continue
            units = places.get(name, [])
            if len(units) != 1:
                msg = _("未知地区“%(n)s”") if not units else _("地区名称“%(n)s”不唯一，请写全称")
                self.error(header_row, col, name, msg % {"n": name})
            elif not can_enter(self.actor, units[0]):
                self.error(header_row, col, name, _("您不是“%(n)s”的数据填报人") % {"n": name})
            else:
                found.append((col, units[0]))
        return found

    def row(
        self,
        number: int,
        values: tuple[Any, ...],
        header: list[str],
        unit_col: int | None,
        columns: list[tuple[int, Any]],
    ) -> None:
        name = _text(values[0] if values else "")
        indicator = self.indicators.get(name)
        if indicator is None:
            self.error(number, 0, header[0], _("未找到已确认的指标“%(n)s”") % {"n": name})
            return
        scale_from = indicator.unit
        if unit_col is not None and unit_col < len(values) and _text(values[unit_col]):
            scale_from = _text(values[unit_col])
            if convert(1.0, scale_from, indicator.unit) is None:
                msg = _("单位“%(u)s”与指标单位“%(i)s”不一致") % {
                    "u": scale_from,
                    "i": indicator.unit,
                }
                self.error(number, unit_col, header[unit_col], msg)
                return
        for col, key in columns:
            raw = values[col] if col < len(values) else None
            if _text(raw) in EMPTY:
                continue
            value = _number(raw)
            if value is None:
                self.error(number, col, header[col], _("“%(v)s”不是数值") % {"v": _text(raw)})
                continue
            value = convert(value, scale_from, indicator.unit) or value
            if self.year is not None:
                self.out.rows.append((indicator, key, self.year, value))
            elif self.place is not None:
                self.out.rows.append((indicator, self.place, key, value))


def parse_observations(
    *,
    data: bytes,
    filename: str,
    plan: Plan,
    actor: Any,
    year: int | None = None,
    place: OrgUnit | None = None,
) -> list[tuple[Indicator, OrgUnit, int, float]]:
    """Every value of the file, or ImportFailed naming every bad cell."""
    if (year is None) == (place is None):
        raise ImportFailed(
            [CellError(0, "", "", _("请指定年份（地区横排）或地区（年份横排）之一"))]
        )
    if place is not None and not can_enter(actor, place):
        raise PermissionDenied(_("您不是该地区的数据填报人。"))
    rows = read_table(data, filename)
    header_at = next(
        (i for i, r in enumerate(rows[:10]) if r and _text(r[0]) in NAME_HEADERS), None
    )
    if header_at is None:
        raise ImportFailed([CellError(0, "", "", _("未找到表头行（第一列应为“指标”）"))])
    header = [_text(v) for v in rows[header_at]]
    unit_col = 1 if len(header) > 1 and header[1] == "单位" else None
    reader = Reader(plan, actor, year, place)
    columns = reader.columns(header_at + 1, header, 2 if unit_col else 1)
    seen: dict[str, int] = {}
    for number, values in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if not any(_text(v) for v in values):
            continue
        name = _text(values[0])
        if name in seen:
            reader.error(number, 0, header[0], _("指标与第 %(r)d 行重复") % {"r": seen[name]})
            continue
        seen[name] = number
        reader.row(number, values, header, unit_col, columns)
    if reader.out.errors:
        raise ImportFailed(reader.out.errors)
    if not reader.out.rows:
        raise ImportFailed([CellError(0, "", "", _("文件中没有数据"))])
    return reader.out.rows


INSERT_FIELDS = (
    "indicator_id",
    "place_id",
    "year",
    "value",
    "stage",
    "source",
    "source_page",
    "source_url",
    "is_current",
    "previous_id",
    "entered_by_id",
    "entered_at",
)


def _insert(values: list[tuple[Any, ...]]) -> None:
    """New observation rows (values in the order of INSERT_FIELDS). On PostgreSQL through
    COPY: thousands of rows without building a model object and a parameter per field; on
    other databases with one executemany INSERT (core.bulk.rows_insert: bulk_create built a
    model object and compiled every value, two thirds of a SQLite import's time)."""
    if connection.vendor == "postgresql":
        meta = Observation._meta
        table = connection.ops.quote_name(meta.db_table)
        column = {f.attname: str(f.column) for f in meta.concrete_fields}
        columns = ", ".join(connection.ops.quote_name(column[f]) for f in INSERT_FIELDS)
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in values:
                copy.write_row(row)
        return
    rows_insert(Observation, INSERT_FIELDS, values)


def observations_import(
    *,
    data: bytes,
    filename: str,
    plan: Plan,
    actor: Any,
    source: str,
    stage: str = Stage.PRELIMINARY,
    source_page: int | None = None,
    source_url: str = "",
    year: int | None = None,
    place: OrgUnit | None = None,
) -> ImportResult:
    """Store every value of a clean file (revisions as new rows), or nothing."""
    if not source.strip() and not source_url.strip():
        raise ImportFailed([CellError(0, "", "", _("请注明数据来源（文件及页码，或网址）"))])
    if stage not in Stage.values:
        raise ImportFailed([CellError(0, "", "", _("核算阶段无效"))])
    rows = parse_observations(
        data=data, filename=filename, plan=plan, actor=actor, year=year, place=place
    )
    now = timezone.now()
    with transaction.atomic():
        keys = {(i.pk, p.pk, y) for i, p, y, _v in rows}
        # Only the current values of the file's places and years (one of each varies).
        candidates = Observation.objects.filter(
            indicator__in={k[0] for k in keys},
            place__in={k[1] for k in keys},
            year__in={k[2] for k in keys},
            is_current=True,
        )
        found = list(
            candidates.select_for_update().values_list("pk", "indicator_id", "place_id", "year")
        )
        current = {(i, p, y): pk for pk, i, p, y in found if (i, p, y) in keys}
        if current:
            # Most often every candidate is revised: the same filter (its rows locked above),
            # not a list of thousands of ids.
            if len(current) < len(found):
                candidates = Observation.objects.filter(pk__in=list(current.values()))
            candidates.update(is_current=False)
        _insert(
            [
                (
                    i.pk,
                    p.pk,
                    y,
                    v,
                    stage,
                    source.strip(),
                    source_page,
                    source_url.strip(),
                    True,
                    current.get((i.pk, p.pk, y)),
                    getattr(actor, "pk", None),
                    now,
                )
                for i, p, y, v in rows
            ]
        )
        audit_record(
            actor=actor,
            action="observation.import",
            target_type="plan",
            target_id=plan.pk,
            target_label=f"{plan.title} {filename}"[:200],
            new={"rows": len(rows), "revised": len(current), "source": source, "stage": stage},
        )
    return ImportResult(created=len(rows) - len(current), revised=len(current))
