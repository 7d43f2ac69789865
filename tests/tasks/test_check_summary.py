"""The completeness check on the list page (issue 9, item 7): a summary with counts per
requirement instead of one line per failure, and a ?missing= filter on the task table."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from planwatch.plans.models import Plan
from planwatch.tasks.models import AnnualList
from planwatch.tasks.services import (
    annual_list_check,
    check_summary,
    task_drafts_generate,
    task_update,
)
from tests.factories.implementation import Units


@pytest.fixture
def drafted(plan: Plan, chuannan_planner_user: Any) -> AnnualList:
    return task_drafts_generate(plan=plan, year=2024, actor=chuannan_planner_user).annual_list


def _rows(html: str) -> list[str]:
    """The task titles in the list page's table (the links in its body)."""
    body = html.split('id="tasks"', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<td><a href="/tasks/\d+/">([^<]+)</a>', body)


def test_summary_counts_failures_per_requirement(
    drafted: AnnualList, chuannan_planner_user: Any
) -> None:
    rail = drafted.tasks.get(clause_key="c3.p1")
    task_update(
        task=rail, actor=chuannan_planner_user, changes={"lead_unit": None, "deadline": None}
    )
    counts = [
        (c.field, c.label, c.count) for c in check_summary(annual_list_check(annual_list=drafted))
    ]
    assert counts == [
        ("lead_unit", "缺少牵头单位", 1),
        ("deadline", "缺少完成时限", 1),
        ("criterion", "缺少完成标准", 4),
    ]


def test_list_page_shows_counts_not_a_line_per_failure(
    drafted: AnnualList, chuannan_planner: Client
) -> None:
    html = chuannan_planner.get(reverse("tasks:list_detail", args=[drafted.pk])).content.decode()
    assert "清单不完整，共 4 处问题" in html
    assert re.search(
        r'href="\?missing=criterion#tasks">缺少完成标准</a>\s*<span class="count">4 项', html
    )
    # The per-task lines above the table are gone: each task is named once, in the table.
    assert html.count("：缺少完成标准") == 0
    assert len(_rows(html)) == 4


def test_missing_filter_shows_only_the_tasks_lacking_it(
    drafted: AnnualList, chuannan_planner: Client, chuannan_planner_user: Any, units: Units
) -> None:
    rail = drafted.tasks.get(clause_key="c3.p1")
    task_update(task=rail, actor=chuannan_planner_user, changes={"deadline": None})
    others = drafted.tasks.exclude(pk=rail.pk)
    for t in others[:2]:
        task_update(task=t, actor=chuannan_planner_user, changes={"criterion": "年底前完成"})
    url = reverse("tasks:list_detail", args=[drafted.pk])

    lacking_deadline = chuannan_planner.get(url, {"missing": "deadline"}).content.decode()
    assert _rows(lacking_deadline) == [rail.title]
    assert "仅显示缺少完成时限的任务（1 项）" in lacking_deadline
    assert 'aria-current="true">缺少完成时限' in lacking_deadline

    lacking_criterion = chuannan_planner.get(url, {"missing": "criterion"}).content.decode()
    assert len(_rows(lacking_criterion)) == 2

    # An unknown value shows the whole table, as without the filter.
    everything = chuannan_planner.get(url, {"missing": "nonsense"}).content.decode()
    assert len(_rows(everything)) == 4 and "仅显示" not in everything


def test_complete_list_has_no_summary(
    drafted: AnnualList, chuannan_planner: Client, chuannan_planner_user: Any, units: Units
) -> None:
    for t in drafted.tasks.all():
        task_update(
            task=t,
            actor=chuannan_planner_user,
            changes={
                "criterion": "完成",
                "responsible_units": [units.yibin],
                "lead_unit": units.ndrc,
            },
        )
    html = chuannan_planner.get(reverse("tasks:list_detail", args=[drafted.pk])).content.decode()
    assert "检查通过" in html and "清单不完整" not in html
