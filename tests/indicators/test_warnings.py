"""Warnings (预警) of binding indicators: a lagging one raises a warning that is the subject
of its 督办 case (no generated task); the daily job recomputes the statuses, keeps a
persisting warning's one open case and closes a warning once the indicator is back on its
path; the case pages, the case list, the workbench and the API show the case by the
warning's title and link to the indicator page."""

from __future__ import annotations

from datetime import datetime
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from planwatch.audit.models import AuditEvent
from planwatch.indicators import methods as m
from planwatch.indicators.models import ComputedStatus, Indicator, IndicatorWarning, Observation
from planwatch.indicators.scheduled import indicator_warnings_if_due, ran_on
from planwatch.indicators.services import (
    WARNINGS_ACTION,
    indicator_target_set,
    indicator_warnings_run,
    observation_create,
    observation_verify,
)
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.supervision.models import SupervisionCase
from planwatch.supervision.services import case_assign
from planwatch.tasks.models import Task
from tests.indicators.helpers import south_gdp

pytestmark = pytest.mark.django_db


def _lagging_yibin(plan: Plan, planner: User, clerk: User, reviewer: User, yibin: OrgUnit) -> Any:
    gdp = south_gdp(plan, planner, binding=True)
    indicator_target_set(
        indicator=gdp, place=yibin, value=4000.0, actor=planner, baseline_value=2802.1
    )
    obs = observation_create(
        indicator=gdp, place=yibin, year=2021, value=2850.0, actor=clerk, source="宜宾统计公报"
    )
    status = observation_verify(observation=obs, actor=reviewer)
    assert status is not None and status.status == m.LAGGING
    return gdp


def test_a_lagging_binding_indicator_opens_its_case_on_a_warning(
    south: Plan,
    yibin: OrgUnit,
    chuannan_planner_user: User,
    yibin_clerk_user: User,
    yibin_reviewer_user: User,
) -> None:
    tasks_before = Task.objects.count()
    gdp = _lagging_yibin(south, chuannan_planner_user, yibin_clerk_user, yibin_reviewer_user, yibin)
    warning = IndicatorWarning.objects.get()
    case = SupervisionCase.objects.get()
    # no 「指标预警」 task: the case stands on the warning
    assert Task.objects.count() == tasks_before
    assert case.task is None and case.subject == warning and warning.case == case
    assert (case.unit, case.plan, case.year, case.light) == (yibin, south, 2021, "red")
    assert case.title == str(warning) and "宜宾市地区生产总值2021年滞后" in case.title
    assert case.about_url == reverse("indicators:detail", args=[gdp.pk]) + f"#warning-{warning.pk}"
    assert ComputedStatus.objects.get(indicator=gdp).case == case

    # The zone's planner sees it on the case list (title linked to the case) and the case page
    # links the warning on the indicator page; Yibin's reviewer handles it.
    client = Client()
    client.force_login(chuannan_planner_user)
    listing = client.get(reverse("supervision:case_list")).content.decode()
    assert case.title in listing and reverse("supervision:case_detail", args=[case.pk]) in listing
    page = client.get(reverse("supervision:case_detail", args=[case.pk])).content.decode()
    assert f'href="{case.about_url}"' in page and "交办" in page
    indicator_page = client.get(reverse("indicators:detail", args=[gdp.pk])).content.decode()
    assert f'id="warning-{warning.pk}"' in indicator_page and "预警中" in indicator_page
    home = client.get(reverse("pages:workbench")).content.decode()
    assert case.title in home
    # filters of the case list: plan, year and the title's words
    for query in (f"plan={south.pk}", "year=2021", "q=地区生产总值"):
        got = client.get(reverse("supervision:case_list") + f"?{query}").content.decode()
        assert case.title in got, query
    got = client.get(reverse("supervision:case_list") + "?q=人口").content.decode()
    assert case.title not in got

    case_assign(case=case, actor=chuannan_planner_user, today=datetime(2022, 5, 1).date())
    reviewer = Client()
    reviewer.force_login(yibin_reviewer_user)
    page = reviewer.get(reverse("supervision:case_detail", args=[case.pk])).content.decode()
    assert "签收" in page
    # and the API lists it by its subject
    api = reviewer.get("/api/v1/cases").json()
    item = next(i for i in api["items"] if i["id"] == case.pk)
    assert item["task_id"] is None and item["subject_type"] == "indicators.indicatorwarning"
    assert (item["subject_id"], item["title"], item["subject_url"]) == (
        warning.pk,
        case.title,
        case.about_url,
    )
    # the public never sees the warning
    public = Client().get(reverse("indicators:detail", args=[gdp.pk]))
    assert public.status_code != 200 or f"warning-{warning.pk}" not in public.content.decode()


def test_the_daily_job_keeps_a_persisting_warning_and_closes_a_lifted_one(
    south: Plan,
    yibin: OrgUnit,
    chuannan_planner_user: User,
    yibin_clerk_user: User,
    yibin_reviewer_user: User,
) -> None:
    gdp = _lagging_yibin(south, chuannan_planner_user, yibin_clerk_user, yibin_reviewer_user, yibin)
    case = SupervisionCase.objects.get()
    run = indicator_warnings_run()
    assert (run.statuses, run.raised, run.kept, run.closed) == (1, 0, 1, 0)
    # a second lagging year: the warning persists, with its one open case
    obs = observation_create(
        indicator=gdp, place=yibin, year=2022, value=2900.0, actor=yibin_clerk_user, source="x"
    )
    observation_verify(observation=obs, actor=yibin_reviewer_user)
    run = indicator_warnings_run()
    assert (run.statuses, run.raised, run.kept, run.closed) == (2, 0, 1, 0)
    warning = IndicatorWarning.objects.get()
    assert warning.last_year == 2022 and warning.closed_at is None
    assert SupervisionCase.objects.get() == case
    assert ComputedStatus.objects.get(year=2022).case == case

    # 2022 revised upwards (最终核实), back on the path: a dry run changes nothing …
    revised = observation_create(
        indicator=gdp,
        place=yibin,
        year=2022,
        value=3400.0,
        actor=yibin_clerk_user,
        source="最终核实",
        stage="final",
    )
    ComputedStatus.objects.filter(year=2022).delete()
    Observation.objects.filter(pk=revised.pk).update(
        verified_by=yibin_reviewer_user, verified_at=revised.entered_at
    )
    out = StringIO()
    call_command("indicator_warnings", "--dry-run", "--date", "2023-03-01", stdout=out)
    assert out.getvalue().startswith("[dry run] 2023-03-01:") and "closed 1" in out.getvalue()
    assert IndicatorWarning.objects.get().closed_at is None
    assert not ComputedStatus.objects.filter(year=2022).exists()
    # … the command closes the warning; its case stays for the planner to 办结
    out = StringIO()
    call_command("indicator_warnings", "--date", "2023-03-01", stdout=out)
    assert "closed 1" in out.getvalue() and ran_on(datetime(2023, 3, 1).date())
    warning.refresh_from_db()
    assert warning.closed_at is not None
    assert ComputedStatus.objects.get(year=2022).status in (m.ON_TRACK, m.FASTER, m.AHEAD)
    assert SupervisionCase.objects.get().status == "opened"
    assert AuditEvent.objects.filter(action="indicator.warning_close").count() == 1
    assert AuditEvent.objects.filter(action=WARNINGS_ACTION).count() == 3
    run = indicator_warnings_run()
    assert (run.raised, run.kept, run.closed) == (0, 0, 0)


def test_the_worker_runs_the_job_once_a_day_after_the_supervise_time(
    south: Plan,
    yibin: OrgUnit,
    chuannan_planner_user: User,
    yibin_clerk_user: User,
    yibin_reviewer_user: User,
    settings: Any,
) -> None:
    _lagging_yibin(south, chuannan_planner_user, yibin_clerk_user, yibin_reviewer_user, yibin)
    settings.PLANWATCH_SUPERVISE_AT = "06:30"
    from django.utils import timezone

    early = timezone.make_aware(datetime(2024, 3, 2, 6, 0))
    late = timezone.make_aware(datetime(2024, 3, 2, 7, 0))
    assert indicator_warnings_if_due(early) is None
    first = indicator_warnings_if_due(late)
    assert first is not None and first.startswith("2024-03-02:") and "still open 1" in first
    assert indicator_warnings_if_due(late) is None  # once a day
    assert SupervisionCase.objects.count() == 1 and IndicatorWarning.objects.count() == 1


def test_the_job_is_on_the_queue_and_the_command_enqueues_it() -> None:
    from planwatch.core.queue import JOB_MODULES
    from planwatch.indicators.scheduled import indicator_warnings_check

    assert "planwatch.indicators.scheduled" in JOB_MODULES
    assert indicator_warnings_check.name == "indicator_warnings.check"
    out = StringIO()
    call_command("indicator_warnings", "--enqueue", stdout=out)
    assert "enqueued" in out.getvalue()


def test_an_expected_indicator_raises_no_warning(
    south: Plan,
    yibin: OrgUnit,
    chuannan_planner_user: User,
    yibin_clerk_user: User,
    yibin_reviewer_user: User,
) -> None:
    gdp = south_gdp(south, chuannan_planner_user)
    assert gdp.attribute == "expected"
    indicator_target_set(
        indicator=gdp, place=yibin, value=4000.0, actor=chuannan_planner_user, baseline_value=2802.1
    )
    obs = observation_create(
        indicator=gdp, place=yibin, year=2021, value=2850.0, actor=yibin_clerk_user, source="x"
    )
    observation_verify(observation=obs, actor=yibin_reviewer_user)
    run = indicator_warnings_run()
    assert (run.statuses, run.raised) == (1, 0)
    assert not IndicatorWarning.objects.exists() and not SupervisionCase.objects.exists()
    assert Indicator.objects.get(pk=gdp.pk).warnings.count() == 0
