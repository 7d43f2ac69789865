"""Writes for tasks and annual lists. Every function here validates, checks the actor's role,
changes data in one transaction and records the change in the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from planwatch.audit.services import audit_record
from planwatch.core import hooks
from planwatch.core.types import Actor, actor_user
from planwatch.core.workflow import ConcurrentUpdate, ServiceError, check_transition
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.choices import NodeKind
from planwatch.plans.models import Node, Plan
from planwatch.tasks.choices import (
    AnnualListStatus,
    OngoingDeadline,
    ReportingFrequency,
    TaskStatus,
)
from planwatch.tasks.leads import FunctionLeadSuggester
from planwatch.tasks.models import AnnualList, ListVersion, Milestone, Task
from planwatch.tasks.permissions import require_plan_manager
from planwatch.tasks.snapshots import snapshot_changes, snapshots_diff, task_snapshot
from planwatch.tasks.suggest import (
    draft_title,
    is_action_clause,
    places_by_node,
    plan_prefectures,
)

ALLOWED_TRANSITIONS: dict[str, dict[str, str]] = {
    AnnualListStatus.DRAFT: {AnnualListStatus.ISSUED: "annual_list.issue"},
    AnnualListStatus.ISSUED: {AnnualListStatus.REVISING: "annual_list.reopen"},
    AnnualListStatus.REVISING: {AnnualListStatus.ISSUED: "annual_list.issue"},
}
TASK_SOURCE_KINDS = (NodeKind.PROVISION, NodeKind.BOX_ITEM)


class TaskChanges(TypedDict, total=False):
    """Fields a planner may set on a task; absent keys stay as they are."""

    title: str
    content: str
    lead_unit: OrgUnit | None
    co_lead_units: list[OrgUnit]
    responsible_units: list[OrgUnit]
    supporting_units: list[OrgUnit]
    start: date | None
    deadline: date | None
    deadline_text: str
    criterion: str
    weight: Decimal
    milestones: list[tuple[str, date]]


SCALAR_FIELDS = (
    "title",
    "content",
    "lead_unit",
    "start",
    "deadline",
    "deadline_text",
    "criterion",
    "weight",
)


@dataclass(frozen=True)
class CheckFailure:
    """One reason a list may not be issued yet."""

    task_id: int | None
    seq: int | None
    field: str
    message: str


class ListIncomplete(ServiceError):
    def __init__(self, failures: list[CheckFailure]) -> None:
        super().__init__(_("清单不完整，共 %(n)d 处问题。") % {"n": len(failures)})
        self.failures = failures


@dataclass(frozen=True)
class GenerateResult:
    annual_list: AnnualList
    created: list[Task]
    skipped: int


def figures_changed(annual_list: AnnualList) -> None:
    """Tell the summaries (core.hooks.figures_changed) that issued tasks of `annual_list`
    changed — their status, units, dates or the list's frequency — inside the caller's
    transaction. Creating or deleting a task needs no call: only drafts are."""
    hooks.figures_changed.send(plan_id=annual_list.plan_id, year=annual_list.year)


def lock_list_for_edit(annual_list: AnnualList) -> None:
    """Bump the list's version if it is still editable — so an issue racing with this edit
    fails instead of locking a list it did not check — or refuse."""
    rows = AnnualList.objects.filter(
        pk=annual_list.pk, status__in=AnnualListStatus.EDITABLE
    ).update(version=F("version") + 1)
    if rows != 1:
        raise ServiceError(_("清单已下达并锁定；如需修改，请先发起修订。"))


def annual_list_get_or_create(*, plan: Plan, year: int, actor: Actor) -> AnnualList:
    require_plan_manager(actor, plan)
    if not 2000 <= year <= 2100:
        raise ValidationError(_("年度 %(year)s 不在有效范围内。") % {"year": year})
    with transaction.atomic():
        alist, created = AnnualList.objects.get_or_create(plan=plan, year=year)
        if created:
            audit_record(
                actor=actor,
                action="annual_list.create",
                target_type="tasks.annuallist",
                target_id=alist.pk,
                target_label=str(alist),
                new={"plan": plan.pk, "year": year},
            )
    return alist


def _draft_from_node(
    node: Node,
    *,
    alist: AnnualList,
    seq: int,
    suggester: FunctionLeadSuggester,
    by_id: dict[int, Node],
) -> Task:
    lead = suggester.suggest_for(node, by_id)
    title = draft_title(node, by_id)
    return Task(
        annual_list=alist,
        plan=alist.plan,
        year=alist.year,
        seq=seq,
        clause=node,
        clause_key=node.key,
        title=title[:255] or _("（无标题条款）"),
        content=node.text,
        lead_unit=lead.unit,
        lead_suggestion=lead.reason[:255],
        start=date(alist.year, 1, 1),
        deadline=date(alist.year, 12, 31),
    )


def _responsible(named: list[OrgUnit] | None, covered: list[OrgUnit]) -> list[OrgUnit]:
    """The covered prefectures a clause names (a plan names other cities too — as
    destinations of a railway, say — but cannot make them responsible), else all of them."""
    if not covered:
        return named or []
    inside = [u for u in named or [] if u in covered]
    return inside or covered


def _link_responsible(tasks: list[Task], units: list[list[OrgUnit]]) -> None:
    through = Task.responsible_units.through
    through.objects.bulk_create(
        through(task_id=t.pk, orgunit_id=u.pk)
        for t, us in zip(tasks, units, strict=True)
        for u in us
    )


def task_drafts_generate(*, plan: Plan, year: int, actor: Actor) -> GenerateResult:
    """Draft one task for every action provision and 专栏 item of the plan's current version
    (not its background, goals, principles or implementation chapter: see
    `tasks.suggest.is_action_clause`) that has none in the list yet, with suggested lead and
    responsible units (see tasks.suggest)."""
    version = plan.current_version
    if version is None:
        raise ValidationError(_("该规划尚未导入任何版本。"))
    alist = annual_list_get_or_create(plan=plan, year=year, actor=actor)
    with transaction.atomic():
        lock_list_for_edit(alist)
        all_nodes = list(version.nodes.all())
        by_id = {n.pk: n for n in all_nodes}
        done = set(alist.tasks.values_list("clause_key", flat=True))
        sources = [
            n
            for n in all_nodes
            if n.kind in TASK_SOURCE_KINDS and n.key not in done and is_action_clause(n, by_id)
        ]
        places = places_by_node(sources)
        fallback = plan_prefectures(plan, version)
        suggester = FunctionLeadSuggester()
        start_seq = (alist.tasks.aggregate(m=Max("seq"))["m"] or 0) + 1
        drafts = [
            _draft_from_node(n, alist=alist, seq=start_seq + i, suggester=suggester, by_id=by_id)
            for i, n in enumerate(sources)
        ]
        created = Task.objects.bulk_create(drafts)
        _link_responsible(created, [_responsible(places.get(n.pk), fallback) for n in sources])
        audit_record(
            actor=actor,
            action="task.drafts_generate",
            target_type="tasks.annuallist",
            target_id=alist.pk,
            target_label=str(alist),
            new={"created": [t.pk for t in created], "skipped": len(done), "version": version.pk},
        )
    return GenerateResult(annual_list=alist, created=created, skipped=len(done))


# What `validate_task_changes` accepts, computed once (an import validates every row; an
# enum's `values` builds its list again on each use).
_KNOWN_KEYS = frozenset(TaskChanges.__annotations__)
_DEADLINE_TEXTS = frozenset(("", *OngoingDeadline.values))


def validate_task_changes(changes: TaskChanges) -> None:
    errors: dict[str, str] = {}
    unknown = set(changes) - _KNOWN_KEYS
    if unknown:
        errors["__all__"] = _("未知字段：%(f)s") % {"f": _("、").join(sorted(unknown))}
    if "title" in changes and not changes["title"].strip():
        errors["title"] = _("重点任务名称不能为空。")
    text = changes.get("deadline_text", "")
    if not isinstance(text, str) or text not in _DEADLINE_TEXTS:
        errors["deadline_text"] = _("完成时限只能写日期，或“长期坚持”“持续推进”。")
    if "weight" in changes and changes["weight"] < 0:
        errors["weight"] = _("权重不能为负数。")
    named: dict[str, list[OrgUnit]] = {
        "lead_unit": [u for u in [changes.get("lead_unit")] if u is not None],
        "co_lead_units": changes.get("co_lead_units", []),
        "responsible_units": changes.get("responsible_units", []),
        "supporting_units": changes.get("supporting_units", []),
    }
    for key, units in named.items():
        if any(u.kind in (OrgUnitKind.ZONE, OrgUnitKind.PROVINCE) for u in units):
            errors[key] = _("经济区或省不能作为责任主体，请选择市州、县或省直部门。")
    if errors:
        raise ValidationError(errors)


def validate_task_dates(task: Task) -> None:
    if task.start and task.deadline and task.start > task.deadline:
        raise ValidationError({"deadline": _("完成时限不能早于开始日期。")})


def _apply_changes(task: Task, changes: TaskChanges) -> None:
    """Write the relations and milestones of `changes` (scalars are written by the caller)."""
    if "co_lead_units" in changes:
        task.co_lead_units.set(changes["co_lead_units"])
    if "responsible_units" in changes:
        task.responsible_units.set(changes["responsible_units"])
    if "supporting_units" in changes:
        task.supporting_units.set(changes["supporting_units"])
    if "milestones" in changes:
        task.milestones.all().delete()
        Milestone.objects.bulk_create(
            Milestone(task=task, seq=i + 1, title=title, due=due)
            for i, (title, due) in enumerate(changes["milestones"])
        )


def task_create(
    *, annual_list: AnnualList, actor: Actor, changes: TaskChanges, seq: int | None = None
) -> Task:
    """Add a task to a list that is not locked (by hand or from an imported row)."""
    require_plan_manager(actor, annual_list.plan)
    validate_task_changes(changes)
    if not changes.get("title"):
        raise ValidationError({"title": _("重点任务名称不能为空。")})
    with transaction.atomic():
        lock_list_for_edit(annual_list)
        if seq is None:
            seq = (annual_list.tasks.aggregate(m=Max("seq"))["m"] or 0) + 1
        scalars: dict[str, Any] = {k: v for k, v in changes.items() if k in SCALAR_FIELDS}
        task = Task(annual_list=annual_list, plan=annual_list.plan, year=annual_list.year, seq=seq)
        for key, value in scalars.items():
            setattr(task, key, value)
        validate_task_dates(task)
        task.save()
        _apply_changes(task, changes)
        audit_record(
            actor=actor,
            action="task.create",
            target_type="tasks.task",
            target_id=task.pk,
            target_label=str(task),
            new=task_snapshot(task),
        )
    return task


def task_update(
    *, task: Task, actor: Actor, changes: TaskChanges, version: int | None = None
) -> Task:
    """Change a task of a list that is not locked. `version` is the task version the editor
    started from; if someone saved the task since, `ConcurrentUpdate` is raised."""
    require_plan_manager(actor, task.plan)
    validate_task_changes(changes)
    if version is not None and version != task.version:
        raise ConcurrentUpdate(_("该任务已被他人修改，请刷新后重试。"))
    with transaction.atomic():
        lock_list_for_edit(task.annual_list)
        before = task_snapshot(task, changes)
        scalars: dict[str, Any] = {k: v for k, v in changes.items() if k in SCALAR_FIELDS}
        for key, value in scalars.items():
            setattr(task, key, value)
        validate_task_dates(task)
        values = {k: getattr(task, k) for k in scalars} | {"updated_at": timezone.now()}
        rows = Task.objects.filter(pk=task.pk, version=task.version).update(
            version=F("version") + 1, **values
        )
        if rows != 1:
            raise ConcurrentUpdate(_("该任务已被他人修改，请刷新后重试。"))
        task.version += 1
        _apply_changes(task, changes)
        figures_changed(task.annual_list)
        after = task_snapshot(task, changes)
        audit_record(
            actor=actor,
            action="task.update",
            target_type="tasks.task",
            target_id=task.pk,
            target_label=str(task),
            old={k: v[0] for k, v in snapshot_changes(before, after).items()},
            new={k: v[1] for k, v in snapshot_changes(before, after).items()},
        )
    return task


def task_delete(*, task: Task, actor: Actor) -> None:
    """Remove a task that was never issued (a draft nobody reports on)."""
    require_plan_manager(actor, task.plan)
    if task.status != TaskStatus.DRAFT:
        raise ServiceError(_("已下达的任务不能删除。"))
    with transaction.atomic():
        lock_list_for_edit(task.annual_list)
        snap = task_snapshot(task)
        task.delete()
        audit_record(
            actor=actor,
            action="task.delete",
            target_type="tasks.task",
            target_id=snap["id"],
            target_label=snap["title"],
            old=snap,
        )


def check_fields() -> dict[str, str]:
    """What the completeness check asks of every task: field → the failure's wording."""
    return {
        "lead_unit": _("缺少牵头单位"),
        "responsible_units": _("缺少责任单位"),
        "deadline": _("缺少完成时限"),
        "criterion": _("缺少完成标准"),
    }


def _missing(task: Task) -> dict[str, bool]:
    return {
        "lead_unit": task.lead_unit_id is None,
        "responsible_units": not task.responsible_units.all(),
        # 长期坚持/持续推进 stands for a deadline (supervised by period, not by date).
        "deadline": task.deadline is None and not task.deadline_text,
        "criterion": not task.criterion.strip(),
    }


def annual_list_check(*, annual_list: AnnualList) -> list[CheckFailure]:
    """Every reason the list is not complete: each task needs a lead unit, at least one
    responsible unit, a deadline (a date, or 长期坚持/持续推进) and a completion criterion.
    Empty when it may be issued."""
    failures: list[CheckFailure] = []
    tasks = annual_list.tasks.prefetch_related("responsible_units").order_by("seq")
    if not tasks:
        failures.append(CheckFailure(None, None, "tasks", _("清单中没有任务。")))
    wording = check_fields()
    for t in tasks:
        failures.extend(
            CheckFailure(
                t.pk,
                t.seq,
                field,
                _("%(seq)s. %(title)s：%(msg)s")
                % {"seq": t.seq, "title": t.title, "msg": wording[field]},
            )
            for field, bad in _missing(t).items()
            if bad
        )
    return failures


@dataclass(frozen=True)
class CheckCount:
    """How many tasks of a list fail one requirement of the completeness check."""

    field: str
    label: str
    count: int


def check_summary(failures: list[CheckFailure]) -> list[CheckCount]:
    """The failures counted per requirement, in the check's order; requirements every task
    meets are left out."""
    counts: dict[str, int] = {}
    for f in failures:
        if f.task_id is not None:
            counts[f.field] = counts.get(f.field, 0) + 1
    return [
        CheckCount(field, label, counts[field])
        for field, label in check_fields().items()
        if counts.get(field)
    ]


def annual_list_issue(
    *, annual_list: AnnualList, actor: Actor, now: datetime | None = None
) -> ListVersion:
    """Issue (下达) a complete list: lock it, activate its tasks and store the new version
    with its diff against the version issued before. Refuses an incomplete list."""
    require_plan_manager(actor, annual_list.plan)
    now = now or timezone.now()
    with transaction.atomic():
        annual_list.refresh_from_db()
        old_status = annual_list.status
        action = check_transition(
            ALLOWED_TRANSITIONS, current=old_status, target=AnnualListStatus.ISSUED
        )
        failures = annual_list_check(annual_list=annual_list)
        if failures:
            raise ListIncomplete(failures)
        number = annual_list.issued_number + 1
        _transition(annual_list, AnnualListStatus.ISSUED, issued_number=number, issued_at=now)
        annual_list.tasks.filter(status=TaskStatus.DRAFT).update(status=TaskStatus.ACTIVE)
        figures_changed(annual_list)
        lv = _store_version(annual_list, number, actor, now)
        hooks.annual_list_issued.send(annual_list=annual_list, now=now)
        audit_record(
            actor=actor,
            action=action,
            target_type="tasks.annuallist",
            target_id=annual_list.pk,
            target_label=str(annual_list),
            old={"status": old_status},
            new={"status": AnnualListStatus.ISSUED, "version": number, "tasks": len(lv.snapshot)},
        )
    return lv


def _store_version(alist: AnnualList, number: int, actor: Actor, now: datetime) -> ListVersion:
    """Snapshot the list's tasks as version `number`, with the diff against the last one."""
    snapshot = [task_snapshot(t) for t in alist.tasks.select_related("lead_unit").order_by("seq")]
    previous = alist.versions.order_by("-number").first()
    return ListVersion.objects.create(
        annual_list=alist,
        number=number,
        frequency=alist.frequency,
        snapshot=snapshot,
        diff=snapshots_diff(previous.snapshot, snapshot) if previous else {},
        issued_at=now,
        issued_by=actor_user(actor) if getattr(actor, "is_authenticated", False) else None,
    )


def _transition(annual_list: AnnualList, target: str, **values: Any) -> None:
    rows = AnnualList.objects.filter(
        pk=annual_list.pk, status=annual_list.status, version=annual_list.version
    ).update(status=target, version=F("version") + 1, **values)
    if rows != 1:
        raise ConcurrentUpdate(_("清单已被他人修改或状态已变化，请刷新后重试。"))
    annual_list.refresh_from_db()


def annual_list_reopen(*, annual_list: AnnualList, actor: Actor, reason: str) -> AnnualList:
    """Open an issued list for revision; it stays in force (its tasks stay active) until it is
    issued again as a new version."""
    require_plan_manager(actor, annual_list.plan)
    if not reason.strip():
        raise ValidationError({"reason": _("请说明修订原因。")})
    with transaction.atomic():
        annual_list.refresh_from_db()
        action = check_transition(
            ALLOWED_TRANSITIONS, current=annual_list.status, target=AnnualListStatus.REVISING
        )
        _transition(annual_list, AnnualListStatus.REVISING)
        audit_record(
            actor=actor,
            action=action,
            target_type="tasks.annuallist",
            target_id=annual_list.pk,
            target_label=str(annual_list),
            old={"status": AnnualListStatus.ISSUED},
            new={"status": AnnualListStatus.REVISING, "reason": reason.strip()},
        )
    return annual_list


def annual_list_set_frequency(*, annual_list: AnnualList, actor: Actor, frequency: str) -> None:
    require_plan_manager(actor, annual_list.plan)
    if frequency not in ReportingFrequency.values:
        raise ValidationError({"frequency": _("报送频次无效。")})
    with transaction.atomic():
        old = annual_list.frequency
        lock_list_for_edit(annual_list)
        AnnualList.objects.filter(pk=annual_list.pk).update(frequency=frequency)
        annual_list.refresh_from_db()
        figures_changed(annual_list)  # the due dates of the report slots
        audit_record(
            actor=actor,
            action="annual_list.set_frequency",
            target_type="tasks.annuallist",
            target_id=annual_list.pk,
            target_label=str(annual_list),
            old={"frequency": old},
            new={"frequency": frequency},
        )
