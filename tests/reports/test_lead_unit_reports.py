"""The lead unit (牵头单位) reports like a responsible unit: it files the task's summary
report (汇总) each period, its reviewer reviews it, the planner accepts it; its latest
figure is the task's reported progress and decides completion. A reporter of a unit that is
neither lead nor responsible sees nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from planwatch.accounts.choices import Role
from planwatch.orgunits.models import OrgUnit
from planwatch.reports.models import ProgressReport
from planwatch.reports.permissions import access_report
from planwatch.reports.selectors import review_queue_for, task_report_slots
from planwatch.reports.services import (
    progress_report_accept,
    progress_report_approve,
    progress_report_start,
    progress_report_submit,
    progress_report_update,
)
from planwatch.supervision.lights import reported_progress, task_light
from planwatch.tasks.models import AnnualList, Task
from planwatch.tasks.permissions import access_task, can_report_task, reporting_units
from tests.factories.implementation import Units, report_filed
from tests.factories.personas import logged_in, make_user

Q1, Q2 = date(2024, 1, 1), date(2024, 4, 1)


@pytest.fixture
def task(issued: AnnualList, units: Units) -> Task:
    """Task 1: led by 省交通运输厅, 宜宾 and 泸州 responsible."""
    task = issued.tasks.get(seq=1)
    assert task.lead_unit == units.transport
    return task


@pytest.fixture
def lead_reporter(units: Units) -> Any:
    return make_user("transport_reporter", (units.transport, Role.REPORTER))


@pytest.fixture
def lead_reviewer(units: Units) -> Any:
    return make_user("transport_reviewer", (units.transport, Role.UNIT_REVIEWER))


@pytest.fixture
def outsider(units: Units) -> Any:
    """A reporter of a department named nowhere on the task."""
    science = OrgUnit.objects.get(code="dept:science")
    return make_user("science_reporter", (science, Role.REPORTER))


def _filed(task: Task, unit: Any, actor: Any, completion: int, start: date = Q1) -> Any:
    return report_filed(task, unit, actor, completion, start=start, narrative="汇总各市进展")


def test_reporting_units_are_the_lead_then_the_responsible_units(task: Task, units: Units) -> None:
    assert reporting_units(task) == [units.transport, units.luzhou, units.yibin]
    Task.objects.filter(pk=task.pk).update(lead_unit=units.yibin)
    task.refresh_from_db()
    assert reporting_units(task) == [units.yibin, units.luzhou]  # each unit once


def test_lead_unit_files_reviews_and_has_accepted_its_report(
    task: Task, units: Units, lead_reporter: Any, lead_reviewer: Any, chuannan_planner_user: Any
) -> None:
    assert can_report_task(lead_reporter, task, units.transport)
    report = _filed(task, units.transport, lead_reporter, 40)
    assert list(review_queue_for(user=lead_reviewer)) == [report]
    progress_report_approve(report=report, actor=lead_reviewer)
    assert list(review_queue_for(user=chuannan_planner_user)) == [report]
    progress_report_accept(report=report, actor=chuannan_planner_user)
    report.refresh_from_db()
    assert report.status == "accepted" and report.unit == units.transport


def test_lead_slots_on_the_task_page(
    task: Task, units: Units, lead_reporter: Any, yibin_reporter_user: Any
) -> None:
    slots = task_report_slots(user=lead_reporter, task=task)
    assert {s.unit for s in slots} == {units.transport} and len(slots) == 4
    assert all(s.can_start and s.is_lead for s in slots)
    html = logged_in(lead_reporter).get(reverse("tasks:task_detail", args=[task.pk])).content
    assert "牵头单位·汇总" in html.decode() and html.decode().count("填报</button>") == 4
    # 宜宾's reporter sees 宜宾's slots, not the lead unit's.
    assert {s.unit for s in task_report_slots(user=yibin_reporter_user, task=task)} == {units.yibin}


def test_lead_reporter_starts_a_report_from_the_page(
    task: Task, units: Units, lead_reporter: Any
) -> None:
    url = reverse("reports:report_start", args=[task.pk])
    response = logged_in(lead_reporter).post(url, {"unit": units.transport.pk, "period_start": Q1})
    report = ProgressReport.objects.get(task=task, unit=units.transport)
    assert response.status_code == 302 and response["Location"].endswith(f"/reports/{report.pk}/")
    page = logged_in(lead_reporter).get(reverse("reports:report_detail", args=[report.pk]))
    assert page.status_code == 200


def test_lead_reporter_cannot_report_for_a_responsible_unit(
    task: Task, units: Units, lead_reporter: Any, yibin_reporter_user: Any
) -> None:
    with pytest.raises(PermissionDenied):
        progress_report_start(task=task, unit=units.yibin, period_start=Q1, actor=lead_reporter)
    with pytest.raises(PermissionDenied):  # nor a city for the lead unit
        progress_report_start(
            task=task, unit=units.transport, period_start=Q1, actor=yibin_reporter_user
        )
    url = reverse("reports:report_start", args=[task.pk])
    response = logged_in(yibin_reporter_user).post(
        url, {"unit": units.transport.pk, "period_start": Q1}
    )
    assert response.status_code == 302  # refused with a message, nothing created
    assert not ProgressReport.objects.filter(unit=units.transport).exists()


def test_other_reviewers_cannot_review_the_lead_report(
    task: Task, units: Units, lead_reporter: Any, yibin_reviewer_user: Any
) -> None:
    report = _filed(task, units.transport, lead_reporter, 40)
    with pytest.raises(PermissionDenied):
        progress_report_approve(report=report, actor=yibin_reviewer_user)
    with pytest.raises(Http404):
        access_report(yibin_reviewer_user, report.pk, action="review")
    assert list(review_queue_for(user=yibin_reviewer_user)) == []


def test_a_reporter_of_an_unnamed_unit_sees_nothing(
    task: Task, units: Units, outsider: Any, lead_reporter: Any
) -> None:
    report = _filed(task, units.transport, lead_reporter, 40)
    client = logged_in(outsider)
    assert client.get(reverse("tasks:task_detail", args=[task.pk])).status_code == 404
    assert client.get(reverse("reports:report_detail", args=[report.pk])).status_code == 404
    url = reverse("reports:report_start", args=[task.pk])
    assert client.post(url, {"unit": units.transport.pk, "period_start": Q2}).status_code == 404
    with pytest.raises(Http404):
        access_task(outsider, task.pk, action="report")
    assert task_report_slots(user=outsider, task=task) == []
    assert ProgressReport.objects.filter(task=task).count() == 1


def test_progress_is_the_lead_units_once_it_has_reported(
    task: Task,
    units: Units,
    lead_reporter: Any,
    yibin_reporter_user: Any,
    luzhou_reporter_user: Any,
) -> None:
    _filed(task, units.yibin, yibin_reporter_user, 40)
    _filed(task, units.luzhou, luzhou_reporter_user, 20)
    assert reported_progress([task]) == {task.pk: Decimal("30.0")}  # the cities' mean
    draft = progress_report_start(
        task=task, unit=units.transport, period_start=Q1, actor=lead_reporter
    )
    assert reported_progress([task]) == {task.pk: Decimal("30.0")}  # a draft is not reported
    progress_report_update(
        report=draft,
        actor=lead_reporter,
        version=draft.version,
        completion=75,
        progress_status="in_progress",
        narrative="汇总",
    )
    progress_report_submit(report=draft, actor=lead_reporter)
    assert reported_progress([task]) == {task.pk: Decimal("75.0")}
    _filed(task, units.transport, lead_reporter, 55, start=Q2)  # its latest period counts
    assert reported_progress([task]) == {task.pk: Decimal("55.0")}
    assert task_light(task, today=date(2024, 7, 1)).actual == Decimal("55.0")


def _accept(report: Any, reviewer: Any, chuannan_planner_user: Any) -> None:
    progress_report_approve(report=report, actor=reviewer)
    progress_report_accept(report=report, actor=chuannan_planner_user)


def test_the_lead_units_accepted_100_completes_the_task(
    task: Task, units: Units, lead_reporter: Any, lead_reviewer: Any, chuannan_planner_user: Any
) -> None:
    _accept(_filed(task, units.transport, lead_reporter, 100), lead_reviewer, chuannan_planner_user)
    task.refresh_from_db()
    assert task.status == "completed"  # though no city has reported


def test_the_lead_units_figure_holds_back_completion(
    task: Task,
    units: Units,
    lead_reporter: Any,
    lead_reviewer: Any,
    chuannan_planner_user: Any,
    yibin_reporter_user: Any,
    yibin_reviewer_user: Any,
    luzhou_reporter_user: Any,
    luzhou_reviewer_user: Any,
) -> None:
    _accept(_filed(task, units.transport, lead_reporter, 60), lead_reviewer, chuannan_planner_user)
    _accept(
        _filed(task, units.yibin, yibin_reporter_user, 100),
        yibin_reviewer_user,
        chuannan_planner_user,
    )
    _accept(
        _filed(task, units.luzhou, luzhou_reporter_user, 100),
        luzhou_reviewer_user,
        chuannan_planner_user,
    )
    task.refresh_from_db()
    assert task.status == "active"  # the summary says 60 %


def test_without_a_lead_report_the_cities_complete_the_task(
    task: Task,
    units: Units,
    chuannan_planner_user: Any,
    yibin_reporter_user: Any,
    yibin_reviewer_user: Any,
    luzhou_reporter_user: Any,
    luzhou_reviewer_user: Any,
) -> None:
    _accept(
        _filed(task, units.yibin, yibin_reporter_user, 100),
        yibin_reviewer_user,
        chuannan_planner_user,
    )
    task.refresh_from_db()
    assert task.status == "active"
    _accept(
        _filed(task, units.luzhou, luzhou_reporter_user, 100),
        luzhou_reviewer_user,
        chuannan_planner_user,
    )
    task.refresh_from_db()
    assert task.status == "completed"


def test_the_lead_unit_is_reminded_of_its_summary_report(
    issued: AnnualList, task: Task, lead_reporter: Any
) -> None:
    from datetime import UTC, datetime

    from planwatch.core.models import Notification
    from planwatch.supervision.jobs import supervise_run

    now = datetime(2024, 4, 3, 1, 0, tzinfo=UTC)
    led = issued.tasks.filter(lead_unit=task.lead_unit).count()
    supervise_run(today=date(2024, 4, 3), now=now)  # Q1 reports are due on 5 April
    reminders = Notification.objects.filter(recipient=lead_reporter, kind="remind.report")
    assert reminders.count() == led > 0
    # Once it has filed, the lead unit is not reminded again for that period.
    _filed(task, task.lead_unit, lead_reporter, 30)
    Notification.objects.all().delete()
    supervise_run(today=date(2024, 4, 4), now=now)
    keys = set(Notification.objects.filter(recipient=lead_reporter).values_list("key", flat=True))
    assert f"remind:report:{task.pk}:{task.lead_unit.pk}:2024Q1" not in keys
    assert len(keys) == led - 1


def test_the_api_opens_the_lead_units_report_and_refuses_outsiders(
    task: Task, lead_reporter: Any, outsider: Any, units: Units
) -> None:
    import json

    def start(user: Any, unit: OrgUnit) -> Any:
        body = json.dumps({"unit": unit.code, "period_start": "2024-01-01"})
        url = f"/api/v1/tasks/{task.pk}/reports"
        return logged_in(user).post(url, body, content_type="application/json")

    response = start(lead_reporter, units.transport)
    assert response.status_code == 201, response.content
    report = ProgressReport.objects.get(pk=response.json()["id"])
    assert report.unit == units.transport and report.task == task
    science = OrgUnit.objects.get(code="dept:science")
    assert start(outsider, science).status_code == 404
    # A reporter of the lead unit naming a unit that reports nothing on the task: 422.
    response = start(lead_reporter, science)
    assert response.status_code == 422
    assert "not a reporting unit" in response.json()["error"]["message"]
