"""Annual key-task lists (年度重点任务清单): list, create, detail, issue, draft generation,
and the xlsx export and all-or-nothing import."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Status, UploadedFile
from ninja.errors import HttpError
from ninja.params.functions import File, Form

from planwatch.api.auth import caller
from planwatch.api.errors import CODES
from planwatch.api.implementation.common import (
    LIMIT,
    OFFSET,
    XLSX,
    act,
    download,
    guard,
    list_out,
    page,
    read,
    require_csrf,
    service_errors,
)
from planwatch.api.implementation_schemas import (
    AnnualListCreateIn,
    AnnualListDetailOut,
    AnnualListPage,
    FrequencyIn,
    GenerateOut,
    ImportOut,
    ReopenIn,
    VersionIn,
)
from planwatch.api.schemas import CellProblem, ErrorBody, ErrorOut
from planwatch.plans.models import Plan
from planwatch.tasks import xlsx
from planwatch.tasks.models import AnnualList
from planwatch.tasks.permissions import access_annual_list, plans_managed_q
from planwatch.tasks.selectors import annual_list_list_for, annual_list_rows_for
from planwatch.tasks.services import (
    annual_list_get_or_create,
    annual_list_issue,
    annual_list_reopen,
    annual_list_set_frequency,
    task_drafts_generate,
)

XLSX_FILE = File(..., description="The xlsx file, laid out like the export.")
VERSION_FORM = Form(..., ge=1, le=2_000_000_000, description="The version the caller read.")


@read(
    "/lists",
    AnnualListPage,
    summary="List annual key-task lists",
    description="Access: signed in. Lists of the plans the caller plans or leads, and issued "
    "lists that name one of the caller's units on a task.",
)
def annual_list_list(
    request: HttpRequest, limit: int = LIMIT, offset: int = OFFSET
) -> AnnualListPage:
    lists = annual_list_list_for(user=caller(request))
    items = [list_out(a) for a in lists[offset : offset + limit]]
    return AnnualListPage.model_validate(page(items, len(lists), limit, offset))


def _list_detail(alist: AnnualList) -> dict[str, Any]:
    alist.refresh_from_db()
    return {**list_out(alist), "task_count": alist.tasks.count()}


@act(
    "/lists",
    AnnualListDetailOut,
    status=201,
    summary="Create an annual key-task list",
    description="Access: planners of the plan; a plan the caller does not plan is 404, like "
    "a missing one. Creates the empty draft list of `year` with its reporting `frequency`; "
    "fill it with `generate` or `import`. 409 when the plan has a list for that year.",
)
def annual_list_create(
    request: HttpRequest, body: AnnualListCreateIn
) -> Status[AnnualListDetailOut]:
    user = caller(request)
    plan = Plan.objects.filter(plans_managed_q(user), pk=body.plan_id).first()
    if plan is None:
        raise HttpError(404, "plan_id: no such plan among those you plan")
    require_csrf(request)
    existing = AnnualList.objects.filter(plan=plan, year=body.year).first()
    if existing is not None:
        raise HttpError(409, f"the plan has a list for {body.year} already (id {existing.pk})")
    with service_errors(), transaction.atomic():
        alist = annual_list_get_or_create(plan=plan, year=body.year, actor=user)
        if body.frequency != alist.frequency:
            annual_list_set_frequency(annual_list=alist, actor=user, frequency=body.frequency)
    return Status(201, AnnualListDetailOut.model_validate(_list_detail(alist)))


@read(
    "/lists/{list_id}",
    AnnualListDetailOut,
    summary="One annual key-task list",
    description="Access: signed in; planners and leaders of the plan, and the units named on "
    "the issued list (else 404).",
)
def annual_list_detail(request: HttpRequest, list_id: int) -> AnnualListDetailOut:
    alist = access_annual_list(caller(request), list_id, action="view")
    return AnnualListDetailOut.model_validate(
        {**list_out(alist), "task_count": alist.tasks.count()}
    )


@act(
    "/lists/{list_id}/issue",
    AnnualListDetailOut,
    summary="Issue (下达) a list",
    description="Access: planners of the plan (else 404). 409 when the list is incomplete, "
    "already issued or `version` is stale.",
)
def annual_list_issue_action(
    request: HttpRequest, list_id: int, body: VersionIn
) -> AnnualListDetailOut:
    alist = access_annual_list(caller(request), list_id, action="manage")
    guard(request, body.version, alist.version)
    with service_errors():
        annual_list_issue(annual_list=alist, actor=caller(request))
    return AnnualListDetailOut.model_validate(_list_detail(alist))


@act(
    "/lists/{list_id}/reopen",
    AnnualListDetailOut,
    summary="Reopen (发起修订) an issued list",
    description="Access: planners of the plan (else 404). Opens the issued list for revision "
    "with a `reason`; it stays in force until it is issued again as a new version. 409 when "
    "the list is not issued (a draft, or already under revision) or `version` is stale; 422 "
    "without a reason.",
)
def annual_list_reopen_action(
    request: HttpRequest, list_id: int, body: ReopenIn
) -> AnnualListDetailOut:
    alist = access_annual_list(caller(request), list_id, action="manage")
    guard(request, body.version, alist.version)
    with service_errors():
        annual_list_reopen(annual_list=alist, actor=caller(request), reason=body.reason)
    return AnnualListDetailOut.model_validate(_list_detail(alist))


@act(
    "/lists/{list_id}/frequency",
    AnnualListDetailOut,
    method="PUT",
    summary="Set a list's reporting frequency (报送频次)",
    description="Access: planners of the plan (else 404). Sets how often the units report: "
    "`monthly` or `quarterly`. Only while the list is a draft or under revision: 409 when it "
    "is issued (locked) or the `version`, if sent, is stale.",
)
def annual_list_frequency(
    request: HttpRequest, list_id: int, body: FrequencyIn
) -> AnnualListDetailOut:
    alist = access_annual_list(caller(request), list_id, action="manage")
    if body.version is None:
        require_csrf(request)
    else:
        guard(request, body.version, alist.version)
    with service_errors():
        annual_list_set_frequency(
            annual_list=alist, actor=caller(request), frequency=body.frequency
        )
    return AnnualListDetailOut.model_validate(_list_detail(alist))


@act(
    "/lists/{list_id}/generate",
    GenerateOut,
    summary="Draft tasks from the plan (生成任务草稿)",
    description="Access: planners of the plan (else 404). Adds a draft task, with suggested "
    "lead and responsible units, for every provision and 专栏 item of the plan's current "
    "version that has none in the list. 409 when the list is issued (locked) or `version` "
    "is stale; 422 when the plan has no version yet.",
)
def annual_list_generate(request: HttpRequest, list_id: int, body: VersionIn) -> GenerateOut:
    alist = access_annual_list(caller(request), list_id, action="manage")
    guard(request, body.version, alist.version)
    with service_errors():
        result = task_drafts_generate(plan=alist.plan, year=alist.year, actor=caller(request))
    return GenerateOut.model_validate(
        {"created": len(result.created), "skipped": result.skipped, "list": _list_detail(alist)}
    )


@download(
    "/lists/{list_id}/export.xlsx",
    [XLSX],
    summary="A list as xlsx",
    description="Access: signed in; planners and leaders of the plan, and the units named on "
    "an issued list, who get their own rows (else 404). The file the list page exports: "
    "序号, 重点任务, 具体内容, 牵头单位, 责任单位, 完成时限, 进展情况, "
    "配合单位, 完成标准 — edit it and send it back to `import`.",
    url_name="annual_list_export",
)
def annual_list_export(request: HttpRequest, list_id: int) -> HttpResponse:
    alist = access_annual_list(caller(request), list_id, action="view")
    rows = annual_list_rows_for(user=caller(request), annual_list=alist)
    response = HttpResponse(
        xlsx.annual_list_export(annual_list=alist, tasks=rows), content_type=XLSX
    )
    response["Content-Disposition"] = xlsx.export_disposition(alist)
    return response


def _import_refused(exc: xlsx.ImportFailed) -> Status[ErrorOut]:
    """The 422 of a refused import: the one error shape, with every bad row and cell."""
    problems = [
        CellProblem(row=e.row, column=e.column, header=e.header, message=e.message, text=str(e))
        for e in exc.errors
    ]
    body = ErrorBody(code=CODES[422], message=str(exc), problems=problems)
    return Status(422, ErrorOut(error=body))


@act(
    "/lists/{list_id}/import",
    ImportOut,
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
) -> ImportOut | Status[ErrorOut]:
    user = caller(request)
    alist = access_annual_list(user, list_id, action="manage")
    guard(request, version, alist.version)
    with service_errors():
        try:
            result = xlsx.annual_list_import(annual_list=alist, actor=user, data=file.read())
        except xlsx.ImportFailed as exc:
            return _import_refused(exc)
    counts = {"created": result.created, "updated": result.updated}
    return ImportOut.model_validate(
        counts | {"unchanged": result.unchanged, "list": _list_detail(alist)}
    )
