"""Taking a document in: upload (the extractor proposes, nothing else is stored but the file
and the proposals), then a person confirms the rows they checked — observations through
`indicators.services.observation_create`, draft projects through
`projects.services.project_draft_create` — or discards the whole proposal."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from planwatch.audit.services import audit_record
from planwatch.core.workflow import conditional_update
from planwatch.indicators.drafting import convert
from planwatch.indicators.models import Indicator
from planwatch.indicators.services import observation_create
from planwatch.intake.choices import IntakeKind, IntakeStatus
from planwatch.intake.matching import units_for_places
from planwatch.intake.models import Intake
from planwatch.intake.permissions import can_upload
from planwatch.orgunits.models import OrgUnit
from planwatch.parsing.errors import ParseError
from planwatch.parsing.extract import observations, projects
from planwatch.parsing.extract.docread import NothingFound, NotText
from planwatch.plans.models import Plan
from planwatch.projects.models import Project
from planwatch.projects.services import annual_plan_set, project_draft_create, project_update

MAX_BYTES = 20 * 1024 * 1024
NOTHING_FOUND = {
    IntakeKind.OBSERVATIONS: gettext_lazy(
        "文件中没有找到指标数值。查找的是统计公报或经济运行情况中的表述，如“全市实现地区生产"
        "总值N亿元，比上年增长N%”，指标包括地区生产总值、规模以上工业增加值、社会消费品零售"
        "总额、常住人口、城镇化率、固定资产投资、一般公共预算收入、居民人均可支配收入等。"
    ),
    IntakeKind.PROJECTS: gettext_lazy(
        "文件中没有找到项目。查找的是重点项目名单：表头含“项目名称”及“总投资”或“建设地点”的"
        "表格（Excel、网页、Word 或文本），或“1.项目名称。建设地点：…；总投资N亿元”式的编号条目。"
    ),
}
# What a file that holds no running text is, for the refusal of a communiqué.
FILE_KINDS = {
    "xlsx": gettext_lazy("Excel 电子表格（XLSX）"),
    "xls": gettext_lazy("Excel 97-2003 电子表格（XLS）"),
    "ods": gettext_lazy("OpenDocument 电子表格（ODS）"),
    "pptx": gettext_lazy("PowerPoint 演示文稿（PPTX）"),
}
NOT_A_COMMUNIQUE = gettext_lazy(
    "该文件是%(what)s，不是统计公报。查找的是统计公报或经济运行情况中指标数值的表述，如“全市"
    "实现地区生产总值N亿元，比上年增长N%%”；请上传统计公报的网页、Word、PDF 或文本文件。"
)
EXTRACTORS = {IntakeKind.OBSERVATIONS: observations.extract, IntakeKind.PROJECTS: projects.extract}


def _audit(actor: Any, action: str, intake: Intake, **kw: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        target_type="intake.intake",
        target_id=intake.pk,
        target_label=intake.name[:200],
        **kw,
    )


def _safe_name(name: str) -> str:
    return Path(name.replace("\\", "/")).name.strip() or "upload"


def extract_bytes(kind: str, data: bytes, name: str) -> dict[str, Any]:
    """What the extractor of `kind` proposes from the file's bytes; ValidationError with the
    extractor's message (naming what it looked for) when the file holds none."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / _safe_name(name)
        path.write_bytes(data)
        try:
            return EXTRACTORS[IntakeKind(kind)](path)
        except NotText as exc:
            what = FILE_KINDS.get(exc.what, exc.what)
            raise ValidationError({"file": NOT_A_COMMUNIQUE % {"what": what}}) from None
        except NothingFound:
            raise ValidationError({"file": NOTHING_FOUND[IntakeKind(kind)]}) from None
        except ParseError as exc:
            raise ValidationError({"file": exc.problem}) from None


def intake_upload(*, actor: Any, kind: str, plan: Plan, name: str, data: bytes) -> Intake:
    """Store an uploaded document with what its extractor proposes."""
    if kind not in IntakeKind.values:
        raise ValidationError({"kind": _("请选择文件类型。")})
    if not can_upload(actor, kind, plan):
        raise PermissionDenied(_("您无权为该规划提取此类数据。"))
    if not data:
        raise ValidationError({"file": _("请选择要上传的文件。")})
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": _("文件超过 20 MB。")})
    proposal = extract_bytes(kind, data, name)
    with transaction.atomic():
        intake = Intake(kind=kind, plan=plan, name=_safe_name(name), proposal=proposal)
        intake.uploaded_by = actor
        intake.file.save(_safe_name(name), ContentFile(data), save=False)
        intake.save()
        _audit(actor, "intake.upload", intake, new={"kind": kind, "items": len(proposal["items"])})
    return intake


def _close(intake: Intake, actor: Any, status: str, result: dict[str, Any]) -> None:
    conditional_update(
        intake,
        expected={"status": IntakeStatus.PROPOSED},
        values={
            "status": status,
            "result": result,
            "confirmed_by": actor,
            "confirmed_at": timezone.now(),
        },
    )


def _require_open(intake: Intake, actor: Any) -> None:
    if intake.status != IntakeStatus.PROPOSED:
        raise ValidationError(_("该文件的提取结果已处理。"))
    if not can_upload(actor, intake.kind, intake.plan):
        raise PermissionDenied(_("您无权为该规划提取此类数据。"))


@dataclass
class ObservationRow:
    """A checked proposal: its index in the proposal, the indicator chosen and the value
    as the clerk left or edited it (in the proposal's unit)."""

    index: int
    indicator: Indicator
    value: float


def intake_observations_confirm(
    *,
    intake: Intake,
    actor: Any,
    place: OrgUnit,
    year: int,
    stage: str,
    rows: list[ObservationRow],
) -> list[int]:
    """Store the checked proposals as observations of `place` in `year`, each citing the
    document with its line and page; all or none."""
    _require_open(intake, actor)
    if not rows:
        raise ValidationError(_("请至少勾选一条数据。"))
    items = intake.proposal["items"]
    created: list[int] = []
    errors: list[str] = []
    with transaction.atomic():
        for row in rows:
            item = items[row.index]
            if row.indicator.plan_id != intake.plan_id:
                raise ValidationError(_("所选指标不属于该规划。"))
            value = convert(row.value, item["unit"], row.indicator.unit or item["unit"])
            if value is None:
                errors.append(
                    _("“%(n)s”的单位%(u)s与指标单位%(i)s不一致")
                    % {
                        "n": item["indicator_as_written"],
                        "u": item["unit"],
                        "i": row.indicator.unit,
                    }
                )
                continue
            obs = observation_create(
                indicator=row.indicator,
                place=place,
                year=year,
                value=value,
                actor=actor,
                source=intake.name,
                stage=stage,
                source_page=item.get("page"),
                source_line=item.get("line"),
            )
            created.append(obs.pk)
        if errors:
            raise ValidationError(errors)
        _close(intake, actor, IntakeStatus.CONFIRMED, {"observations": created})
        _audit(
            actor,
            "intake.confirm",
            intake,
            new={"observations": created, "place": place.pk, "year": year},
        )
    return created


@dataclass
class ProjectRow:
    """A checked project row: the name and amounts as the planner left or edited them (万元),
    and the existing project it is, or None for a new draft."""

    index: int
    name: str
    total_investment: float | None
    annual_investment: float | None
    existing: Project | None = None


def _fill_existing(project: Project, row: ProjectRow, content: str, actor: Any) -> None:
    """The same project already drafted from a 专栏: fill in its investment and its 建设内容
    if unknown."""
    changes: dict[str, Any] = {}
    if project.total_investment is None and row.total_investment is not None:
        changes["total_investment"] = row.total_investment
    if not project.content and content:
        changes["content"] = content
    if changes:
        project_update(project=project, actor=actor, version=project.version, changes=changes)


def intake_projects_confirm(
    *, intake: Intake, actor: Any, year: int | None, rows: list[ProjectRow]
) -> dict[str, list[int]]:
    """New rows become draft projects of the plan, rows matched to an existing project fill
    in what it lacks; the annual planned investment is set for `year` when given."""
    _require_open(intake, actor)
    if not rows:
        raise ValidationError(_("请至少勾选一个项目。"))
    items = intake.proposal["items"]
    created: list[int] = []
    matched: list[int] = []
    with transaction.atomic():
        for row in rows:
            item = items[row.index]
            if row.existing is not None:
                if row.existing.plan_id != intake.plan_id:
                    raise ValidationError(_("所选项目不属于该规划。"))
                _fill_existing(row.existing, row, item.get("content") or "", actor)
                project = row.existing
                matched.append(project.pk)
            else:
                tags = [item["category"]] if item.get("category") else []
                project = project_draft_create(
                    actor=actor,
                    plan=intake.plan,
                    values={
                        "name": row.name,
                        "total_investment": row.total_investment,
                        "content": item.get("content") or "",
                        "tags": tags,
                    },
                    places=units_for_places(item.get("places", [])),
                    source=f"{intake.name} {_where(item['source'])}",
                )
                created.append(project.pk)
            if year is not None and row.annual_investment is not None:
                annual_plan_set(
                    project=project, year=year, amount=row.annual_investment, actor=actor
                )
        result = {"created": created, "matched": matched}
        _close(intake, actor, IntakeStatus.CONFIRMED, result)
        _audit(actor, "intake.confirm", intake, new=result)
    return result


def _where(source: dict[str, Any]) -> str:
    if "sheet" in source:
        return f"{source['sheet']}!{source['row']}"
    line = f"L{source.get('line')}"
    return f"{line} R{source['row']}" if source.get("row") else line


def intake_discard(*, intake: Intake, actor: Any) -> None:
    _require_open(intake, actor)
    with transaction.atomic():
        _close(intake, actor, IntakeStatus.DISCARDED, {})
        _audit(actor, "intake.discard", intake, old={"status": IntakeStatus.PROPOSED})
