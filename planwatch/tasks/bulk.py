"""`task_update` and `task_create` for many tasks of one list at once — what an xlsx import of
a few thousand rows needs: the same validation and one audit event per changed or created
task, but one permission check, one list lock and bulk writes instead of a dozen queries per
task.

`task_create_many` is the one call through which an import adds tasks: whatever must react
to new tasks (a hook for per-period rollups, say) reacts there once for the whole batch."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.translation import gettext as _

from planwatch.audit.services import AuditEntry, audit_record_many
from planwatch.core.bulk import objects_insert, rows_update, table_insert
from planwatch.core.lookups import InArray
from planwatch.core.types import Actor
from planwatch.core.workflow import ConcurrentUpdate
from planwatch.orgunits.models import OrgUnit
from planwatch.tasks.models import AnnualList, Milestone, Task
from planwatch.tasks.permissions import require_plan_manager
from planwatch.tasks.services import (
    SCALAR_FIELDS,
    TaskChanges,
    figures_changed,
    lock_list_for_edit,
    validate_task_changes,
    validate_task_dates,
)
from planwatch.tasks.snapshots import TaskSnapshot, task_snapshot

RELATIONS = ("co_lead_units", "responsible_units", "supporting_units")


class RowInvalid(ValidationError):
    """A change refused for the task at `index` of the updates."""

    def __init__(self, index: int, error: ValidationError) -> None:
        super().__init__(error.messages)
        self.index = index


class RowsInvalid(ValidationError):
    """Every refused row of a batch: `rows` holds (index, error) in the order given."""

    def __init__(self, rows: list[tuple[int, ValidationError]]) -> None:
        super().__init__([m for _i, e in rows for m in e.messages])
        self.rows = rows


def _names(units: Sequence[OrgUnit]) -> list[str]:
    return [u.name for u in sorted(units, key=lambda u: u.path)]


def _before(
    task: Task,
    changes: TaskChanges,
    units: Mapping[int, Mapping[str, Sequence[OrgUnit]]] | None,
) -> dict[str, Any]:
    """`task_snapshot(task, changes)` before the change, its units from `units` if given."""
    if units is None:
        return task_snapshot(task, changes)
    snap = task_snapshot(task, [k for k in changes if k not in RELATIONS])
    current = units.get(task.pk, {})
    for relation in RELATIONS:
        if relation in changes:
            snap[relation] = _names(current.get(relation, []))
    return snap


def _write_relations(
    updates: Sequence[tuple[Task, TaskChanges]],
    *,
    new: bool = False,
    current: Mapping[int, Mapping[str, Sequence[OrgUnit]]] | None = None,
) -> None:
    """Replace the units of each relation in the changes (`new`: the tasks were just
    inserted and have none to delete); the rows go in with `table_insert` (COPY on
    PostgreSQL). With `current` (task id → relation → the units it has, as the caller read
    them with the tasks whose versions `task_update_many` checks), a task that keeps all its
    units of a relation only gets the added ones inserted: the same links in the end,
    without deleting and writing again the ones it keeps."""
    for relation in RELATIONS:
        changed = [(t, c[relation]) for t, c in updates if relation in c]  # type: ignore[literal-required]
        if not changed:
            continue
        replaced: list[tuple[Task, Sequence[OrgUnit]]] = []
        pairs: list[tuple[int, int]] = []
        for task, units in changed:
            had = None
            if current is not None:
                had = {u.pk for u in current.get(task.pk, {}).get(relation, [])}
                if not had.issubset(u.pk for u in units):
                    had = None
            if had is None and not new:
                replaced.append((task, units))
            pairs.extend((task.pk, u.pk) for u in units if had is None or u.pk not in had)
        through = getattr(Task, relation).through
        if replaced:
            through.objects.filter(InArray(F("task_id"), [t.pk for t, _u in replaced])).delete()
        meta = through._meta
        columns = (meta.get_field("task").column, meta.get_field("orgunit").column)
        table_insert(meta.db_table, columns, pairs)


def task_update_many(
    *,
    annual_list: AnnualList,
    actor: Actor,
    updates: Sequence[tuple[Task, TaskChanges]],
    units: Mapping[int, Mapping[str, Sequence[OrgUnit]]] | None = None,
) -> None:
    """Apply `updates` (tasks of `annual_list` with their changes) in one transaction, or
    none of them. A task whose stored version is no longer the one it was read with raises
    ConcurrentUpdate (checked first); a refused change raises RowInvalid naming its index.
    The units the tasks
    have now come from `units` (task id → relation → units, as the caller read them) or,
    without it, from the tasks' prefetched relations. No updates: nothing is written, and
    no figures-changed hook fires (an import of new rows only)."""
    require_plan_manager(actor, annual_list.plan)
    if not updates:
        return
    for index, (task, changes) in enumerate(updates):
        if task.annual_list_id != annual_list.pk or "milestones" in changes:
            raise RowInvalid(index, ValidationError(_("不能批量修改该任务。")))
        try:
            validate_task_changes(changes)
        except ValidationError as exc:
            raise RowInvalid(index, exc) from exc
    with transaction.atomic():
        lock_list_for_edit(annual_list)
        tasks = [t for t, _c in updates]
        read = [t.version for t in tasks]
        befores = [_before(t, c, units) for t, c in updates]
        now = timezone.now()
        fields = {"version", "updated_at"}
        refused: tuple[int, ValidationError] | None = None
        for index, (task, changes) in enumerate(updates):
            for key, value in changes.items():
                if key in SCALAR_FIELDS:
                    setattr(task, key, value)
                    fields.add(key)
            if refused is None:
                try:
                    validate_task_dates(task)
                except ValidationError as exc:
                    refused = (index, exc)
            task.version += 1
            task.updated_at = now
        # The UPDATE writes a task only if it still has the version read (no query of its
        # own to compare them first): a task changed or deleted since stops the batch, as
        # before any refused row, and the transaction undoes what was written.
        if _write_rows(tasks, sorted(fields), read) != len(tasks):
            raise ConcurrentUpdate(_("有任务已被他人修改，请重新导出后再导入。"))
        if refused is not None:
            raise RowInvalid(*refused) from refused[1]
        _write_relations(updates, current=units)
        figures_changed(annual_list)
        audit_record_many(
            actor=actor,
            entries=(
                _audit_update(task, changes, before)
                for (task, changes), before in zip(updates, befores, strict=True)
            ),
        )


def _write_rows(tasks: Sequence[Task], field_names: Sequence[str], read: Sequence[int]) -> int:
    """Write `field_names` of the tasks whose stored version is still the one `read` (in
    the order of `tasks`); the number written. core.bulk.rows_update: one executemany
    UPDATE, or a COPY and one UPDATE on PostgreSQL (Django's bulk_update compiles a CASE
    expression per field over the whole batch)."""
    return rows_update(Task, tasks, field_names, guard="version", expected=read)


def _insert_rows(annual_list: AnnualList, tasks: Sequence[Task]) -> None:
    """One parameterised INSERT per task, sent with executemany (core.bulk.objects_insert:
    Django's bulk_create prepares every value through its compiler, most of a large import's
    time); the new ids are then read back by 序号, unique within the list."""
    objects_insert(Task, tasks)
    listed = Task.objects.filter(annual_list=annual_list).order_by()  # no join to order by
    ids = dict(listed.values_list("seq", "pk"))
    for task in tasks:
        task.pk = ids[task.seq]
        task._state.adding = False


def _audit_update(task: Task, changes: TaskChanges, before: dict[str, Any]) -> AuditEntry:
    after = task_snapshot(task, [k for k in changes if k not in RELATIONS])
    for relation in RELATIONS:
        if relation in changes:
            after[relation] = _names(changes[relation])  # type: ignore[literal-required]
    changed = [k for k in changes if before.get(k) != after.get(k)]
    return AuditEntry(
        action="task.update",
        target_type="tasks.task",
        target_id=task.pk,
        target_label=str(task),
        old={k: before.get(k) for k in changed},
        new={k: after.get(k) for k in changed},
    )


def _distinct(units: Sequence[OrgUnit]) -> list[OrgUnit]:
    return list({u.pk: u for u in units}.values())


def _task_maker(annual_list: AnnualList) -> Callable[[int, TaskChanges], Task]:
    """A function of (序号, changes) giving an unsaved task of `annual_list`, as
    `Task(annual_list=…, plan=…, year=…, seq=…)` with the scalar changes set would: the
    attributes of one such task copied into a bare instance (`Model.__init__` sets every
    field through its descriptor, a third of a large import's time to build the tasks)."""
    proto = Task(annual_list=annual_list, plan=annual_list.plan, year=annual_list.year, seq=0)
    base = {k: v for k, v in proto.__dict__.items() if k != "_state"}
    cache = proto._state.fields_cache
    bare = Task.__new__
    scalar = frozenset(SCALAR_FIELDS) - {"lead_unit"}

    def make(seq: int, changes: TaskChanges) -> Task:
        task = bare(Task)
        attrs = task.__dict__
        attrs.update(base)
        state = attrs["_state"] = ModelState()
        state.fields_cache = dict(cache)
        attrs["seq"] = seq
        for key, value in changes.items():
            if key in scalar:
                attrs[key] = value
            elif key == "lead_unit":
                task.lead_unit = value  # type: ignore[assignment]
        return task

    return make


def task_create_many(
    *, annual_list: AnnualList, actor: Actor, rows: Sequence[tuple[int, TaskChanges]]
) -> list[Task]:
    """`task_create` for every (序号, changes) of `rows`, in one transaction, or none of them:
    every row is checked first and RowsInvalid names each refused one (its index in `rows`).
    The tasks, their units and milestones are inserted in bulk and one `task.create` audit
    event per task (the snapshot `task_create` records) is chained in the order given."""
    require_plan_manager(actor, annual_list.plan)
    tasks: list[Task] = []
    refused: list[tuple[int, ValidationError]] = []
    new_task = _task_maker(annual_list)
    for index, (seq, changes) in enumerate(rows):
        task = new_task(seq, changes)
        try:
            validate_task_changes(changes)
            if not changes.get("title"):
                raise ValidationError({"title": _("重点任务名称不能为空。")})
            validate_task_dates(task)
        except ValidationError as exc:
            refused.append((index, exc))
        tasks.append(task)
    if refused:
        raise RowsInvalid(refused)
    if not tasks:
        return []
    with transaction.atomic():
        lock_list_for_edit(annual_list)
        _insert_rows(annual_list, tasks)
        changes_list = [c for _s, c in rows]
        linked: list[dict[str, list[OrgUnit]]] = [
            {r: _distinct(c[r]) for r in RELATIONS if r in c}  # type: ignore[literal-required]
            for c in changes_list
        ]
        _write_relations(list(zip(tasks, linked, strict=True)), new=True)  # type: ignore[arg-type]
        Milestone.objects.bulk_create(
            (
                Milestone(task=t, seq=i + 1, title=title, due=due)
                for t, c in zip(tasks, changes_list, strict=True)
                for i, (title, due) in enumerate(c.get("milestones", []))
            ),
            batch_size=1000,
        )
        audit_record_many(
            actor=actor,
            entries=(
                AuditEntry(
                    action="task.create",
                    target_type="tasks.task",
                    target_id=t.pk,
                    target_label=str(t),
                    new=_created_snapshot(t, c, units),
                )
                for t, c, units in zip(tasks, changes_list, linked, strict=True)
            ),
        )
    return tasks


def _created_snapshot(
    task: Task, changes: TaskChanges, linked: Mapping[str, Sequence[OrgUnit]]
) -> TaskSnapshot:
    """What `task_snapshot` reads from the database right after `task_create`, from what was
    just written (no query per task): `linked` holds the distinct units of each relation
    given. Built directly in SNAPSHOT_KEYS order (tests compare it with `task_snapshot`)."""
    lead = task.lead_unit
    start, deadline = task.start, task.deadline
    milestones = changes.get("milestones", [])
    return {
        "id": task.pk,
        "seq": task.seq,
        "title": task.title,
        "content": task.content,
        "clause_key": task.clause_key,
        "lead_unit": lead.name if lead else None,
        "co_lead_units": _names(linked.get("co_lead_units", [])),
        "responsible_units": _names(linked.get("responsible_units", [])),
        "supporting_units": _names(linked.get("supporting_units", [])),
        "start": start.isoformat() if start else None,
        "deadline": deadline.isoformat() if deadline else None,
        "deadline_text": task.deadline_text,
        "criterion": task.criterion,
        "weight": str(task.weight),
        "milestones": [[title, due.isoformat()] for title, due in milestones],
    }
