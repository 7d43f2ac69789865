"""The daily project-light job: `planwatch project_lights` and the queue's periodic check
recompute every confirmed project's light for the month that has ended; a red project
opens a 督办 case once, however often the job runs and while it stays red."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from planwatch.audit.models import AuditEvent
from planwatch.core.queue import JOB_MODULES
from planwatch.projects import scheduled
from planwatch.projects.models import AnnualInvestmentPlan, MonthlyReport, Project, ProjectLight
from planwatch.projects.services import project_figures
from planwatch.supervision.models import SupervisionCase
from tests.projects.helpers import filed_and_accepted

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def red_in_june(cheng_zi_yi, chuannan_planner_user, yibin_reporter_user, yibin_reviewer_user):
    p, _zg, yb = cheng_zi_yi
    # 20,000 of 200,000 = 10 % at the end of June (50 %): 40 points behind → red.
    filed_and_accepted(
        project=p,
        segment=yb,
        year=2026,
        month=6,
        ytd=20000,
        filler=yibin_reporter_user,
        reviewer=yibin_reviewer_user,
        planner=chuannan_planner_user,
    )
    return p


def test_job_module_is_known_to_the_worker():
    assert "planwatch.projects.scheduled" in JOB_MODULES
    assert "planwatch.supervision.scheduled" in JOB_MODULES


def test_command_computes_last_months_lights_and_opens_a_case_once(red_in_june):
    out = io.StringIO()
    call_command("project_lights", "--date", "2026-07-03", "--dry-run", stdout=out)
    assert "[dry run] 2026-07-03: 2026-06: 1 projects, red 1" in out.getvalue()
    assert not ProjectLight.objects.exists()

    out = io.StringIO()
    call_command("project_lights", "--date", "2026-07-03", stdout=out)
    assert "2026-06: 1 projects, red 1, yellow 0, green 0, 1 with a case" in out.getvalue()
    light = ProjectLight.objects.get(project=red_in_june, year=2026, month=6)
    assert light.light == "red" and light.gap == pytest.approx(-40.0)
    assert light.method_version == "2026.1" and light.case is not None
    call_command("project_lights", "--date", "2026-07-04", stdout=io.StringIO())
    # July, no new report: still 10 % against 58.3 % → red, and the June case goes on.
    call_command("project_lights", "--date", "2026-08-02", stdout=io.StringIO())
    july = ProjectLight.objects.get(project=red_in_june, year=2026, month=7)
    assert july.light == "red" and july.case_id == light.case_id
    assert SupervisionCase.objects.count() == 1
    assert AuditEvent.objects.filter(action="project.lights_run").count() == 3


@override_settings(PLANWATCH_SUPERVISE_AT="06:30")
def test_periodic_check_runs_once_a_day_after_the_hour(red_in_june):
    assert scheduled.project_lights_if_due(datetime(2026, 7, 3, 6, 0, tzinfo=BEIJING)) is None
    summary = scheduled.project_lights_if_due(datetime(2026, 7, 3, 7, 0, tzinfo=BEIJING))
    assert summary is not None and summary.startswith("2026-07-03: 2026-06:")
    assert scheduled.project_lights_if_due(datetime(2026, 7, 3, 9, 0, tzinfo=BEIJING)) is None
    assert scheduled.ran_on(date(2026, 7, 3))
    assert SupervisionCase.objects.count() == 1
    assert scheduled.assessed_month(date(2027, 1, 5)) == (2026, 12)


def _more_projects(zone, lead, n: int, start: int) -> list[Project]:
    """`n` confirmed projects of the zone with a 2026 plan and an accepted June report,
    completion spread from 0 % to 90 % (green, yellow and red lights)."""
    made = []
    for i in range(start, start + n):
        p = Project.objects.create(
            name=f"批量项目{i:03d}", zone=zone, lead_unit=lead, status="confirmed"
        )
        AnnualInvestmentPlan.objects.create(project=p, year=2026, amount=Decimal(1000))
        MonthlyReport.objects.create(
            project=p,
            unit=lead,
            year=2026,
            month=6,
            due=date(2026, 7, 7),
            invested_ytd=Decimal(100 * (i % 10)),
            status="accepted",
        )
        made.append(p)
    return made


def test_job_is_set_based_and_stores_what_each_project_computes(red_in_june, zone, yibin):
    _more_projects(zone, yibin, 5, 0)
    with CaptureQueriesContext(connection) as few:
        scheduled.project_lights_run(today=date(2026, 7, 3))
    _more_projects(zone, yibin, 30, 5)
    with CaptureQueriesContext(connection) as many:
        summary = scheduled.project_lights_run(today=date(2026, 7, 3))
    # The second run recomputes 36 lights (6 of them again) in as many queries as the
    # first did for 6: the 督办 case of the red 成自宜高铁 is kept, not opened again.
    assert len(many) <= len(few)
    assert "2026-06: 36 projects" in summary and "1 with a case" in summary
    assert SupervisionCase.objects.count() == 1
    for light in ProjectLight.objects.filter(year=2026, month=6).select_related("project"):
        fig = project_figures(light.project, 2026, 6)
        assert (light.light, light.ytd, light.annual_plan) == (
            fig.assessment.light,
            fig.ytd,
            fig.annual_plan,
        )
        assert light.gap == pytest.approx(fig.assessment.gap)
    # 0–90 % against 50 %: 0 and 10 % red (over 30 points behind), 20–40 % yellow (10 to 30
    # behind), 50 % and up green; they belong to no plan, so no case is opened for them.
    counts = Counter(
        ProjectLight.objects.filter(project__name__startswith="批量").values_list(
            "light", flat=True
        )
    )
    assert counts == {"red": 8, "yellow": 12, "green": 15}
