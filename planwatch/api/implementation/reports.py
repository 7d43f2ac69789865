"""Progress reports (进展报告): list, detail, start, edit, and the workflow steps — submit,
approve, accept, return, correct."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Status
from ninja.errors import HttpError

from planwatch.api.auth import caller
from planwatch.api.implementation.common import (
    ID,
    LIMIT,
    OFFSET,
    act,
    guard,
    page,
    page_ids,
    read,
    render,
    report_out,
    report_rows,
    require_csrf,
    service_errors,
)
from planwatch.api.implementation_schemas import (
    ReasonIn,
    ReportDetailOut,
    ReportPage,
    ReportStartIn,
    ReportUpdateIn,
    VersionIn,
)
from planwatch.core.types import Actor
from planwatch.reports import services as reports
from planwatch.reports.choices import ReportStatus
from planwatch.reports.models import ProgressReport
from planwatch.reports.permissions import access_report
from planwatch.reports.selectors import report_list_for
from planwatch.tasks.permissions import access_task, reporting_units


@read(
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
) -> HttpResponse:
    qs = report_list_for(user=caller(request), status=status)
    if task_id is not None:
        qs = qs.filter(task_id=task_id)
    items = report_rows(page_ids(qs, limit, offset))
    return render(request, page(items, qs.count(), limit, offset))


@read(
    "/reports/{report_id}",
    ReportDetailOut,
    summary="One progress report",
    description="Access: signed in, within the caller's scope (else 404). With its evidence files.",
)
def report_detail(request: HttpRequest, report_id: int) -> ReportDetailOut:
    return ReportDetailOut.model_validate(
        report_out(access_report(caller(request), report_id, action="view"), detail=True)
    )


@act(
    "/tasks/{task_id}/reports",
    ReportDetailOut,
    status=201,
    summary="Start a progress report",
    description="Access: reporters of the task's lead or responsible units (else 404). Opens "
    "the draft report of `unit` for the period beginning `period_start`; 409 when it exists "
    "already or the list is not issued, 422 when the date starts no period of the task.",
)
def report_start(
    request: HttpRequest, task_id: int, body: ReportStartIn
) -> Status[ReportDetailOut]:
    task = access_task(caller(request), task_id, action="report")
    unit = next((u for u in reporting_units(task) if u.code == body.unit), None)
    if unit is None:
        raise HttpError(422, "unit: not a reporting unit (lead or responsible) of the task")
    require_csrf(request)
    with service_errors():
        report = reports.progress_report_start(
            task=task, unit=unit, period_start=body.period_start, actor=caller(request)
        )
    return Status(201, ReportDetailOut.model_validate(report_out(report, detail=True)))


@act(
    "/reports/{report_id}",
    ReportDetailOut,
    method="PUT",
    summary="Edit a progress report",
    description="Access: the reporter of the reporting unit (else 404). Only drafts and returned "
    "reports; 409 when the report is under review or `version` is stale.",
)
def report_update(request: HttpRequest, report_id: int, body: ReportUpdateIn) -> ReportDetailOut:
    report = access_report(caller(request), report_id, action="edit")
    guard(request, body.version, report.version)
    with service_errors():
        report = reports.progress_report_update(
            report=report,
            actor=caller(request),
            version=body.version,
            completion=body.completion,
            progress_status=body.progress_status,
            narrative=body.narrative,
        )
    return ReportDetailOut.model_validate(report_out(report, detail=True))


ReportAct = Literal["edit", "review", "accept"]


def _report_action(
    request: HttpRequest,
    report_id: int,
    body: VersionIn,
    access: ReportAct,
    service: Callable[..., Any],
) -> ReportDetailOut:
    report = access_report(caller(request), report_id, action=access)
    guard(request, body.version, report.version)
    with service_errors():
        report = service(report=report, actor=caller(request))
    return ReportDetailOut.model_validate(report_out(report, detail=True))


REPORT_ACT = "Access: {who} of the report (else 404). 409 when the step is not allowed from "
REPORT_ACT += "the report's state or `version` is stale; 422 when the report is incomplete."
# The steps that take only the version: (step, summary, who may, access action, service).
REPORT_STEPS: tuple[tuple[str, str, str, ReportAct, Callable[..., ProgressReport]], ...] = (
    ("submit", "Submit (报送) a report", "the reporter of the reporting unit", "edit",
     reports.progress_report_submit),
    ("withdraw", "Withdraw (撤回) a submitted report to a draft, before it is reviewed",
     "the reporter of the reporting unit", "edit", reports.progress_report_withdraw),
    ("approve", "Approve (审核通过) a report", "the unit reviewer of the reporting unit",
     "review", reports.progress_report_approve),
    ("accept", "Accept (采纳) a report", "the planner of the plan", "accept",
     reports.progress_report_accept),
)  # fmt: skip


def _register_report_step(
    step: str, summary: str, who: str, access: ReportAct, service: Callable[..., ProgressReport]
) -> None:
    def endpoint(request: HttpRequest, report_id: int, body: VersionIn) -> ReportDetailOut:
        return _report_action(request, report_id, body, access, service)

    # The name gives the operation id (planwatch_api_implementation_report_submit, …).
    endpoint.__name__ = endpoint.__qualname__ = f"report_{step}"
    path = f"/reports/{{report_id}}/{step}"
    description = REPORT_ACT.format(who=who)
    act(path, ReportDetailOut, summary=summary, description=description)(endpoint)


for _step in REPORT_STEPS:
    _register_report_step(*_step)


@act(
    "/reports/{report_id}/return",
    ReportDetailOut,
    summary="Return (退回) a report",
    description=REPORT_ACT.format(
        who="the unit reviewer (a submitted report) or the planner (an approved one)"
    ),
)
def report_return(request: HttpRequest, report_id: int, body: ReasonIn) -> ReportDetailOut:
    user = caller(request)
    report = access_report(user, report_id, action="view")
    step: ReportAct = "review" if report.status == ReportStatus.SUBMITTED else "accept"

    def service(*, report: ProgressReport, actor: Actor) -> ProgressReport:
        return reports.progress_report_return(report=report, actor=actor, reason=body.reason)

    return _report_action(request, report_id, body, step, service)


@act(
    "/reports/{report_id}/correct",
    ReportDetailOut,
    summary="Correct (更正) an accepted report",
    description="Access: the planner of the plan (else 404). Reopens an accepted period: the "
    "answer is the new current revision, a draft copy. 409 when the report is not accepted and "
    "current, or `version` is stale.",
)
def report_correct(request: HttpRequest, report_id: int, body: ReasonIn) -> ReportDetailOut:
    def service(*, report: ProgressReport, actor: Actor) -> ProgressReport:
        return reports.progress_report_correct(report=report, actor=actor, reason=body.reason)

    return _report_action(request, report_id, body, "accept", service)
