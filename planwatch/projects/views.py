"""Pages of project scheduling: the 台账 (ledger) of a zone or city with filters and its xlsx
export; a project page (plan against actual investment by month, segments, reports, the 专栏
item and its page in the source); the monthly report with its form and review steps."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook
from openpyxl.styles import Font

from planwatch.core.web import refusal_message
from planwatch.core.workflow import ServiceError
from planwatch.core.xlsx import streamed_sheet, text_row, title_row, workbook_bytes
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.projects import evidence, lists, services
from planwatch.projects.choices import (
    LightColour,
    ListSeries,
    ListVerdict,
    ProjectStatus,
    Sector,
    Stage,
)
from planwatch.projects.models import MonthlyReport, Project, QuarterList, Segment
from planwatch.projects.permissions import (
    access_project,
    access_report,
    can_accept,
    can_fill,
    can_manage_project,
    can_review,
    is_insider,
)
from planwatch.projects.selectors import (
    LedgerPage,
    LedgerRow,
    ledger,
    monthly_series,
    project_cities,
    rates,
    reports_for,
    yearly_plans,
)
from planwatch.reports.choices import ReportStatus
from planwatch.reports.evidence import EvidenceLost
from planwatch.tasks.permissions import can_manage_plan


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        number = int(value or default)
    except ValueError:
        return default
    return number if low <= number <= high else default


def _period(request: HttpRequest) -> tuple[int, int]:
    today = timezone.localdate()
    default_month = today.month - 1 or 12
    default_year = today.year if today.month > 1 else today.year - 1
    year = _int(request.GET.get("year"), default_year, 2000, 2100)
    month = _int(request.GET.get("month"), default_month, 1, 12)
    return year, month


def _labels(model: Any, field: str) -> dict[Any, str]:
    """value → label of a field's choices, as `get_<field>_display` gives them."""
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}


def ledger_export(rows: list[LedgerRow], title: str) -> bytes:
    """The 台账 in the usual layout: one row per project, lowest 完成率 first."""
    wb = Workbook(write_only=True)  # streamed row by row (issue 15: spreadsheet speed)
    ws = streamed_sheet(wb, "项目台账")
    ws.freeze_panes = "C3"
    ws.append(title_row(ws, title, Font(bold=True, size=14)))
    ws.append(
        text_row(
            ws,
            [
                "序号",
                "项目名称",
                "项目代码",
                "领域",
                "阶段",
                "第一责任单位",
                "总投资（万元）",
                "年度计划投资（万元）",
                "年度累计完成投资（万元）",
                "完成率（%）",
                "时间进度（%）",
                "差距（百分点）",
                "灯号",
                "方法版本",
            ],
        )
    )
    # The labels of the choices, translated once per file, not once per row (a model's
    # get_FOO_display hashes the lazy choices on every call: a third of the file's time).
    sectors, stages = _labels(Project, "sector"), _labels(Project, "stage")
    lights = {value: str(label) for value, label in LightColour.choices}
    for i, r in enumerate(rows, 1):
        a, p = r.assessment, r.project
        ws.append(
            text_row(
                ws,
                [
                    i,
                    p.name,
                    p.code,
                    sectors.get(p.sector, p.sector),
                    stages.get(p.stage, p.stage),
                    p.lead_unit.name if p.lead_unit else "",
                    p.total_investment,
                    r.annual_plan,
                    r.ytd,
                    None if a.rate is None else round(a.rate * 100, 1),
                    round(a.time_progress * 100, 1),
                    None if a.gap is None else round(a.gap, 1),
                    lights[a.light],
                    a.method_version,
                ],
            )
        )
    return workbook_bytes(wb)


LEDGER_PAGE = 100  # rows of the 台账 per page


@login_required
@require_GET
def ledger_page(request: HttpRequest) -> HttpResponse:
    """The 台账: projects of a zone or a city, lowest 完成率 first, with filters; signed-in
    users with a role see the month's figures and lights, visitors the yearly plan only."""
    year, month = _period(request)
    code = request.GET.get("place", "")
    place = None
    if code:
        place = OrgUnit.objects.filter(
            code=code, kind__in=(OrgUnitKind.ZONE, OrgUnitKind.PREFECTURE)
        ).first()
        if place is None:
            raise Http404
    sector = request.GET.get("sector", "")
    stage = request.GET.get("stage", "")
    light = request.GET.get("light", "")
    insider = is_insider(request.user)
    light = light if insider and light in LightColour.values else ""
    filters: dict[str, Any] = {
        "user": request.user,
        "year": year,
        "month": month,
        "place": place,
        "sector": sector if sector in Sector.values else "",
        "stage": stage if stage in Stage.values else "",
    }
    if request.GET.get("format") == "xlsx":
        if not insider:
            raise Http404
        title = _("%(p)s重大项目台账（%(y)s年%(m)s月）") % {
            "p": place.name if place else _("全省"),
            "y": year,
            "m": month,
        }
        response = HttpResponse(
            ledger_export(ledger(**filters, light=light), title),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''projects-{year}-{month:02d}.xlsx"
        )
        return response
    places = OrgUnit.objects.filter(kind__in=(OrgUnitKind.ZONE, OrgUnitKind.PREFECTURE)).order_by(
        "kind", "sort_order"
    )
    # Every project is assessed and sorted (the lowest 完成率 first, the rates over all of
    # them); the page shows LEDGER_PAGE rows at a time, the xlsx export every row. Without a
    # light filter the database sorts the projects and sums the rates' figures, and Python
    # assesses the page's rows only (LedgerPage); a light is a Python rule (methods.assess),
    # so with one every project is assessed in Python and the matching ones kept.
    source: LedgerPage | list[LedgerRow]
    if light:
        source = ledger(**filters, light=light)
        ledger_rates = rates(source, year, month, source) if insider else None
    else:
        source = LedgerPage(**filters)
        ledger_rates = source.rates() if insider else None
    page = Paginator(source, LEDGER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "projects/ledger.html",
        {
            "rows": page.object_list,
            "page": page,
            "query": query.urlencode(),
            "total": page.paginator.count,
            "year": year,
            "month": month,
            "months": range(1, 13),
            "place": place,
            "places": places,
            "sectors": Sector.choices,
            "stages": Stage.choices,
            "lights": LightColour.choices,
            "sector": sector,
            "stage": stage,
            "light": light,
            "insider": insider,
            "rates": ledger_rates,
        },
    )


@login_required
@require_GET
def detail(request: HttpRequest, project_id: int) -> HttpResponse:
    project = access_project(request.user, project_id)
    year, month = _period(request)
    insider = is_insider(request.user)
    context: dict[str, Any] = {
        "project": project,
        "year": year,
        "month": month,
        "insider": insider,
        "segments": project.segments.select_related("place", "unit"),
        "annual_plans": yearly_plans(project),
        "places": project.places.order_by("sort_order"),
        "segment_check": services.segments_check(project),
        "map": {"cities": project_cities(project), "labels": {"city": _("项目所在市州")}},
    }
    if insider:
        figures = services.project_figures(project, year, month)
        series = monthly_series(project, year)
        context |= {
            "figures": figures,
            "rates": rates([project], year, month),
            "chart": {
                "months": [f"{i}月" for i in range(1, 13)],
                "plan": series["plan"],
                "actual": series["actual"],
                "labels": {"plan": _("计划投资（累计）"), "actual": _("完成投资（累计）")},
            },
            "reports": reports_for(user=request.user, project=project),
            "fillable": _fillable(request.user, project),
            "months": range(1, 13),
            "can_manage": can_manage_project(request.user, project),
            "prefectures": OrgUnit.objects.filter(kind=OrgUnitKind.PREFECTURE).order_by(
                "sort_order"
            ),
        }
    return render(request, "projects/detail.html", context)


def _fillable(user: Any, project: Any) -> list[Segment | None]:
    """The segments (or None: the project itself) the viewer may file a report for."""
    segments = list(project.segments.select_related("place", "unit"))
    if segments:
        return [s for s in segments if can_fill(user, _probe(project, s))]
    if project.lead_unit is not None and can_fill(user, _probe(project, None)):
        return [None]
    return []


def _probe(project: Any, segment: Segment | None) -> MonthlyReport:
    """An unsaved report of `segment` (or the project) to ask who may file it."""
    unit = segment.unit if segment is not None else project.lead_unit
    return MonthlyReport(project=project, segment=segment, unit=unit)


@login_required
@require_POST
def report_start(request: HttpRequest, project_id: int) -> HttpResponse:
    project = access_project(request.user, project_id)
    seg_id = request.POST.get("segment") or None
    segment = project.segments.filter(pk=seg_id).first() if seg_id else None
    if seg_id and segment is None:
        raise Http404
    try:
        report = services.monthly_report_start(
            project=project,
            segment=segment,
            year=_int(request.POST.get("year"), 0, 2000, 2100),
            month=_int(request.POST.get("month"), 0, 1, 12),
            actor=request.user,
        )
    except PermissionDenied:
        raise Http404 from None
    except (ValidationError, ServiceError) as exc:
        refusal_message(request, exc)
        return redirect("projects:detail", project.pk)
    return redirect("projects:report", report.pk)


FORM_FIELDS = (*services.REPORT_FIELDS, "progress_text", "issues")


@login_required
def report_page(request: HttpRequest, report_id: int) -> HttpResponse:
    """The monthly report: one form for the filler while editable, with 保存 and 报送 buttons
    (name=action), and the review steps. A refused save or submit re-renders what was typed
    with each error under its field."""
    report = access_report(request.user, report_id)
    typed: dict[str, str] | None = None
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if not can_fill(request.user, report):
            raise Http404
        typed = {k: request.POST.get(k, "") for k in FORM_FIELDS}
        errors = _save_and_submit(request, report, typed, request.POST.get("action") == "submit")
        if not errors:
            return redirect("projects:report", report.pk)
    status = 400 if errors else 200
    context = _report_context(request, report, typed, errors)
    return render(request, "projects/report.html", context, status=status)


def _save_and_submit(
    request: HttpRequest, report: MonthlyReport, typed: dict[str, str], submit: bool
) -> dict[str, list[str]]:
    """Save what was typed (and submit it, when asked); the refusals by field ("" for the
    form as a whole), empty when all went through."""
    issues = [t for t in typed["issues"].splitlines() if t.strip()]
    try:
        services.monthly_report_update(
            report=report,
            actor=request.user,
            version=_int(request.POST.get("version"), 0, 0, 10**9),
            values={k: typed[k] for k in (*services.REPORT_FIELDS, "progress_text")},
            issues=issues,
        )
        if submit:
            services.monthly_report_submit(report=report, actor=request.user)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            return {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        return {"": list(exc.messages)}
    except ServiceError as exc:
        return {"": [str(exc)]}
    messages.success(request, _("已报送。") if submit else _("已保存。"))
    return {}


def _report_context(
    request: HttpRequest,
    report: MonthlyReport,
    typed: dict[str, str] | None,
    errors: dict[str, list[str]],
) -> dict[str, Any]:
    editable = report.status in services.EDITABLE_REPORT and can_fill(request.user, report)
    steps = []
    if report.status == ReportStatus.SUBMITTED and can_fill(request.user, report):
        steps.append((ReportStatus.DRAFT, _("撤回")))
    if report.status == ReportStatus.SUBMITTED and can_review(request.user, report):
        steps += [(ReportStatus.UNIT_APPROVED, _("审核通过")), (ReportStatus.RETURNED, _("退回"))]
    if report.status == ReportStatus.UNIT_APPROVED and can_accept(request.user, report):
        steps += [(ReportStatus.ACCEPTED, _("采纳")), (ReportStatus.RETURNED, _("退回"))]
    if typed is None:
        typed = {
            k: "" if getattr(report, k) is None else str(getattr(report, k))
            for k in FORM_FIELDS[:-1]
        }
        typed["issues"] = "\n".join(report.issues.values_list("text", flat=True))
    return {
        "report": report,
        "editable": editable,
        "steps": steps,
        "typed": typed,
        "errors": errors,
        "form_errors": errors.get("", []),
        "issues": report.issues.select_related("case"),
        "history": report.history.select_related("actor"),
        "can_escalate": can_manage_project(request.user, report.project),
        "evidence": report.evidence.all(),
    }


@login_required
@require_POST
def report_step(request: HttpRequest, report_id: int) -> HttpResponse:
    report = access_report(request.user, report_id)
    target = request.POST.get("target", "")
    if target not in ReportStatus.values:
        raise Http404
    try:
        services.monthly_report_transition(
            report=report,
            actor=request.user,
            target=target,
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("已更新。"))
    except PermissionDenied:
        raise Http404 from None
    except (ValidationError, ServiceError) as exc:
        refusal_message(request, exc)
    return redirect("projects:report", report.pk)


@login_required
@require_POST
def issue_escalate(request: HttpRequest, report_id: int, issue_id: int) -> HttpResponse:
    report = access_report(request.user, report_id)
    issue = report.issues.filter(pk=issue_id).first()
    if issue is None or not can_manage_project(request.user, report.project):
        raise Http404
    try:
        services.issue_escalate(issue=issue, actor=request.user)
        messages.success(request, _("已立项督办。"))
    except (ValidationError, ServiceError) as exc:
        refusal_message(request, exc)
    return redirect("projects:report", report.pk)


@login_required
def plan_drafts(request: HttpRequest, slug: str) -> HttpResponse:
    """The draft projects of a plan for its planners: generate them from the 专栏 items,
    then confirm or discard each (merging is on the project page)."""
    plan = Plan.objects.filter(slug=slug).select_related("org_unit").first()
    if plan is None or not can_manage_plan(request.user, plan):
        raise Http404
    if request.method == "POST":
        try:
            result = services.project_drafts_generate(plan=plan, actor=request.user)
            messages.success(
                request,
                _("已生成 %(n)d 个项目草稿（跳过已有 %(s)d 个）。")
                % {"n": result.created, "s": result.skipped},
            )
        except (ValidationError, ServiceError, PermissionDenied) as exc:
            refusal_message(request, exc)
        return redirect("projects:plan_drafts", plan.slug)
    drafts = Project.objects.filter(plan=plan, status=ProjectStatus.DRAFT).order_by(
        "source_line", "name"
    )
    return render(request, "projects/drafts.html", {"plan": plan, "drafts": drafts})


@login_required
@require_POST
def project_action(request: HttpRequest, project_id: int, action: str) -> HttpResponse:
    """A planner's change of a project: confirm, discard, merge into another, set a segment
    or an annual plan."""
    project = access_project(request.user, project_id, action="manage")
    post = request.POST
    try:
        if action == "confirm":
            services.project_confirm(project=project, actor=request.user)
        elif action == "discard":
            services.project_discard(project=project, actor=request.user)
        elif action == "merge":
            keep = access_project(
                request.user, _int(post.get("into"), 0, 1, 2**31), action="manage"
            )
            services.project_merge(keep=keep, duplicate=project, actor=request.user)
        elif action == "segment":
            place = OrgUnit.objects.filter(pk=_int(post.get("place"), 0, 1, 2**31)).first()
            unit = OrgUnit.objects.filter(pk=_int(post.get("unit"), 0, 1, 2**31)).first()
            if place is None or unit is None:
                raise ValidationError({"place": _("请选择市州和责任单位。")})
            services.segment_set(
                project=project,
                place=place,
                unit=unit,
                investment=post.get("investment", ""),
                actor=request.user,
            )
        elif action == "annual_plan":
            seg_id = post.get("segment") or None
            segment = project.segments.filter(pk=seg_id).first() if seg_id else None
            services.annual_plan_set(
                project=project,
                segment=segment,
                year=_int(post.get("year"), 0, 2000, 2100),
                amount=post.get("amount", ""),
                actor=request.user,
            )
        else:
            raise Http404
        messages.success(request, _("已更新。"))
    except (ValidationError, ServiceError) as exc:
        refusal_message(request, exc)
    return redirect("projects:detail", project.pk)


# ---------------------------------------------------------------- 红黑榜


def _list_params(source: Any) -> tuple[str, int, int]:
    today = timezone.localdate()
    default_q = (today.month - 1) // 3 or 4
    default_y = today.year if today.month > 3 else today.year - 1
    series = source.get("series", "")
    series = series if series in ListSeries.values else ListSeries.PREFECTURES
    return (
        series,
        _int(source.get("year"), default_y, 2000, 2100),
        _int(source.get("quarter"), default_q, 1, 4),
    )


def _list_zone(source: Any) -> OrgUnit | None:
    """The zone of a zone's list (`zone=<code>`), None for the province's lists."""
    code = source.get("zone", "")
    if not code:
        return None
    zone = OrgUnit.objects.filter(code=code, kind=OrgUnitKind.ZONE).first()
    if zone is None:
        raise Http404
    return zone


def _list_url(series: str, year: int, quarter: int, zone: OrgUnit | None = None) -> str:
    url = f"{reverse('projects:lists')}?series={series}&year={year}&quarter={quarter}"
    return url + (f"&zone={zone.code}" if zone is not None else "")


@login_required
@require_GET
def lists_page(request: HttpRequest) -> HttpResponse:
    """The quarter's 红黑榜 of a series, the province's or a zone's (`zone=`): published
    editions for every signed-in user; the draft, with the forms to compute, exempt and
    publish, and the correction form of a published list, for the planners who run it. A
    correction is shown beside the edition it corrects, with the differences."""
    series, year, quarter = _list_params(request.GET)
    zone = _list_zone(request.GET)
    manager = lists.can_run_lists(request.user, zone)
    editions = list(
        QuarterList.objects.filter(series=series, year=year, quarter=quarter, zone=zone)
        .select_related("previous", "zone")
        .order_by("-edition")
    )
    if not manager:
        editions = [e for e in editions if e.published_at is not None]
    wanted = _int(request.GET.get("edition"), 0, 0, 1000)
    qlist = next((e for e in editions if e.edition == wanted), editions[0] if editions else None)
    latest = editions[0] if editions else None
    entries = list(qlist.entries.select_related("unit", "case")) if qlist else []
    previous = qlist.previous if qlist is not None else None
    previous_entries = (
        list(previous.entries.select_related("unit").exclude(verdict=ListVerdict.NONE))
        if previous is not None
        else []
    )
    published = (
        QuarterList.objects.exclude(published_at=None)
        .select_related("zone")
        .order_by("-year", "-quarter", "series", "zone", "-edition")
    )
    return render(
        request,
        "projects/lists.html",
        {
            "series": series,
            "series_choices": ListSeries.choices,
            "year": year,
            "quarter": quarter,
            "quarters": range(1, 5),
            "zone": zone,
            "zones": OrgUnit.objects.filter(kind=OrgUnitKind.ZONE).order_by("sort_order", "path"),
            "qlist": qlist,
            "editions": editions,
            "is_latest": qlist is not None and qlist == latest,
            "red": [e for e in entries if e.verdict == ListVerdict.RED],
            "black": [e for e in entries if e.verdict == ListVerdict.BLACK],
            "exempt": [e for e in entries if e.verdict == ListVerdict.EXEMPT],
            "entries": entries,
            "previous": previous,
            "previous_entries": previous_entries,
            "changes": lists.list_changes(qlist) if qlist is not None else [],
            "manager": manager,
            "published": published,
        },
    )


@login_required
@require_POST
def lists_action(request: HttpRequest, action: str) -> HttpResponse:
    """The planners who run a list (province-wide, or the zone's) compute the quarter's
    list, state or lift an exemption, publish it, or start the correction of a published
    one (a new edition, with its reason)."""
    zone = _list_zone(request.POST)
    if not lists.can_run_lists(request.user, zone):
        raise Http404
    series, year, quarter = _list_params(request.POST)
    try:
        if action == "compute":
            lists.quarter_list_compute(
                series=series, year=year, quarter=quarter, actor=request.user, zone=zone
            )
            messages.success(request, _("已计算红黑榜。"))
        elif action in ("exempt", "publish", "correct"):
            qlist = lists.latest_edition(series, year, quarter, zone)
            if qlist is None:
                raise Http404
            if action == "exempt":
                unit = OrgUnit.objects.filter(
                    pk=_int(request.POST.get("unit"), 0, 1, 2**31)
                ).first()
                if unit is None:
                    raise Http404
                lists.quarter_list_exempt(
                    quarter_list=qlist,
                    unit=unit,
                    reason=request.POST.get("reason", ""),
                    actor=request.user,
                )
                messages.success(request, _("已更新免于上榜理由并重新计算。"))
            elif action == "correct":
                lists.quarter_list_correct(
                    quarter_list=qlist, actor=request.user, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("已生成更正版草稿，核对后请发布。"))
            else:
                lists.quarter_list_publish(
                    quarter_list=qlist,
                    actor=request.user,
                    version=_int(request.POST.get("version"), 0, 0, 10**9),
                )
                messages.success(request, _("已发布红黑榜。"))
        else:
            raise Http404
    except (ValidationError, ServiceError) as exc:
        refusal_message(request, exc)
    return redirect(_list_url(series, year, quarter, zone))


# ---------------------------------------------------------------- evidence of monthly reports


@login_required
@require_POST
def report_evidence(request: HttpRequest, report_id: int) -> HttpResponse:
    """The filler uploads an evidence file to a draft or returned report."""
    report = access_report(request.user, report_id, action="edit")
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择文件。"))
        return redirect("projects:report", report.pk)
    try:
        evidence.monthly_evidence_add(
            report=report, actor=request.user, name=upload.name or "", content=upload
        )
        messages.success(request, _("已上传佐证材料。"))
    except (ValidationError, ServiceError) as exc:
        refusal_message(request, exc)
    return redirect("projects:report", report.pk)


@login_required
@require_POST
def report_evidence_delete(request: HttpRequest, report_id: int, evidence_id: int) -> HttpResponse:
    report = access_report(request.user, report_id, action="edit")
    found = report.evidence.filter(pk=evidence_id).first()
    if found is None:
        raise Http404
    try:
        evidence.monthly_evidence_remove(evidence=found, actor=request.user)
        messages.success(request, _("已删除。"))
    except (ValidationError, ServiceError) as exc:
        refusal_message(request, exc)
    return redirect("projects:report", report.pk)


@login_required
@require_GET
def report_evidence_file(
    request: HttpRequest, report_id: int, evidence_id: int
) -> HttpResponseBase:
    report = access_report(request.user, report_id)
    found = report.evidence.filter(pk=evidence_id).first()
    if found is None:
        raise Http404
    try:
        handle = evidence.monthly_evidence_open(found)
    except EvidenceLost:
        messages.error(
            request, _("佐证材料“%(name)s”的文件已丢失，请联系管理员。") % {"name": found.name}
        )
        return redirect("projects:report", report.pk)
    return FileResponse(handle, as_attachment=True, filename=found.name)
