"""Plain-data pictures of tasks, for the audit log, list versions and their diffs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from planwatch.orgunits.models import OrgUnit
from planwatch.tasks.models import Task

TaskSnapshot = dict[str, Any]

# Fields compared between list versions, in the order a reader expects them.
DIFF_FIELDS = (
    "title",
    "content",
    "lead_unit",
    "co_lead_units",
    "responsible_units",
    "supporting_units",
    "start",
    "deadline",
    "deadline_text",
    "criterion",
    "weight",
    "milestones",
)


def _names(units: Iterable[OrgUnit]) -> list[str]:
    return [u.name for u in sorted(units, key=lambda u: u.path)]


# The keys of `task_snapshot(task)`, in its order (an audit payload is compared as written):
# the task's identity and place in its list around what a revision diff compares.
SNAPSHOT_KEYS = ("id", "seq", *DIFF_FIELDS[:2], "clause_key", *DIFF_FIELDS[2:])


# How `task_snapshot` reads each key of a task, in SNAPSHOT_KEYS order (made once, not a
# set of closures a call: an import snapshots every task it changes twice).
_READERS: dict[str, Callable[[Task], Any]] = {
    "id": lambda task: task.pk,
    "seq": lambda task: task.seq,
    "title": lambda task: task.title,
    "content": lambda task: task.content,
    "clause_key": lambda task: task.clause_key,
    "lead_unit": lambda task: task.lead_unit.name if task.lead_unit else None,
    # Sorted here, not by the database, so that prefetched units cost no query.
    "co_lead_units": lambda task: _names(task.co_lead_units.all()),
    "responsible_units": lambda task: _names(task.responsible_units.all()),
    "supporting_units": lambda task: _names(task.supporting_units.all()),
    "start": lambda task: task.start.isoformat() if task.start else None,
    "deadline": lambda task: task.deadline.isoformat() if task.deadline else None,
    "deadline_text": lambda task: task.deadline_text,
    "criterion": lambda task: task.criterion,
    "weight": lambda task: str(task.weight),
    "milestones": lambda task: [[m.title, m.due.isoformat()] for m in task.milestones.all()],
}
assert tuple(_READERS) == SNAPSHOT_KEYS


def task_snapshot(task: Task, fields: Iterable[str] | None = None) -> TaskSnapshot:
    """The task's content with units by name and dates as ISO strings — all of it, or only
    `fields` (the relations cost a query each)."""
    if fields is None:
        return {k: read(task) for k, read in _READERS.items()}
    wanted = set(fields)
    return {k: read(task) for k, read in _READERS.items() if k in wanted}


def snapshot_changes(old: TaskSnapshot, new: TaskSnapshot) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field that differs."""
    return {f: [old.get(f), new.get(f)] for f in DIFF_FIELDS if old.get(f) != new.get(f)}


def snapshots_diff(old: list[TaskSnapshot], new: list[TaskSnapshot]) -> dict[str, list[Any]]:
    """What changed between two issued versions of a list, task by task (matched by id)."""
    before = {s["id"]: s for s in old}
    after = {s["id"]: s for s in new}
    brief = ("id", "seq", "title")
    added = [{k: s[k] for k in brief} for i, s in after.items() if i not in before]
    removed = [{k: s[k] for k in brief} for i, s in before.items() if i not in after]
    changed = []
    for task_id, snap in after.items():
        if task_id in before:
            fields = snapshot_changes(before[task_id], snap)
            if fields:
                changed.append({"id": task_id, "seq": snap["seq"], "fields": fields})
    return {"added": added, "removed": removed, "changed": changed}
