"""督办 cases (SupervisionCase): list, detail, and the steps of the case workflow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from planwatch.api.auth import caller
from planwatch.api.implementation.common import (
    LIMIT,
    OFFSET,
    act,
    case_out,
    case_rows,
    guard,
    page,
    page_ids,
    read,
    render,
    service_errors,
)
from planwatch.api.implementation_schemas import CaseActionIn, CaseDetailOut, CasePage
from planwatch.supervision import services as cases
from planwatch.supervision.choices import CaseStatus
from planwatch.supervision.models import SupervisionCase
from planwatch.supervision.permissions import access_case
from planwatch.supervision.selectors import case_list_for


@read(
    "/cases",
    CasePage,
    summary="List 督办 cases",
    description="Access: signed in. Cases on tasks the caller may see and cases assigned "
    "to the caller's units; open ones unless `closed=true`.",
)
def case_list(
    request: HttpRequest, closed: bool = False, limit: int = LIMIT, offset: int = OFFSET
) -> HttpResponse:
    # Cases opened at the same instant (a nightly run opens many) come newest id first: the
    # order among them was the database plan's, so pages could repeat or skip a case.
    qs = case_list_for(user=caller(request), open_only=not closed).order_by("-opened_at", "-pk")
    items = case_rows(page_ids(qs, limit, offset))
    return render(request, page(items, qs.count(), limit, offset))


@read(
    "/cases/{case_id}",
    CaseDetailOut,
    summary="One 督办 case",
    description="Access: signed in, within the caller's scope (else 404).",
)
def case_detail(request: HttpRequest, case_id: int) -> CaseDetailOut:
    return CaseDetailOut.model_validate(
        case_out(access_case(caller(request), case_id, action="view"))
    )


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


@act(
    "/cases/{case_id}/{step}",
    CaseDetailOut,
    summary="Move a 督办 case",
    description="Access: the planner of the plan for `assign` (交办), `review` (复核) and "
    "`close` (办结); the reporters and reviewers of the assigned unit for `acknowledge` "
    "(签收), `start` (办理) and `feedback` (反馈); anyone else 404. 409 when the step is "
    f"not allowed from the case's state ({', '.join(CaseStatus.values)}) or `version` is stale.",
)
def case_step(
    request: HttpRequest, case_id: int, step: CaseStep, body: CaseActionIn
) -> CaseDetailOut:
    access, service = CASE_STEPS[step]
    case = access_case(caller(request), case_id, action=access)
    guard(request, body.version, case.version)
    with service_errors():
        case = service(case, caller(request), body)
    return CaseDetailOut.model_validate(case_out(case))
