"""`demo_load`: the whole run, in one transaction, closed by a `demo.load` event."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import asdict
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from planwatch.audit.models import AuditEvent
from planwatch.audit.services import audit_record
from planwatch.pages.demo.common import (
    DemoError,
    DemoSummary,
    default_as_of,
    demo_present,
    demo_values,
    demo_years,
    mark,
)
from planwatch.pages.demo.lists import (
    complete_drafts,
    demo_planner,
    ensure_plans,
    fallback_units,
)
from planwatch.pages.demo.reports import add_reports
from planwatch.pages.demo.supervision import complete_tasks, open_cases
from planwatch.rollups.services import rollup_rebuild
from planwatch.tasks.models import AnnualList, Task
from planwatch.tasks.services import annual_list_issue, task_drafts_generate


def demo_load(
    *,
    as_of: date | None = None,
    seed: int = 2021,
    years: Iterable[int] | None = None,
    progress: Callable[[str], None] | None = None,
) -> DemoSummary:
    """Load the demonstration data (see the package docstring); refuses if it is loaded.
    `as_of` defaults to today, `years` to the five years ending with `as_of`'s."""
    as_of = as_of or default_as_of()
    years = demo_years(as_of) if years is None else years
    say = progress or (lambda _msg: None)
    if demo_present():
        raise DemoError(_("演示数据已加载；如需重新加载，请先运行 planwatch demo --clear。"))
    rng = random.Random(seed)
    summary = DemoSummary()
    logged = AuditEvent.objects.count()
    with transaction.atomic():
        plans = ensure_plans()
        actor = demo_planner()
        all_tasks: list[Task] = []
        for plan in plans:
            for year in years:
                if AnnualList.objects.filter(plan=plan, year=year).exists():
                    summary.skipped_lists += 1
                    continue
                result = task_drafts_generate(plan=plan, year=year, actor=actor)
                complete_drafts(result.annual_list, rng, fallback_units(plan), actor, as_of)
                annual_list_issue(annual_list=result.annual_list, actor=actor)
                mark([result.annual_list])
                tasks = list(result.annual_list.tasks.select_related("annual_list"))
                mark(tasks)
                all_tasks.extend(tasks)
                summary.lists += 1
                say(f"{plan.title} {year}: {len(tasks)} tasks")
        summary.tasks = len(all_tasks)
        summary.reports, summary.lead_reports = add_reports(all_tasks, as_of, rng, actor)
        complete_tasks(all_tasks, actor)
        all_tasks = list(
            Task.objects.filter(pk__in=[t.pk for t in all_tasks]).select_related("annual_list")
        )
        summary.cases = open_cases(all_tasks, as_of, actor, rng)
        # The reports and completions above were written in bulk, past the services.
        rollup_rebuild(only={(t.plan_id, t.year) for t in all_tasks})
        summary.audit_events = AuditEvent.objects.count() - logged + 1  # with demo.load
        audit_record(
            actor=actor,
            action="demo.load",
            target_type="dashboards.demo",
            target_label=as_of.isoformat(),
            new=demo_values(asdict(summary) | {"as_of": as_of.isoformat(), "seed": seed}),
        )
    return summary
