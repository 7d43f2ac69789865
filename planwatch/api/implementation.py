"""Tasks, annual key-task lists, progress reports and 督办 cases: list, detail and workflow
actions. Signed in only (token or session): task data is not public until a public portal
exists. Every read starts from the viewer's scope (the selectors); every object is loaded
through its access helper, so a missing object and one outside the caller's scope both
answer 404. Actions take the `version` the caller read and answer 409 when it is stale."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.params.functions import Query
from ninja.utils import check_csrf

from planwatch.api.auth import caller, signed_in
from planwatch.api.implementation_schemas import (
    AnnualListDetailOut,
    AnnualListPage,
    CaseActionIn,
    CaseDetailOut,
    CasePage,
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
from planwatch.reports import services as reports
from planwatch.reports.choices import ReportStatus
from planwatch.reports.models import ProgressReport
from planwatch.reports.permissions import access_report
from planwatch.reports.selectors import report_list_for
from planwatch.supervision import services as cases
from planwatch.supervision.choices import CaseStatus, Light
from planwatch.supervision.models import SupervisionCase
from planwatch.supervision.permissions import access_case
from planwatch.supervision.selectors import case_list_for
from planwatch.tasks.choices import TaskStatus
from planwatch.tasks.models import AnnualList, Task
from planwatch.tasks.permissions import access_annual_list, access_task
from planwatch.tasks.selectors import TaskFilters, annual_list_list_for, task_list_for
from planwatch.tasks.services import annual_list_issue
from planwatch.tasks.workflow import ConcurrentUpdate, ServiceError

router = Router(tags=["implementation"], auth=signed_in)
SIGNED_IN = {"x-access": "signed-in"}
READ: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
ACT: dict[int, Any] = {**READ, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut}
LIMIT = Query(50, ge=1, le=500, description="Items per page.")
OFFSET = Query(0, ge=0, le=10_000_000, description="Items to skip.")
ID = Query(None, ge=1, le=2_000_000_000)


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


def report_out(r: ProgressReport) -> dict[str, Any]:
    return {
        **{f: getattr(r, f) for f in ("id", "task_id", "period_start", "period_end")},
        **{f: getattr(r, f) for f in ("period_label", "due", "revision", "is_current")},
        **{f: getattr(r, f) for f in ("progress_status", "status", "version", "narrative")},
        **{f: getattr(r, f) for f in ("return_reason", "submitted_at", "accepted_at")},
        "task_title": r.task.title,
        "unit": _unit(r.unit),
        "completion": float(r.completion) if r.completion is not None else None,
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


@router.get(
    "/tasks",
    response={200: TaskPage, **READ},
    openapi_extra=SIGNED_IN,
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


@router.get(
    "/tasks/{task_id}",
    response={200: TaskDetailOut, **READ},
    openapi_extra=SIGNED_IN,
    summary="One task",
    description="Access: signed in, within the caller's scope (else 404).",
)
def task_detail(request: HttpRequest, task_id: int) -> Any:
    return task_out(access_task(caller(request), task_id, action="view"), detail=True)


@router.get(
    "/lists",
    response={200: AnnualListPage, **READ},
    openapi_extra=SIGNED_IN,
    summary="List annual key-task lists",
    description="Access: signed in. Lists of the plans the caller plans or leads.",
)
def annual_list_list(request: HttpRequest, limit: int = LIMIT, offset: int = OFFSET) -> Any:
    lists = annual_list_list_for(user=caller(request))
    items = [list_out(a) for a in lists[offset : offset + limit]]
    return _page(items, len(lists), limit, offset)


@router.get(
    "/lists/{list_id}",
    response={200: AnnualListDetailOut, **READ},
    openapi_extra=SIGNED_IN,
    summary="One annual key-task list",
    description="Access: signed in; planners and leaders of the plan (else 404).",
)
def annual_list_detail(request: HttpRequest, list_id: int) -> Any:
    alist = access_annual_list(caller(request), list_id, action="view")
    return {**list_out(alist), "task_count": alist.tasks.count()}


@router.post(
    "/lists/{list_id}/issue",
    response={200: AnnualListDetailOut, **ACT},
    openapi_extra=SIGNED_IN,
    summary="Issue (下达) a list",
    description="Access: planners of the plan (else 404). 409 when the list is incomplete, "
    "already issued or `version` is stale.",
)
def annual_list_issue_action(request: HttpRequest, list_id: int, body: VersionIn) -> Any:
    alist = access_annual_list(caller(request), list_id, action="manage")
    _guard(request, body.version, alist.version)
    with _service_errors():
        annual_list_issue(annual_list=alist, actor=caller(request))
    alist.refresh_from_db()
    return {**list_out(alist), "task_count": alist.tasks.count()}


@router.get(
    "/reports",
    response={200: ReportPage, **READ},
    openapi_extra=SIGNED_IN,
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


@router.get(
    "/reports/{report_id}",
    response={200: ReportDetailOut, **READ},
    openapi_extra=SIGNED_IN,
    summary="One progress report",
    description="Access: signed in, within the caller's scope (else 404).",
)
def report_detail(request: HttpRequest, report_id: int) -> Any:
    return report_out(access_report(caller(request), report_id, action="view"))


@router.post(
    "/tasks/{task_id}/reports",
    response={201: ReportDetailOut, **ACT},
    openapi_extra=SIGNED_IN,
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
    return Status(201, report_out(report))


@router.put(
    "/reports/{report_id}",
    response={200: ReportDetailOut, **ACT},
    openapi_extra=SIGNED_IN,
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
    return report_out(report)


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
    return report_out(report)


REPORT_ACT = "Access: {who} of the report (else 404). 409 when the step is not allowed from "
REPORT_ACT += "the report's state or `version` is stale; 422 when the report is incomplete."


@router.post(
    "/reports/{report_id}/submit",
    response={200: ReportDetailOut, **ACT},
    openapi_extra=SIGNED_IN,
    summary="Submit (报送) a report",
    description=REPORT_ACT.format(who="the reporter of the reporting unit"),
)
def report_submit(request: HttpRequest, report_id: int, body: VersionIn) -> Any:
    return _report_action(request, report_id, body, "edit", reports.progress_report_submit)


@router.post(
    "/reports/{report_id}/approve",
    response={200: ReportDetailOut, **ACT},
    openapi_extra=SIGNED_IN,
    summary="Approve (审核通过) a report",
    description=REPORT_ACT.format(who="the unit reviewer of the reporting unit"),
)
def report_approve(request: HttpRequest, report_id: int, body: VersionIn) -> Any:
    return _report_action(request, report_id, body, "review", reports.progress_report_approve)


@router.post(
    "/reports/{report_id}/accept",
    response={200: ReportDetailOut, **ACT},
    openapi_extra=SIGNED_IN,
    summary="Accept (采纳) a report",
    description=REPORT_ACT.format(who="the planner of the plan"),
)
def report_accept(request: HttpRequest, report_id: int, body: VersionIn) -> Any:
    return _report_action(request, report_id, body, "accept", reports.progress_report_accept)


@router.post(
    "/reports/{report_id}/return",
    response={200: ReportDetailOut, **ACT},
    openapi_extra=SIGNED_IN,
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


@router.post(
    "/reports/{report_id}/correct",
    response={200: ReportDetailOut, **ACT},
    openapi_extra=SIGNED_IN,
    summary="Correct (更正) an accepted report",
    description="Access: the planner of the plan (else 404). Reopens an accepted period: the "
    "answer is the new current revision, a draft copy. 409 when the report is not accepted and "
    "current, or `version` is stale.",
)
def report_correct(request: HttpRequest, report_id: int, body: ReasonIn) -> Any:
    def act(*, report: ProgressReport, actor: Any) -> ProgressReport:
        return reports.progress_report_correct(report=report, actor=actor, reason=body.reason)

    return _report_action(request, report_id, body, "accept", act)


@router.get(
    "/cases",
    response={200: CasePage, **READ},
    openapi_extra=SIGNED_IN,
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


@router.get(
    "/cases/{case_id}",
    response={200: CaseDetailOut, **READ},
    openapi_extra=SIGNED_IN,
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


@router.post(
    "/cases/{case_id}/{step}",
    response={200: CaseDetailOut, **ACT},
    openapi_extra=SIGNED_IN,
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
