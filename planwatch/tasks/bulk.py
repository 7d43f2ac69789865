"""`task_update` and `task_create` for many tasks of one list at once — what an xlsx import of
a few thousand rows needs: the same validation and one audit event per changed or created
task, but one permission check, one list lock and bulk writes instead of a dozen queries per
task.

`task_create_many` is the one call through which an import adds tasks: whatever must react
to new tasks (a hook for per-period rollups, say) reacts there once for the whole batch."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
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
from planwatch.tasks.snapshots import SNAPSHOT_KEYS, TaskSnapshot, task_snapshot

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


def _check_versions(tasks: list[Task]) -> None:
    ids = [t.pk for t in tasks]  # one array parameter on PostgreSQL, not one per task
    stored = dict(Task.objects.filter(InArray(F("pk"), ids)).values_list("pk", "version"))
    if any(stored.get(t.pk) != t.version for t in tasks):
        raise ConcurrentUpdate(_("有任务已被他人修改，请重新导出后再导入。"))


def _write_relations(updates: Sequence[tuple[Task, TaskChanges]], *, new: bool = False) -> None:
    """Replace the units of each relation in the changes (`new`: the tasks were just
    inserted and have none to delete); the rows go in with `table_insert` (COPY on
    PostgreSQL)."""
    for relation in RELATIONS:
        changed = [(t, c[relation]) for t, c in updates if relation in c]  # type: ignore[literal-required]
        if not changed:
            continue
        through = getattr(Task, relation).through
        if not new:
            through.objects.filter(InArray(F("task_id"), [t.pk for t, _u in changed])).delete()
        meta = through._meta
        columns = (meta.get_field("task").column, meta.get_field("orgunit").column)
        table_insert(meta.db_table, columns, [(t.pk, u.pk) for t, units in changed for u in units])


def task_update_many(
    *,
    annual_list: AnnualList,
    actor: Actor,
    updates: Sequence[tuple[Task, TaskChanges]],
    units: Mapping[int, Mapping[str, Sequence[OrgUnit]]] | None = None,
) -> None:
    """Apply `updates` (tasks of `annual_list` with their changes) in one transaction, or
    none of them. A refused change raises RowInvalid naming its index. The units the tasks
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
        _check_versions(tasks)
        befores = [_before(t, c, units) for t, c in updates]
        now = timezone.now()
        fields = {"version", "updated_at"}
        for index, (task, changes) in enumerate(updates):
            for key, value in changes.items():
                if key in SCALAR_FIELDS:
                    setattr(task, key, value)
                    fields.add(key)
            try:
                validate_task_dates(task)
            except ValidationError as exc:
                raise RowInvalid(index, exc) from exc
            task.version += 1
            task.updated_at = now
        _write_rows(tasks, sorted(fields))
        _write_relations(updates)
        figures_changed(annual_list)
        audit_record_many(
            actor=actor,
            entries=(
                _audit_update(task, changes, before)
                for (task, changes), before in zip(updates, befores, strict=True)
            ),
        )


def _write_rows(tasks: Sequence[Task], field_names: Sequence[str]) -> None:
    """One parameterised UPDATE per task, sent with executemany (core.bulk.rows_update):
    Django's bulk_update compiles a CASE expression per field over the whole batch."""
    rows_update(Task, tasks, field_names)


def _insert_rows(annual_list: AnnualList, tasks: Sequence[Task]) -> None:
    """One parameterised INSERT per task, sent with executemany (core.bulk.objects_insert:
    Django's bulk_create prepares every value through its compiler, most of a large import's
    time); the new ids are then read back by 序号, unique within the list."""
    objects_insert(Task, tasks)
    ids = dict(Task.objects.filter(annual_list=annual_list).values_list("seq", "pk"))
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


def _new_task(annual_list: AnnualList, seq: int, changes: TaskChanges) -> Task:
    task = Task(annual_list=annual_list, plan=annual_list.plan, year=annual_list.year, seq=seq)
    for key, value in changes.items():
        if key in SCALAR_FIELDS:
            setattr(task, key, value)
    return task


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
    for index, (seq, changes) in enumerate(rows):
        task = _new_task(annual_list, seq, changes)
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
        _write_relations(
            [
                (t, {r: _distinct(c[r]) for r in RELATIONS if r in c})  # type: ignore[literal-required,misc]
                for t, c in zip(tasks, changes_list, strict=True)
            ],
            new=True,
        )
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
                    new=_created_snapshot(t, c),
                )
                for t, c in zip(tasks, changes_list, strict=True)
            ),
        )
    return tasks


def _created_snapshot(task: Task, changes: TaskChanges) -> TaskSnapshot:
    """What `task_snapshot` reads from the database right after `task_create`, from what was
    just written (no query per task)."""
    written = {k for k in SNAPSHOT_KEYS if k not in RELATIONS and k != "milestones"}
    snap = task_snapshot(task, written)
    for relation in RELATIONS:
        linked: Sequence[OrgUnit] = changes.get(relation, [])  # type: ignore[assignment]
        snap[relation] = _names(_distinct(linked))
    snap["milestones"] = [[title, due.isoformat()] for title, due in changes.get("milestones", [])]
    return {k: snap[k] for k in SNAPSHOT_KEYS}
