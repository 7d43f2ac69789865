"""Project spreadsheets in the usual layouts, imported all rows or none with every bad cell
named (row, column, header), as the annual lists are (planwatch/tasks/xlsx.py).

- The provincial key-project list (省重点项目名单): 序号 | 项目名称 | 项目代码 | 领域 | 阶段 |
  第一责任单位 | 建设地点 | 总投资（万元） | 计划开工 | 计划竣工 | 年度计划投资（万元）.
  Each row is a confirmed project of the zone (matched by 项目代码, else by name: updated).
- The monthly 调度表: 序号 | 项目名称 | 项目代码 | 所在市州 | 本月完成投资（万元） |
  年度累计完成投资（万元） | 开工累计完成投资（万元） | 资金到位（万元） | 形象进度 | 存在问题.
  Each row is the draft report of one project (or segment, by 所在市州) for the month."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NamedTuple
from zipfile import BadZipFile

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role
from planwatch.audit.services import AuditEntry, audit_record, audit_record_many
from planwatch.core.bulk import collection_paused, rows_insert, values_update
from planwatch.core.lookups import InArray
from planwatch.core.workflow import ConcurrentUpdate
from planwatch.core.xlsx import sheet_rows
from planwatch.orgunits.models import OrgUnit
from planwatch.projects import methods as m
from planwatch.projects import services as s
from planwatch.projects.choices import ProjectStatus, Sector, Stage
from planwatch.projects.models import CoordinationIssue, MonthlyReport, Project, Segment
from planwatch.tasks.xlsx import CellError, ImportFailed, UnitResolver, parse_date

LIST_HEADERS = (
    "序号",
    "项目名称",
    "项目代码",
    "领域",
    "阶段",
    "第一责任单位",
    "建设地点",
    "总投资（万元）",
    "计划开工",
    "计划竣工",
    "年度计划投资（万元）",
)
MONTHLY_HEADERS = (
    "序号",
    "项目名称",
    "项目代码",
    "所在市州",
    "本月完成投资（万元）",
    "年度累计完成投资（万元）",
    "开工累计完成投资（万元）",
    "资金到位（万元）",
    "形象进度",
    "存在问题",
)
MAX_ROWS = 20000
LABELS = {str(label): value for value, label in (*Sector.choices, *Stage.choices)}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_PLAIN = frozenset({int, float, bool})


def _filled(raw: tuple[Any, ...]) -> bool:
    """Whether any cell of the row has text (`_text` not empty), without a call a cell."""
    for v in raw:
        if v is None:
            continue
        kind = type(v)
        if kind is str:
            if v.strip():
                return True
        elif kind in _PLAIN or _text(v):
            return True
    return False


def _rows(
    data: bytes, headers: tuple[str, ...]
) -> tuple[int, dict[str, int], list[tuple[Any, ...]]]:
    """(index of the header row, header → column index, all rows)."""
    try:
        rows = sheet_rows(data, MAX_ROWS + 10)
    except (BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise ImportFailed([CellError(0, "", "", _("不是有效的 xlsx 文件"))]) from exc
    for i, row in enumerate(rows[:10]):
        names = [re.sub(r"\s+", "", _text(v)).replace("(", "（").replace(")", "）") for v in row]
        if "项目名称" in names and "序号" in names:
            columns = {n: j for j, n in enumerate(names) if n}
            missing = [h for h in headers if h not in columns]
            if missing:
                raise ImportFailed(
                    [CellError(i + 1, "", h, _("缺少表头“%(h)s”") % {"h": h}) for h in missing]
                )
            return i, columns, rows
    raise ImportFailed([CellError(0, "", "", _("找不到表头行（应含“序号”“项目名称”）"))])


class _Row:
    """Reads the cells of one data row, collecting every problem."""

    def __init__(self, number: int, row: tuple[Any, ...], columns: dict[str, int]) -> None:
        self.number, self.row, self.columns = number, row, columns
        self.errors: list[CellError] = []

    def raw(self, header: str) -> Any:
        j = self.columns[header]
        return self.row[j] if j < len(self.row) else None

    def text(self, header: str) -> str:
        return _text(self.raw(header))

    def error(self, header: str, message: str) -> None:
        col = get_column_letter(self.columns[header] + 1)
        self.errors.append(CellError(self.number, col, header, message))

    def amount(self, header: str, *, required: bool = False) -> Any:
        value = self.raw(header)
        if value in (None, ""):
            if required:
                self.error(header, _("不能为空"))
            return None
        try:
            return s._amount(value, "x")
        except ValidationError:
            self.error(header, _("应为不小于 0 的数字（万元）：“%(v)s”") % {"v": _text(value)})
            return None

    def date(self, header: str) -> Any:
        value = self.raw(header)
        if value in (None, ""):
            return None
        try:
            return parse_date(value)
        except ValueError as exc:
            self.error(header, str(exc))
            return None


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def _one_unit(row: _Row, header: str, units: UnitResolver) -> OrgUnit | None:
    text = row.text(header)
    if not text:
        row.error(header, _("不能为空"))
        return None
    found, problems = units.resolve(text)
    for p in problems:
        row.error(header, p)
    if not problems and len(found) != 1:
        row.error(header, _("只能填写一个单位"))
    return found[0] if len(found) == 1 and not problems else None


def key_projects_import(*, zone: OrgUnit, year: int, actor: Any, data: bytes) -> ImportResult:
    """Import the provincial key-project list into `zone`: all rows or none."""
    if not has_role(actor, Role.PLANNER, zone):
        raise PermissionDenied(_("只有负责该项目的规划处室人员可以执行此操作。"))
    head, columns, rows = _rows(data, LIST_HEADERS)
    units = UnitResolver()
    errors: list[CellError] = []
    parsed: list[tuple[dict[str, Any], list[OrgUnit], Any]] = []
    seen_codes: dict[str, int] = {}
    for k, raw in enumerate(rows[head + 1 :], start=head + 2):
        if not any(_text(v) for v in raw):
            continue
        row = _Row(k, raw, columns)
        values: dict[str, Any] = {"name": row.text("项目名称")}
        if not values["name"]:
            row.error("项目名称", _("不能为空"))
        code = row.text("项目代码")
        if code:
            try:
                s._clean({"code": code})
            except ValidationError as exc:
                row.error("项目代码", exc.message_dict["code"][0])
            if code in seen_codes:
                row.error("项目代码", _("与第 %(r)d 行重复") % {"r": seen_codes[code]})
            seen_codes[code] = k
        values["code"] = code
        for header, field in (("领域", "sector"), ("阶段", "stage")):
            label = row.text(header)
            if label and label not in LABELS:
                row.error(header, _("无法识别“%(v)s”") % {"v": label})
            values[field] = LABELS.get(label, "")
        values["lead_unit"] = _one_unit(row, "第一责任单位", units)
        places: list[OrgUnit] = []
        if row.text("建设地点"):
            places, problems = units.resolve(row.text("建设地点"))
            for p in problems:
                row.error("建设地点", p)
        values["total_investment"] = row.amount("总投资（万元）")
        values["planned_start"] = row.date("计划开工")
        values["planned_completion"] = row.date("计划竣工")
        plan_amount = row.amount("年度计划投资（万元）", required=True)
        errors.extend(row.errors)
        parsed.append((values, places, plan_amount))
    if errors:
        raise ImportFailed(errors)
    created = updated = 0
    with transaction.atomic():
        for values, places, plan_amount in parsed:
            existing = (
                Project.objects.filter(code=values["code"]).first()
                if values["code"]
                else Project.objects.filter(
                    zone=zone, name=values["name"], status=ProjectStatus.CONFIRMED
                ).first()
            )
            if existing is None:
                project = s.project_create(actor=actor, zone=zone, values=values, places=places)
                created += 1
            else:
                project = s.project_update(
                    project=existing, actor=actor, version=existing.version, changes=values
                )
                project.places.add(*places)
                updated += 1
            s.annual_plan_set(project=project, year=year, amount=plan_amount, actor=actor)
        audit_record(
            actor=actor,
            action="project.import",
            target_type="orgunits.orgunit",
            target_id=zone.pk,
            target_label=zone.name,
            new={"year": year, "created": created, "updated": updated},
        )
    return ImportResult(created, updated)


class _Named(NamedTuple):
    """A confirmed project as the monthly import needs it (read as a tuple, not a model)."""

    pk: int
    code: str
    name: str
    lead_unit_id: int | None


# a month's report already there, as read once: (id, status, version, *OLD_FIELDS)
_Existing = tuple[Any, ...]
_Parsed = tuple[_Named, Segment | None, dict[str, Any], list[str]]


@collection_paused()
def monthly_import(*, year: int, month: int, actor: Any, data: bytes) -> ImportResult:
    """Import a monthly 调度表 as the actor's draft reports for (year, month): all rows or
    none. A row names its project by 项目代码 (else by name) and, for a project built in
    segments, its city in 所在市州; the actor must be a filler of that segment's unit."""
    if not 1 <= month <= 12:
        raise ValidationError({"month": _("月份应为 1 到 12。")})
    head, columns, rows = _rows(data, MONTHLY_HEADERS)
    # only the projects the file names are read (as tuples; their few units apart), in one
    # query
    codes: set[str] = set()
    names: set[str] = set()
    for raw in rows[head + 1 :]:
        for header, bucket in (("项目代码", codes), ("项目名称", names)):
            j = columns[header]
            if j < len(raw) and _text(raw[j]):
                bucket.add(_text(raw[j]))
    wanted = Project.objects.filter(status=ProjectStatus.CONFIRMED, merged_into=None)
    if len(codes) + len(names) <= 5000:  # beyond, all of them (SQLite's parameter limit)
        wanted = wanted.filter(Q(InArray(F("code"), codes)) | Q(InArray(F("name"), names)))
    confirmed = [
        _Named(*t) for t in wanted.order_by().values_list("pk", "code", "name", "lead_unit_id")
    ]
    by_code = {p.code: p for p in confirmed if p.code}
    by_name: dict[str, list[_Named]] = {}
    for p in confirmed:
        by_name.setdefault(p.name, []).append(p)
    units = OrgUnit.objects.in_bulk({p.lead_unit_id for p in confirmed} - {None})
    ids = [p.pk for p in confirmed]
    segments: dict[tuple[int, str], Segment] = {}
    if ids:
        for seg in Segment.objects.select_related("place", "unit").filter(
            InArray(F("project_id"), ids)
        ):
            for n in {seg.place.name, seg.place.short_name} - {""}:
                segments[(seg.project_id, n)] = seg
    with_segments = {k[0] for k in segments}
    # the month's reports already there, read once (not one query per row), as tuples of
    # what the write compares and keeps (no model instance a report)
    existing: dict[tuple[int, int | None], _Existing] = {}
    if ids:
        existing = {
            (r[0], r[1]): r[2:]
            for r in MonthlyReport.objects.filter(InArray(F("project_id"), ids))
            .filter(year=year, month=month)
            .order_by()
            .values_list("project_id", "segment_id", "id", "status", "version", *OLD_FIELDS)
        }
    reporter: dict[int, bool] = {}  # unit id → whether the actor files for it

    def files_for(unit: OrgUnit | None) -> bool:
        if unit is None:
            return False
        if unit.pk not in reporter:
            reporter[unit.pk] = has_role(actor, Role.REPORTER, unit)
        return reporter[unit.pk]

    errors: list[CellError] = []
    parsed: list[_Parsed] = []
    seen: dict[tuple[int, int | None], int] = {}
    for k, raw in enumerate(rows[head + 1 :], start=head + 2):
        if not _filled(raw):
            continue
        row = _Row(k, raw, columns)
        code, name = row.text("项目代码"), row.text("项目名称")
        project: _Named | None = None
        if code:
            project = by_code.get(code)
            if project is None:
                row.error("项目代码", _("没有已确认的项目使用代码“%(v)s”") % {"v": code})
        elif not name:
            row.error("项目名称", _("不能为空"))
        else:
            matches = by_name.get(name, [])
            if len(matches) == 1:
                project = matches[0]
            else:
                msg = (
                    _("没有已确认的项目名为“%(v)s”")
                    if not matches
                    else _("项目名称“%(v)s”不唯一，请填写项目代码")
                )
                row.error("项目名称", msg % {"v": name})
        segment: Segment | None = None
        if project is not None:
            city = row.text("所在市州")
            if project.pk in with_segments:
                segment = segments.get((project.pk, city))
                if segment is None:
                    row.error("所在市州", _("该项目在“%(v)s”没有分段") % {"v": city})
            if segment is not None or project.pk not in with_segments:
                unit = segment.unit if segment else units.get(project.lead_unit_id or 0)
                if not files_for(unit):
                    row.error("项目名称", _("您不是该项目责任单位的填报人"))
                key = (project.pk, segment.pk if segment else None)
                if key in seen:
                    row.error("项目名称", _("与第 %(r)d 行重复") % {"r": seen[key]})
                seen[key] = k
        values = {
            "invested_month": row.amount("本月完成投资（万元）", required=True),
            "invested_ytd": row.amount("年度累计完成投资（万元）", required=True),
            "invested_total": row.amount("开工累计完成投资（万元）", required=True),
            "funds_in_place": row.amount("资金到位（万元）"),
            "progress_text": row.text("形象进度"),
        }
        im, ytd, total = values["invested_month"], values["invested_ytd"], values["invested_total"]
        if im is not None and ytd is not None and im > ytd:
            row.error("本月完成投资（万元）", _("本月完成投资不能大于年度累计。"))
        if ytd is not None and total is not None and ytd > total:
            row.error("年度累计完成投资（万元）", _("年度累计不能大于开工累计。"))
        issues = [t for t in re.split(r"[；;\n]+", row.text("存在问题")) if t.strip()]
        if project is not None and not row.errors:
            report = existing.get((project.pk, segment.pk if segment else None))
            if report is not None and report[1] not in s.EDITABLE_REPORT:
                row.error("项目名称", _("该月报告已报送，不能再导入"))
        errors.extend(row.errors)
        if project is not None:
            parsed.append((project, segment, values, issues))
    if errors:
        raise ImportFailed(errors)
    return _monthly_write(year=year, month=month, actor=actor, parsed=parsed, existing=existing)


OLD_FIELDS = (*s.REPORT_FIELDS, "progress_text")


def _monthly_write(
    *,
    year: int,
    month: int,
    actor: Any,
    parsed: list[_Parsed],
    existing: dict[tuple[int, int | None], _Existing],
) -> ImportResult:
    """Write the checked rows in bulk, in one transaction: new draft reports inserted
    together, reports already there (draft or returned) updated together, each only if
    its version is still the one read (an optimistic lock: a report changed meanwhile —
    edited, submitted, deleted — fails the whole import with ConcurrentUpdate; every
    status change bumps the version, core.workflow.conditional_update), unescalated
    协调事项 replaced, one audit event per report written as the services write them
    (create, update) and one for the import."""
    due = m.report_due(year, month)
    now = timezone.now()
    # a new report's row: every column as a MonthlyReport built with these values would
    # have it (the model's defaults, created_at and updated_at now), COPYed as a tuple —
    # building and filling a model instance a row was most of the write's Python time
    fields = [f for f in MonthlyReport._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    proto = MonthlyReport(
        year=year, month=month, due=due.date, due_official=due.official, created_by=actor
    )
    template = [
        now
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        else getattr(proto, f.attname)
        for f in fields
    ]
    at = {n: i for i, n in enumerate(names)}
    row_at = [at["project_id"], at["segment_id"], at["unit_id"], *(at[f] for f in OLD_FIELDS)]
    n_old = len(OLD_FIELDS)
    with transaction.atomic():
        # new: (project, segment, the row's values, 协调事项); changed: the report's id,
        # its label, 协调事项, its old values (as audited) and the new ones
        new: list[_Parsed] = []
        new_rows: list[list[Any]] = []
        changed: list[tuple[int, str, list[str], dict[str, str], dict[str, Any]]] = []
        update_rows: list[tuple[Any, ...]] = []
        versions: list[int] = []
        for project, segment, values, issues in parsed:
            clean = {**values, "progress_text": str(values["progress_text"] or "").strip()}
            report = existing.get((project.pk, segment.pk if segment else None))
            if report is None:
                row = template.copy()
                unit_id = segment.unit_id if segment is not None else project.lead_unit_id
                seg_id = segment.pk if segment is not None else None
                values_in = (project.pk, seg_id, unit_id, *(clean[f] for f in OLD_FIELDS))
                for i, v in zip(row_at, values_in, strict=True):
                    row[i] = v
                new_rows.append(row)
                new.append((project, segment, clean, issues))
                continue
            pk, _status, version = report[:3]
            # the project and segment the row named, already read: the audit label needs them
            label = s.report_label(project, segment, year, month)
            old = dict(zip(OLD_FIELDS, map(str, report[3 : 3 + n_old]), strict=True))
            update_rows.append((*(clean[f] for f in OLD_FIELDS), version + 1, now))
            versions.append(version)
            changed.append((pk, label, issues, old, clean))
        # the reports read are written only where their version is still the one read:
        # the same statement checks it (no locking re-read); one changed meanwhile stops
        # the import and rolls it back. In the order of their ids, as the locking read
        # took them: two imports over the same reports lock them in the same order
        by_id = sorted(range(len(changed)), key=lambda i: changed[i][0])
        written = values_update(
            MonthlyReport,
            [*OLD_FIELDS, "version", "updated_at"],
            [update_rows[i] for i in by_id],
            [changed[i][0] for i in by_id],
            guard="version",
            expected=[versions[i] for i in by_id],
        )
        if written != len(update_rows):
            raise ConcurrentUpdate(_("该报告已被他人修改，请刷新后重试。"))
        # one COPY (bulk_create compiled every value of every row), the new ids read back
        # by (project, segment), unique within the month
        rows_insert(MonthlyReport, names, new_rows)
        new_ids: dict[tuple[int, int | None], int] = {}
        if new:
            new_ids = {
                (p, g): pk
                for p, g, pk in MonthlyReport.objects.filter(year=year, month=month)
                .order_by()
                .values_list("project_id", "segment_id", "pk")
            }
        created = [
            (new_ids[(p.pk, g.pk if g else None)], p, g, clean, issues)
            for p, g, clean, issues in new
        ]
        # 协调事项: those not escalated are replaced; an escalated one stays with its case
        changed_ids = [c[0] for c in changed]
        kept: set[tuple[int, str]] = set()
        if changed_ids:
            kept = set(
                CoordinationIssue.objects.filter(
                    InArray(F("report_id"), changed_ids), case__isnull=False
                ).values_list("report_id", "text")
            )
            CoordinationIssue.objects.filter(
                InArray(F("report_id"), changed_ids), case__isnull=True
            ).delete()
        rows_insert(
            CoordinationIssue,
            ("report_id", "text", "created_at"),
            [
                (pk, t.strip(), now)
                for pk, issues in [
                    *((pk, i) for pk, _p, _g, _c, i in created),
                    *((pk, i) for pk, _l, i, _o, _n in changed),
                ]
                for t in dict.fromkeys(issues)
                if t.strip() and (pk, t.strip()) not in kept
            ],
        )

        def entries() -> Any:
            for pk, p, g, clean, _i in created:  # one event a report: the file's values
                yield AuditEntry(
                    "monthly_report.create",
                    "projects.monthlyreport",
                    pk,
                    s.report_label(p, g, year, month)[:200],
                    new={"due": str(due.date)} | {f: str(clean[f]) for f in OLD_FIELDS},
                )
            for pk, label, _i, old, clean in changed:
                yield AuditEntry(
                    "monthly_report.update",
                    "projects.monthlyreport",
                    pk,
                    label[:200],
                    old=old,
                    new={f: str(clean[f]) for f in OLD_FIELDS},
                )
            yield AuditEntry(
                "monthly_report.import",
                "projects.monthlyreport",
                "",
                f"{year}-{month:02d}",
                new={"created": len(new), "updated": len(changed)},
            )

        audit_record_many(actor=actor, entries=entries())
    return ImportResult(len(new), len(changed))
