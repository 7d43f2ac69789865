"""Demonstration data (`planwatch demo`): five years of annual lists of the five bundled
plans, ending with the year of the demo's date (`as_of`, by default relative to the day it is
loaded: shortly after the last reporting period due before today), with simulated progress
reports, lights and 督办 cases, so that the dashboards have something to show a newcomer.

The lists are drafted and issued by the real services (task_drafts_generate,
annual_list_issue) in the name of a demo planner account; the simulated reports are written
in bulk (tens of thousands of them: one service call each would take many minutes) with
plausible progress — some late, some missing, some without evidence, some tasks behind or
overdue — by every reporting unit of each task (`reporting_units`): the responsible units,
and the lead unit (牵头单位) with its summary (汇总), near the mean of their figures, which
becomes the task's reported progress as on real data. Lights are stored by the supervision
job's own `lights_recompute`, cases opened by `case_open` and partly handed out by
`case_assign`, all as of the simulated date `as_of`.

Every object created is listed in DemoMarker, so pages can badge it 演示数据 and
`demo_clear` removes exactly it (and the notifications about it). Plans ingested for the demo
stay: they are the real bundled document.

Audit trail. Every state change the demo makes is in the audit log, like any other: the
services it calls write their own events, and for what it writes in bulk — the planner's
edits of the drafts, each report's creation, evidence and review steps (submitted, approved
by the unit, accepted), the tasks completed, the lights — it appends the events itself with
`audit_record_many` (one hash-chained batch, not one call per event). These events name the
demo account (`demo_planner`) as actor, carry `"demo": true` in their new values and, where
the step is simulated at another time than it is written, that time as `"at"`: an event's
own time is always when it was written, so the log stays in order. The same review steps,
at the same simulated times and by the same account, are each report's history rows
(ReportTransition), as the report services write them, so its page shows its review.
`demo.load` closes the run with its summary. `demo_clear` cannot take events back — the
log is append-only and every event's hash covers its predecessor's, so deleting the demo's
events would break `planwatch audit verify` for everything after them — so it removes the
data and records one `demo.clear` event saying what was removed; the demo's events stay as
the history of data that once existed, and their actor is kept by name (`actor_label`) once
the account is gone.

The package: `common` (constants, markers, the `"demo": true` flag), `lists` (the account,
the plans, the planner's edits of the drafts), `reports` (the simulated reports and their
evidence), `review` (their review steps and history rows), `audit` (the events for what is
written in bulk), `supervision` (completed tasks, lights, cases), `load` (`demo_load`) and
`clear` (`demo_clear`)."""

from planwatch.pages.demo.clear import demo_clear
from planwatch.pages.demo.common import (
    BUNDLED,
    DEMO_PDF,
    DEMO_USERNAME,
    DemoError,
    DemoSummary,
    default_as_of,
    demo_present,
    demo_years,
)
from planwatch.pages.demo.load import demo_load
from planwatch.pages.demo.review import STEPS

__all__ = [
    "BUNDLED",
    "DEMO_PDF",
    "DEMO_USERNAME",
    "STEPS",
    "DemoError",
    "DemoSummary",
    "default_as_of",
    "demo_clear",
    "demo_load",
    "demo_present",
    "demo_years",
]
