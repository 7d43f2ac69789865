"""Tasks, annual key-task lists (with their xlsx export and import), progress reports (with
their evidence files) and 督办 cases: list, detail and workflow actions. Signed in only
(token or session): task data is not public until a public portal exists. Every read starts
from the viewer's scope (the selectors); every object is loaded through its access helper,
so a missing object and one outside the caller's scope both answer 404. Actions take the
`version` the caller read and answer 409 when it is stale."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Status, UploadedFile
from ninja.errors import HttpError
from ninja.params.functions import File, Form, Query
from ninja.utils import check_csrf

from planwatch.api.auth import caller, signed_in
from planwatch.api.implementation_schemas import (
    AnnualListCreateIn,
    AnnualListDetailOut,
    AnnualListPage,
    CaseActionIn,
    CaseDetailOut,
    CasePage,
    CellProblem,
    EvidenceOut,
    GenerateOut,
    ImportOut,
    ReasonIn,
    ReportDetailOut,
    ReportPage,
    ReportStartIn,
    ReportUpdateIn,
    TaskDetailOut,
    TaskPage,
    VersionIn,
)
from planwatch.api.schemas import ErrorOut, PlanRef, UnitRef
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.reports import services as reports
from planwatch.reports.choices import ReportStatus
from planwatch.reports.evidence import evidence_add, evidence_remove
from planwatch.reports.models import Evidence, ProgressReport
from planwatch.reports.permissions import access_report
from planwatch.reports.selectors import report_list_for
from planwatch.supervision import services as cases
from planwatch.supervision.choices import CaseStatus, Light
from planwatch.supervision.models import SupervisionCase
from planwatch.supervision.permissions import access_case
from planwatch.supervision.selectors import case_list_for
from planwatch.tasks import xlsx
from planwatch.tasks.choices import TaskStatus
from planwatch.tasks.models import AnnualList, Task
from planwatch.tasks.permissions import access_annual_list, access_task, plans_managed_q
from planwatch.tasks.selectors import TaskFilters, annual_list_list_for, task_list_for
from planwatch.tasks.services import (
    annual_list_get_or_create,
    annual_list_issue,
    annual_list_set_frequency,
    task_drafts_generate,
)
from planwatch.tasks.workflow import ConcurrentUpdate, ServiceError

router = Router(tags=["implementation"], auth=signed_in)
SIGNED_IN = {"x-access": "signed-in"}
READ: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
ACT: dict[int, Any] = {**READ, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut}
LIMIT = Query(50, ge=1, le=500, description="Items per page.")
OFFSET = Query(0, ge=0, le=10_000_000, description="Items to skip.")
ID = Query(None, ge=1, le=2_000_000_000)
XLSX_FILE = File(..., description="The xlsx file, laid out like the export.")
EVIDENCE_FILE = File(..., description="The evidence file.")
VERSION_FORM = Form(..., ge=1, le=2_000_000_000, description="The version the caller read.")
V = TypeVar("V", bound=Callable[..., Any])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OCTET = "application/octet-stream"
# Evidence kinds (planwatch.reports.evidence.SIGNATURES) → the type a download is served as.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": XLSX,
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "ofd": "application/ofd",
}


def _read(path: str, out: Any, *, summary: str, description: str) -> Callable[[V], V]:
    """Register a signed-in GET answering `out`."""
    return router.get(
        path,
        response={200: out, **READ},
        openapi_extra=SIGNED_IN,
        summary=summary,
        description=description,
    )


def _act(
    path: str,
    out: Any,
    *,
    summary: str,
    description: str,
    method: str = "POST",
    status: int = 200,
    openapi: dict[str, Any] | None = None,
) -> Callable[[V], V]:
    """Register a signed-in workflow action answering `out` with `status`, or an error
    (`openapi` is merged into the operation's document)."""
    return router.api_operation(
        [method],
        path,
        response={status: out, **ACT},
        openapi_extra={**SIGNED_IN, **(openapi or {})},
        summary=summary,
        description=description,
    )


def _download(
    path: str, content_types: list[str], *, summary: str, description: str, url_name: str
) -> Callable[[V], V]:
    """Register a signed-in GET answering a file of one of `content_types`."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    content = {"content": {t: binary for t in content_types}}
    return router.get(
        path,
        response={200: None, **READ},
        openapi_extra={**SIGNED_IN, "responses": {200: {"description": "The file."} | content}},
        summary=summary,
        description=description,
        url_name=url_name,
    )


def _unit(u: OrgUnit | None) -> UnitRef | None:
    return UnitRef(code=u.code, name=u.name) if u is not None else None


def _page(items: list[Any], count: int, limit: int, offset: int) -> dict[str, Any]:
    return {"count": count, "limit": limit, "offset": offset, "items": items}


@contextmanager
def _service_errors() -> Iterator[None]:
    """Service refusals in the one error shape: stale or concurrent → 409, a step the
    state does not allow → 409, bad input → 422, a role the step needs → 403."""
    try:
        yield
    except ValidationError as exc:
        raise HttpError(422, "；".join(exc.messages)) from None
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "forbidden") from None
    except ServiceError as exc:
        raise HttpError(409, str(exc)) from None


def _require_csrf(request: HttpRequest) -> None:
    """Browsers acting with their session must pass Django's CSRF check (django-ninja
    exempts its views); scripts with a bearer token need not."""
    if "Authorization" not in request.headers and check_csrf(request) is not None:
        raise HttpError(403, "CSRF verification failed")


def _guard(request: HttpRequest, version: int, current: int) -> None:
    """CSRF for sessions, then the version: one other than the stored one is stale."""
    _require_csrf(request)
    if version != current:
        raise HttpError(409, str(ConcurrentUpdate("stale version")))


def task_out(t: Task, *, detail: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": t.pk,
        "plan": PlanRef(id=t.plan.pk, slug=t.plan.slug, title=t.plan.title),
        "list_id": t.annual_list_id,
        "year": t.year,
        "seq": t.seq,
        "title": t.title,
        "clause_key": t.clause_key,
        "lead_unit": _unit(t.lead_unit),
        "responsible_units": [_unit(u) for u in t.responsible_units.all()],
        "start": t.start,
        "deadline": t.deadline,
        "status": t.status,
        "version": t.version,
    }
    if detail:
        out |= {
            "content": t.content,
            "criterion": t.criterion,
            "weight": float(t.weight),
            "supporting_units": [_unit(u) for u in t.supporting_units.all()],
        }
    return out


def list_out(a: AnnualList) -> dict[str, Any]:
    return {
        "id": a.pk,
        "plan": PlanRef(id=a.plan.pk, slug=a.plan.slug, title=a.plan.title),
        "year": a.year,
        "status": a.status,
        "frequency": a.frequency,
        "issued_number": a.issued_number,
        "issued_at": a.issued_at,
        "version": a.version,
    }


def evidence_out(e: Evidence) -> dict[str, Any]:
    url = reverse("api-v1:report_evidence_file", args=(e.report_id, e.pk))
    fields = ("id", "name", "size", "kind", "sha256", "uploaded_at")
    return {f: getattr(e, f) for f in fields} | {
        "content_type": CONTENT_TYPES.get(e.kind, OCTET),
        "download_url": url,
    }


def report_out(r: ProgressReport, *, detail: bool = False) -> dict[str, Any]:
    evidence = [evidence_out(e) for e in r.evidence.all()] if detail else []
    return {
        **{f: getattr(r, f) for f in ("id", "task_id", "period_start", "period_end")},
        **{f: getattr(r, f) for f in ("period_label", "due", "revision", "is_current")},
        **{f: getattr(r, f) for f in ("progress_status", "status", "version", "narrative")},
        **{f: getattr(r, f) for f in ("return_reason", "submitted_at", "accepted_at")},
        "task_title": r.task.title,
        "unit": _unit(r.unit),
        "completion": float(r.completion) if r.completion is not None else None,
        "evidence": evidence,
    }


def case_out(c: SupervisionCase) -> dict[str, Any]:
    return {
        **{f: getattr(c, f) for f in ("id", "task_id", "status", "light", "ack_due")},
        **{f: getattr(c, f) for f in ("feedback_due", "opened_at", "closed_at", "version")},
        "reason": c.reason,
        "feedback": c.feedback,
        "task_title": c.task.title,
        "unit": _unit(c.unit),
    }


@_read(
    "/tasks",
    TaskPage,
    summary="List tasks",
    description="Access: signed in. The tasks the caller may see (planners: their plans; "
    "leaders: their zone; units: tasks they lead, report on or support, once issued).",
)
def task_list(
    request: HttpRequest,
    plan_id: int | None = ID,
    year: int | None = Query(None, ge=1900, le=2200),
    status: TaskStatus | None = None,
    light: Light | None = None,
    limit: int = LIMIT,
    offset: int = OFFSET,
) -> Any:
    filters = TaskFilters()
    for key, value in (("plan_id", plan_id), ("year", year), ("status", status), ("light", light)):
        if value is not None:
            filters[key] = value  # type: ignore[literal-required]
    qs = task_list_for(user=caller(request), filters=filters)
    items = [task_out(t) for t in qs[offset : offset + limit]]
    return _page(items, qs.count(), limit, offset)


@_read(
    "/tasks/{task_id}",
    TaskDetailOut,
    summary="One task",
    description="Access: signed in, within the caller's scope (else 404).",
)
def task_detail(request: HttpRequest, task_id: int) -> Any:
    return task_out(access_task(caller(request), task_id, action="view"), detail=True)


@_read(
    "/lists",
    AnnualListPage,
    summary="List annual key-task lists",
    description="Access: signed in. Lists of the plans the caller plans or leads.",
)
def annual_list_list(request: HttpRequest, limit: int = LIMIT, offset: int = OFFSET) -> Any:
    lists = annual_list_list_for(user=caller(request))
    items = [list_out(a) for a in lists[offset : offset + limit]]
    return _page(items, len(lists), limit, offset)


def _list_detail(alist: AnnualList) -> dict[str, Any]:
    alist.refresh_from_db()
    return {**list_out(alist), "task_count": alist.tasks.count()}


@_act(
    "/lists",
    AnnualListDetailOut,
    status=201,
    summary="Create an annual key-task list",
    description="Access: planners of the plan; a plan the caller does not plan is 404, like "
    "a missing one. Creates the empty draft list of `year` with its reporting `frequency`; "
    "fill it with `generate` or `import`. 409 when the plan has a list for that year.",
)
def annual_list_create(request: HttpRequest, body: AnnualListCreateIn) -> Any:
    user = caller(request)
    plan = Plan.objects.filter(plans_managed_q(user), pk=body.plan_id).first()
    if plan is None:
        raise HttpError(404, "plan_id: no such plan among those you plan")
    _require_csrf(request)
    existing = AnnualList.objects.filter(plan=plan, year=body.year).first()
    if existing is not None:
        raise HttpError(409, f"the plan has a list for {body.year} already (id {existing.pk})")
    with _service_errors(), transaction.atomic():
        alist = annual_list_get_or_create(plan=plan, year=body.year, actor=user)
        if body.frequency != alist.frequency:
            annual_list_set_frequency(annual_list=alist, actor=user, frequency=body.frequency)
    return Status(201, _list_detail(alist))


@_read(
    "/lists/{list_id}",
    AnnualListDetailOut,
    summary="One annual key-task list",
    description="Access: signed in; planners and leaders of the plan (else 404).",
)
def annual_list_detail(request: HttpRequest, list_id: int) -> Any:
    alist = access_annual_list(caller(request), list_id, action="view")
    return {**list_out(alist), "task_count": alist.tasks.count()}


@_act(
    "/lists/{list_id}/issue",
    AnnualListDetailOut,
    summary="Issue (下达) a list",
    description="Access: planners of the plan (else 404). 409 when the list is incomplete, "
    "already issued or `version` is stale.",
)
def annual_list_issue_action(request: HttpRequest, list_id: int, body: VersionIn) -> Any:
    alist = access_annual_list(caller(request), list_id, action="manage")
    _guard(request, body.version, alist.version)
    with _service_errors():
        annual_list_issue(annual_list=alist, actor=caller(request))
    return _list_detail(alist)


@_act(
    "/lists/{list_id}/generate",
    GenerateOut,
    summary="Draft tasks from the plan (生成任务草稿)",
    description="Access: planners of the plan (else 404). Adds a draft task, with suggested "
    "lead and responsible units, for every provision and 专栏 item of the plan's current "
    "version that has none in the list. 409 when the list is issued (locked) or `version` "
    "is stale; 422 when the plan has no version yet.",
)
def annual_list_generate(request: HttpRequest, list_id: int, body: VersionIn) -> Any:
    alist = access_annual_list(caller(request), list_id, action="manage")
    _guard(request, body.version, alist.version)
    with _service_errors():
        result = task_drafts_generate(plan=alist.plan, year=alist.year, actor=caller(request))
    return {"created": len(result.created), "skipped": result.skipped, "list": _list_detail(alist)}


@_download(
    "/lists/{list_id}/export.xlsx",
    [XLSX],
    summary="A list as xlsx",
    description="Access: signed in; planners and leaders of the plan (else 404). The file the "
    "list page exports: 序号, 重点任务, 具体内容, 牵头单位, 责任单位, 完成时限, 进展情况, "
    "配合单位, 完成标准 — edit it and send it back to `import`.",
    url_name="annual_list_export",
)
def annual_list_export(request: HttpRequest, list_id: int) -> HttpResponse:
    alist = access_annual_list(caller(request), list_id, action="view")
    response = HttpResponse(xlsx.annual_list_export(annual_list=alist), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="annual-list-{alist.pk}.xlsx"'
    return response


# The 422 of an import is the one error shape with one more field, `error.problems`; JSON
# Schema 2020-12 (OpenAPI 3.1) applies keywords beside a $ref together with it.
PROBLEMS = {
    "type": "array",
    "items": CellProblem.model_json_schema(),
    "description": "Every bad row and cell of a refused import (absent on other errors).",
}
IMPORT_422 = {"properties": {"error": {"properties": {"problems": PROBLEMS}}}}


def _import_refused(exc: xlsx.ImportFailed) -> JsonResponse:
    """The 422 built here, not by django-ninja, which would drop the field ErrorOut lacks."""
    problems = [
        CellProblem(
            row=e.row, column=e.column, header=e.header, message=e.message, text=str(e)
        ).model_dump()
        for e in exc.errors
    ]
    body = {"error": {"code": "invalid_request", "message": str(exc), "problems": problems}}
    return JsonResponse(body, status=422, json_dumps_params={"ensure_ascii": False})


@_act(
    "/lists/{list_id}/import",
    ImportOut,
    openapi={"responses": {422: {"content": {"application/json": {"schema": IMPORT_422}}}}},
    summary="Import a list from xlsx",
    description="Access: planners of the plan (else 404). Multipart: `file` (an xlsx laid out "
    "like the export) and the list `version`. Rows are matched to tasks by 序号; a new 序号 "
    "adds a task. All rows or none: any bad row gives 422 with every bad row and cell in "
    "`error.problems` and changes nothing. 409 when the list is issued (locked) or `version` "
    "is stale.",
)
def annual_list_import(
    request: HttpRequest,
    list_id: int,
    file: UploadedFile = XLSX_FILE,
    version: int = VERSION_FORM,
) -> Any:
    user = caller(request)
    alist = access_annual_list(user, list_id, action="manage")
    _guard(request, version, alist.version)
    with _service_errors():
        try:
            result = xlsx.annual_list_import(annual_list=alist, actor=user, data=file.read())
        except xlsx.ImportFailed as exc:
            return _import_refused(exc)
    counts = {"created": result.created, "updated": result.updated}
    return counts | {"unchanged": result.unchanged, "list": _list_detail(alist)}


@_read(
    "/reports",
    ReportPage,
    summary="List progress reports",
    description="Access: signed in. Current reports of the caller's units and of the plans "
    "the caller plans or leads.",
)
def report_list(
    request: HttpRequest,
    task_id: int | None = ID,
    status: ReportStatus | None = None,
    limit: int = LIMIT,
    offset: int = OFFSET,
) -> Any:
    qs = report_list_for(user=caller(request), status=status)
    if task_id is not None:
        qs = qs.filter(task_id=task_id)
    items = [report_out(r) for r in qs[offset : offset + limit]]
    return _page(items, qs.count(), limit, offset)


@_read(
    "/reports/{report_id}",
    ReportDetailOut,
    summary="One progress report",
    description="Access: signed in, within the caller's scope (else 404). With its evidence files.",
)
def report_detail(request: HttpRequest, report_id: int) -> Any:
    return report_out(access_report(caller(request), report_id, action="view"), detail=True)


@_act(
    "/tasks/{task_id}/reports",
    ReportDetailOut,
    status=201,
    summary="Start a progress report",
    description="Access: reporters of the task's responsible units (else 404). Opens the draft "
    "report of `unit` for the period beginning `period_start`; 409 when it exists already or "
    "the list is not issued, 422 when the date starts no period of the task.",
)
def report_start(request: HttpRequest, task_id: int, body: ReportStartIn) -> Any:
    task = access_task(caller(request), task_id, action="report")
    unit = task.responsible_units.filter(code=body.unit).first()
    if unit is None:
        raise HttpError(422, "unit: not a responsible unit of the task")
    _require_csrf(request)
    with _service_errors():
        report = reports.progress_report_start(
            task=task, unit=unit, period_start=body.period_start, actor=caller(request)
        )
    return Status(201, report_out(report, detail=True))


@_act(
    "/reports/{report_id}",
    ReportDetailOut,
    method="PUT",
    summary="Edit a progress report",
    description="Access: the reporter of the reporting unit (else 404). Only drafts and returned "
    "reports; 409 when the report is under review or `version` is stale.",
)
def report_update(request: HttpRequest, report_id: int, body: ReportUpdateIn) -> Any:
    report = access_report(caller(request), report_id, action="edit")
    _guard(request, body.version, report.version)
    with _service_errors():
        report = reports.progress_report_update(
            report=report,
            actor=caller(request),
            version=body.version,
            completion=body.completion,
            progress_status=body.progress_status,
            narrative=body.narrative,
        )
    return report_out(report, detail=True)


ReportAct = Literal["edit", "review", "accept"]


def _report_action(
    request: HttpRequest,
    report_id: int,
    body: VersionIn,
    access: ReportAct,
    act: Callable[..., Any],
) -> Any:
    report = access_report(caller(request), report_id, action=access)
    _guard(request, body.version, report.version)
    with _service_errors():
        report = act(report=report, actor=caller(request))
    return report_out(report, detail=True)


REPORT_ACT = "Access: {who} of the report (else 404). 409 when the step is not allowed from "
REPORT_ACT += "the report's state or `version` is stale; 422 when the report is incomplete."
# The steps that take only the version: (step, summary, who may, access action, service).
REPORT_STEPS: tuple[tuple[str, str, str, ReportAct, Callable[..., ProgressReport]], ...] = (
    ("submit", "Submit (报送) a report", "the reporter of the reporting unit", "edit",
     reports.progress_report_submit),
    ("approve", "Approve (审核通过) a report", "the unit reviewer of the reporting unit",
     "review", reports.progress_report_approve),
    ("accept", "Accept (采纳) a report", "the planner of the plan", "accept",
     reports.progress_report_accept),
)  # fmt: skip


def _register_report_step(
    step: str, summary: str, who: str, access: ReportAct, act: Callable[..., ProgressReport]
) -> None:
    def endpoint(request: HttpRequest, report_id: int, body: VersionIn) -> Any:
        return _report_action(request, report_id, body, access, act)

    # The name gives the operation id (planwatch_api_implementation_report_submit, …).
    endpoint.__name__ = endpoint.__qualname__ = f"report_{step}"
    path = f"/reports/{{report_id}}/{step}"
    description = REPORT_ACT.format(who=who)
    _act(path, ReportDetailOut, summary=summary, description=description)(endpoint)


for _step in REPORT_STEPS:
    _register_report_step(*_step)


@_act(
    "/reports/{report_id}/return",
    ReportDetailOut,
    summary="Return (退回) a report",
    description=REPORT_ACT.format(
        who="the unit reviewer (a submitted report) or the planner (an approved one)"
    ),
)
def report_return(request: HttpRequest, report_id: int, body: ReasonIn) -> Any:
    user = caller(request)
    report = access_report(user, report_id, action="view")
    step: ReportAct = "review" if report.status == ReportStatus.SUBMITTED else "accept"

    def act(*, report: ProgressReport, actor: Any) -> ProgressReport:
        return reports.progress_report_return(report=report, actor=actor, reason=body.reason)

    return _report_action(request, report_id, body, step, act)


@_act(
    "/reports/{report_id}/correct",
    ReportDetailOut,
    summary="Correct (更正) an accepted report",
    description="Access: the planner of the plan (else 404). Reopens an accepted period: the "
    "answer is the new current revision, a draft copy. 409 when the report is not accepted and "
    "current, or `version` is stale.",
)
def report_correct(request: HttpRequest, report_id: int, body: ReasonIn) -> Any:
    def act(*, report: ProgressReport, actor: Any) -> ProgressReport:
        return reports.progress_report_correct(report=report, actor=actor, reason=body.reason)

    return _report_action(request, report_id, body, "accept", act)


EVIDENCE = (
    "PDF, images (png, jpg, gif) and office documents (doc, docx, xls, xlsx, ppt, pptx, wps, "
    "ofd), recognised by extension and content, within the size limit (20 MB by default)"
)


@_act(
    "/reports/{report_id}/evidence",
    EvidenceOut,
    status=201,
    summary="Upload an evidence file (佐证材料)",
    description="Access: the reporter of the reporting unit (else 404). Multipart `file`: "
    f"{EVIDENCE}. 422 names the failed check (type, content, size, empty); 409 when the "
    "report is submitted or accepted.",
)
def evidence_upload(
    request: HttpRequest,
    report_id: int,
    file: UploadedFile = EVIDENCE_FILE,
) -> Any:
    report = access_report(caller(request), report_id, action="edit")
    _require_csrf(request)
    with _service_errors():
        evidence = evidence_add(
            report=report, actor=caller(request), name=file.name or "", content=file
        )
    return Status(201, evidence_out(evidence))


def _access_evidence(
    request: HttpRequest, report_id: int, evidence_id: int, *, action: Literal["view", "edit"]
) -> Evidence:
    report = access_report(caller(request), report_id, action=action)
    evidence = report.evidence.filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    evidence.report = report
    return evidence


@_download(
    "/reports/{report_id}/evidence/{evidence_id}",
    sorted({*CONTENT_TYPES.values(), OCTET}),
    summary="Download an evidence file",
    description="Access: signed in, whoever may see the report (else 404). The stored bytes, "
    "as an attachment with the content type of its kind.",
    url_name="report_evidence_file",
)
def evidence_download(request: HttpRequest, report_id: int, evidence_id: int) -> FileResponse:
    evidence = _access_evidence(request, report_id, evidence_id, action="view")
    handle = default_storage.open(str(evidence.file.name), "rb")
    content_type = CONTENT_TYPES.get(evidence.kind, OCTET)
    return FileResponse(
        handle, as_attachment=True, filename=evidence.name, content_type=content_type
    )


@_act(
    "/reports/{report_id}/evidence/{evidence_id}",
    None,
    method="DELETE",
    status=204,
    summary="Remove an evidence file",
    description="Access: the reporter of the reporting unit (else 404). 409 when the report is "
    "submitted or accepted. The stored bytes are kept (other reports may hold the same file).",
)
def evidence_delete(request: HttpRequest, report_id: int, evidence_id: int) -> Any:
    evidence = _access_evidence(request, report_id, evidence_id, action="edit")
    _require_csrf(request)
    with _service_errors():
        evidence_remove(evidence=evidence, actor=caller(request))
    return Status(204, None)


@_read(
    "/cases",
    CasePage,
    summary="List 督办 cases",
    description="Access: signed in. Cases on tasks the caller may see and cases assigned "
    "to the caller's units; open ones unless `closed=true`.",
)
def case_list(
    request: HttpRequest, closed: bool = False, limit: int = LIMIT, offset: int = OFFSET
) -> Any:
    qs = case_list_for(user=caller(request), open_only=not closed)
    items = [case_out(c) for c in qs[offset : offset + limit]]
    return _page(items, qs.count(), limit, offset)


@_read(
    "/cases/{case_id}",
    CaseDetailOut,
    summary="One 督办 case",
    description="Access: signed in, within the caller's scope (else 404).",
)
def case_detail(request: HttpRequest, case_id: int) -> Any:
    return case_out(access_case(caller(request), case_id, action="view"))


CaseStep = Literal["assign", "acknowledge", "start", "feedback", "review", "close"]
# step → (access action, service call)
CASE_STEPS: dict[str, tuple[Literal["manage", "handle"], Callable[..., SupervisionCase]]] = {
    "assign": ("manage", lambda c, u, b: cases.case_assign(case=c, actor=u, today=_today())),
    "acknowledge": ("handle", lambda c, u, b: cases.case_acknowledge(case=c, actor=u)),
    "start": ("handle", lambda c, u, b: cases.case_start(case=c, actor=u)),
    "feedback": ("handle", lambda c, u, b: cases.case_feedback(case=c, actor=u, feedback=b.note)),
    "review": (
        "manage",
        lambda c, u, b: cases.case_review(case=c, actor=u, passed=b.passed, note=b.note),
    ),
    "close": ("manage", lambda c, u, b: cases.case_close(case=c, actor=u)),
}


def _today() -> Any:
    return timezone.localdate()


@_act(
    "/cases/{case_id}/{step}",
    CaseDetailOut,
    summary="Move a 督办 case",
    description="Access: the planner of the plan for `assign` (交办), `review` (复核) and "
    "`close` (办结); the reporters and reviewers of the assigned unit for `acknowledge` "
    "(签收), `start` (办理) and `feedback` (反馈); anyone else 404. 409 when the step is "
    f"not allowed from the case's state ({', '.join(CaseStatus.values)}) or `version` is stale.",
)
def case_step(request: HttpRequest, case_id: int, step: CaseStep, body: CaseActionIn) -> Any:
    access, act = CASE_STEPS[step]
    case = access_case(caller(request), case_id, action=access)
    _guard(request, body.version, case.version)
    with _service_errors():
        case = act(case, caller(request), body)
    return case_out(case)
