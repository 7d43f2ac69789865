"""催办 and the API for the lead unit (牵头单位), which reports like a responsible unit
(test_lead_unit_reports.py): the daily job reminds its reporters of a summary report not yet
filed, and `POST /api/v1/tasks/{id}/reports` opens its report."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from planwatch.accounts.choices import Role
from planwatch.orgunits.models import OrgUnit
from planwatch.reports.models import ProgressReport
from planwatch.supervision.jobs import supervise_run
from planwatch.supervision.models import Notification
from planwatch.tasks.models import AnnualList, Task
from tests.implementation.factories import Units
from tests.personas import logged_in, make_user

NOW = datetime(2024, 4, 3, 1, 0, tzinfo=UTC)


@pytest.fixture
def task(issued: AnnualList, units: Units) -> Task:
    task = issued.tasks.get(seq=1)
    assert task.lead_unit == units.transport
    return task


@pytest.fixture
def lead_reporter(units: Units) -> Any:
    return make_user("transport_reporter", (units.transport, Role.REPORTER))


def test_the_lead_unit_is_reminded_of_its_summary_report(
    issued: AnnualList, task: Task, lead_reporter: Any, yibin_reporter_user: Any
) -> None:
    led = issued.tasks.filter(lead_unit=task.lead_unit).count()
    supervise_run(today=date(2024, 4, 3), now=NOW)  # Q1 reports are due on 5 April
    reminders = Notification.objects.filter(recipient=lead_reporter, kind="remind.report")
    assert reminders.count() == led > 0
    assert all(task.lead_unit.name in n.body for n in reminders if str(task.title) in n.body)
    # Once it has filed, the lead unit is not reminded again for that period.
    from planwatch.reports.services import (
        progress_report_start,
        progress_report_submit,
        progress_report_update,
    )

    r = progress_report_start(
        task=task, unit=task.lead_unit, period_start=date(2024, 1, 1), actor=lead_reporter
    )
    r = progress_report_update(
        report=r,
        actor=lead_reporter,
        version=r.version,
        completion=30,
        progress_status="in_progress",
        narrative="汇总",
    )
    progress_report_submit(report=r, actor=lead_reporter)
    Notification.objects.all().delete()
    supervise_run(today=date(2024, 4, 4), now=NOW)
    keys = set(Notification.objects.filter(recipient=lead_reporter).values_list("key", flat=True))
    assert f"remind:report:{task.pk}:{task.lead_unit.pk}:2024Q1" not in keys
    assert len(keys) == led - 1


def test_the_api_opens_the_lead_units_report_and_refuses_outsiders(
    task: Task, lead_reporter: Any, units: Units
) -> None:
    url = f"/api/v1/tasks/{task.pk}/reports"
    body = {"unit": units.transport.code, "period_start": "2024-01-01"}
    response = logged_in(lead_reporter).post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    report = ProgressReport.objects.get(pk=response.json()["id"])
    assert report.unit == units.transport and report.task == task

    science = OrgUnit.objects.get(code="dept:science")
    outsider = make_user("science_reporter", (science, Role.REPORTER))
    other = {"unit": science.code, "period_start": "2024-01-01"}
    response = logged_in(outsider).post(url, json.dumps(other), content_type="application/json")
    assert response.status_code == 404
    # A reporter of the lead unit naming a unit that reports nothing on the task: 422.
    response = logged_in(lead_reporter).post(
        url, json.dumps(other), content_type="application/json"
    )
    assert response.status_code == 422
    assert "not a reporting unit" in response.json()["error"]["message"]
