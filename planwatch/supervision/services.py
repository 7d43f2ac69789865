"""Writes for 督办 cases: open (立项), assign (交办), acknowledge (签收), handle (办理),
answer (反馈), check (复核) and close (办结销号) — one transition service over the
ALLOWED_TRANSITIONS map, each step with a history row and an audit event."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role
from planwatch.audit.services import audit_record
from planwatch.core.models import Notification
from planwatch.core.notify import notification_send
from planwatch.core.types import Actor, actor_user
from planwatch.core.workflow import ServiceError, check_transition, conditional_update
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.supervision.choices import CaseStatus, Light
from planwatch.supervision.models import CaseTransition, SupervisionCase
from planwatch.supervision.notify import unit_recipients
from planwatch.supervision.permissions import manages_plan
from planwatch.tasks.models import Task

C = CaseStatus
PLANNER, UNIT = "planner", "unit"
# state → {next state: who may make the move}; "unit" = a reporter or reviewer of the
# case's unit. 复核 not passed sends the case back to 办理.
ALLOWED_TRANSITIONS: dict[str, dict[str, str]] = {
    C.OPENED: {C.ASSIGNED: PLANNER},
    C.ASSIGNED: {C.ACKNOWLEDGED: UNIT},
    C.ACKNOWLEDGED: {C.IN_PROGRESS: UNIT},
    C.IN_PROGRESS: {C.FEEDBACK: UNIT},
    C.FEEDBACK: {C.REVIEWED: PLANNER, C.IN_PROGRESS: PLANNER},
    C.REVIEWED: {C.CLOSED: PLANNER},
}
DEFAULT_ACK_DAYS = 3
DEFAULT_FEEDBACK_DAYS = 15


def _audit(actor: Actor, action: str, case: SupervisionCase, **kw: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        target_type="supervision.supervisioncase",
        target_id=case.pk,
        target_label=f"督办：{case.label[:80]}",
        **kw,
    )


def case_open(
    *,
    light: str,
    reason: str,
    actor: Actor,
    task: Task | None = None,
    subject: Model | None = None,
    plan: Plan | None = None,
    title: str = "",
    year: int | None = None,
    unit: OrgUnit | None = None,
    now: datetime | None = None,
) -> tuple[SupervisionCase, bool]:
    """Open (立项) a case on `task`, or on `subject` (any saved model instance with a page of
    its own: an indicator's warning, a project's red light…), unless one is open already.
    For a subject, `plan` names the plan whose planners manage the case (None: the
    province-wide planners), `title` and `year` describe it and `unit` is the unit it goes
    to. `actor=None` is a job. Returns (case, created)."""
    if (task is None) == (subject is None):
        raise ValueError("a case stands on a task or on a subject")
    if task is not None:
        plan, title, year, unit = task.plan, task.title, task.year, task.lead_unit
        open_q = Q(task=task)
    else:
        assert subject is not None and subject.pk is not None
        ctype = ContentType.objects.get_for_model(subject)
        title = title or str(subject)
        open_q = Q(subject_type=ctype, subject_id=subject.pk)
    if actor is not None and not manages_plan(actor, plan):
        raise PermissionDenied(_("只有规划处室可以立项督办。"))
    if light not in (Light.YELLOW, Light.RED):
        raise ValidationError({"light": _("只有黄灯、红灯任务需要督办。")})
    existing = SupervisionCase.objects.exclude(status=C.CLOSED).filter(open_q).first()
    if existing is not None:
        return existing, False
    now = now or timezone.now()
    try:
        with transaction.atomic():
            case = SupervisionCase(
                task=task,
                plan=plan,
                title=title[:255],
                year=year,
                light=light,
                reason=reason,
                unit=unit,
                opened_at=now,
            )
            if subject is not None:
                case.subject = subject
            case.save()
            _audit(actor, "case.open", case, new={"light": light, "reason": reason})
    except IntegrityError:  # another run opened it at the same moment
        return SupervisionCase.objects.exclude(status=C.CLOSED).get(open_q), False
    return case, True


def _may(actor: Actor, case: SupervisionCase, who: str) -> bool:
    if who == PLANNER:
        return manages_plan(actor, case.plan)
    return case.unit is not None and (
        has_role(actor, Role.REPORTER, case.unit) or has_role(actor, Role.UNIT_REVIEWER, case.unit)
    )


def case_transition(
    *,
    case: SupervisionCase,
    actor: Actor,
    target: str,
    note: str = "",
    values: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> SupervisionCase:
    """Move a case to `target` as ALLOWED_TRANSITIONS allows the actor; race-free."""
    who = check_transition(ALLOWED_TRANSITIONS, current=case.status, target=target)
    if not _may(actor, case, who):
        raise PermissionDenied(_("您无权办理该督办事项。"))
    now = now or timezone.now()
    old = case.status
    with transaction.atomic():
        conditional_update(
            case, expected={"status": old}, values={"status": target, **(values or {})}
        )
        CaseTransition.objects.create(
            case=case,
            from_status=old,
            to_status=target,
            actor=actor_user(actor),
            note=note,
            created_at=now,
        )
        _audit(
            actor, f"case.{target}", case, old={"status": old}, new={"status": target, "note": note}
        )
    return case


def case_assign(
    *,
    case: SupervisionCase,
    actor: Actor,
    today: date,
    unit: OrgUnit | None = None,
    ack_days: int = DEFAULT_ACK_DAYS,
    feedback_days: int = DEFAULT_FEEDBACK_DAYS,
    now: datetime | None = None,
) -> SupervisionCase:
    """交办: hand the case to a unit (the task's lead unit by default) with due dates for
    acknowledging and answering, and notify the unit."""
    unit = unit or case.unit or (case.task.lead_unit if case.task is not None else None)
    if unit is None:
        raise ValidationError({"unit": _("请指定承办单位。")})
    now = now or timezone.now()
    values = {
        "unit": unit,
        "assigned_at": now,
        "ack_due": today + timedelta(days=ack_days),
        "feedback_due": today + timedelta(days=feedback_days),
    }
    with transaction.atomic():
        case_transition(case=case, actor=actor, target=C.ASSIGNED, values=values, now=now)
        notification_send(
            recipients=unit_recipients([unit]),
            kind="case.assigned",
            key=f"case:{case.pk}:assigned",
            title=_("督办交办：%(t)s") % {"t": case.label[:60]},
            body=_("请于 %(a)s 前签收，%(f)s 前反馈办理情况。事由：%(r)s")
            % {"a": values["ack_due"], "f": values["feedback_due"], "r": case.reason},
            now=now,
        )
    return case


def case_acknowledge(
    *, case: SupervisionCase, actor: Actor, now: datetime | None = None
) -> SupervisionCase:
    now = now or timezone.now()
    return case_transition(
        case=case, actor=actor, target=C.ACKNOWLEDGED, values={"acknowledged_at": now}, now=now
    )


def case_start(*, case: SupervisionCase, actor: Actor) -> SupervisionCase:
    return case_transition(case=case, actor=actor, target=C.IN_PROGRESS)


def case_feedback(*, case: SupervisionCase, actor: Actor, feedback: str) -> SupervisionCase:
    if not feedback.strip():
        raise ValidationError({"feedback": _("请填写办理情况。")})
    return case_transition(
        case=case,
        actor=actor,
        target=C.FEEDBACK,
        note=feedback.strip(),
        values={"feedback": feedback.strip()},
    )


def case_review(
    *, case: SupervisionCase, actor: Actor, passed: bool, note: str = ""
) -> SupervisionCase:
    """复核: accept the unit's answer, or send the case back to 办理 with a reason."""
    if not passed and not note.strip():
        raise ValidationError({"note": _("复核不通过时必须说明原因。")})
    target = C.REVIEWED if passed else C.IN_PROGRESS
    return case_transition(case=case, actor=actor, target=target, note=note.strip())


def case_close(
    *, case: SupervisionCase, actor: Actor, now: datetime | None = None
) -> SupervisionCase:
    """办结销号."""
    now = now or timezone.now()
    return case_transition(
        case=case, actor=actor, target=C.CLOSED, values={"closed_at": now}, now=now
    )


def case_mark_escalated(*, case: SupervisionCase, now: datetime) -> bool:
    """Record that the case was escalated (once); False if another run did it first."""
    if case.escalated_at is not None:
        return False
    try:
        conditional_update(
            case, expected={"escalated_at__isnull": True}, values={"escalated_at": now}
        )
    except ServiceError:
        return False
    _audit(None, "case.escalate", case, new={"escalated_at": now.isoformat()})
    return True


def notification_mark_read(
    *, notification_id: int, actor: Actor, now: datetime | None = None
) -> None:
    """Mark one of the actor's own notifications read (someone else's: nothing happens)."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = Notification.objects.filter(
            pk=notification_id, recipient=actor_user(actor), read_at__isnull=True
        ).update(read_at=now)
        if rows:
            audit_record(
                actor=actor,
                action="notification.read",
                target_type="supervision.notification",
                target_id=notification_id,
            )


def notification_mark_all_read(*, actor: Actor, now: datetime | None = None) -> int:
    """全部已读: mark every unread notification of the actor read; one audit event with the
    count. Returns how many were marked."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = Notification.objects.filter(
            recipient=actor_user(actor), read_at__isnull=True
        ).update(read_at=now)
        if rows:
            audit_record(
                actor=actor,
                action="notification.read_all",
                target_type="supervision.notification",
                new={"count": rows},
            )
    return rows
