"""Lights are never blank (issue 9, item 8): a task's light is computed and stored when its
list is issued and whenever one of its reports is accepted, and the task list's light column
shows what the task page shows."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse
from django.utils import timezone

from planwatch.accounts.choices import Role
from planwatch.plans.models import Plan
from planwatch.reports.services import progress_report_approve
from planwatch.supervision.models import TaskLight
from planwatch.supervision.reactions import lights_store
from planwatch.tasks.models import AnnualList
from planwatch.tasks.services import task_drafts_generate
from tests.factories import implementation as f
from tests.factories.personas import logged_in, make_user

LABELS = {"green": "绿灯", "blue": "蓝灯", "yellow": "黄灯", "red": "红灯"}


def _task_page_light(client: Any, task_id: int) -> str:
    html = client.get(reverse("tasks:task_detail", args=[task_id])).content.decode()
    found = re.search(r'<span class="light light-(\w+)">', html)
    assert found, "the task page shows no light"
    return found.group(1)


def _list_lights(client: Any) -> dict[int, str]:
    """Each row of the task list: its task id and the light shown in it ("" when none)."""
    html = client.get(reverse("tasks:task_list")).content.decode()
    body = html.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    out: dict[int, str] = {}
    for row in re.findall(r"<tr\b.*?</tr>", body, re.S):
        task = re.search(r'href="/tasks/(\d+)/"', row)
        if task is None:
            continue
        light = re.search(r'class="light light-(\w+)"', row)
        out[int(task.group(1))] = light.group(1) if light else ""
    return out


def test_issuing_a_list_through_the_page_stores_every_tasks_light(
    plan: Plan, chuannan_planner_user: Any, units: f.Units
) -> None:
    alist = task_drafts_generate(plan=plan, year=2024, actor=chuannan_planner_user).annual_list
    f.complete_tasks(alist, chuannan_planner_user, units)
    client = logged_in(chuannan_planner_user)
    assert not TaskLight.objects.exists()
    response = client.post(reverse("tasks:list_issue", args=[alist.pk]))
    assert response.status_code == 302
    task_ids = set(alist.tasks.values_list("pk", flat=True))
    assert task_ids
    assert set(TaskLight.objects.values_list("task_id", flat=True)) == task_ids
    # 2024's tasks are past their deadline and unreported: red, on the list and on each page.
    listed = _list_lights(client)
    assert set(listed) == task_ids
    for task_id in task_ids:
        assert listed[task_id] == _task_page_light(client, task_id) == "red"
    page = client.get(reverse("tasks:task_list")).content.decode()
    assert page.count(LABELS["red"]) >= len(task_ids)


def test_accepting_a_report_recomputes_the_tasks_light(
    issued: AnnualList,
    chuannan_planner_user: Any,
    yibin_reporter_user: Any,
    yibin_reviewer_user: Any,
    units: f.Units,
) -> None:
    task = issued.tasks.order_by("seq").first()
    assert task is not None
    stored = TaskLight.objects.get(task=task)
    assert stored.actual == 0
    # The lead unit files the summary (汇总): once accepted, its figure is the task's.
    lead = task.lead_unit
    reporter = make_user("lead_reporter", (lead, Role.REPORTER))
    reviewer = make_user("lead_reviewer", (lead, Role.UNIT_REVIEWER))
    report = f.report_filed(task, lead, reporter, 100)
    report = progress_report_approve(report=report, actor=reviewer)
    client = logged_in(chuannan_planner_user)
    response = client.post(
        reverse("reports:report_action", args=[report.pk, "accept"]), {"version": report.version}
    )
    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.actual == 100
    assert stored.light == "green"
    assert _list_lights(client)[task.pk] == _task_page_light(client, task.pk) == "green"


def test_a_task_without_a_stored_light_shows_the_same_light_on_the_list_and_its_page(
    issued: AnnualList, chuannan_planner_user: Any
) -> None:
    TaskLight.objects.all().delete()  # as for a list issued before lights were stored
    client = logged_in(chuannan_planner_user)
    listed = _list_lights(client)
    assert listed
    for task_id, light in listed.items():
        assert light == _task_page_light(client, task_id)


def test_draft_tasks_get_no_light(plan: Plan, chuannan_planner_user: Any) -> None:
    alist = task_drafts_generate(plan=plan, year=2025, actor=chuannan_planner_user).annual_list
    ids = list(alist.tasks.values_list("pk", flat=True))
    assert ids
    assert lights_store(task_ids=ids, now=timezone.now()) == {}
    assert not TaskLight.objects.exists()
