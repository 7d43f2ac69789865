"""The 川南 list as the message tests need it (also used by the browser acceptance test)."""

from __future__ import annotations

from typing import Any

from planwatch.plans.models import Plan
from planwatch.publication.services import publish
from planwatch.tasks.models import AnnualList
from planwatch.tasks.services import annual_list_issue, task_drafts_generate, task_update
from tests.factories import implementation as f


def chuannan_published(plan: Plan, planner: Any, units: f.Units) -> AnnualList:
    """川南's 2024 list, complete, its 城际铁路 task (c3.p1) led by 宜宾市, issued and
    published."""
    result = task_drafts_generate(plan=plan, year=2024, actor=planner)
    f.complete_tasks(result.annual_list, planner, units)
    task = result.annual_list.tasks.get(clause_key="c3.p1")
    task_update(task=task, actor=planner, changes={"lead_unit": units.yibin})
    annual_list_issue(annual_list=result.annual_list, actor=planner)
    result.annual_list.refresh_from_db()
    publish(actor=planner, subject=result.annual_list, note="2024年清单")
    return result.annual_list
