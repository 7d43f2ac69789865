"""`planwatch demo`: loads simulated lists on the bundled plans, marks everything it creates,
records every state change it simulates in the audit log (hash chain intact) and each
report's review history (the same steps, times and actor as those events), refuses to run
twice, shows the 演示数据 badge, and `--clear` removes exactly it — recording, not deleting,
in the append-only log. The lead unit (牵头单位) of every demo task files its summary report
(汇总) each period like a responsible unit, and its figure is the task's progress."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path
from statistics import fmean
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import models
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from planwatch.audit.models import AuditEvent
from planwatch.audit.services import audit_verify
from planwatch.core.models import DemoMarker, Notification
from planwatch.pages.demo import DEMO_USERNAME, demo_clear, demo_load
from planwatch.plans.models import Plan
from planwatch.reports.choices import ReportStatus
from planwatch.reports.health import reporting_health_for
from planwatch.reports.models import Evidence, ProgressReport, ReportTransition
from planwatch.rollups.services import rollup_check
from planwatch.supervision.lights import reported_progress
from planwatch.supervision.models import SupervisionCase, TaskLight
from planwatch.supervision.scheduled import supervise_ran_on
from planwatch.tasks.models import AnnualList, Task

pytestmark = pytest.mark.django_db

MARKED: list[type[models.Model]] = [
    AnnualList,
    Task,
    ProgressReport,
    Evidence,
    SupervisionCase,
    Notification,
    get_user_model(),
]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def ids(model: type[models.Model]) -> set[int]:
    return set(model._default_manager.values_list("pk", flat=True))


def marked(model: type[models.Model]) -> set[int]:
    ct = ContentType.objects.get_for_model(model)
    return set(DemoMarker.objects.filter(content_type=ct).values_list("object_id", flat=True))


@pytest.fixture
def loaded(
    bundled_plans: list[Plan], planner_user: Any, luzhou_reporter_user: Any
) -> dict[type[models.Model], set[int]]:
    """The demo for 2024 and 2025 on the five bundled plans (the personas the test uses
    exist before it); what existed before it (and, under AuditEvent, the events logged
    before it)."""
    before = {m: ids(m) for m in [*MARKED, AuditEvent]}
    demo_load(years=(2024, 2025), as_of=date(2025, 10, 20))
    return before


def test_load_mark_badge_refuse_clear(
    loaded: dict[type[models.Model], set[int]],
    planner: Client,
    planner_user: Any,
    luzhou_reporter: Client,
) -> None:
    """One test (loading the bundled plans and the demo takes a while): everything created
    is marked; the data is plausible; every review step has its history row; dashboards carry
    the badge; a second run is refused; --clear removes it all."""
    for model in MARKED:
        created = ids(model) - loaded[model]
        # no unit has accounts, so case assignments notify nobody
        assert created or model is Notification, model
        assert created == marked(model), model
    assert AnnualList.objects.filter(status="issued").count() == 10
    # the demo writes its reports in bulk, past the services, and rebuilds the summaries
    assert rollup_check()[1] == []
    _check_plausible()
    _check_audit_trail(max(loaded[AuditEvent], default=0))
    history = _check_review_history(max(loaded[AuditEvent], default=0))
    _check_report_page(planner, luzhou_reporter)
    lead_reports = _check_lead_reports()
    _check_lead_figures()
    _check_lead_health(planner_user)
    logged = AuditEvent.objects.count()
    health = reporting_health_for(user=planner_user, today=date(2025, 10, 20))
    assert any(h.unchanged for h in health) and any(h.missing for h in health)
    assert any(h.late for h in health) and any(h.without_evidence for h in health)
    assert "演示数据" in planner.get(reverse("dashboards:province")).content.decode()
    with pytest.raises(CommandError, match="演示数据已加载"):
        call_command("demo")
    out = StringIO()
    call_command("demo", "--clear", stdout=out)
    assert "removed" in out.getvalue()
    for model in MARKED:
        assert ids(model) == loaded[model], model
    _check_clear_recorded(logged)
    assert not ProgressReport.objects.filter(pk__in=lead_reports).exists()
    assert not ReportTransition.objects.exists()  # gone with their reports (cascade)
    removed = AuditEvent.objects.get(action="demo.clear").new["removed"]
    assert removed["reports.reporttransition"] == history
    assert not DemoMarker.objects.exists()
    assert not TaskLight.objects.exists()
    assert rollup_check()[1] == []  # --clear deletes in bulk too
    assert Plan.objects.count() == 5  # the bundled plans are real data and stay
    assert "演示数据" not in planner.get(reverse("dashboards:province")).content.decode()


def _check_plausible() -> None:
    lights = set(TaskLight.objects.values_list("light", flat=True))
    assert lights == {"green", "blue", "yellow", "red"}
    completed = Task.objects.filter(year=2024, status="completed").count()
    assert completed > Task.objects.filter(year=2024, status="active").count()
    assert SupervisionCase.objects.filter(status="assigned").exists()
    assert SupervisionCase.objects.filter(status="opened").exists()
    reports = ProgressReport.objects.all()
    assert any(r.first_submitted_at and r.first_submitted_at.date() > r.due for r in reports)
    assert reports.filter(evidence__isnull=True).exists()
    assert reports.filter(evidence__isnull=False).exists()
    assert not reports.filter(period_start__gte=date(2025, 10, 1)).exists()


# The events the demo appends itself (in bulk), each flagged "demo": true.
BULK_ACTIONS = {
    "task.update",
    "task.complete",
    "evidence.add",
    *(f"progress_report.{s}" for s in ("create", "submitted", "unit_approved", "accepted")),
}
STEPS = {
    "submitted": ["submitted"],
    "unit_approved": ["submitted", "unit_approved"],
    "accepted": ["submitted", "unit_approved", "accepted"],
}


def _check_audit_trail(last_before: int) -> None:
    """Every simulated state change is logged, in a chain `audit verify` accepts."""
    checked, problems = audit_verify()
    assert problems == [] and checked == AuditEvent.objects.count()
    rows = list(
        AuditEvent.objects.filter(pk__gt=last_before)
        .order_by("pk")
        .values_list("actor_label", "action", "target_type", "target_id", "new")
    )
    by_system = {(action, target) for label, action, _t, target, _n in rows if label == "system"}
    assert {label for label, *_ in rows} == {DEMO_USERNAME, "system"}
    assert {a for a, _t in by_system} == {"user.create", "membership.grant"}  # the account
    assert all(new["demo"] is True for _l, action, *_x, new in rows if action in BULK_ACTIONS)
    summary = rows[-1][4]
    assert rows[-1][1] == "demo.load" and summary["reports"] == ProgressReport.objects.count()
    assert summary["audit_events"] == len(rows)
    assert not supervise_ran_on(date(2025, 10, 20))  # the demo's own name, not the job's
    steps = Counter((a, int(t)) for _l, a, tt, t, _n in rows if tt == "reports.progressreport")
    expected: Counter[tuple[str, int]] = Counter()
    for pk, status in ProgressReport.objects.values_list("pk", "status"):
        expected.update((f"progress_report.{s}", pk) for s in ["create", *STEPS[status]])
    assert steps == expected
    logged = Counter(a for _l, a, *_x in rows)
    assert logged["evidence.add"] == Evidence.objects.count()
    assert logged["task.complete"] == Task.objects.filter(status="completed").count()
    assert logged["case.open"] == SupervisionCase.objects.count()
    assert logged["task.update"] > 0 and logged["annual_list.issue"] == 10


def _check_review_history(last_before: int) -> int:
    """Each report's history rows are the review steps its audit events record: same
    report, statuses, simulated time and actor (the demo account). Returns how many."""
    events = AuditEvent.objects.filter(
        pk__gt=last_before, action__in=[f"progress_report.{s}" for s in STEPS]
    ).values_list("action", "target_id", "old", "new", "actor_label")
    logged = {
        (int(target), old["status"], new["status"], datetime.fromisoformat(new["at"]), actor)
        for _action, target, old, new, actor in events
    }
    rows = list(
        ReportTransition.objects.values_list(
            "report_id", "from_status", "to_status", "created_at", "actor__username", "reason"
        )
    )
    assert {reason for *_x, reason in rows} == {""}
    stored = {row[:5] for row in rows}
    assert len(stored) == len(rows) == events.count() > 0
    assert stored == logged
    by_step = Counter(new for _r, _o, new, _a, _u in stored)
    assert by_step == Counter(a.removeprefix("progress_report.") for a, *_x in events)
    last_step = {r: at for r, _o, _n, at, _u in sorted(stored, key=lambda row: row[3])}
    for pk, accepted_at in ProgressReport.objects.filter(status="accepted").values_list(
        "pk", "accepted_at"
    ):
        assert accepted_at == last_step[pk]
    return len(stored)


def _check_report_page(planner: Client, luzhou_reporter: Client) -> None:
    """A demo report's page lists its review steps; a reporter of another unit sees none."""
    report = (
        ProgressReport.objects.filter(status="accepted")
        .exclude(unit__code="510500")
        .exclude(task__lead_unit__code="510500")
        .first()
    )
    assert report is not None
    url = reverse("reports:report_detail", args=[report.pk])
    response = planner.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    steps = report.history.order_by("created_at")
    assert [t.to_status for t in steps] == ["submitted", "unit_approved", "accepted"]
    shown = ("草稿 → 已报送", "已报送 → 单位已审核", "单位已审核 → 已采纳")
    for step, label in zip(steps, shown, strict=True):
        when = timezone.localtime(step.created_at).strftime("%Y-%m-%d %H:%M")
        assert f"{when} {DEMO_USERNAME}：{label}" in page
    assert luzhou_reporter.get(url).status_code == 404


def _lead_reports() -> models.QuerySet[ProgressReport]:
    return ProgressReport.objects.filter(unit=F("task__lead_unit"))


def _check_lead_reports() -> set[int]:
    """The lead unit of (almost) every task of each list has filed summaries — late, missing
    or without evidence at times, like the others — each with its history rows and audit
    events, one for one per step. Returns the summaries' ids."""
    lead = _lead_reports()
    for alist in AnnualList.objects.filter(pk__in=marked(AnnualList)):
        tasks = alist.tasks.count()
        reported = lead.filter(task__annual_list=alist).values("task").distinct().count()
        assert reported >= 0.9 * tasks > 0, alist
    assert lead.filter(evidence__isnull=True).exists()
    assert lead.filter(evidence__isnull=False).exists()
    assert any(r.first_submitted_at and r.first_submitted_at.date() > r.due for r in lead)
    ids = set(lead.values_list("pk", flat=True))
    assert ids <= marked(ProgressReport)
    history = Counter(
        ReportTransition.objects.filter(report__in=ids).values_list("report_id", "to_status")
    )
    events = AuditEvent.objects.filter(
        target_type="reports.progressreport", action__startswith="progress_report."
    ).values_list("target_id", "action")
    logged = Counter((int(t), a.removeprefix("progress_report.")) for t, a in events)
    assert history == Counter({k: n for k, n in logged.items() if k[0] in ids and k[1] != "create"})
    assert {t for t, a in logged if a == "create"} >= ids
    return ids


def _check_lead_figures() -> None:
    """A summary is near the mean of the responsible units' figures for its period (a small
    error of the lead's own, and rounding); a task's reported progress, and its stored light's,
    is its lead's latest figure; a task is completed when its lead's latest accepted summary
    says 100 % (the report service's precedence)."""
    figures: dict[tuple[int, date], dict[int, float]] = defaultdict(dict)
    rows = ProgressReport.objects.values_list("task_id", "period_start", "unit_id", "completion")
    for task_id, start, unit_id, completion in rows:
        figures[(task_id, start)][unit_id] = float(completion or 0)  # never None here
    through = Task.responsible_units.through
    units: dict[int, list[int]] = defaultdict(list)
    for task_id, unit_id in through.objects.values_list("task_id", "orgunit_id"):
        units[task_id].append(unit_id)
    tasks = {t.pk: t for t in Task.objects.filter(pk__in=marked(Task))}
    compared = 0
    for (task_id, _start), by_unit in figures.items():
        lead, responsible = tasks[task_id].lead_unit_id, units[task_id]
        if lead in by_unit and all(u in by_unit for u in responsible):
            mean = fmean(by_unit[u] for u in responsible)
            assert abs(by_unit[lead] - mean) <= 2.6, (task_id, by_unit)
            compared += 1
    assert compared > 1000
    latest: dict[int, Decimal | None] = {}
    accepted: dict[int, Decimal | None] = {}
    for task_id, completion, status in (
        _lead_reports()
        .filter(status__in=ReportStatus.REPORTED, is_current=True)
        .order_by("period_start")
        .values_list("task_id", "completion", "status")
    ):
        latest[task_id] = completion
        if status == "accepted":
            accepted[task_id] = completion
    progress = reported_progress(tasks.values())
    lights = dict(TaskLight.objects.values_list("task_id", "actual"))
    assert len(latest) >= 0.9 * len(tasks)
    assert all(progress[t] == lights[t] == figure for t, figure in latest.items())
    for task_id, figure in accepted.items():
        assert (tasks[task_id].status == "completed") == (figure == 100), task_id


def _check_lead_health(planner_user: Any) -> None:
    """Each lead department has a health row: reports due, not all missing, badged."""
    leads = set(Task.objects.filter(pk__in=marked(Task)).values_list("lead_unit_id", flat=True))
    health = reporting_health_for(user=planner_user, today=date(2025, 10, 20))
    rows = [h for h in health if h.unit.pk in leads]
    assert {h.unit.pk for h in rows} == leads
    assert all(h.due > 0 and h.missing < h.due and h.submitted > 0 and h.demo for h in rows)
    assert sum(h.missing for h in rows) and sum(h.late for h in rows)
    assert sum(h.without_evidence for h in rows)


def _check_clear_recorded(logged_before: int) -> None:
    """--clear deleted no event and appended exactly one `demo.clear`; the chain holds."""
    assert AuditEvent.objects.count() == logged_before + 1
    last = AuditEvent.objects.order_by("-pk").first()
    assert last is not None and last.action == "demo.clear"
    assert last.new["demo"] is True and last.new["removed"]["tasks.task"] > 0
    assert audit_verify()[1] == []
    # the demo account is gone; its events still name it
    assert AuditEvent.objects.filter(actor_label=DEMO_USERNAME, actor__isnull=True).exists()


def test_clear_removes_notifications_about_demo_objects(
    board: Any, planner_user: Any, yibin_reporter_user: Any
) -> None:
    """Notifications the jobs sent about demo tasks (not marked themselves) go with them;
    those about real tasks stay, and the one `demo.clear` event counts them."""
    demo_task, real_task = board.tasks[0], board.tasks[1]
    DemoMarker.objects.create(
        content_type=ContentType.objects.get_for_model(Task), object_id=demo_task.pk
    )
    # written directly: notification_send no longer sends anything about demo objects, but
    # a database from before that rule may hold such notifications
    notes = [
        Notification.objects.create(
            recipient=yibin_reporter_user,
            kind="remind.report",
            key=f"remind:report:{task.pk}:1:2024Q3",
            title="催办",
            body="",
            created_at=datetime(2024, 10, 1, tzinfo=UTC),
        )
        for task in (demo_task, real_task)
    ]
    demo_clear()
    assert set(Notification.objects.values_list("pk", flat=True)) == {notes[1].pk}
    assert not Task.objects.filter(pk=demo_task.pk).exists()
    event = AuditEvent.objects.get(action="demo.clear")
    assert event.new["removed"]["core.notification"] == 1
    assert event.new["removed"]["tasks.task"] == 1
    assert audit_verify()[1] == []


def test_leaves_real_lists_alone(bundled_plans: list[Plan], planner_user: Any) -> None:
    real = AnnualList.objects.create(plan=bundled_plans[0], year=2024)
    summary = demo_load(years=(2024,))
    assert summary.skipped_lists == 1 and summary.lists == 4
    assert real.pk not in marked(AnnualList)
    call_command("demo", "--clear", stdout=StringIO())
    assert AnnualList.objects.filter(pk=real.pk).exists()
