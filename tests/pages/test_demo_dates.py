"""The demo is dated relative to the day it is loaded, and stays a demonstration under the
daily supervision run: its tasks are judged as of the demo's own date (no mass of red
lights, new cases or escalations weeks later), and no real person is notified or mailed
about a demo object — while real tasks beside it are supervised as before."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.utils import timezone

from planwatch.audit.models import AuditEvent
from planwatch.core.models import DemoMarker, Notification
from planwatch.core.notify import notification_send
from planwatch.orgunits.models import OrgUnit
from planwatch.pages.demo import default_as_of, demo_load, demo_years
from planwatch.plans.models import Plan
from planwatch.reports.models import ProgressReport
from planwatch.reports.periods import periods_for
from planwatch.supervision.jobs import supervise_run
from planwatch.supervision.models import SupervisionCase, TaskLight
from planwatch.supervision.notify import concerns_demo
from planwatch.supervision.scheduled import _supervise_now
from planwatch.tasks.models import AnnualList, Task

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 8, 20)  # the demo's simulated date (its latest period: Q2, due 7 July)
LATER = date(2026, 10, 3)  # the daily run six weeks later: Q3 reports due in 2 days


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _real_task(plan: Plan, orgunits: dict[str, OrgUnit]) -> Task:
    """A real issued 2026 task of 宜宾, overdue by LATER (the demo leaves this list alone)."""
    alist = AnnualList.objects.create(
        plan=plan, year=2026, status="issued", issued_number=1, frequency="quarterly"
    )
    yibin = orgunits["511500"]
    task = Task.objects.create(
        annual_list=alist,
        plan=plan,
        year=2026,
        seq=1,
        title="真实任务：宜宾港扩能",
        lead_unit=yibin,
        start=date(2026, 1, 1),
        deadline=date(2026, 9, 30),
        criterion="完成",
        status="active",
    )
    task.responsible_units.set([yibin])
    return task


def test_daily_run_keeps_demo_as_of_its_date_and_tells_no_real_person(
    bundled_plans: list[Plan],
    orgunits: dict[str, OrgUnit],
    yibin_reporter_user: Any,
    luzhou_reporter_user: Any,
    leader_user: Any,
    planner_user: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    real = _real_task(bundled_plans[0], orgunits)
    summary = demo_load(as_of=AS_OF, years=(2025, 2026))
    assert summary.skipped_lists == 1 and summary.tasks > 500 and summary.cases > 0
    demo_tasks = set(DemoMarker.ids_of(Task))
    assert real.pk not in demo_tasks
    # nothing in the demo happens after its date
    end = timezone.make_aware(datetime(2026, 8, 20))
    assert not ProgressReport.objects.filter(submitted_at__gt=end).exists()
    assert not ProgressReport.objects.filter(accepted_at__gt=end).exists()
    people = [yibin_reporter_user, luzhou_reporter_user, leader_user, planner_user]
    # loading the demo told no real person anything (its assigned cases reach nobody)
    assert not Notification.objects.filter(recipient__in=people).exists()
    lights_at_load = Counter(
        TaskLight.objects.filter(task__in=demo_tasks).values_list("light", flat=True)
    )
    cases_at_load = SupervisionCase.objects.filter(task__in=demo_tasks).count()
    assert lights_at_load["red"] < len(demo_tasks) / 4  # a demo, not a sea of red
    mail.outbox.clear()

    now = timezone.make_aware(datetime(2026, 10, 3, 9, 0))
    with django_capture_on_commit_callbacks(execute=True):  # the e-mails are sent on commit
        run = supervise_run(today=LATER, now=now)
        # the scheduled job (立即运行督办 enqueues it) on the next day changes nothing more
        _supervise_now("2026-10-04")

    # demo tasks: judged as of the demo's date, exactly the lights they were loaded with
    assert run.demo_tasks == len(demo_tasks) and run.demo_as_of == AS_OF
    after = Counter(TaskLight.objects.filter(task__in=demo_tasks).values_list("light", flat=True))
    assert after == lights_at_load
    assert set(
        TaskLight.objects.filter(task__in=demo_tasks).values_list("computed_on", flat=True)
    ) == {AS_OF}
    assert SupervisionCase.objects.filter(task__in=demo_tasks).count() == cases_at_load
    # the real task: red, a case opened, its reporter reminded of the Q3 report
    assert run.lights == Counter({"red": 1}) and run.cases_opened == 1
    assert TaskLight.objects.get(task=real).light == "red"
    assert SupervisionCase.objects.filter(task=real).count() == 1
    assert run.escalations == 0  # the demo's unacknowledged cases escalate to no one
    notes = list(Notification.objects.filter(recipient__in=people))
    assert notes and all(n.key.startswith(f"remind:report:{real.pk}:") for n in notes)
    assert {n.recipient_id for n in notes} == {yibin_reporter_user.pk}
    assert not any(concerns_demo(n.key) for n in Notification.objects.all())
    assert mail.outbox and all("真实任务" in m.body for m in mail.outbox)
    assert {a for m in mail.outbox for a in m.to} == {yibin_reporter_user.email}


def test_nothing_is_sent_about_a_demo_object(board: Any, yibin_reporter_user: Any) -> None:
    """notification_send drops a notification about a demo task, a case on it or a report
    on it, and sends one about a real task."""
    demo_task, real_task = board.tasks[0], board.tasks[1]
    ct = ContentType.objects.get_for_model(Task)
    DemoMarker.objects.create(content_type=ct, object_id=demo_task.pk)
    case = SupervisionCase.objects.create(
        task=demo_task, light="red", reason="逾期", opened_at=timezone.now()
    )
    report = ProgressReport.objects.filter(task=demo_task).first()
    assert report is not None
    now = datetime(2024, 10, 1, tzinfo=UTC)
    keys = [f"remind:report:{demo_task.pk}:1:2024Q3", f"case:{case.pk}:assigned"]
    keys.append(f"report:{report.pk}:v1:accepted")
    for key in keys:
        sent = notification_send(
            recipients=[yibin_reporter_user], kind="x", key=key, title="t", body="", now=now
        )
        assert sent == [], key
    sent = notification_send(
        recipients=[yibin_reporter_user],
        kind="remind.report",
        key=f"remind:report:{real_task.pk}:1:2024Q3",
        title="催办",
        body="",
        now=now,
    )
    assert len(sent) == 1
    assert DemoMarker.is_marked(Task, demo_task.pk) and not DemoMarker.is_marked(Task, None)
    assert set(DemoMarker.ids_of(Task)) == {demo_task.pk}


@pytest.mark.parametrize(
    ("today", "as_of"),
    [
        (date(2026, 12, 7), date(2026, 10, 20)),  # Q3 due 5 Oct: two weeks after it
        (date(2026, 10, 10), date(2026, 10, 10)),  # never after today
        (date(2026, 1, 3), date(2025, 10, 20)),  # Q4 of last year not yet due
        (date(2026, 4, 30), date(2026, 4, 20)),
    ],
)
def test_default_date_follows_today(today: date, as_of: date) -> None:
    assert default_as_of(today) == as_of


def test_demo_is_dated_relative_to_the_day_it_is_loaded(
    bundled_plans: list[Plan], planner_user: Any
) -> None:
    """Without --as-of the demo's date is just after the last period due before today: its
    event says so, and its latest reports are for that period (none not yet due)."""
    today = timezone.localdate()
    as_of = default_as_of()
    assert as_of <= today and (today - as_of).days < 100
    assert list(demo_years(as_of)) == list(range(as_of.year - 4, as_of.year + 1))
    demo_load(years=(as_of.year,))
    event = AuditEvent.objects.get(action="demo.load")
    assert event.target_label == as_of.isoformat()
    reports = ProgressReport.objects.filter(task__year=as_of.year)
    assert not reports.filter(due__gte=as_of).exists()
    due = [p for p in periods_for(as_of.year, "quarterly") if p.due < as_of]
    if due:
        assert reports.filter(period_label=due[-1].label).exists()
        # the latest period due before today is that one: the demo is no older than it
        later = [p for p in periods_for(today.year, "quarterly") if as_of <= p.due < today]
        assert later == []
    # a demo, not a sea of yellow and red: most of the year's tasks are on schedule
    lights = Counter(
        TaskLight.objects.filter(task__year=as_of.year).values_list("light", flat=True)
    )
    assert lights["yellow"] + lights["red"] < sum(lights.values()) / 2
