"""What supervision adds to the pages and services below it, connected to the hooks of
planwatch.core.hooks in SupervisionConfig.ready (decision record 0014): the notification of
each report step, the light filter, lights and light choices of the task list, the light on a
task's page, and the `case_status` template filter of the task pages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils import timezone

from planwatch.core import hooks
from planwatch.supervision.choices import CaseStatus, Light
from planwatch.supervision.lights import reported_progress, task_light
from planwatch.supervision.models import TaskLight
from planwatch.supervision.notify import concerns_demo, report_step_notify
from planwatch.supervision.selectors import task_lights_for
from planwatch.tasks.choices import TaskStatus
from planwatch.tasks.models import Task
from planwatch.tasks.templatetags.task_tags import register as task_tags


def task_list_filters(*, params: Mapping[str, str]) -> dict[str, str]:
    """`?light=red`: only tasks whose stored light is red (ignored when not a light)."""
    if params.get("light") in Light.values:
        return {"light": params["light"]}
    return {}


def task_list_context(*, user: Any, tasks: Sequence[Task]) -> dict[str, Any]:
    return {"lights": lights_shown(user, list(tasks)), "light_choices": Light.choices}


def lights_shown(user: Any, tasks: list[Task]) -> dict[int, TaskLight]:
    """The light each task shows on the task list — the stored one, else (an issued task not
    yet computed) computed now, unsaved — so the list and the task page (`light_of`) agree."""
    shown = task_lights_for(user=user, tasks=tasks)
    missing = [t for t in tasks if t.pk not in shown and t.status != TaskStatus.DRAFT]
    if missing:
        today = timezone.localdate()
        progress = reported_progress(missing)
        for task in missing:
            lr = task_light(task, today=today, progress=progress[task.pk])
            shown[task.pk] = TaskLight(
                task=task,
                light=lr.light,
                expected=lr.expected,
                actual=lr.actual,
                computed_on=today,
                changed_on=today,
            )
    return shown


def task_detail_context(*, user: Any, task: Task) -> dict[str, Any]:
    return {"light": light_of(user, task), "cases": task.cases.exclude(status=CaseStatus.CLOSED)}


def light_of(user: Any, task: Task) -> dict[str, Any] | None:
    """The stored light (as of the last `supervise` run), else computed now; none for drafts."""
    stored = task_lights_for(user=user, tasks=[task]).get(task.pk)
    if stored is not None:
        return {
            "code": stored.light,
            "label": stored.get_light_display(),
            "expected": stored.expected,
            "actual": stored.actual,
            "on": stored.computed_on,
        }
    if task.status == TaskStatus.DRAFT:
        return None
    today = timezone.localdate()
    lr = task_light(task, today=today)
    return {
        "code": lr.light,
        "label": Light(lr.light).label,
        "expected": lr.expected,
        "actual": lr.actual,
        "on": today,
    }


def case_status(code: str) -> str:
    """A 督办 case state code as its label (立项, 交办 …)."""
    return str(dict(CaseStatus.choices).get(code, code))


def connect() -> None:
    hooks.report_moved.connect(report_step_notify)
    hooks.notification_withheld.connect(concerns_demo)
    hooks.task_list_filters.connect(task_list_filters)
    hooks.task_list_context.connect(task_list_context)
    hooks.task_detail_context.connect(task_detail_context)
    task_tags.filter("case_status", case_status)
