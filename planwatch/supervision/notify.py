"""Supervision's side of the notifications (core.notify sends them): who receives them (the
units' reporters and reviewers, the leaders), what a notification's `key` is about
(`notification_subject`) — which is how one about demonstration data is recognised and
withheld (`concerns_demo`, connected to core's `notification_withheld` hook) — and the
notification of a report's next step (`report_step_notify`, on the `report_moved` hook)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from planwatch.accounts.choices import Role
from planwatch.accounts.models import Membership
from planwatch.core.models import DemoMarker, Notification
from planwatch.core.notify import notification_send
from planwatch.orgunits.models import OrgUnit
from planwatch.reports.choices import ReportStatus
from planwatch.reports.models import ProgressReport
from planwatch.supervision.models import SupervisionCase
from planwatch.tasks.models import Task

UNIT_ROLES = (Role.REPORTER, Role.UNIT_REVIEWER)


def ancestor_paths(unit: OrgUnit) -> list[str]:
    """ "/a/b/c/" → ["/a/", "/a/b/", "/a/b/c/"]: the units whose roles cover `unit`."""
    parts = [p for p in unit.path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def recipients_for(units: Iterable[OrgUnit], roles: Iterable[str]) -> list[Any]:
    """Active users holding one of `roles` on one of `units` or on an ancestor of it."""
    paths = {p for u in units for p in ancestor_paths(u)}
    user_ids = Membership.objects.filter(
        role__in=list(roles), org_unit__path__in=paths
    ).values_list("user_id", flat=True)
    return list(get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))


def unit_recipients(units: Iterable[OrgUnit]) -> list[Any]:
    return recipients_for(units, UNIT_ROLES)


def leader_recipients(units: Iterable[OrgUnit]) -> list[Any]:
    return recipients_for(units, (Role.LEADER,))


# The keys given to notification_send (supervision/jobs.py and services.py, reports/services.py)
# begin with what the notification is about: prefix → (model, position of its id in the key).
SUBJECT_KEYS: tuple[tuple[str, type[models.Model], int], ...] = (
    ("remind:report:", Task, 2),  # remind:report:<task>:<unit>:<period>
    ("remind:case:", SupervisionCase, 2),  # remind:case:<case>:<ack|feedback>:<due>
    ("case:", SupervisionCase, 1),  # case:<case>:<assigned|escalated>
    ("report:", ProgressReport, 1),  # report:<report>:v<version>:<step>
)


def notification_subject(key: str) -> tuple[type[models.Model], int] | None:
    """The model and id of the task, case or report a notification is about, read from its
    key; None for a key of another form."""
    for prefix, model, position in SUBJECT_KEYS:
        if key.startswith(prefix):
            parts = key.split(":")
            if len(parts) > position and parts[position].isdigit():
                return model, int(parts[position])
            return None
    return None


def concerns_demo(key: str) -> bool:
    """Whether a notification with this key is about demonstration data: a demo task, case
    or report, or a case or report on a demo task."""
    subject = notification_subject(key)
    if subject is None:
        return False
    model, pk = subject
    if DemoMarker.is_marked(model, pk):
        return True
    if model in (SupervisionCase, ProgressReport):
        task_id = model._default_manager.filter(pk=pk).values_list("task_id", flat=True).first()
        return DemoMarker.is_marked(Task, task_id)
    return False


def notifications_concerning_demo(notes: Sequence[Notification]) -> set[int]:
    """The ids of `notes` that concern demonstration data: sent by `planwatch demo`, or about
    a task, case or report it created. One query for a whole page (DemoMarker.ids_among's
    rule, across the four models at once)."""
    if not notes:
        return set()
    wanted: dict[type[models.Model], set[int]] = {Notification: {n.pk for n in notes}}
    subjects = {n.pk: notification_subject(n.key) for n in notes}
    for subject in subjects.values():
        if subject is not None:
            wanted.setdefault(subject[0], set()).add(subject[1])
    types = {model: ContentType.objects.get_for_model(model).pk for model in wanted}
    query = Q()
    for model, ids in wanted.items():
        query |= Q(content_type_id=types[model], object_id__in=ids)
    marked = set(DemoMarker.objects.filter(query).values_list("content_type_id", "object_id"))
    return {
        n.pk
        for n in notes
        if (types[Notification], n.pk) in marked
        or ((s := subjects[n.pk]) is not None and (types[s[0]], s[1]) in marked)
    }


# who hears of each step: the next person to act, or the reporter when it comes back
STEP_AUDIENCE: dict[str, tuple[str, StrOrPromise]] = {
    ReportStatus.SUBMITTED: (Role.UNIT_REVIEWER, gettext_lazy("请审核进展报告")),
    ReportStatus.UNIT_APPROVED: (Role.PLANNER, gettext_lazy("请采纳进展报告")),
    ReportStatus.RETURNED: (Role.REPORTER, gettext_lazy("进展报告被退回")),
    ReportStatus.ACCEPTED: (Role.REPORTER, gettext_lazy("进展报告已采纳")),
    # back to a draft: the reporter withdrew (撤回) it before review
    ReportStatus.DRAFT: (Role.UNIT_REVIEWER, gettext_lazy("进展报告已撤回")),
}


def report_step_notify(*, report: ProgressReport, target: str, reason: str, now: datetime) -> None:
    """Tell who must act next on `report` (or its reporter, when it comes back or is
    accepted): connected to the `report_moved` hook of reports.services."""
    role, title = STEP_AUDIENCE[target]
    where = report.task.plan.org_unit if role == Role.PLANNER else report.unit
    if where is None:
        return
    notification_send(
        recipients=recipients_for([where], [role]),
        kind=f"report.{target}",
        key=f"report:{report.pk}:v{report.version}:{target}",
        title=f"{title}：{report.task.title[:50]}（{report.unit.name}，{report.period_label}）",
        body=reason,
        link=reverse("reports:report_detail", args=[report.pk]),
        now=now,
    )
