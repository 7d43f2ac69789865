"""The files of a dataset: CSV (UTF-8 with a byte-order mark, so Excel reads Chinese),
JSON and xlsx (through `core.xlsx.workbook_bytes`: no cell is ever a formula), each with the
data dictionary; the licence; and the Frictionless Data Package describing the CSV files."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from planwatch.core.xlsx import workbook_bytes
from planwatch.portal.opendata.datasets import DATASETS, Dataset

BOM = "\ufeff"
# Cells a spreadsheet would read as a formula when the CSV is opened in it.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PACKAGE_NAME = "planwatch-open-data"
PACKAGE_TITLE = "规划实施监测评估系统公开数据"

LICENSES: dict[str, dict[str, str]] = {
    "CC-BY-4.0": {
        "title": "知识共享 署名 4.0 国际（CC BY 4.0）",
        "path": "https://creativecommons.org/licenses/by/4.0/",
    },
    "CC0-1.0": {
        "title": "知识共享 CC0 1.0 公共领域贡献",
        "path": "https://creativecommons.org/publicdomain/zero/1.0/",
    },
    "ODC-BY-1.0": {
        "title": "开放数据共享署名许可 1.0（ODC-By）",
        "path": "https://opendatacommons.org/licenses/by/1-0/",
    },
}


def licence() -> dict[str, str]:
    """The licence of the open data (setting PLANWATCH_OPEN_DATA_LICENSE, an SPDX id)."""
    name = str(getattr(settings, "PLANWATCH_OPEN_DATA_LICENSE", "CC-BY-4.0") or "CC-BY-4.0")
    known = LICENSES.get(name, {"title": name})
    return {"name": name, **known}


def text(value: Any) -> str:
    """A value as its CSV text (Table Schema lexical forms)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value) if value != int(value) or abs(value) >= 1e15 else str(int(value))
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def safe_text(value: Any, kind: str) -> str:
    """A text cell that a spreadsheet would take for a formula gets a leading apostrophe
    (the data dictionary says so); numbers are left alone."""
    out = text(value)
    if kind == "string" and out.startswith(FORMULA_START):
        return "'" + out
    return out


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(dataset: Dataset, *, base: str = "") -> Iterator[str]:
    """The dataset as CSV text, piece by piece: the BOM, the header of field names, then
    the rows."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    kinds = [f.type for f in dataset.fields]
    yield BOM + writer.writerow(dataset.field_names)
    batch: list[str] = []
    for row in dataset.rows(base=base):
        values = row.values()
        batch.append(writer.writerow([safe_text(v, k) for v, k in zip(values, kinds, strict=True)]))
        if len(batch) >= 200:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date | Decimal):
        return text(value)
    return value


def dictionary(dataset: Dataset) -> list[dict[str, str]]:
    return [
        {
            "name": f.name,
            "title": f.title,
            "type": f.type,
            "unit": f.unit,
            "description": f.description,
        }
        for f in dataset.fields
    ]


def json_chunks(
    dataset: Dataset, *, base: str = "", modified: datetime | None = None
) -> Iterator[str]:
    """The dataset as one JSON object: its name, title, licence, data dictionary (`fields`)
    and `data`, a list of objects keyed by field name; streamed row by row."""
    head = {
        "name": dataset.name,
        "title": dataset.title,
        "description": dataset.description,
        "license": licence(),
        "last_modified": text(modified),
        "fields": dictionary(dataset),
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "data": ['
    first = True
    for row in dataset.rows(base=base):
        item = json.dumps({k: jsonable(v) for k, v in row.items()}, ensure_ascii=False)
        yield item if first else "," + item
        first = False
    yield "]}"


def xlsx_bytes(dataset: Dataset, *, base: str = "") -> bytes:
    """A workbook of two sheets: 数据 (a header of Chinese titles, then the rows; dates as
    dates, numbers as numbers) and 数据字典 (each column's name, title, type, unit and
    description), with the licence below the dictionary."""
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append([f.title for f in dataset.fields])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in dataset.rows(base=base):
        ws.append([_cell(v) for v in row.values()])
    ws.freeze_panes = "A2"
    dic = wb.create_sheet("数据字典")
    dic.append(["字段名", "中文名称", "类型", "单位", "说明"])
    for cell in dic[1]:
        cell.font = Font(bold=True)
    for f in dataset.fields:
        dic.append([f.name, f.title, f.type_title, f.unit, f.description])
    lic = licence()
    dic.append([])
    dic.append(["许可协议", lic["title"], lic.get("path", "")])
    return workbook_bytes(wb)


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        # spreadsheets have no time zones: the time in Beijing, as people read it
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    if isinstance(value, Decimal):
        return float(value)
    return value


def datapackage(*, base: str, modified: datetime | None) -> dict[str, Any]:
    """The Frictionless (tabular) Data Package of the CSV files, paths relative to the
    package's own URL."""
    lic = licence()
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": PACKAGE_TITLE,
        "description": "四川省“十四五”区域规划实施情况中已公开的数据：重点任务、指标监测数据、"
        "重大项目年度投资、区域一体化发展指数和绩效考核结果。只含已公开的对象和已核实的数据。",
        "homepage": base + "/gongkai/data/",
        "licenses": [{k: v for k, v in lic.items() if k in ("name", "title", "path")}],
        "resources": [_resource(d) for d in DATASETS.values()],
    }
    if modified is not None:
        package["created"] = text(modified)
    return package


def _resource(dataset: Dataset) -> dict[str, Any]:
    return {
        "profile": "tabular-data-resource",
        "name": dataset.name,
        "path": f"{dataset.name}.csv",
        "title": dataset.title,
        "description": dataset.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
        "schema": {
            "fields": [f.descriptor() for f in dataset.fields],
            "missingValues": [""],
        },
    }
