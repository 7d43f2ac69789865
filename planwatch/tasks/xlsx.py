"""Annual lists as xlsx in the usual government layout: a title row, then the header row
序号 | 重点任务 | 具体内容 | 牵头单位 | 责任单位 | 完成时限 | 进展情况, then one row per task
(units joined with 、, dates as real dates shown as 2024年12月31日). Two columns follow the
usual seven so that a list can be completed in a spreadsheet: 配合单位 and 完成标准. The file
prints as it should (A4 landscape, fitted to the page width, the header row repeated on every
page) in a Chinese body font (宋体).

An import reads what real lists contain: several lead units in one cell (the first leads, the
others are co-leads), a unit by any of its names (宜宾市, 宜宾市人民政府: orgunits aliases), and
完成时限 written as 长期坚持 or 持续推进 (kept as written; such tasks are supervised by period).

An import validates every row first and applies all rows or none; each problem names its
row, column and header. Rows are matched to tasks by 序号; a new 序号 adds a task; tasks
missing from the file are left unchanged (deleting is done on the list page)."""

from __future__ import annotations

import calendar
import hashlib
import re
from collections.abc import Mapping
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import quote
from zipfile import BadZipFile

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.base import ModelState
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from planwatch.audit.services import audit_record
from planwatch.core import hooks
from planwatch.core.bulk import collection_paused
from planwatch.core.types import Actor
from planwatch.core.workflow import ServiceError
from planwatch.core.xlsx import sheet_rows, streamed_sheet, styled_row, workbook_bytes
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit, OrgUnitAlias
from planwatch.tasks.bulk import RowInvalid, RowsInvalid, task_create_many, task_update_many
from planwatch.tasks.choices import OngoingDeadline
from planwatch.tasks.models import AnnualList, Task
from planwatch.tasks.permissions import require_plan_manager
from planwatch.tasks.selectors import annual_list_tasks
from planwatch.tasks.services import TaskChanges

HEADERS = ("序号", "重点任务", "具体内容", "牵头单位", "责任单位", "完成时限", "进展情况")
EXTRA_HEADERS = ("配合单位", "完成标准")
REQUIRED = ("序号", "重点任务", "牵头单位", "责任单位", "完成时限")
# The columns a row's check reads as text (`RowParser._texts`).
TEXT_HEADERS = (*REQUIRED, "具体内容", "配合单位", "完成标准")
WIDTHS = (6, 30, 50, 16, 24, 16, 40, 20, 30)
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
BODY_FONT = "宋体"
HEADER_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"
UNIT_SEPARATORS = re.compile(r"[、，,；;／/\s]+")
MAX_ROWS = 20000


def _title(annual_list: AnnualList) -> str:
    return f"{annual_list.plan.title}{annual_list.year}年重点任务清单"


def export_filename(annual_list: AnnualList) -> str:
    """The name people know the file by: 川南经济区2024年重点任务清单.xlsx — the plan's unit
    (its zone, city or department) when it has one, else the plan's title."""
    unit = annual_list.plan.org_unit
    owner = unit.name if unit is not None else annual_list.plan.title
    name = f"{owner}{annual_list.year}年重点任务清单.xlsx"
    return re.sub(r'[\\/:*?"<>|\r\n]+', "_", name)


def export_disposition(annual_list: AnnualList) -> str:
    """Content-Disposition of the exported list: the Chinese name as `filename*` (RFC 5987,
    as RFC 6266 allows; browsers prefer it) after an ASCII `filename` for old clients."""
    fallback = f"annual-list-{annual_list.year}-{annual_list.pk}.xlsx"
    name = quote(export_filename(annual_list), safe="")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{name}"


def apply_print_setup(ws: Any, columns: int, rows: int | None = None) -> None:
    """A4 landscape, fitted to one page wide (as many pages tall as needed), the title and
    header rows (1 and 2) repeated on every printed page, centred, page numbers in the
    footer. For any exported sheet laid out as a title row, a header row and the data;
    `rows` is the number of rows written (a write-only sheet does not count them)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:2"
    last = ws.max_row if rows is None else rows
    ws.print_area = f"A1:{get_column_letter(columns)}{max(last, 2)}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def annual_list_export(
    *,
    annual_list: AnnualList,
    progress: Mapping[int, str] | None = None,
    tasks: QuerySet[Task] | None = None,
) -> bytes:
    """The list as an xlsx file: all its rows, or `tasks` (the rows the reader may see).
    `progress` maps task ids to the 进展情况 text (by default each responsible unit's latest
    accepted report).

    Written for speed (issue 15): the tasks are read without model objects for their units
    (the unit ids of each relation in one query each, the units once), and the sheet is
    written in openpyxl's write-only mode, row by row, with one body style."""
    rows = (
        annual_list_tasks(annual_list=annual_list) if tasks is None else tasks
    ).prefetch_related(None)
    listed = list(rows.values_list(*ROW_FIELDS))
    if progress is None:
        # reports fills this column in (hook task_progress_texts): it stands above tasks.
        progress = hooks.task_progress_texts.merged(tasks=rows)
    units = _unit_index()
    related = _related_units(rows, units)
    wb = Workbook(write_only=True)
    ws = streamed_sheet(wb, f"{annual_list.year}年重点任务")
    # A write-only sheet writes its properties (<sheetPr>) with its first row: the fit to
    # page must be set before any row is appended; the rest of the print setup follows them.
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    border = _write_header(ws, _title(annual_list))
    body = WriteOnlyCell(ws)
    body.border = border
    body.font = Font(name=BODY_FONT, size=11)
    body.alignment = Alignment(vertical="center", wrap_text=True)
    body_style = body._style
    dated = WriteOnlyCell(ws)
    dated._style = copy(body_style)
    dated.number_format = DATE_FORMAT
    date_style = dated._style
    styles = [body_style] * len(WIDTHS)
    styles[5] = date_style
    for row in listed:
        lead = units.get(row[4]) if row[4] is not None else None
        values = _row_values(row, lead, related.get(row[0], {}), progress.get(row[0], ""))
        ws.append(styled_row(ws, values, styles))
    apply_print_setup(ws, len(HEADERS) + len(EXTRA_HEADERS), rows=len(listed) + 2)
    return workbook_bytes(wb)


def unit_label(unit: OrgUnit) -> str:
    """How lists name a unit: departments by their usual short name (省交通运输厅), divisions
    by their full name (宜宾市). Import accepts either form."""
    if unit.kind == OrgUnitKind.DEPARTMENT and unit.short_name:
        return unit.short_name
    return unit.name


def _write_header(ws: Any, title: str) -> Border:
    """Title row (merged across the columns) and header row of a write-only sheet, with the
    column widths and the panes frozen below the header; returns the cell border."""
    headers = (*HEADERS, *EXTRA_HEADERS)
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A3"
    ws.row_dimensions[1].height = 36
    top = WriteOnlyCell(ws, value=title)
    top.font = Font(name=TITLE_FONT, size=16, bold=True)
    top.alignment = Alignment(horizontal="center", vertical="center")
    ws.append(styled_row(ws, [title], [top._style]))
    ws.merged_cells.add(f"A1:{get_column_letter(len(headers))}1")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head = WriteOnlyCell(ws)
    head.font = Font(name=HEADER_FONT, bold=True)
    head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    head.border = border
    ws.append(styled_row(ws, list(headers), [head._style] * len(headers)))
    return border


def _unit_index() -> dict[int, OrgUnit]:
    """Every unit by id, with what a list shows of it (a few hundred rows)."""
    return {u.pk: u for u in OrgUnit.objects.only("id", "name", "short_name", "kind", "path")}


def _related_units(
    tasks: QuerySet[Task], units: dict[int, OrgUnit] | None = None
) -> dict[int, dict[str, list[OrgUnit]]]:
    """task id → {relation: its units by path} for the co-lead, responsible and supporting
    units of `tasks`: one query per relation (and one for the units unless given)."""
    units = _unit_index() if units is None else units
    ids = tasks.order_by().values("pk")
    out: dict[int, dict[str, list[OrgUnit]]] = {}
    for relation in ("co_lead_units", "responsible_units", "supporting_units"):
        through = getattr(Task, relation).through
        pairs = through.objects.filter(task_id__in=ids).values_list("task_id", "orgunit_id")
        for task_id, unit_id in pairs:
            out.setdefault(task_id, {}).setdefault(relation, []).append(units[unit_id])
    for by_relation in out.values():
        for linked in by_relation.values():
            linked.sort(key=lambda u: u.path)
    return out


def _joined(units: list[OrgUnit]) -> str:
    return "、".join(unit_label(u) for u in units)


# What the export reads of a task, as a tuple (no model object per row).
ROW_FIELDS = (
    "pk",
    "seq",
    "title",
    "content",
    "lead_unit_id",
    "deadline",
    "deadline_text",
    "criterion",
)


def _row_values(
    row: tuple[Any, ...], lead: OrgUnit | None, units: dict[str, list[OrgUnit]], progress: str
) -> list[Any]:
    """The nine cells of a task's row (`row`: the ROW_FIELDS of the task); `lead` its lead
    unit and `units` its other units by relation."""
    _pk, seq, title, content, _lead_id, deadline, deadline_text, criterion = row
    leads = ([lead] if lead else []) + units.get("co_lead_units", [])
    return [
        seq,
        title,
        content,
        _joined(leads),
        _joined(units.get("responsible_units", [])),
        deadline or deadline_text or None,
        progress,
        _joined(units.get("supporting_units", [])),
        criterion,
    ]


@dataclass(frozen=True)
class CellError:
    row: int
    column: str
    header: str
    message: str

    def __str__(self) -> str:
        where = _("第 %(row)d 行") % {"row": self.row}
        if self.column:
            where += _(" %(col)s 列（%(header)s）") % {"col": self.column, "header": self.header}
        return _("%(where)s：%(message)s") % {"where": where, "message": self.message}


class ImportFailed(ServiceError):
    def __init__(self, errors: list[CellError]) -> None:
        super().__init__(_("导入失败，共 %(n)d 处错误，未做任何修改。") % {"n": len(errors)})
        self.errors = errors


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


@dataclass
class ParsedRow:
    row: int
    seq: int
    changes: TaskChanges


def parse_date(value: Any) -> date:
    """A deadline cell: a real date, or text such as 2024年12月31日, 2024-12-31, 2024年6月底,
    2024年底. Raises ValueError with a readable message."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = re.sub(r"\s+", "", str(value or "")).replace("前", "")
    if m := re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日?", text) or re.fullmatch(
        r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", text
    ):
        y, mo, d = (int(g) for g in m.groups())
        try:
            return date(y, mo, d)
        except ValueError:
            raise ValueError(_("日期不存在：%(v)s") % {"v": text}) from None
    if m := re.fullmatch(r"(\d{4})年(\d{1,2})月(?:底|末)?", text):
        y, mo = int(m.group(1)), int(m.group(2))
        if 1 <= mo <= 12:
            return date(y, mo, calendar.monthrange(y, mo)[1])
    if m := re.fullmatch(r"(\d{4})年(?:底|末)?", text):
        return date(int(m.group(1)), 12, 31)
    raise ValueError(
        _("无法识别的日期：“%(v)s”（应为 2024年12月31日 或 2024-12-31）") % {"v": text}
    )


_ONGOING = frozenset(OngoingDeadline.values)


def ongoing_deadline(value: Any) -> str:
    """长期坚持 or 持续推进 when a deadline cell says so (spaces and a trailing 。 ignored),
    else ""."""
    text = re.sub(r"\s+", "", str(value or "")).rstrip("。.")
    return text if text in _ONGOING else ""


class UnitResolver:
    """Unit names as written in a spreadsheet (full or short names) → OrgUnits."""

    def __init__(self) -> None:
        self.by_name: dict[str, list[OrgUnit]] = {}
        units = OrgUnit.objects.filter(is_active=True).exclude(
            kind__in=(OrgUnitKind.ZONE, OrgUnitKind.PROVINCE)
        )
        by_pk = {unit.pk: unit for unit in units}
        for unit in units:
            for name in {unit.name, unit.short_name} - {""}:
                self.by_name.setdefault(name, []).append(unit)
        # Aliases (宜宾市人民政府) never shadow a unit's own name.
        own = set(self.by_name)
        for unit_id, name in OrgUnitAlias.objects.values_list("org_unit_id", "name"):
            aliased = by_pk.get(unit_id)
            if aliased is None or name in own:
                continue
            if aliased not in self.by_name.setdefault(name, []):
                self.by_name[name].append(aliased)

    def resolve(self, text: str) -> tuple[list[OrgUnit], list[str]]:
        """(units found, messages about names not found or ambiguous)."""
        found: list[OrgUnit] = []
        problems: list[str] = []
        for name in (n for n in UNIT_SEPARATORS.split(text.strip()) if n):
            matches = self.by_name.get(name, [])
            if len(matches) == 1:
                if matches[0] not in found:
                    found.append(matches[0])
            elif not matches:
                problems.append(_("未知单位“%(n)s”") % {"n": name})
            else:
                problems.append(_("单位名称“%(n)s”不唯一，请写全称") % {"n": name})
        return found, problems


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _find_header(rows: list[tuple[Any, ...]]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:10]):
        names = [re.sub(r"\s+", "", _cell_text(v)) for v in row]
        if "序号" in names and "重点任务" in names:
            return index, {n: i for i, n in enumerate(names) if n}
    return None


class RowParser:
    """Validates one data row into task changes, collecting every problem it finds."""

    def __init__(self, columns: dict[str, int], units: UnitResolver) -> None:
        self.columns = columns
        self.units = units
        self.errors: list[CellError] = []
        # What a cell's text resolves or parses to, by the text: a list repeats the same
        # units and deadlines row after row.
        self._resolved: dict[str, tuple[list[OrgUnit], list[str]]] = {}
        self._deadlines: dict[tuple[type, Any], tuple[str, Any]] = {}
        # (header, column index) of each column whose text a row's check reads.
        self._text_columns = [(h, columns[h]) for h in TEXT_HEADERS if h in columns]

    def _error(self, row: int, header: str, message: str) -> None:
        col = get_column_letter(self.columns[header] + 1)
        self.errors.append(CellError(row, col, header, message))

    def _get(self, values: tuple[Any, ...], header: str) -> Any:
        index = self.columns.get(header)
        return values[index] if index is not None and index < len(values) else None

    def _units(self, row: int, header: str, text: str) -> list[OrgUnit]:
        resolved = self._resolved.get(text)
        if resolved is None:
            resolved = self._resolved[text] = self.units.resolve(text)
        units, problems = resolved
        for message in problems:
            self._error(row, header, message)
        return list(units)

    def _deadline(self, raw: Any) -> tuple[str, Any]:
        """What a 完成时限 cell holds: ("ongoing", 长期坚持…), ("date", a date), ("error",
        the message) or ("empty", None); remembered by the cell's value (and its type: 1 and
        1.0 and True are one key otherwise). A sheet's values are all hashable."""
        key = (type(raw), raw)
        known = self._deadlines.get(key)
        if known is not None:
            return known
        ongoing = ongoing_deadline(raw)
        if ongoing:
            known = ("ongoing", ongoing)
        elif _cell_text(raw):
            try:
                known = ("date", parse_date(raw))
            except ValueError as exc:
                known = ("error", str(exc))
        else:
            known = ("empty", None)
        self._deadlines[key] = known
        return known

    def _texts(self, values: tuple[Any, ...]) -> dict[str, str]:
        """The text (`_cell_text`) of each cell of TEXT_HEADERS the row has, by header, each
        taken once (a header missing from the sheet or the row: not in it)."""
        n = len(values)
        return {h: _cell_text(values[i]) for h, i in self._text_columns if i < n}

    def parse(self, row: int, values: tuple[Any, ...]) -> ParsedRow | None:
        before = len(self.errors)
        texts = self._texts(values)
        for header in REQUIRED:
            if not texts.get(header):
                self._error(row, header, _("必填项为空"))
        seq_text = texts.get("序号", "")
        seq = int(seq_text) if seq_text.isdigit() and int(seq_text) > 0 else 0
        if seq_text and not seq:
            self._error(row, "序号", _("序号应为正整数：“%(v)s”") % {"v": seq_text})
        changes = self._changes(row, values, texts)
        return ParsedRow(row, seq, changes) if len(self.errors) == before else None

    def _changes(self, row: int, values: tuple[Any, ...], texts: dict[str, str]) -> TaskChanges:
        title = texts.get("重点任务", "")
        if len(title) > 255:
            self._error(row, "重点任务", _("超过 255 字"))
        changes: TaskChanges = {
            "title": title,
            "content": texts.get("具体内容", ""),
        }
        # Several lead units in one cell: the first leads (and files the summary report),
        # the others are co-leads.
        leads = self._units(row, "牵头单位", texts.get("牵头单位", ""))
        changes["lead_unit"] = leads[0] if leads else None
        changes["co_lead_units"] = leads[1:]
        changes["responsible_units"] = self._units(row, "责任单位", texts.get("责任单位", ""))
        if "配合单位" in self.columns:
            changes["supporting_units"] = self._units(row, "配合单位", texts.get("配合单位", ""))
        if "完成标准" in self.columns:
            changes["criterion"] = texts.get("完成标准", "")
        kind, value = self._deadline(self._get(values, "完成时限"))
        if kind == "ongoing":
            changes["deadline"] = None
            changes["deadline_text"] = value
        elif kind == "date":
            changes["deadline"] = value
            changes["deadline_text"] = ""
        elif kind == "error":
            self._error(row, "完成时限", value)
        return changes


def _read_rows(data: bytes) -> list[tuple[Any, ...]]:
    try:
        return sheet_rows(data, MAX_ROWS + 10)
    except (BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise ImportFailed([CellError(0, "", "", _("不是有效的 xlsx 文件"))]) from exc


def parse_list_file(data: bytes) -> list[ParsedRow]:
    """Every data row of an xlsx list as task changes, or ImportFailed naming every bad
    row and cell."""
    rows = _read_rows(data)
    found = _find_header(rows)
    if found is None:
        raise ImportFailed([CellError(0, "", "", _("未找到表头行（应含“序号”“重点任务”）"))])
    header_index, columns = found
    missing = [h for h in REQUIRED if h not in columns]
    if missing:
        msg = _("缺少列：%(m)s") % {"m": "、".join(missing)}
        raise ImportFailed([CellError(header_index + 1, "", "", msg)])
    parser = RowParser(columns, UnitResolver())
    parsed: list[ParsedRow] = []
    seen: dict[int, int] = {}
    for offset, values in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if not any(_cell_text(v) for v in values):
            continue
        result = parser.parse(offset, values)
        if result is None:
            continue
        if result.seq in seen:
            parser._error(offset, "序号", _("序号与第 %(r)d 行重复") % {"r": seen[result.seq]})
            continue
        seen[result.seq] = offset
        parsed.append(result)
    if parser.errors:
        raise ImportFailed(parser.errors)
    return parsed


def _loaded_tasks(listed: QuerySet[Task], index: Mapping[int, OrgUnit]) -> list[Task]:
    """The tasks of `listed` as iterating it gives them (every concrete field loaded), each
    lead unit the one instance of it in `index`, read as tuples and set on bare instances:
    what `Task.from_db` does for a row, without `Model.__init__` setting every field
    through its descriptor (a tenth of a 2,000-row re-import's time). Task has no
    pre_init/post_init receivers, so nothing else reacts to the instances being made."""
    fields = Task._meta.concrete_fields
    names = [f.attname for f in fields]
    lead = names.index("lead_unit_id")
    db = listed.db
    bare = Task.__new__
    out: list[Task] = []
    for values in listed.values_list(*names):
        task = bare(Task)
        attrs = task.__dict__
        attrs.update(zip(names, values, strict=True))
        state = attrs["_state"] = ModelState()
        state.adding, state.db = False, db
        if (unit_id := values[lead]) is not None:
            state.fields_cache["lead_unit"] = index[unit_id]
        out.append(task)
    return out


# The keys of an import's changes `_differences` compares with the task's units (by id) and
# with the task's own field of that name; the lead unit is compared by id, anything else
# with None (what it was compared with before: no such key is read from a sheet).
_RELATIONS = frozenset(("co_lead_units", "responsible_units", "supporting_units"))
_SCALARS = frozenset(("title", "content", "deadline", "deadline_text", "criterion"))


def _differences(task: Task, units: dict[str, list[OrgUnit]], changes: TaskChanges) -> TaskChanges:
    """The changes that differ from what `task` (with its `units` by relation) holds: a
    relation's units compared as a set (of ids: units are equal by id), a lead unit by id."""
    attrs = task.__dict__
    given: Mapping[str, Any] = changes
    diff: dict[str, Any] = {}
    for key, value in given.items():
        if key in _RELATIONS:
            differs = {u.pk for u in value} != {u.pk for u in units.get(key, ())}
        elif key == "lead_unit":
            differs = (value.pk if value is not None else None) != attrs["lead_unit_id"]
        elif key in _SCALARS:
            differs = value != attrs[key]
        else:
            differs = value is not None
        if differs:
            diff[key] = value
    return diff  # type: ignore[return-value]


@collection_paused()
def annual_list_import(*, annual_list: AnnualList, actor: Actor, data: bytes) -> ImportResult:
    """Apply an edited xlsx list: every row valid and applied, or nothing changed."""
    require_plan_manager(actor, annual_list.plan)
    if annual_list.is_locked:
        raise ServiceError(_("清单已下达并锁定；如需修改，请先发起修订。"))
    parsed = parse_list_file(data)
    # The list's tasks and their units in five queries, not a manager per task and relation;
    # each lead unit is the one instance of it read with the others (not one a task).
    index = _unit_index()
    listed = annual_list.tasks.order_by()  # by 序号 below: no join to sort by plan and year
    tasks = {task.seq: task for task in _loaded_tasks(listed, index)}
    units = _related_units(listed, index)
    new_rows = [r for r in parsed if r.seq not in tasks]
    diffs = [
        (r, t, _differences(t, units.get(t.pk, {}), r.changes))
        for r in parsed
        if (t := tasks.get(r.seq)) is not None
    ]
    changed = [(r, t, d) for r, t, d in diffs if d]
    counts = {
        "created": len(new_rows),
        "updated": len(changed),
        "unchanged": len(parsed) - len(new_rows) - len(changed),
    }
    with transaction.atomic():
        try:
            task_update_many(
                annual_list=annual_list,
                actor=actor,
                updates=[(t, d) for _r, t, d in changed],
                units=units,
            )
        except RowInvalid as exc:
            message = "；".join(exc.messages)
            raise ImportFailed([CellError(changed[exc.index][0].row, "", "", message)]) from exc
        try:
            task_create_many(
                annual_list=annual_list, actor=actor, rows=[(r.seq, r.changes) for r in new_rows]
            )
        except RowsInvalid as exc:
            raise ImportFailed(
                [CellError(new_rows[i].row, "", "", "；".join(e.messages)) for i, e in exc.rows]
            ) from exc
        audit_record(
            actor=actor,
            action="annual_list.import",
            target_type="tasks.annuallist",
            target_id=annual_list.pk,
            target_label=str(annual_list),
            new=counts | {"sha256": hashlib.sha256(data).hexdigest(), "rows": len(parsed)},
        )
    return ImportResult(**counts)
