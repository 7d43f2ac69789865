"""The workbench (工作台): the landing page after sign-in, one per person. It lists what waits
for them across the domains — reports to fill in (with each period's deadline), reports to
review and to accept, 督办 cases to sign for and replies due, cases the planner must assign
or check — and their unread notifications; each with its count, its nearest deadline and a
link to the list it comes from. It sits in `pages`, the top package, so it reads every domain
downward (decision record 0018).

Demonstration data (core.DemoMarker) stays out of a real person's workbench; a demo account
(itself marked) sees the demo's objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import membership_paths
from planwatch.core.models import DemoMarker, Notification
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.reports.choices import ReportStatus
from planwatch.reports.models import ProgressReport
from planwatch.reports.periods import periods_between
from planwatch.reports.selectors import review_queue_for
from planwatch.supervision.choices import CaseStatus
from planwatch.supervision.models import SupervisionCase
from planwatch.supervision.notify import notification_subject
from planwatch.supervision.permissions import manages_plan
from planwatch.tasks.choices import TaskStatus
from planwatch.tasks.models import Task
from planwatch.tasks.permissions import plans_managed_q

ROWS = 8  # rows shown under each item; the link leads to the whole list


@dataclass
class Row:
    """One thing to do: its title, where it is done, its deadline (None: none)."""

    title: str
    url: str
    due: date | None = None
    note: str = ""


@dataclass
class Item:
    """One kind of work waiting: how many, the nearest deadline, the list it comes from."""

    key: str
    label: str
    url: str
    count: int = 0
    rows: list[Row] = field(default_factory=list)
    overdue: int = 0

    @property
    def deadline(self) -> date | None:
        return min((r.due for r in self.rows if r.due is not None), default=None)


def is_demo_user(user: Any) -> bool:
    ct = ContentType.objects.get_for_model(get_user_model())
    return DemoMarker.objects.filter(content_type=ct, object_id=user.pk).exists()


def demo_ids(model: type[Model]) -> QuerySet[DemoMarker, Any]:
    """The ids of `model`'s rows that the demo created, as a subquery."""
    ct = ContentType.objects.get_for_model(model)
    return DemoMarker.objects.filter(content_type=ct).values("object_id")


def _own_units(user: Any, *roles: str) -> QuerySet[OrgUnit]:
    """Units on which `user` holds one of `roles` by membership, with their subtrees. Not the
    superuser's everything: an administrator's workbench is not every unit's."""
    paths = membership_paths(user, *roles)  # the memberships the page reads anyway
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(path__startswith=path)
    return OrgUnit.objects.filter(query)


def _to_fill(user: Any, today: date, real: bool) -> Item:
    """(task, unit, period) slots of the user's reporting units that have begun and have no
    filed report yet: drafts, returned reports and periods not started."""
    item = Item("fill", _("待填报"), reverse("tasks:task_list") + "?status=active")
    units = list(_own_units(user, Role.REPORTER))
    if not units:
        return item
    unit_ids = {u.pk for u in units}
    query = Task.objects.filter(
        Q(lead_unit__in=unit_ids) | Q(responsible_units__in=unit_ids), status=TaskStatus.ACTIVE
    )
    if real:
        query = query.exclude(pk__in=demo_ids(Task))
    tasks = list(
        query.distinct()
        .select_related("annual_list", "lead_unit")
        .prefetch_related("responsible_units")
    )
    filed = {
        (r.task_id, r.unit_id, r.period_start): r
        for r in ProgressReport.objects.filter(task__in=tasks, unit__in=unit_ids, is_current=True)
    }
    slots: list[Row] = []
    for task in tasks:
        mine = {u.pk: u for u in task.responsible_units.all() if u.pk in unit_ids}
        if task.lead_unit is not None and task.lead_unit.pk in unit_ids:
            mine[task.lead_unit.pk] = task.lead_unit
        periods = periods_between(task.year, task.annual_list.frequency, task.start, task.deadline)
        for period in (p for p in periods if p.start <= today):
            for unit in mine.values():
                report = filed.get((task.pk, unit.pk, period.start))
                if report is not None and report.status not in ReportStatus.EDITABLE:
                    continue
                url = (
                    reverse("reports:report_detail", args=[report.pk])
                    if report
                    else reverse("tasks:task_detail", args=[task.pk])
                )
                note = f"{unit.name} · {period.label}"
                if report is not None and report.status == ReportStatus.RETURNED:
                    note += " · " + _("已退回")
                slots.append(Row(task.title, url, period.due, note))
    slots.sort(key=lambda r: (r.due or date.max, r.title))
    item.count, item.rows = len(slots), slots[:ROWS]
    item.overdue = sum(1 for r in slots if r.due is not None and r.due < today)
    return item


def _reports_waiting(user: Any, status: str, key: str, label: str, real: bool) -> Item:
    item = Item(key, label, reverse("reports:review_queue"))
    qs = review_queue_for(user=user).filter(status=status)
    if real:
        qs = qs.exclude(pk__in=demo_ids(ProgressReport))
    item.count = qs.count()
    if not item.count:  # nothing waiting: no rows to read
        return item
    item.rows = [
        Row(r.task.title, reverse("reports:report_detail", args=[r.pk]), r.due, r.unit.name)
        for r in qs[:ROWS]
    ]
    return item


def _cases(
    key: str, label: str, cases: QuerySet[SupervisionCase], due: str | None, status: str
) -> Item:
    item = Item(key, label, reverse("supervision:case_list") + f"?status={status}")
    item.count = cases.count()
    if not item.count:  # none: none overdue, no rows to read
        return item
    if due:
        item.overdue = cases.filter(**{f"{due}__lt": timezone.localdate()}).count()
    rows = cases.select_related("task", "unit").order_by(due or "opened_at", "pk")[:ROWS]
    item.rows = [
        Row(
            c.label,
            reverse("supervision:case_detail", args=[c.pk]),
            getattr(c, due) if due else None,
            c.unit.name if c.unit else "",
        )
        for c in rows
    ]
    return item


def _case_items(user: Any, real: bool) -> list[Item]:
    units = _own_units(user, Role.REPORTER, Role.UNIT_REVIEWER)
    mine = SupervisionCase.objects.filter(unit__in=units)
    managed = SupervisionCase.objects.filter(plan__in=_managed_plans(user))
    if manages_plan(user, None):  # cases on no plan (a black listing): province planners
        managed |= SupervisionCase.objects.filter(plan__isnull=True)
    if real:
        mine = mine.exclude(pk__in=demo_ids(SupervisionCase))
        managed = managed.exclude(pk__in=demo_ids(SupervisionCase))
    replying = (CaseStatus.ACKNOWLEDGED, CaseStatus.IN_PROGRESS)
    checking = (CaseStatus.FEEDBACK, CaseStatus.REVIEWED)
    items = [
        _cases(
            "sign", _("待签收督办"), mine.filter(status=CaseStatus.ASSIGNED), "ack_due", "assigned"
        ),
        _cases(
            "reply",
            _("待反馈督办"),
            mine.filter(status__in=replying),
            "feedback_due",
            "acknowledged",
        ),
        _cases("assign", _("待交办督办"), managed.filter(status=CaseStatus.OPENED), None, "opened"),
        _cases(
            "check",
            _("待复核督办"),
            managed.filter(status__in=checking),
            "feedback_due",
            "feedback",
        ),
    ]
    return items


def _managed_plans(user: Any) -> QuerySet[Plan]:
    if not membership_paths(user, Role.PLANNER):
        return Plan.objects.none()
    return Plan.objects.filter(plans_managed_q(user))


def unread_notifications(user: Any, real: bool | None = None) -> list[Notification]:
    """`user`'s unread notifications (the latest 500), less those about demonstration data
    for a real person (sent by the demo, or about a task, case or report it made: the rule of
    supervision.notify.notifications_concerning_demo). One query when there are none, one
    DemoMarker query otherwise (the header's badge on every page)."""
    unread = list(
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .only("pk", "key", "title", "link", "created_at")
        .order_by("-created_at")[:500]
    )
    if not unread or real is False:
        return unread
    user_model = get_user_model()
    subjects = {n.pk: notification_subject(n.key) for n in unread}
    wanted: dict[type[Model], set[int]] = {Notification: set(subjects), user_model: {user.pk}}
    for subject in subjects.values():
        if subject is not None:
            wanted.setdefault(subject[0], set()).add(subject[1])
    types = {model: ContentType.objects.get_for_model(model).pk for model in wanted}
    query = Q()
    for model, ids in wanted.items():
        query |= Q(content_type_id=types[model], object_id__in=ids)
    marked = set(DemoMarker.objects.filter(query).values_list("content_type_id", "object_id"))
    if real is None and (types[user_model], user.pk) in marked:
        return unread  # a demo account sees the demo's notifications

    def is_demo(n: Notification) -> bool:
        s = subjects[n.pk]
        return (types[Notification], n.pk) in marked or (
            s is not None and (types[s[0]], s[1]) in marked
        )

    return [n for n in unread if not is_demo(n)]


def _notifications(user: Any, real: bool) -> Item:
    item = Item("notes", _("未读通知"), reverse("supervision:notification_list"))
    unread = unread_notifications(user, real)
    item.count = len(unread)
    item.rows = [Row(n.title, n.link or item.url) for n in unread[:ROWS]]
    return item


def workbench_items(user: Any, today: date) -> list[Item]:
    """Every kind of waiting work of `user`, in the order a working day takes them."""
    real = not is_demo_user(user)
    items = [
        _to_fill(user, today, real),
        _reports_waiting(user, ReportStatus.SUBMITTED, "review", _("待审核报告"), real),
        _reports_waiting(user, ReportStatus.UNIT_APPROVED, "accept", _("待采纳报告"), real),
        *_case_items(user, real),
        _notifications(user, real),
    ]
    return items


@login_required
@require_GET
def workbench(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    items = workbench_items(request.user, today)
    context = {
        "items": [i for i in items if i.count],
        "today": today,
    }
    return render(request, "pages/workbench.html", context)
