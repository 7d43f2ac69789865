"""The 川南 slice (tests/factories/implementation_fixtures.py) with its 2024 list issued and
published — the 城际铁路 task led by 宜宾市 — and helpers to leave and move messages."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from planwatch.feedback import services
from planwatch.feedback.models import Message
from planwatch.plans.models import Plan
from planwatch.tasks.models import AnnualList, Task
from tests.factories import implementation as f
from tests.factories.implementation_fixtures import *  # noqa: F403
from tests.feedback.factories import chuannan_published


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
