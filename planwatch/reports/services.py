"""Writes for progress reports (by a task's reporting units: its lead unit, which files the
summary, and its responsible units): start a period's report, edit it, move it through review
(reporter → unit_reviewer → planner, each step able to return it), and correct an accepted
one as a new revision. Every change is a conditional UPDATE on (status, version), so two
people working on the same report never silently overwrite each other."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role
from planwatch.audit.services import audit_record
from planwatch.core import hooks
from planwatch.core.types import Actor, actor_user
from planwatch.core.workflow import (
    ConcurrentUpdate,
    ServiceError,
    check_transition,
    conditional_update,
)
from planwatch.orgunits.models import OrgUnit
from planwatch.reports.choices import ProgressStatus, ReportStatus
from planwatch.reports.models import Evidence, ProgressReport, ReportTransition
from planwatch.reports.periods import period_starting
from planwatch.reports.permissions import can_accept_report, holds_report_role
from planwatch.tasks.choices import TaskStatus
from planwatch.tasks.models import Task
from planwatch.tasks.permissions import reporting_units

S = ReportStatus
# state → {next state: role allowed to make the move}
ALLOWED_TRANSITIONS: dict[str, dict[str, str]] = {
    S.DRAFT: {S.SUBMITTED: Role.REPORTER},
    S.RETURNED: {S.SUBMITTED: Role.REPORTER},
    # The reporter may withdraw (撤回) a submitted report back to a draft until the reviewer acts.
    S.SUBMITTED: {
        S.UNIT_APPROVED: Role.UNIT_REVIEWER,
        S.RETURNED: Role.UNIT_REVIEWER,
        S.DRAFT: Role.REPORTER,
    },
    S.UNIT_APPROVED: {S.ACCEPTED: Role.PLANNER, S.RETURNED: Role.PLANNER},
}


def _audit(actor: Actor, action: str, report: ProgressReport, **kw: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        target_type="reports.progressreport",
        target_id=report.pk,
        target_label=f"{report.task.title[:60]} · {report.unit.name} · {report.period_label}",
        **kw,
    )


def _figures_changed(report: ProgressReport) -> None:
    """Tell the summaries (core.hooks.figures_changed) that `report`'s slot changed, inside
    the caller's transaction."""
    task = report.task
    hooks.figures_changed.send(
        plan_id=task.plan_id,
        year=task.year,
        period_start=report.period_start,
        unit_id=report.unit_id,
    )


def progress_report_start(
    *, task: Task, unit: OrgUnit, period_start: date, actor: Actor
) -> ProgressReport:
    """Open the draft report of `unit` — the task's lead unit or one of its responsible
    units — on `task` for the period beginning `period_start`."""
    if not has_role(actor, Role.REPORTER, unit) or unit.pk not in {
        u.pk for u in reporting_units(task)
    }:
        raise PermissionDenied(_("只有该任务牵头单位或责任单位的填报人可以填报。"))
    if task.status == TaskStatus.DRAFT:
        raise ServiceError(_("任务所在清单尚未下达，不能填报。"))
    period = period_starting(task.year, task.annual_list.frequency, period_start)
    if period is None:
        raise ValidationError({"period_start": _("不是该清单的报送期。")})
    if (task.deadline and period.start > task.deadline) or (task.start and period.end < task.start):
        raise ValidationError({"period_start": _("该报送期不在任务起止时间内。")})
    with transaction.atomic():
        if ProgressReport.objects.filter(
            task=task, unit=unit, period_start=period.start, is_current=True
        ).exists():
            raise ServiceError(_("该报送期的报告已存在。"))
        report = ProgressReport.objects.create(
            task=task,
            unit=unit,
            period_start=period.start,
            period_end=period.end,
            period_label=period.label,
            due=period.due,
            created_by=actor_user(actor),
        )
        # No _figures_changed: a new draft counts nowhere (not submitted, never was).
        _audit(actor, "progress_report.create", report, new={"period": period.label})
    return report


def _clean_completion(value: Decimal | float | int | str | None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.1"))
    except InvalidOperation:
        raise ValidationError({"completion": _("完成进度应为数字。")}) from None
    if not Decimal(0) <= number <= Decimal(100):
        raise ValidationError({"completion": _("完成进度应在 0 到 100 之间。")})
    return number


def progress_report_update(
    *,
    report: ProgressReport,
    actor: Actor,
    version: int,
    completion: Decimal | float | int | str | None,
    progress_status: str,
    narrative: str,
) -> ProgressReport:
    """Save the reporter's edits of a draft or returned report. `version` is the version the
    form was opened at; an edit saved by someone else since raises ConcurrentUpdate."""
    if not holds_report_role(actor, report, Role.REPORTER):
        raise PermissionDenied(_("只有本单位填报人可以修改报告。"))
    if progress_status not in ProgressStatus.values:
        raise ValidationError({"progress_status": _("进展状态无效。")})
    values = {
        "completion": _clean_completion(completion),
        "progress_status": progress_status,
        "narrative": narrative.strip(),
        "updated_at": timezone.now(),
    }
    if report.status not in S.EDITABLE:
        raise ServiceError(_("报告已报送或已采纳，不能修改。"))
    if version != report.version:
        raise ConcurrentUpdate(_("该报告已被他人修改，请刷新后重试。"))
    with transaction.atomic():
        old = {k: str(getattr(report, k)) for k in ("completion", "progress_status", "narrative")}
        # No _figures_changed: a draft's or returned report's figures count nowhere until it
        # is submitted again (the summaries read submitted reports and submission times).
        conditional_update(report, expected={"status__in": S.EDITABLE}, values=values)
        new = {k: str(values[k]) for k in old}
        _audit(actor, "progress_report.update", report, old=old, new=new)
    return report


def _validate_submission(report: ProgressReport) -> None:
    errors = {}
    if report.completion is None:
        errors["completion"] = _("请填写完成进度。")
    if not report.narrative.strip():
        errors["narrative"] = _("请填写进展情况。")
    if errors:
        raise ValidationError(errors)


def progress_report_transition(
    *,
    report: ProgressReport,
    actor: Actor,
    target: str,
    reason: str = "",
    now: datetime | None = None,
) -> ProgressReport:
    """Move a report to `target` if ALLOWED_TRANSITIONS lets the actor's role do so; a return
    needs a reason. Raises ConcurrentUpdate if the report changed since it was read."""
    role = check_transition(ALLOWED_TRANSITIONS, current=report.status, target=target)
    if not holds_report_role(actor, report, role):
        raise PermissionDenied(_("您无权执行此操作。"))
    if target == S.RETURNED and not reason.strip():
        raise ValidationError({"reason": _("退回时必须说明原因。")})
    if target == S.SUBMITTED:
        _validate_submission(report)
    now = now or timezone.now()
    values: dict[str, Any] = {"status": target, "updated_at": now}
    values |= _stamps(report, target, reason.strip(), now)
    old_status = report.status
    with transaction.atomic():
        conditional_update(report, expected={"status": old_status}, values=values)
        _record_step(report, actor, old_status, target, reason.strip(), now)
        _figures_changed(report)
        hooks.report_moved.send(report=report, target=target, reason=reason.strip(), now=now)
        if target == S.ACCEPTED:
            _complete_task_if_done(report.task, actor)
            hooks.progress_report_accepted.send(report=report, now=now)
    return report


def _record_step(
    report: ProgressReport, actor: Actor, old: str, target: str, reason: str, now: datetime
) -> None:
    """The history row and the audit event of one review step."""
    ReportTransition.objects.create(
        report=report,
        from_status=old,
        to_status=target,
        actor=actor_user(actor),
        reason=reason,
        created_at=now,
    )
    new = {"status": target, "reason": reason} if reason else {"status": target}
    if (old, target) == (S.SUBMITTED, S.DRAFT):
        _audit(actor, "progress_report.withdraw", report, old={"status": old}, new=new)
    else:
        _audit(actor, f"progress_report.{target}", report, old={"status": old}, new=new)


def _stamps(report: ProgressReport, target: str, reason: str, now: datetime) -> dict[str, Any]:
    if target == S.SUBMITTED:
        return {"submitted_at": now, "first_submitted_at": report.first_submitted_at or now}
    if target == S.RETURNED:
        return {"return_reason": reason}
    if target == S.ACCEPTED:
        return {"accepted_at": now}
    if target == S.DRAFT:  # withdrawn: no longer submitted (first_submitted_at stays)
        return {"submitted_at": None}
    return {}


def _complete_task_if_done(task: Task, actor: Actor) -> None:
    """A task is completed once its lead unit's latest accepted report (the summary, 汇总)
    says 100 % — or, while the lead unit has none accepted, once every responsible unit's
    latest accepted report does (the same precedence as supervision.lights)."""
    latest: dict[int, Decimal | None] = {}
    accepted = task.reports.filter(status=S.ACCEPTED, is_current=True).order_by("period_start")
    for r in accepted:
        latest[r.unit_id] = r.completion
    if task.lead_unit_id is not None and task.lead_unit_id in latest:
        done = latest[task.lead_unit_id] == Decimal(100)
    else:
        units = list(task.responsible_units.values_list("pk", flat=True))
        done = bool(units) and all(latest.get(u) == Decimal(100) for u in units)
    if done and Task.objects.filter(pk=task.pk, status=TaskStatus.ACTIVE).update(
        status=TaskStatus.COMPLETED
    ):
        hooks.figures_changed.send(plan_id=task.plan_id, year=task.year)
        audit_record(
            actor=actor,
            action="task.complete",
            target_type="tasks.task",
            target_id=task.pk,
            target_label=str(task),
            old={"status": TaskStatus.ACTIVE},
            new={"status": TaskStatus.COMPLETED},
        )


def progress_report_submit(
    *, report: ProgressReport, actor: Actor, now: datetime | None = None
) -> ProgressReport:
    return progress_report_transition(report=report, actor=actor, target=S.SUBMITTED, now=now)


def progress_report_withdraw(*, report: ProgressReport, actor: Actor) -> ProgressReport:
    """The reporter takes a submitted report back (撤回) to a draft, before its reviewer has
    acted on it (audited as progress_report.withdraw)."""
    return progress_report_transition(report=report, actor=actor, target=S.DRAFT)


def progress_report_approve(*, report: ProgressReport, actor: Actor) -> ProgressReport:
    return progress_report_transition(report=report, actor=actor, target=S.UNIT_APPROVED)


def progress_report_accept(*, report: ProgressReport, actor: Actor) -> ProgressReport:
    return progress_report_transition(report=report, actor=actor, target=S.ACCEPTED)


def progress_report_return(*, report: ProgressReport, actor: Actor, reason: str) -> ProgressReport:
    return progress_report_transition(report=report, actor=actor, target=S.RETURNED, reason=reason)


def _next_revision(report: ProgressReport, actor: Actor) -> ProgressReport:
    """A draft copy of `report` (values and evidence) as its next revision."""
    copied = (
        *("task", "unit", "period_start", "period_end", "period_label", "due"),
        *("completion", "progress_status", "narrative", "first_submitted_at"),
    )
    new = ProgressReport.objects.create(
        **{f: getattr(report, f) for f in copied},
        revision=report.revision + 1,
        supersedes=report,
        created_by=actor_user(actor),
    )
    Evidence.objects.bulk_create(
        Evidence(
            report=new,
            file=e.file.name,
            name=e.name,
            sha256=e.sha256,
            size=e.size,
            kind=e.kind,
            uploaded_by=e.uploaded_by,
        )
        for e in report.evidence.all()
    )
    return new


def progress_report_correct(*, report: ProgressReport, actor: Actor, reason: str) -> ProgressReport:
    """Reopen an accepted (locked) period: the accepted report stays as it was, and a new
    revision — a draft copy with the same evidence — becomes the current report."""
    if not can_accept_report(actor, report):
        raise PermissionDenied(_("只有规划处室可以发起更正。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请说明更正原因。")})
    if report.status != S.ACCEPTED or not report.is_current:
        raise ServiceError(_("只有已采纳的当前报告可以更正。"))
    with transaction.atomic():
        expected = {"status": S.ACCEPTED, "is_current": True}
        conditional_update(report, expected=expected, values={"is_current": False})
        new = _next_revision(report, actor)
        _figures_changed(new)
        _audit(
            actor,
            "progress_report.correct",
            report,
            old={"revision": report.revision, "status": S.ACCEPTED},
            new={"revision": new.revision, "report": new.pk, "reason": reason.strip()},
        )
    return new
