"""The 川南 slice (tests/factories/implementation_fixtures.py) with its 2024 list issued and
published — the 城际铁路 task led by 宜宾市 — and helpers to leave and move messages."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from planwatch.feedback import services
from planwatch.feedback.models import Message
from planwatch.plans.models import Plan
from planwatch.publication.services import publish
from planwatch.tasks.models import AnnualList, Task
from planwatch.tasks.services import annual_list_issue, task_drafts_generate, task_update
from tests.factories import implementation as f
from tests.factories.implementation_fixtures import *  # noqa: F403


def chuannan_published(plan: Plan, planner: User, units: f.Units) -> AnnualList:
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


@pytest.fixture
def published(plan: Plan, chuannan_planner_user: User, units: f.Units) -> AnnualList:
    return chuannan_published(plan, chuannan_planner_user, units)


@pytest.fixture
def yibin_task(published: AnnualList) -> Task:
    return published.tasks.get(clause_key="c3.p1")


def leave(
    subject: Any, *, kind: str = "task", client: str = "203.0.113.7", **kw: Any
) -> tuple[Message, str]:
    data: dict[str, Any] = {
        "kind": "complaint",
        "title": "城际铁路进度",
        "body": "宜宾至泸州城际铁路什么时候开工？",
        "contact": "13812345678",
    } | kw
    return services.message_submit(subject_kind=kind, subject_id=subject.pk, client=client, **data)
