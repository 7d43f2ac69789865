"""Demonstration data (`planwatch demo`): the 2021–2025 annual lists of the five bundled
plans, with simulated progress reports, lights and 督办 cases, so that the dashboards have
something to show a newcomer.

The lists are drafted and issued by the real services (task_drafts_generate,
annual_list_issue) in the name of a demo planner account; the simulated reports are written
in bulk (tens of thousands of them: one service call each would take many minutes) with
plausible progress — some late, some missing, some without evidence, some tasks behind or
overdue. Lights are stored by the supervision job's own `lights_recompute`, cases opened by
`case_open` and partly handed out by `case_assign`, all as of the simulated date `as_of`.

Every object created is listed in DemoMarker, so pages can badge it 演示数据 and
`demo_clear` removes exactly it (and the notifications about it). Plans ingested for the demo
stay: they are the real bundled document.

Audit trail. Every state change the demo makes is in the audit log, like any other: the
services it calls write their own events, and for what it writes in bulk — the planner's
edits of the drafts, each report's creation, evidence and review steps (submitted, approved
by the unit, accepted), the tasks completed, the lights — it appends the events itself with
`audit_record_many` (one hash-chained batch, not one call per event). These events name the
demo account (`demo_planner`) as actor, carry `"demo": true` in their new values and, where
the step is simulated at another time than it is written, that time as `"at"`: an event's
own time is always when it was written, so the log stays in order. `demo.load` closes the
run with its summary. `demo_clear` cannot take events back — the log is append-only and
every event's hash covers its predecessor's, so deleting the demo's events would break
`planwatch audit verify` for everything after them — so it removes the data and records one
`demo.clear` event saying what was removed; the demo's events stay as the history of data
that once existed, and their actor is kept by name (`actor_label`) once the account is
gone."""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import batched
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from planwatch.accounts.choices import Role
from planwatch.accounts.services import user_create
from planwatch.audit.models import AuditEvent
from planwatch.audit.services import AuditEntry, audit_record, audit_record_many
from planwatch.dashboards.models import DemoMarker
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.orgunits.services import orgunits_load_reference
from planwatch.plans.models import Plan
from planwatch.reports.models import Evidence, ProgressReport
from planwatch.reports.periods import periods_between
from planwatch.supervision.choices import Light
from planwatch.supervision.jobs import lights_recompute
from planwatch.supervision.lights import DEFAULT_TOLERANCE, DEFAULT_WARNING_DAYS
from planwatch.supervision.models import Notification, SupervisionCase, TaskLight
from planwatch.supervision.notify import notifications_concerning_demo
from planwatch.supervision.services import case_assign, case_open
from planwatch.tasks.choices import TaskStatus
from planwatch.tasks.models import AnnualList, Task
from planwatch.tasks.services import annual_list_issue, task_drafts_generate
from planwatch.tasks.workflow import ServiceError

YEARS = range(2021, 2026)
DEFAULT_AS_OF = date(2025, 10, 20)
DEMO_USERNAME = "demo_planner"
BUNDLED = Path(settings.PROJECT_DIR) / "data" / "plans" / "sichuan-2021-five-regional-plans.txt"
DEMO_PDF = b"%PDF-1.4\n% planwatch demo evidence\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


class DemoError(ServiceError):
    """The demo cannot be loaded (already loaded, or nothing to load it on)."""


@dataclass
class DemoSummary:
    lists: int = 0
    tasks: int = 0
    reports: int = 0
    cases: int = 0
    skipped_lists: int = 0
    audit_events: int = 0

    def __str__(self) -> str:
        return (
            f"lists: {self.lists}; tasks: {self.tasks}; reports: {self.reports}; "
            f"cases: {self.cases}; lists left alone (real data present): {self.skipped_lists}; "
            f"audit events: {self.audit_events}"
        )


def demo_present() -> bool:
    return DemoMarker.objects.exists()


def _mark(objects: Iterable[models.Model]) -> None:
    items = list(objects)
    if not items:
        return
    ct = ContentType.objects.get_for_model(type(items[0]))
    DemoMarker.objects.bulk_create(
        [DemoMarker(content_type=ct, object_id=o.pk) for o in items], batch_size=2000
    )


def _marked_ids(model: type[models.Model]) -> list[int]:
    ct = ContentType.objects.get_for_model(model)
    return list(DemoMarker.objects.filter(content_type=ct).values_list("object_id", flat=True))


def _demo_planner() -> Any:
    """The demo's account: a provincial planner without a usable password, created (and
    audited) by the accounts service; the actor of every event the demo writes."""
    if get_user_model().objects.filter(username__iexact=DEMO_USERNAME).exists():
        raise DemoError(_("已存在名为 %(u)s 的账号，无法创建演示账号。") % {"u": DEMO_USERNAME})
    province = OrgUnit.objects.get(kind=OrgUnitKind.PROVINCE)
    user = user_create(
        actor=None, username=DEMO_USERNAME, password=None, org_unit=province, role=Role.PLANNER
    )
    _mark([user])
    return user


def _demo(values: dict[str, Any] | None = None, at: date | None = None) -> dict[str, Any]:
    """New values of an event the demo writes: flagged, with the simulated time if any."""
    extra: dict[str, Any] = {"demo": True} | ({"at": at.isoformat()} if at else {})
    return (values or {}) | extra


def _ensure_plans() -> list[Plan]:
    if not OrgUnit.objects.filter(kind=OrgUnitKind.PROVINCE).exists():
        orgunits_load_reference(actor=None)
    plans = list(Plan.objects.filter(current_version__isnull=False).order_by("pk"))
    if not plans and BUNDLED.exists():
        from planwatch.plans.services import plan_ingest

        plan_ingest(data=BUNDLED.read_bytes(), name=BUNDLED.name, actor=None)
        plans = list(Plan.objects.filter(current_version__isnull=False).order_by("pk"))
    if not plans:
        raise DemoError(_("没有可用的规划：请先导入规划文本。"))
    return plans


def _complete_drafts(
    alist: AnnualList, rng: random.Random, fallback: list[OrgUnit], actor: Any
) -> None:
    """Fill what the completeness check asks for (a demo planner's edits, in bulk), with a
    `task.update` event for each task edited, as `task_update` would write it."""
    tasks = Task.objects.filter(annual_list=alist)
    edits: dict[int, dict[str, tuple[Any, Any]]] = {}  # task → field → (old, new)
    ndrc = OrgUnit.objects.filter(code="dept:ndrc").first() or fallback[0]
    criterion = _("完成年度目标任务（演示）")
    for pk in tasks.filter(lead_unit__isnull=True).values_list("pk", flat=True):
        edits.setdefault(pk, {})["lead_unit"] = (None, ndrc.name)
    tasks.filter(lead_unit__isnull=True).update(lead_unit=ndrc)
    for pk in tasks.filter(criterion="").values_list("pk", flat=True):
        edits.setdefault(pk, {})["criterion"] = ("", criterion)
    tasks.filter(criterion="").update(criterion=criterion)
    through = Task.responsible_units.through
    chosen = [(t.pk, rng.choice(fallback)) for t in tasks.filter(responsible_units__isnull=True)]
    through.objects.bulk_create([through(task_id=pk, orgunit_id=u.pk) for pk, u in chosen])
    for pk, u in chosen:
        edits.setdefault(pk, {})["responsible_units"] = ([], [u.name])
    if alist.year == 2025:  # some tasks due soon (blue) or already overdue (red) as of demo
        old = dict(tasks.values_list("pk", "deadline"))
        ids = list(old)
        for day, k in ((date(2025, 10, 31), len(ids) // 20), (date(2025, 9, 30), len(ids) // 25)):
            picked = rng.sample(ids, k=k)
            Task.objects.filter(pk__in=picked).update(deadline=day)
            for pk in picked:
                before = d.isoformat() if (d := old[pk]) else None
                edits.setdefault(pk, {})["deadline"] = (before, day.isoformat())
    labels = {pk: f"{seq}. {title}" for pk, seq, title in tasks.values_list("pk", "seq", "title")}
    audit_record_many(
        actor=actor,
        entries=(
            AuditEntry(
                "task.update",
                "tasks.task",
                pk,
                labels[pk],
                old={f: v[0] for f, v in fields.items()},
                new=_demo({f: v[1] for f, v in fields.items()}),
            )
            for pk, fields in sorted(edits.items())
        ),
    )


def _fallback_units(plan: Plan) -> list[OrgUnit]:
    units = list(OrgUnit.objects.filter(parent=plan.org_unit, kind=OrgUnitKind.PREFECTURE))
    return units or list(OrgUnit.objects.filter(kind=OrgUnitKind.PREFECTURE)[:4])


def _profile(rng: random.Random, year: int) -> tuple[float, float]:
    """(final completion share reached by the deadline, speed factor) of one task."""
    roll = rng.random()
    if year < 2025:
        return (1.0, 1.0) if roll < 0.86 else (rng.uniform(0.55, 0.9), 1.0)
    if roll < 0.78:
        return 1.0, rng.uniform(0.95, 1.15)
    return 1.0, rng.uniform(0.35, 0.7)  # behind 序时进度 → yellow


def _reports_for(
    task: Task, unit_ids: list[int], as_of: date, rng: random.Random, frequency: str
) -> list[ProgressReport]:
    start = task.start or date(task.year, 1, 1)
    deadline = task.deadline or date(task.year, 12, 31)
    final, speed = _profile(rng, task.year)
    # a third of the lagging tasks report the same figure period after period (多期未变)
    stuck = (final < 1.0 or speed < 0.8) and rng.random() < 0.35
    periods = [p for p in periods_between(task.year, frequency, start, deadline) if p.due < as_of]
    reports = []
    for unit_id in unit_ids:
        frozen: float | None = None
        for p in periods:
            elapsed = min(1.0, (p.end - start).days / max((deadline - start).days, 1))
            closing = final == 1.0 and elapsed >= 1.0  # a finished task's last report
            if not closing and rng.random() < 0.05:  # never reported
                continue
            value = min(100.0, 100 * final * min(1.0, elapsed * speed) + rng.uniform(-4, 4))
            value = 100.0 if closing else max(0.0, value)
            if stuck:
                frozen = value if frozen is None else frozen
                value = frozen
            late = rng.random() < 0.1
            sent = p.due + timedelta(days=rng.randint(3, 20) if late else -rng.randint(0, 4))
            stamp = timezone.make_aware(datetime.combine(sent, time(10, 0)))
            status = (
                "accepted"
                if closing
                else rng.choices(["accepted", "unit_approved", "submitted"], [8, 1, 1])[0]
            )
            reports.append(
                ProgressReport(
                    task=task,
                    unit_id=unit_id,
                    period_start=p.start,
                    period_end=p.end,
                    period_label=p.label,
                    due=p.due,
                    completion=Decimal(f"{value:.1f}"),
                    progress_status="completed" if value >= 100 else "in_progress",
                    narrative=_("（演示）按计划推进，完成进度 %(v).1f%%。") % {"v": value},
                    status=status,
                    first_submitted_at=stamp,
                    submitted_at=stamp,
                    accepted_at=stamp + timedelta(days=3) if status == "accepted" else None,
                )
            )
    return reports


def _evidence_file() -> tuple[str, str]:
    sha = hashlib.sha256(DEMO_PDF).hexdigest()
    name = f"evidence/{sha[:2]}/{sha}.pdf"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(DEMO_PDF))
    return name, sha


# The review steps a simulated report went through, by its status: (step, days after sending).
STEPS: dict[str, list[tuple[str, int]]] = {
    "submitted": [("submitted", 0)],
    "unit_approved": [("submitted", 0), ("unit_approved", 1)],
    "accepted": [("submitted", 0), ("unit_approved", 1), ("accepted", 3)],
}


def _report_events(
    reports: list[ProgressReport], evidence: dict[int, Evidence], names: dict[int, str]
) -> Iterable[AuditEntry]:
    """What the report services would have logged: each report's creation with its values,
    its evidence, then its review steps (status before and after), at the simulated times."""
    for r in reports:
        kind, label = "reports.progressreport", f"{r.task.title[:60]} · {names[r.unit_id]}"
        label = f"{label} · {r.period_label}"
        values: dict[str, Any] = {"period": r.period_label, "completion": str(r.completion)}
        values |= {"progress_status": r.progress_status, "narrative": r.narrative}
        yield AuditEntry("progress_report.create", kind, r.pk, label, new=_demo(values))
        if (e := evidence.get(r.pk)) is not None:
            values = {"report": r.pk, "sha256": e.sha256, "size": e.size, "kind": e.kind}
            yield AuditEntry("evidence.add", "reports.evidence", e.pk, e.name, new=_demo(values))
        before = "draft"
        for step, days in STEPS[r.status]:
            at = (r.submitted_at or r.due) + timedelta(days=days)
            yield AuditEntry(
                f"progress_report.{step}",
                kind,
                r.pk,
                label,
                old={"status": before},
                new=_demo({"status": step}, at),
            )
            before = step


def _add_reports(tasks: list[Task], as_of: date, rng: random.Random, actor: Any) -> int:
    through = Task.responsible_units.through
    units: dict[int, list[int]] = {}
    for task_id, unit_id in through.objects.filter(task__in=tasks).values_list(
        "task_id", "orgunit_id"
    ):
        units.setdefault(task_id, []).append(unit_id)
    rows: list[ProgressReport] = []
    for task in tasks:
        frequency = task.annual_list.frequency
        rows.extend(_reports_for(task, units.get(task.pk, []), as_of, rng, frequency))
    created = ProgressReport.objects.bulk_create(rows, batch_size=1000)
    _mark(created)
    path, sha = _evidence_file()
    evidence = Evidence.objects.bulk_create(
        [
            Evidence(
                report=r,
                file=path,
                name="进展佐证（演示）.pdf",
                sha256=sha,
                size=len(DEMO_PDF),
                kind="pdf",
            )
            for r in created
            if rng.random() < 0.85
        ],
        batch_size=1000,
    )
    _mark(evidence)
    names = dict(OrgUnit.objects.values_list("pk", "name"))
    by_report = {e.report_id: e for e in evidence}
    audit_record_many(actor=actor, entries=_report_events(created, by_report, names))
    return len(created)


def _completed_ids(tasks: list[Task]) -> list[int]:
    """Tasks every responsible unit of which has reported 100 % (accepted)."""
    rows = (
        Task.objects.filter(pk__in=[t.pk for t in tasks])
        .annotate(
            units=Count("responsible_units", distinct=True),
            done=Count(
                "reports__unit",
                filter=Q(reports__completion__gte=100, reports__status="accepted"),
                distinct=True,
            ),
        )
        .filter(done__gte=F("units"), units__gt=0)
    )
    return list(rows.values_list("pk", flat=True))


def _complete_tasks(tasks: list[Task], actor: Any) -> None:
    """Mark completed the tasks all of whose units reported 100 %, as the report service
    does on acceptance (a `task.complete` event each)."""
    done = set(_completed_ids(tasks))
    Task.objects.filter(pk__in=done, status=TaskStatus.ACTIVE).update(status=TaskStatus.COMPLETED)
    audit_record_many(
        actor=actor,
        entries=(
            AuditEntry(
                "task.complete",
                "tasks.task",
                t.pk,
                str(t),
                old={"status": TaskStatus.ACTIVE},
                new=_demo({"status": TaskStatus.COMPLETED}),
            )
            for t in tasks
            if t.pk in done
        ),
    )


def _open_cases(tasks: list[Task], as_of: date, actor: Any, rng: random.Random) -> int:
    now = timezone.make_aware(datetime.combine(as_of, time(9, 0)))
    lights = lights_recompute(
        tasks=tasks, today=as_of, warning_days=DEFAULT_WARNING_DAYS, tolerance=DEFAULT_TOLERANCE
    )
    cases = []
    for task in tasks:
        light, reason = lights[task.pk]
        if light in (Light.YELLOW, Light.RED):
            case, created = case_open(task=task, light=light, reason=reason, actor=actor, now=now)
            if created:
                cases.append(case)
    last_note = Notification.objects.aggregate(m=Max("pk"))["m"] or 0
    to_assign = [case for case in cases if rng.random() < 0.6]
    for case in to_assign:
        case_assign(case=case, actor=actor, today=as_of, now=now)
    _mark(cases)
    _mark(Notification.objects.filter(pk__gt=last_note))
    # Like the supervise job's one `supervise.run` per run (lights are derived data), but
    # under its own name: the scheduler reads `supervise.run` as "today's job has run".
    counts = Counter(light for light, _reason in lights.values())
    audit_record(
        actor=actor,
        action="demo.supervise",
        target_type="supervision",
        target_label=as_of.isoformat(),
        new=_demo({"lights": dict(counts), "cases_opened": len(cases), "assigned": len(to_assign)}),
    )
    return len(cases)


def demo_load(
    *,
    as_of: date = DEFAULT_AS_OF,
    seed: int = 2021,
    years: Iterable[int] = YEARS,
    progress: Callable[[str], None] | None = None,
) -> DemoSummary:
    """Load the demonstration data (see the module docstring); refuses if it is loaded."""
    say = progress or (lambda _msg: None)
    if demo_present():
        raise DemoError(_("演示数据已加载；如需重新加载，请先运行 planwatch demo --clear。"))
    rng = random.Random(seed)
    summary = DemoSummary()
    logged = AuditEvent.objects.count()
    with transaction.atomic():
        plans = _ensure_plans()
        actor = _demo_planner()
        all_tasks: list[Task] = []
        for plan in plans:
            for year in years:
                if AnnualList.objects.filter(plan=plan, year=year).exists():
                    summary.skipped_lists += 1
                    continue
                result = task_drafts_generate(plan=plan, year=year, actor=actor)
                _complete_drafts(result.annual_list, rng, _fallback_units(plan), actor)
                annual_list_issue(annual_list=result.annual_list, actor=actor)
                _mark([result.annual_list])
                tasks = list(result.annual_list.tasks.select_related("annual_list"))
                _mark(tasks)
                all_tasks.extend(tasks)
                summary.lists += 1
                say(f"{plan.title} {year}: {len(tasks)} tasks")
        summary.tasks = len(all_tasks)
        summary.reports = _add_reports(all_tasks, as_of, rng, actor)
        _complete_tasks(all_tasks, actor)
        all_tasks = list(
            Task.objects.filter(pk__in=[t.pk for t in all_tasks]).select_related("annual_list")
        )
        summary.cases = _open_cases(all_tasks, as_of, actor, rng)
        summary.audit_events = AuditEvent.objects.count() - logged + 1  # with demo.load
        audit_record(
            actor=actor,
            action="demo.load",
            target_type="dashboards.demo",
            target_label=as_of.isoformat(),
            new=_demo(asdict(summary) | {"as_of": as_of.isoformat(), "seed": seed}),
        )
    return summary


def _demo_notification_ids() -> list[int]:
    """Notifications the demo sent, and those the jobs sent since about its tasks, reports
    and cases (they would point at nothing once these are gone)."""
    found: list[int] = []
    notes = Notification.objects.only("pk", "key").order_by("pk").iterator(chunk_size=500)
    for chunk in batched(notes, 500):
        found += notifications_concerning_demo(chunk)
    return found


def demo_clear(*, actor: Any = None) -> int:
    """Remove every object the demo created and record one `demo.clear` event with what was
    removed (the demo's own audit events stay: see the module docstring); returns how many.
    `actor=None` is the command line."""
    user_model = get_user_model()
    order: list[type[models.Model]] = [
        Notification,
        SupervisionCase,
        Evidence,
        ProgressReport,
        Task,
        AnnualList,
        user_model,
    ]
    counts: dict[str, int] = {}
    with transaction.atomic():
        for model in order:
            ids = _marked_ids(model)
            if model is Notification:
                ids += _demo_notification_ids()
            if model is SupervisionCase:
                ids += list(
                    SupervisionCase.objects.filter(task__in=_marked_ids(Task)).values_list(
                        "pk", flat=True
                    )
                )
            if model is Task:
                TaskLight.objects.filter(task__in=ids).delete()
            if model is ProgressReport:
                # Reports the demo tasks received through the pages belong to them too.
                ids += list(
                    ProgressReport.objects.filter(task__in=_marked_ids(Task)).values_list(
                        "pk", flat=True
                    )
                )
                Evidence.objects.filter(report__in=ids).delete()
            counts[model._meta.label_lower] = len(set(ids))
            model._default_manager.filter(pk__in=set(ids)).delete()
        DemoMarker.objects.all().delete()
        removed = sum(counts.values())
        if removed:
            audit_record(
                actor=actor,
                action="demo.clear",
                target_type="dashboards.demo",
                new=_demo({"removed": counts}),
            )
    return removed
