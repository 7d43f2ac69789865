"""Tasks: the list the caller may see and one task."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja.params.functions import Query

from planwatch.api.auth import caller
from planwatch.api.implementation.common import (
    ID,
    LIMIT,
    OFFSET,
    page,
    page_ids,
    read,
    render,
    task_out,
    task_rows,
)
from planwatch.api.implementation_schemas import TaskDetailOut, TaskPage
from planwatch.supervision.choices import Light
from planwatch.tasks.choices import TaskStatus
from planwatch.tasks.permissions import access_task
from planwatch.tasks.selectors import TaskFilters, task_list_for


@read(
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
) -> HttpResponse:
    filters = TaskFilters()
    for key, value in (("plan_id", plan_id), ("year", year), ("status", status), ("light", light)):
        if value is not None:
            filters[key] = value  # type: ignore[literal-required]
    qs = task_list_for(user=caller(request), filters=filters)
    items = task_rows(page_ids(qs, limit, offset))
    return render(request, page(items, qs.count(), limit, offset))


@read(
    "/tasks/{task_id}",
    TaskDetailOut,
    summary="One task",
    description="Access: signed in, within the caller's scope (else 404).",
)
def task_detail(request: HttpRequest, task_id: int) -> TaskDetailOut:
    return TaskDetailOut.model_validate(
        task_out(access_task(caller(request), task_id, action="view"), detail=True)
    )
