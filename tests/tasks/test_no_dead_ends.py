"""No dead ends (issue 9, item 4): the units named on an issued list read it (their rows,
read-only), and the task pages link to the review queue, the lists and reporting health only
for those who may open them — every link shown answers 200."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from planwatch.tasks.models import AnnualList, Task
from planwatch.tasks.services import annual_list_issue, annual_list_reopen, task_update
from tests.factories.implementation import Units
from tests.factories.personas import logged_in

LINKED = ("/reports/queue/", "/reports/health/", "/lists/")


def _links(html: str) -> set[str]:
    return set(re.findall(r'href="(/[^"#?]*)', html))


def _every_link_answers(client: Client, html: str) -> None:
    for url in _links(html):
        if url.startswith(("/static/", "/accounts/logout", "/i18n/")) or url.endswith(".xlsx"):
            continue
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert "/accounts/login/" not in response.request["PATH_INFO"], url


def test_a_reporter_reads_the_list_issued_to_their_unit(
    issued: AnnualList, chuannan_planner_user: Any, yibin_reporter_user: Any, units: Units
) -> None:
    only_luzhou = issued.tasks.order_by("seq").first()
    assert only_luzhou is not None
    annual_list_reopen(annual_list=issued, actor=chuannan_planner_user, reason="调整")
    task_update(
        task=only_luzhou, actor=chuannan_planner_user, changes={"responsible_units": [units.luzhou]}
    )
    annual_list_issue(annual_list=issued, actor=chuannan_planner_user)
    client = logged_in(yibin_reporter_user)
    index = client.get(reverse("tasks:list_index"))
    assert index.status_code == 200
    assert reverse("tasks:list_detail", args=[issued.pk]) in index.content.decode()
    page = client.get(reverse("tasks:list_detail", args=[issued.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "只读" in html and "下达清单" not in html and "发起修订" not in html
    mine = Task.objects.filter(annual_list=issued, responsible_units=units.yibin)
    assert mine.exists()
    for task in mine:
        assert f'href="/tasks/{task.pk}/"' in html
    if only_luzhou.lead_unit_id != units.yibin.pk:
        assert f'href="/tasks/{only_luzhou.pk}/"' not in html  # not their row
    assert client.post(reverse("tasks:list_issue", args=[issued.pk])).status_code == 404


def test_a_draft_list_stays_the_planners(
    plan: Any, chuannan_planner_user: Any, yibin_reporter_user: Any
) -> None:
    from planwatch.tasks.services import task_drafts_generate

    alist = task_drafts_generate(plan=plan, year=2026, actor=chuannan_planner_user).annual_list
    client = logged_in(yibin_reporter_user)
    assert client.get(reverse("tasks:list_detail", args=[alist.pk])).status_code == 404


def test_links_shown_only_where_they_lead(
    issued: AnnualList,
    chuannan_planner_user: Any,
    yibin_reporter_user: Any,
    yibin_reviewer_user: Any,
    chuannan_leader_user: Any,
) -> None:
    task = issued.tasks.order_by("seq").first()
    assert task is not None
    expect = {
        "yibin_reporter": {"/lists/"},
        "yibin_reviewer": {"/reports/queue/", "/lists/"},
        "planner": {"/reports/queue/", "/reports/health/", "/lists/"},
        "leader": {"/reports/health/", "/lists/"},
    }
    users = {
        "yibin_reporter": yibin_reporter_user,
        "yibin_reviewer": yibin_reviewer_user,
        "planner": chuannan_planner_user,
        "leader": chuannan_leader_user,
    }
    for name, user in users.items():
        client = logged_in(user)
        for url in (reverse("tasks:task_list"), reverse("tasks:task_detail", args=[task.pk])):
            html = client.get(url).content.decode()
            shown = _links(html) & set(LINKED)
            if url == reverse("tasks:task_list"):
                assert shown == expect[name], (name, url, shown)
            else:
                assert shown <= expect[name], (name, url, shown)
                assert reverse("tasks:list_detail", args=[issued.pk]) in html
            _every_link_answers(client, html)
