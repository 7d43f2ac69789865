"""Every hook in one place (decision record 0014).

The apps stand in layers and import only downward. Where a lower app must let a higher one
react or contribute — a plan version stored, the search index updated; a report moved on,
its recipients notified; the task page showing report slots and lights — the lower app calls
a hook defined here, and the higher app connects its receiver in its `AppConfig.ready()`.
Core imports no domain app, so the objects passed along are typed `Any` here; each hook's
text says what they are.

A hook calls its receivers in the order they were connected (the order of INSTALLED_APPS)
and returns their results. Exceptions are not caught: a receiver's failure is the caller's
failure, as when the caller called it directly (the ingest transaction rolls back if the
search index cannot be written, as before).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

Receiver = Callable[..., Any]


class Hook:
    """A named list of receivers that a lower app calls with keyword arguments."""

    def __init__(self, name: str, caller: str, doc: str) -> None:
        self.name = name
        self.caller = caller
        self.doc = doc
        self._receivers: list[Receiver] = []

    def connect(self, receiver: Receiver) -> Receiver:
        """Add `receiver` (once: connecting it again changes nothing); usable as a decorator."""
        if receiver not in self._receivers:
            self._receivers.append(receiver)
        return receiver

    @property
    def receivers(self) -> tuple[Receiver, ...]:
        return tuple(self._receivers)

    def send(self, **kwargs: Any) -> list[Any]:
        """Call every receiver with `kwargs`; their results in order."""
        return [receiver(**kwargs) for receiver in self._receivers]

    def merged(self, **kwargs: Any) -> dict[Any, Any]:
        """For receivers that contribute dictionaries (page context, filters): one dictionary,
        a later receiver's keys over an earlier one's."""
        out: dict[Any, Any] = {}
        for part in self.send(**kwargs):
            out.update(part or {})
        return out

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._receivers)} receiver(s)>"


plan_versions_stored = Hook(
    "plan_versions_stored",
    "plans.services (ingest)",
    "New versions of plans were stored (`versions`: the plans.PlanVersion rows one document "
    "gave, in document order), inside the ingest transaction, before they are marked current. "
    "search indexes their nodes (one dictionary for the whole document).",
)

audit_reader = Hook(
    "audit_reader",
    "audit.selectors, audit.admin",
    "May `user` read the audit log (and the system page)? Receivers answer True or False; "
    "the answer is yes when one of them says so. accounts answers: administrators.",
)

report_moved = Hook(
    "report_moved",
    "reports.services (report_transition)",
    "A progress report (`report`) reached state `target` with `reason` at `now`, inside the "
    "transition's transaction. supervision notifies who must act next.",
)

task_list_filters = Hook(
    "task_list_filters",
    "tasks.views (task list)",
    "Extra filters of the task list read from the query string (`params`: a QueryDict); "
    "each receiver returns the well-formed ones as a dict. supervision: `light`.",
)

task_list_context = Hook(
    "task_list_context",
    "tasks.views (task list)",
    "Extra context of the task list page for `user` and the page's `tasks`. supervision: "
    "`lights` (the stored light of each task) and `light_choices`.",
)

task_detail_context = Hook(
    "task_detail_context",
    "tasks.views (task page)",
    "Extra context of one task's page for `user` and `task`. reports: `slots` (the report "
    "slots) and `demo_report_ids`; supervision: `light` and `cases` (the open 督办 cases).",
)

task_progress_texts = Hook(
    "task_progress_texts",
    "tasks.xlsx (annual list export)",
    "The 进展情况 column of the exported list: a dict task id → text for `tasks`. reports: "
    "each responsible unit's latest accepted report.",
)

ALL: tuple[Hook, ...] = (
    plan_versions_stored,
    audit_reader,
    report_moved,
    task_list_filters,
    task_list_context,
    task_detail_context,
    task_progress_texts,
)


def describe() -> Iterator[tuple[str, str, list[str]]]:
    """(name, caller, receivers as module.function) of every hook: for the decision record
    and the test that checks every hook has its receivers once the apps are ready."""
    for hook in ALL:
        yield hook.name, hook.caller, [f"{r.__module__}.{r.__qualname__}" for r in hook.receivers]


# Hooks added by issue 9 (daily use): lights are computed when a list is issued and whenever
# a report is accepted, not only by the nightly job.

annual_list_issued = Hook(
    "annual_list_issued",
    "tasks.services (annual_list_issue)",
    "An annual list (`annual_list`) was issued at `now`, inside the issue's transaction, its "
    "tasks now active. supervision computes and stores the light of each of its tasks.",
)

progress_report_accepted = Hook(
    "progress_report_accepted",
    "reports.services (progress_report_transition)",
    "A progress report (`report`) was accepted (采纳) at `now`, inside the transition's "
    "transaction. supervision recomputes and stores the light of its task.",
)

ALL = (*ALL, annual_list_issued, progress_report_accepted)

password_changed = Hook(
    "password_changed",
    "accounts.services (password_change)",
    "`user`'s password was changed by themselves or reset by `actor` (None: the system), "
    "inside the change's transaction. api revokes the user's API tokens. (Other sessions end "
    "by themselves: Django signs a session with the password hash.)",
)
ALL = (*ALL, password_changed)


plan_deleted = Hook(
    "plan_deleted",
    "plans.services (plan_delete)",
    "A draft or withdrawn plan (`plan_id`) is being deleted, inside the deletion's "
    "transaction, after its nodes are gone. search drops the plan from its index.",
)
ALL = (*ALL, plan_deleted)


plan_ingest_storing = Hook(
    "plan_ingest_storing",
    "plans.services (ingest)",
    "An ingest has parsed its document and starts writing it (inside the ingest transaction, "
    "before `plan_versions_stored`). search starts loading the segmenter's base dictionary "
    "in a background thread, so that its fixed cost overlaps the database writes.",
)
ALL = (*ALL, plan_ingest_storing)


worker_started = Hook(
    "worker_started",
    "core (`planwatch worker`, before it takes jobs)",
    "The queue's worker `worker` (its identity, host:pid) is starting. plans resumes or "
    "fails the ingest jobs left running by a worker that died.",
)
ALL = (*ALL, worker_started)


notification_withheld = Hook(
    "notification_withheld",
    "core.notify (notification_send)",
    "Must the notification with `key` not be sent? Receivers answer True or False; it is "
    "withheld when one of them says so. supervision answers: when the key names a demo task, "
    "case or report (or a case or report on a demo task).",
)
ALL = (*ALL, notification_withheld)


# Hooks added by issue 15 (rollups): the dashboards read per-period summaries that the
# services keep current in their own transaction.

figures_changed = Hook(
    "figures_changed",
    "reports.services, reports.evidence, tasks.services, tasks.bulk, supervision.jobs",
    "The tasks or progress reports of plan `plan_id`'s year `year` changed, inside the "
    "writer's transaction; `period_start` (a date) and `unit_id` narrow it to one report "
    "slot's period and unit when given; `tasks_only` says only the tasks' lights changed. "
    "rollups recomputes the summaries they feed.",
)
ALL = (*ALL, figures_changed)

health_summary = Hook(
    "health_summary",
    "reports.health (reporting_health_for)",
    "The figures of the reporting-health table from stored summaries, for the issued tasks "
    "of `plan` (None: every plan) as of `today`, when the viewer sees all of them and "
    "`unchanged_periods` is the summaries' own: a reports.health.HealthSummary (the slot "
    "groups, and per unit on time, submitted, without evidence, unchanged), or None to have "
    "them counted from the tasks and reports. rollups answers.",
)
ALL = (*ALL, health_summary)


# Issue 15, item 8: the audit checkpoints are mailed to the administrators.

administrator_addresses = Hook(
    "administrator_addresses",
    "audit.checkpoint_mail (checkpoint_mail_send)",
    "The e-mail addresses of the active administrators; each receiver returns a list. "
    "accounts answers: superusers and holders of the administrator role who have an address.",
)
ALL = (*ALL, administrator_addresses)


# Summaries that higher apps keep current themselves (decision 0033: the projects' per-year
# figures), checked and rebuilt by the same command as the dashboards' (0029).

summaries_check = Hook(
    "summaries_check",
    "rollups (planwatch rollup check)",
    "A higher app's own summary tables recomputed from their raw rows and compared with the "
    "stored ones: each receiver returns (what it counts, e.g. 'project-years'; how many it "
    "checked; the differences as lines of text). projects answers.",
)
summaries_rebuild = Hook(
    "summaries_rebuild",
    "rollups (planwatch rollup rebuild)",
    "A higher app's own summary tables rewritten from their raw rows: each receiver returns "
    "(what it counts; how many it wrote). projects answers.",
)
ALL = (*ALL, summaries_check, summaries_rebuild)
