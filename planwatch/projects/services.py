"""Writes for major projects: draft them from a plan's 专栏 items, create by hand, confirm,
merge, discard; segments per city and annual investment plans; monthly 调度 reports through
the review path of progress reports (filler → unit reviewer → planner), each change a
conditional UPDATE on (status, version); lights computed under the versioned method, a red
light and an escalated 协调事项 opening a 督办 case. Each service checks who acts and writes
one audit event."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role
from planwatch.audit.services import audit_record
from planwatch.core.workflow import (
    ConcurrentUpdate,
    ServiceError,
    check_transition,
    conditional_update,
)
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.choices import NodeKind
from planwatch.plans.models import Node, NodePlace, Plan
from planwatch.projects import methods as m
from planwatch.projects.choices import LightColour, ProjectStatus, Sector, Stage
from planwatch.projects.models import (
    AnnualInvestmentPlan,
    CoordinationIssue,
    MonthlyReport,
    MonthlyReportTransition,
    Project,
    ProjectLight,
    Segment,
    validate_project_code,
)
from planwatch.projects.permissions import can_manage_project, holds_role
from planwatch.projects.summary import project_figures_refresh
from planwatch.reports.choices import ReportStatus
from planwatch.reports.services import ALLOWED_TRANSITIONS
from planwatch.supervision.choices import CaseStatus, Light
from planwatch.supervision.services import case_open

S = ReportStatus
EDITABLE_REPORT = (S.DRAFT, S.RETURNED)
FIELDS = (
    "name",
    "code",
    "content",
    "sector",
    "stage",
    "lead_unit",
    "total_investment",
    "planned_start",
    "planned_completion",
    "actual_start",
    "actual_completion",
    "in_statistics",
    "tags",
)
CITY_KINDS = ("prefecture",)


def _audit(actor: Any, action: str, obj: Any, label: str, **kw: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        target_type=f"projects.{type(obj).__name__.lower()}",
        target_id=obj.pk,
        target_label=label[:200],
        **kw,
    )


def _require_manager(actor: Any, project: Project) -> None:
    if not can_manage_project(actor, project):
        raise PermissionDenied(_("只有负责该项目的规划处室人员可以执行此操作。"))


def snapshot(project: Project) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in FIELDS:
        v = getattr(project, f"{f}_id" if f == "lead_unit" else f)
        out[f] = v if isinstance(v, (int, bool, list, type(None))) else str(v)
    out["status"] = project.status
    return out


# ---------------------------------------------------------------- registry


@dataclass
class DraftResult:
    created: int
    skipped: int


def project_drafts_generate(*, plan: Plan, actor: Any) -> DraftResult:
    """Each project name the parser found in a 专栏 item of the plan's current version becomes
    a draft project linked to that item (and so to its clause and printed page), placed in
    the cities the item names. Names already drafted from the same item are skipped."""
    if plan.org_unit is not None and not has_role(actor, Role.PLANNER, plan.org_unit):
        raise PermissionDenied(_("只有负责该规划的规划处室人员可以执行此操作。"))
    if plan.current_version_id is None:
        raise ServiceError(_("该规划尚无可用版本。"))
    items = list(
        Node.objects.filter(version_id=plan.current_version_id, kind=NodeKind.BOX_ITEM)
        .exclude(projects=[])
        .order_by("seq")
    )
    places: dict[int, list[int]] = {}
    for link in NodePlace.objects.filter(node__in=items, org_unit__kind__in=CITY_KINDS).values_list(
        "node_id", "org_unit_id"
    ):
        places.setdefault(link[0], []).append(link[1])
    existing = set(
        Project.objects.filter(plan=plan, source_node__in=items).values_list(
            "source_node_id", "name"
        )
    )
    created = skipped = 0
    with transaction.atomic():
        for node in items:
            for name in dict.fromkeys(str(n).strip() for n in node.projects if str(n).strip()):
                if (node.pk, name[:255]) in existing:
                    skipped += 1
                    continue
                p = Project.objects.create(
                    name=name[:255],
                    zone=plan.org_unit,
                    plan=plan,
                    source_node=node,
                    source_line=node.line,
                    source_page=node.page,
                    created_by=actor,
                )
                if places.get(node.pk):
                    p.places.set(places[node.pk])
                created += 1
        audit_record(
            actor=actor,
            action="project.drafts_generate",
            target_type="plans.plan",
            target_id=plan.pk,
            target_label=plan.title[:200],
            new={"created": created, "skipped": skipped},
        )
    return DraftResult(created, skipped)


def _amount(value: Any, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        d = Decimal(str(value).replace(",", "")).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValidationError({field: _("应为数字（万元）。")}) from None
    if d < 0:
        raise ValidationError({field: _("不能为负数。")})
    return d


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """Check and normalise project fields; every bad field named."""
    errors: dict[str, str] = {}
    out = dict(values)
    if "name" in out:
        out["name"] = str(out["name"] or "").strip()
        if not out["name"]:
            errors["name"] = _("请填写项目名称。")
    if "content" in out:
        out["content"] = str(out["content"] or "").strip()
    if out.get("code"):
        out["code"] = str(out["code"]).strip()
        try:
            validate_project_code(out["code"])
        except ValidationError as e:
            errors["code"] = e.messages[0]
    if out.get("sector") and out["sector"] not in Sector.values:
        errors["sector"] = _("领域无效。")
    if out.get("stage") and out["stage"] not in Stage.values:
        errors["stage"] = _("阶段无效。")
    if "total_investment" in out:
        try:
            out["total_investment"] = _amount(out["total_investment"], "total_investment")
        except ValidationError as e:
            errors["total_investment"] = e.message_dict["total_investment"][0]
    if "tags" in out:
        out["tags"] = [str(t).strip() for t in out["tags"] or [] if str(t).strip()]
    for a, b in (("planned_start", "planned_completion"), ("actual_start", "actual_completion")):
        if out.get(a) and out.get(b) and out[b] < out[a]:
            errors[b] = _("竣工日期不能早于开工日期。")
    if errors:
        raise ValidationError(errors)
    return out


def _code_taken(code: str, exclude: int | None = None) -> bool:
    return bool(code) and Project.objects.filter(code=code).exclude(pk=exclude or 0).exists()


def project_create(
    *, actor: Any, zone: OrgUnit | None, values: dict[str, Any], places: list[OrgUnit] | None = None
) -> Project:
    """A project entered by hand: confirmed at once, since a planner typed it."""
    probe = Project(zone=zone)
    _require_manager(actor, probe)
    clean = _clean({"name": "", **values})
    if _code_taken(clean.get("code", "")):
        raise ValidationError({"code": _("该项目代码已被其他项目使用。")})
    with transaction.atomic():
        p = Project.objects.create(
            zone=zone, status=ProjectStatus.CONFIRMED, created_by=actor, **clean
        )
        if places:
            p.places.set(places)
        _audit(actor, "project.create", p, p.name, new=snapshot(p))
    return p


def project_draft_create(
    *,
    actor: Any,
    plan: Plan,
    values: dict[str, Any],
    places: list[OrgUnit] | None = None,
    source: str = "",
) -> Project:
    """A project proposed from an uploaded project list (重点项目名单) for `plan`: a draft of
    the plan's zone, like those drafted from its 专栏, for its planners to confirm, merge or
    discard on the plan's drafts page. `source` (file and row) goes into the audit event."""
    zone = plan.org_unit
    _require_manager(actor, Project(zone=zone))
    clean = _clean({"name": "", **values})
    if _code_taken(clean.get("code", "")):
        raise ValidationError({"code": _("该项目代码已被其他项目使用。")})
    with transaction.atomic():
        p = Project.objects.create(
            zone=zone, plan=plan, status=ProjectStatus.DRAFT, created_by=actor, **clean
        )
        if places:
            p.places.set(places)
        _audit(actor, "project.draft_create", p, p.name, new=snapshot(p) | {"source": source})
    return p


def project_update(
    *, project: Project, actor: Any, version: int, changes: dict[str, Any]
) -> Project:
    _require_manager(actor, project)
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValidationError({k: _("不可修改的字段。") for k in unknown})
    clean = _clean(changes)
    if _code_taken(clean.get("code", ""), exclude=project.pk):
        raise ValidationError({"code": _("该项目代码已被其他项目使用。")})
    if version != project.version:
        raise ConcurrentUpdate(_("该记录已被他人修改或状态已变化，请刷新后重试。"))
    old = snapshot(project)
    with transaction.atomic():
        conditional_update(project, expected={}, values=clean)
        _audit(actor, "project.update", project, project.name, old=old, new=snapshot(project))
    return project


def _move(project: Project, actor: Any, target: str, action: str, **extra: Any) -> Project:
    _require_manager(actor, project)
    if project.status != ProjectStatus.DRAFT:
        raise ServiceError(_("只有待确认的项目可以确认、合并或舍弃。"))
    with transaction.atomic():
        conditional_update(
            project, expected={"status": ProjectStatus.DRAFT}, values={"status": target, **extra}
        )
        new = {"status": target} | {k: getattr(v, "pk", v) for k, v in extra.items()}
        _audit(actor, action, project, project.name, old={"status": ProjectStatus.DRAFT}, new=new)
    return project


def project_confirm(*, project: Project, actor: Any) -> Project:
    return _move(project, actor, ProjectStatus.CONFIRMED, "project.confirm")


def project_discard(*, project: Project, actor: Any) -> Project:
    return _move(project, actor, ProjectStatus.DISCARDED, "project.discard")


def project_merge(*, keep: Project, duplicate: Project, actor: Any) -> Project:
    """The same project named in two plans: the duplicate draft points to the one kept, whose
    places gain the duplicate's."""
    _require_manager(actor, keep)
    if keep.pk == duplicate.pk or keep.merged_into_id is not None:
        raise ServiceError(_("不能合并到该项目。"))
    with transaction.atomic():
        _move(duplicate, actor, ProjectStatus.DISCARDED, "project.merge", merged_into=keep)
        keep.places.add(*duplicate.places.all())
    return keep


def segment_set(
    *, project: Project, place: OrgUnit, unit: OrgUnit, investment: Any, actor: Any
) -> Segment:
    """Add or change the segment of `project` in city `place`."""
    _require_manager(actor, project)
    amount = _amount(investment, "investment")
    with transaction.atomic():
        seg, _created = Segment.objects.update_or_create(
            project=project, place=place, defaults={"unit": unit, "investment": amount}
        )
        project.places.add(place)
        _audit(
            actor,
            "project.segment_set",
            project,
            project.name,
            new={"place": place.name, "unit": unit.name, "investment": str(amount)},
        )
    return seg


@dataclass
class SegmentCheck:
    total: Decimal | None
    segments: Decimal
    ok: bool


def segments_check(project: Project) -> SegmentCheck:
    """The project's total investment against the sum of its segments'."""
    total = project.segments.aggregate(s=Sum("investment"))["s"] or Decimal(0)
    ok = project.total_investment is None or not project.segments.exists()
    ok = ok or total == project.total_investment
    return SegmentCheck(project.total_investment, total, ok)


def annual_plan_set(
    *,
    project: Project,
    year: int,
    amount: Any,
    actor: Any,
    segment: Segment | None = None,
    monthly: list[Any] | None = None,
    planned_start: bool = False,
    planned_completion: bool = False,
) -> AnnualInvestmentPlan:
    """The investment planned for `project` (or `segment`) in `year`; `monthly`, when given,
    is twelve month-end cumulative amounts ending at the annual amount."""
    _require_manager(actor, project)
    if segment is not None and segment.project_id != project.pk:
        raise ValidationError({"segment": _("分段不属于该项目。")})
    value = _amount(amount, "amount")
    if value is None:
        raise ValidationError({"amount": _("请填写年度计划投资。")})
    months: list[str] | None = None
    if monthly:
        if len(monthly) != 12:
            raise ValidationError({"monthly": _("分月计划应有 12 个月。")})
        cleaned = [_amount(x, "monthly") or Decimal(0) for x in monthly]
        if any(b < a for a, b in itertools.pairwise(cleaned)):
            raise ValidationError({"monthly": _("分月计划应为逐月累计数，不能减少。")})
        if cleaned[-1] != value:
            raise ValidationError({"monthly": _("12 月累计计划应等于年度计划投资。")})
        months = [str(x) for x in cleaned]
    with transaction.atomic():
        plan, _c = AnnualInvestmentPlan.objects.update_or_create(
            project=project,
            segment=segment,
            year=year,
            defaults={
                "amount": value,
                "monthly": months,
                "planned_start": planned_start,
                "planned_completion": planned_completion,
            },
        )
        _audit(
            actor,
            "project.annual_plan_set",
            project,
            project.name,
            new={"year": year, "segment": segment.pk if segment else None, "amount": str(value)},
        )
    return plan


# ---------------------------------------------------------------- monthly reports


def monthly_report_start(
    *, project: Project, year: int, month: int, actor: Any, segment: Segment | None = None
) -> MonthlyReport:
    """Open the draft report of a confirmed project (or its segment) for (year, month), filed
    by the segment's responsible unit (else the project's 第一责任单位)."""
    if project.status != ProjectStatus.CONFIRMED:
        raise ServiceError(_("项目尚未确认，不能填报。"))
    if segment is not None and segment.project_id != project.pk:
        raise ValidationError({"segment": _("分段不属于该项目。")})
    if segment is None and project.segments.exists():
        raise ValidationError({"segment": _("分段建设的项目按分段填报。")})
    unit = segment.unit if segment is not None else project.lead_unit
    if unit is None or not has_role(actor, Role.REPORTER, unit):
        raise PermissionDenied(_("只有该项目责任单位的填报人可以填报。"))
    if not 1 <= month <= 12:
        raise ValidationError({"month": _("月份应为 1 到 12。")})
    due = m.report_due(year, month)
    with transaction.atomic():
        if MonthlyReport.objects.filter(
            project=project, segment=segment, year=year, month=month
        ).exists():
            raise ServiceError(_("该月的调度报告已存在。"))
        report = MonthlyReport.objects.create(
            project=project,
            segment=segment,
            unit=unit,
            year=year,
            month=month,
            due=due.date,
            due_official=due.official,
            created_by=actor,
        )
        _audit(actor, "monthly_report.create", report, _label(report), new={"due": str(due.date)})
    return report


def _label(report: MonthlyReport) -> str:
    return report_label(report.project, report.segment, report.year, report.month)


class _Named(Protocol):
    @property
    def name(self) -> str: ...


def report_label(project: _Named, segment: Segment | None, year: int, month: int) -> str:
    """The audit label of the monthly report of (project, segment, year, month): `project`
    a Project or anything with its name (the monthly import reads projects as tuples)."""
    where = f" · {segment.place.name}" if segment is not None else ""
    return f"{project.name[:60]}{where} · {year}-{month:02d}"


REPORT_FIELDS = ("invested_month", "invested_ytd", "invested_total", "funds_in_place")


def monthly_report_update(
    *,
    report: MonthlyReport,
    actor: Any,
    version: int,
    values: dict[str, Any],
    issues: list[str] | None = None,
) -> MonthlyReport:
    """Save the filler's figures (万元), 形象进度 and 协调事项 of a draft or returned report."""
    if not holds_role(actor, report, Role.REPORTER):
        raise PermissionDenied(_("只有本单位填报人可以修改报告。"))
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for f in REPORT_FIELDS:
        try:
            clean[f] = _amount(values.get(f), f)
        except ValidationError as e:
            errors[f] = e.message_dict[f][0]
    ytd, month_amount, total = (
        clean["invested_ytd"],
        clean["invested_month"],
        clean["invested_total"],
    )
    if ytd is not None and month_amount is not None and month_amount > ytd:
        errors["invested_month"] = _("本月完成投资不能大于年度累计。")
    if ytd is not None and total is not None and ytd > total:
        errors["invested_ytd"] = _("年度累计不能大于开工累计。")
    if errors:
        raise ValidationError(errors)
    clean["progress_text"] = str(values.get("progress_text") or "").strip()
    clean["updated_at"] = timezone.now()
    if report.status not in EDITABLE_REPORT:
        raise ServiceError(_("报告已报送或已采纳，不能修改。"))
    if version != report.version:
        raise ConcurrentUpdate(_("该报告已被他人修改，请刷新后重试。"))
    with transaction.atomic():
        old = {f: str(getattr(report, f)) for f in (*REPORT_FIELDS, "progress_text")}
        conditional_update(report, expected={"status__in": EDITABLE_REPORT}, values=clean)
        if issues is not None:
            report.issues.filter(case__isnull=True).delete()
            kept = set(report.issues.values_list("text", flat=True))
            CoordinationIssue.objects.bulk_create(
                CoordinationIssue(report=report, text=t.strip())
                for t in dict.fromkeys(issues)
                if t.strip() and t.strip() not in kept
            )
        new = {f: str(clean[f]) for f in old}
        _audit(actor, "monthly_report.update", report, _label(report), old=old, new=new)
    return report


def monthly_report_transition(
    *, report: MonthlyReport, actor: Any, target: str, reason: str = "", now: datetime | None = None
) -> MonthlyReport:
    """Move a report along the progress reports' review path (ALLOWED_TRANSITIONS of
    planwatch.reports.services); a return needs a reason."""
    role = check_transition(ALLOWED_TRANSITIONS, current=report.status, target=target)
    if not holds_role(actor, report, role):
        raise PermissionDenied(_("您无权执行此操作。"))
    if target == S.RETURNED and not reason.strip():
        raise ValidationError({"reason": _("退回时必须说明原因。")})
    if target == S.SUBMITTED:
        missing = {
            f: _("请填写此项。")
            for f in ("invested_month", "invested_ytd", "invested_total")
            if getattr(report, f) is None
        }
        if not report.progress_text:
            missing["progress_text"] = _("请填写形象进度。")
        if missing:
            raise ValidationError(missing)
    now = now or timezone.now()
    values: dict[str, Any] = {"status": target, "updated_at": now}
    if target == S.SUBMITTED:
        values["submitted_at"] = now
    elif target == S.RETURNED:
        values["return_reason"] = reason.strip()
    elif target == S.ACCEPTED:
        values["accepted_at"] = now
    elif target == S.DRAFT:  # withdrawn (撤回) by the filler before review
        values["submitted_at"] = None
    old = report.status
    with transaction.atomic():
        conditional_update(report, expected={"status": old}, values=values)
        if S.ACCEPTED in (old, target):
            # its figures now count (or, were an accepted report ever moved on, no longer)
            project_figures_refresh(project_id=report.project_id, year=report.year)
        MonthlyReportTransition.objects.create(
            report=report,
            from_status=old,
            to_status=target,
            actor=actor,
            reason=reason.strip(),
            created_at=now,
        )
        new = {"status": target, "reason": reason.strip()} if reason.strip() else {"status": target}
        changes = {"old": {"status": old}, "new": new}
        if (old, target) == (S.SUBMITTED, S.DRAFT):
            _audit(actor, "monthly_report.withdraw", report, _label(report), **changes)
        else:
            _audit(actor, f"monthly_report.{target}", report, _label(report), **changes)
    return report


def monthly_report_submit(*, report: MonthlyReport, actor: Any) -> MonthlyReport:
    return monthly_report_transition(report=report, actor=actor, target=S.SUBMITTED)


def monthly_report_withdraw(*, report: MonthlyReport, actor: Any) -> MonthlyReport:
    """The filler takes a submitted report back (撤回) before its reviewer acts."""
    return monthly_report_transition(report=report, actor=actor, target=S.DRAFT)


def monthly_report_approve(*, report: MonthlyReport, actor: Any) -> MonthlyReport:
    return monthly_report_transition(report=report, actor=actor, target=S.UNIT_APPROVED)


def monthly_report_accept(*, report: MonthlyReport, actor: Any) -> MonthlyReport:
    return monthly_report_transition(report=report, actor=actor, target=S.ACCEPTED)


def monthly_report_return(*, report: MonthlyReport, actor: Any, reason: str) -> MonthlyReport:
    return monthly_report_transition(report=report, actor=actor, target=S.RETURNED, reason=reason)


# ---------------------------------------------------------------- figures and lights


@dataclass
class Figures:
    """A project's figures for (year, month): the annual plan and the YTD investment from its
    accepted reports (segments summed), and what the method says about them."""

    annual_plan: Decimal
    ytd: Decimal
    assessment: m.Assessment


def project_figures(
    project: Project, year: int, month: int, method: m.Method = m.DEFAULT_METHOD
) -> Figures:
    segments = list(project.segments.all())
    plans = AnnualInvestmentPlan.objects.filter(project=project, year=year)
    if segments:
        plan_total = plans.filter(segment__isnull=False).aggregate(s=Sum("amount"))["s"]
    else:
        plan_total = plans.filter(segment__isnull=True).aggregate(s=Sum("amount"))["s"]
    accepted = MonthlyReport.objects.filter(
        project=project, year=year, month__lte=month, status=S.ACCEPTED
    ).order_by("segment_id", "month")
    latest: dict[int | None, Decimal] = {}
    for r in accepted:
        latest[r.segment_id] = r.invested_ytd or Decimal(0)
    ytd = sum(latest.values(), Decimal(0))
    annual = plan_total or Decimal(0)
    started = project.actual_start is not None or ytd > 0
    a = m.assess(
        year=year,
        month=month,
        ytd=float(ytd),
        annual_plan=float(annual),
        started=started,
        planned_start=project.planned_start,
        method=method,
    )
    return Figures(annual, ytd, a)


def light_compute(
    *,
    project: Project,
    year: int,
    month: int,
    now: datetime | None = None,
    method: m.Method = m.DEFAULT_METHOD,
) -> ProjectLight:
    """Store the project's light for (year, month) with its figures and method version; a red
    light opens a 督办 case (on projects that come from a plan, whose planners run cases)."""
    now = now or timezone.now()
    fig = project_figures(project, year, month, method)
    a = fig.assessment
    with transaction.atomic():
        light, _c = ProjectLight.objects.update_or_create(
            project=project,
            year=year,
            month=month,
            defaults={
                "annual_plan": fig.annual_plan,
                "ytd": fig.ytd,
                "rate": a.rate,
                "time_progress": a.time_progress,
                "gap": a.gap,
                "light": a.light,
                "reason": a.reason,
                "method_version": a.method_version,
                "computed_at": now,
            },
        )
        still_open = (
            ProjectLight.objects.filter(project=project, case__isnull=False)
            .exclude(pk=light.pk)
            .exclude(case__status=CaseStatus.CLOSED)
            .order_by("-year", "-month")
            .values_list("case_id", flat=True)
            .first()
        )
        red = a.light == LightColour.RED and project.plan_id is not None
        if red and light.case_id is None and still_open is not None:
            # still red: the case opened by an earlier month's red light is still open
            ProjectLight.objects.filter(pk=light.pk).update(case_id=still_open)
            light.case_id = still_open
        elif red and light.case_id is None:
            title = _("项目预警：%(n)s%(y)s年%(m)s月红灯") % {
                "n": project.name,
                "y": year,
                "m": month,
            }
            reason = _("完成率 %(r)s，时间进度 %(t)s，差距 %(g)s 个百分点（方法 %(v)s）。") % {
                "r": "—" if a.rate is None else f"{a.rate:.1%}",
                "t": f"{a.time_progress:.1%}",
                "g": "—" if a.gap is None else f"{a.gap:.1f}",
                "v": a.method_version,
            }
            if a.reason == "not_started":
                reason = _("计划 %(d)s 开工，至今未开工（方法 %(v)s）。") % {
                    "d": project.planned_start,
                    "v": a.method_version,
                }
            case, _created = case_open(
                subject=light,
                plan=project.plan,
                title=title,
                year=year,
                unit=project.lead_unit,
                light=Light.RED,
                reason=reason,
                actor=None,
                now=now,
            )
            ProjectLight.objects.filter(pk=light.pk).update(case=case)
            light.case = case
            _audit(None, "project.warning", project, project.name, new={"case": case.pk})
    return light


@dataclass
class LightsRun:
    """What `lights_compute_all` did: the lights stored by colour, and how many of them
    carry a 督办 case."""

    counts: dict[str, int]
    with_case: int


def figures_all(
    projects: list[Project], year: int, month: int, method: m.Method = m.DEFAULT_METHOD
) -> dict[int, Figures]:
    """`project_figures` of many projects in three queries (segments, annual plans, accepted
    reports), with the same rules: a segmented project's plan is its segments' plans, its
    YTD the sum of each segment's latest accepted report up to `month`."""
    ids = [p.pk for p in projects]
    segmented = set(Segment.objects.filter(project_id__in=ids).values_list("project_id", flat=True))
    plan: dict[int, Decimal] = {}
    for pid, sid, amount in AnnualInvestmentPlan.objects.filter(
        project_id__in=ids, year=year
    ).values_list("project_id", "segment_id", "amount"):
        if (sid is not None) == (pid in segmented):
            plan[pid] = plan.get(pid, Decimal(0)) + amount
    latest: dict[tuple[int, int | None], Decimal] = {}
    for pid, sid, ytd in (
        MonthlyReport.objects.filter(
            project_id__in=ids, year=year, month__lte=month, status=S.ACCEPTED
        )
        .order_by("month")
        .values_list("project_id", "segment_id", "invested_ytd")
    ):
        latest[(pid, sid)] = ytd or Decimal(0)
    ytd_of: dict[int, Decimal] = {}
    for (pid, _sid), v in latest.items():
        ytd_of[pid] = ytd_of.get(pid, Decimal(0)) + v
    out: dict[int, Figures] = {}
    for p in projects:
        annual, ytd = plan.get(p.pk, Decimal(0)), ytd_of.get(p.pk, Decimal(0))
        a = m.assess(
            year=year,
            month=month,
            ytd=float(ytd),
            annual_plan=float(annual),
            started=p.actual_start is not None or ytd > 0,
            planned_start=p.planned_start,
            method=method,
        )
        out[p.pk] = Figures(annual, ytd, a)
    return out


LIGHT_FIELDS = (
    "annual_plan",
    "ytd",
    "rate",
    "time_progress",
    "gap",
    "light",
    "reason",
    "method_version",
    "computed_at",
)


def lights_compute_all(
    *,
    projects: list[Project],
    year: int,
    month: int,
    now: datetime | None = None,
    method: m.Method = m.DEFAULT_METHOD,
    batch_size: int = 2000,
) -> LightsRun:
    """`light_compute` for many projects at once, set-based: the figures in three queries,
    the cases of the month's stored lights read in one, the lights written by an upsert (one
    INSERT … ON CONFLICT DO UPDATE per batch), a red project still under an open case of an
    earlier month linked to it in two more.
    Only a project turning red without an open case goes through `light_compute`, which
    opens its case."""
    now = now or timezone.now()
    figures = figures_all(projects, year, month, method)
    ids = [p.pk for p in projects]
    with transaction.atomic():
        had_case = dict(
            ProjectLight.objects.filter(
                project_id__in=ids, year=year, month=month, case__isnull=False
            ).values_list("project_id", "case_id")
        )
        rows = []
        for p in projects:
            fig = figures[p.pk]
            a = fig.assessment
            rows.append(
                ProjectLight(
                    project_id=p.pk,
                    year=year,
                    month=month,
                    annual_plan=fig.annual_plan,
                    ytd=fig.ytd,
                    rate=a.rate,
                    time_progress=a.time_progress,
                    gap=a.gap,
                    light=a.light,
                    reason=a.reason,
                    method_version=a.method_version,
                    computed_at=now,
                    case_id=had_case.get(p.pk),
                )
            )
        # One INSERT … ON CONFLICT (project, year, month) DO UPDATE per batch: the month's
        # light is stored or replaced, its case kept.
        ProjectLight.objects.bulk_create(
            rows,
            batch_size=batch_size,
            update_conflicts=True,
            unique_fields=("project", "year", "month"),
            update_fields=LIGHT_FIELDS,
        )
        stored = {light.project_id: light for light in rows}
        red = [
            p
            for p in projects
            if figures[p.pk].assessment.light == LightColour.RED
            and p.plan_id is not None
            and p.pk not in had_case
        ]
        open_case: dict[int, int] = {}
        for pid, case_id in (
            ProjectLight.objects.filter(project_id__in=[p.pk for p in red], case__isnull=False)
            .exclude(year=year, month=month)
            .exclude(case__status=CaseStatus.CLOSED)
            .order_by("project_id", "-year", "-month")
            .values_list("project_id", "case_id")
        ):
            open_case.setdefault(pid, case_id)
        for pid, case_id in open_case.items():
            stored[pid].case_id = case_id
        if open_case:
            ProjectLight.objects.filter(
                project_id__in=list(open_case), year=year, month=month
            ).update(
                case_id=Case(
                    *(When(project_id=pid, then=Value(cid)) for pid, cid in open_case.items())
                )
            )
        for p in red:
            if p.pk not in open_case:
                stored[p.pk] = light_compute(
                    project=p, year=year, month=month, now=now, method=method
                )
    counts = {c: 0 for c in LightColour.values}
    for light in stored.values():
        counts[light.light] += 1
    return LightsRun(counts, sum(1 for light in stored.values() if light.case_id is not None))


def issue_escalate(*, issue: CoordinationIssue, actor: Any, now: datetime | None = None) -> Any:
    """Escalate a 协调事项 to a 督办 case (by a planner of the project)."""
    report = issue.report
    project = report.project
    _require_manager(actor, project)
    if project.plan is None:
        raise ServiceError(_("该项目不属于任何规划，不能立项督办。"))
    if issue.case_id is not None:
        return issue.case
    title = _("项目协调事项：%(n)s（%(y)s年%(m)s月）") % {
        "n": project.name,
        "y": report.year,
        "m": report.month,
    }
    with transaction.atomic():
        case, _created = case_open(
            subject=issue,
            plan=project.plan,
            title=title,
            year=report.year,
            unit=project.lead_unit,
            light=Light.YELLOW,
            reason=issue.text,
            actor=actor,
            now=now,
        )
        CoordinationIssue.objects.filter(pk=issue.pk).update(case=case)
        issue.case = case
        _audit(actor, "project.issue_escalate", project, project.name, new={"case": case.pk})
    return case


def double_half_check(*, projects: list[Project], year: int) -> m.DoubleHalf:
    """双过半 at the end of June for `projects`: investment and starts, with the projects
    below half named."""
    method = m.DEFAULT_METHOD
    rows = []
    for p in projects:
        fig = project_figures(p, year, method.double_half_month, method)
        planned_start = p.planned_start is not None and p.planned_start.year == year
        started = p.actual_start is not None and p.actual_start <= date(year, 6, 30)
        rows.append(
            m.DoubleHalfRow(
                p.name,
                ytd=float(fig.ytd),
                annual_plan=float(fig.annual_plan),
                planned_start_this_year=planned_start,
                started=started,
            )
        )
    return m.double_half(rows, method)
