"""联席会议: a zone's planners record a meeting (session, date, host city, members, agenda,
documents considered) and its decisions (议定事项, each with a lead unit and a deadline); the
lead unit reports progress; the daily run turns an undone decision past its deadline red and
opens a 督办 case on it; the 纪要 is drafted from the record, with the progress of the
previous session's decisions reported back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role
from planwatch.audit.services import audit_record
from planwatch.core.workflow import ServiceError
from planwatch.documents.models import Document, JointMeeting, MeetingDecision
from planwatch.documents.permissions import require_manager
from planwatch.documents.reports import Draft
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.supervision.services import case_open

WARNING_DAYS = 15  # blue light: the deadline is this close


def _audit(actor: Any, action: str, obj: Any, **kw: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        target_type=f"documents.{type(obj).__name__.lower()}",
        target_id=obj.pk,
        target_label=str(obj)[:200],
        **kw,
    )


def decision_light(decision: MeetingDecision, today: date) -> str:
    """green done or on time; blue deadline within the warning window; red past it undone."""
    if decision.done_at is not None:
        return "green"
    if today > decision.deadline:
        return "red"
    if (decision.deadline - today).days <= WARNING_DAYS:
        return "blue"
    return "green"


@dataclass(frozen=True)
class NextMeeting:
    zone: OrgUnit
    session: int
    host: OrgUnit | None


def next_meeting(zone: OrgUnit) -> NextMeeting:
    """The next session number and the host city by rotation: the zone's cities in their
    order (the reference tree's, 成都 first in 成都平原), the one after the last host,
    wrapping round; the first city when the zone has met nowhere yet."""
    cities = list(
        OrgUnit.objects.filter(parent=zone, kind=OrgUnitKind.PREFECTURE).order_by(
            "sort_order", "path"
        )
    )
    last = JointMeeting.objects.filter(zone=zone).order_by("-session").first()
    session = (last.session + 1) if last else 1
    if not cities:
        return NextMeeting(zone, session, None)
    if last is None or last.host not in cities:
        return NextMeeting(zone, session, cities[0])
    return NextMeeting(zone, session, cities[(cities.index(last.host) + 1) % len(cities)])


@transaction.atomic
def meeting_create(
    *,
    actor: Any,
    zone: OrgUnit,
    session: int,
    held_on: date,
    host: OrgUnit,
    members: list[OrgUnit],
    agenda: str,
    plan: Plan | None = None,
    considered: list[Document] | None = None,
) -> JointMeeting:
    require_manager(actor, zone)
    if not host.path.startswith(zone.path):
        raise ValidationError({"host": _("承办城市须为本经济区的城市。")})
    if not agenda.strip():
        raise ValidationError({"agenda": _("请填写会议议程。")})
    try:
        with transaction.atomic():
            meeting = JointMeeting.objects.create(
                zone=zone,
                plan=plan,
                session=session,
                held_on=held_on,
                host=host,
                agenda=agenda.strip(),
                created_by=actor if getattr(actor, "pk", None) else None,
                created_at=timezone.now(),
            )
    except IntegrityError:
        raise ValidationError({"session": _("该届次会议已存在。")}) from None
    meeting.members.set(members)
    meeting.considered.set(considered or [])
    _audit(
        actor,
        "meeting.create",
        meeting,
        new={
            "session": session,
            "held_on": held_on.isoformat(),
            "host": host.name,
            "members": [m.name for m in members],
        },
    )
    return meeting


@transaction.atomic
def decision_add(
    *, meeting: JointMeeting, actor: Any, text: str, lead_unit: OrgUnit, deadline: date
) -> MeetingDecision:
    require_manager(actor, meeting.zone)
    if not text.strip():
        raise ValidationError({"text": _("请填写议定事项。")})
    if deadline < meeting.held_on:
        raise ValidationError({"deadline": _("完成时限不能早于会议日期。")})
    seq = meeting.decisions.count() + 1
    decision = MeetingDecision.objects.create(
        meeting=meeting, seq=seq, text=text.strip(), lead_unit=lead_unit, deadline=deadline
    )
    _audit(
        actor,
        "meeting.decision_add",
        decision,
        new={"text": decision.text, "lead_unit": lead_unit.name, "deadline": str(deadline)},
    )
    return decision


def can_report(user: Any, decision: MeetingDecision) -> bool:
    """The lead unit's reporters and head office, or the zone's planners."""
    unit = decision.lead_unit
    return has_role(user, Role.PLANNER, decision.meeting.zone) or any(
        has_role(user, r, unit) for r in (Role.REPORTER, Role.UNIT_REVIEWER)
    )


@transaction.atomic
def decision_progress(
    *, decision: MeetingDecision, actor: Any, progress: str, done: bool, now: datetime | None = None
) -> MeetingDecision:
    """The lead unit reports what has been done; `done` closes the decision (its light turns
    green; an open case stays for its own review and closing)."""
    if not can_report(actor, decision):
        raise PermissionDenied(_("只有牵头单位或规划处室可以报送落实情况。"))
    if decision.done_at is not None:
        raise ServiceError(_("该议定事项已办结。"))
    now = now or timezone.now()
    values: dict[str, Any] = {"progress": progress.strip()}
    if done:
        values.update(done_at=now, light="green")
    rows = MeetingDecision.objects.filter(
        pk=decision.pk, version=decision.version, done_at__isnull=True
    ).update(version=decision.version + 1, **values)
    if rows != 1:
        raise ServiceError(_("该记录已被他人修改，请刷新后重试。"))
    for k, v in values.items():
        setattr(decision, k, v)
    decision.version += 1
    _audit(actor, "meeting.decision_progress", decision, new={"progress": progress, "done": done})
    return decision


def decision_lights_run(*, today: date | None = None) -> dict[str, int]:
    """Recompute every open decision's light; a red one opens a 督办 case on the decision
    (on its lead unit), once."""
    today = today or timezone.localdate()
    counts = {"changed": 0, "cases": 0}
    for d in MeetingDecision.objects.filter(done_at__isnull=True).select_related(
        "meeting__zone", "meeting__plan", "lead_unit"
    ):
        light = decision_light(d, today)
        if light != d.light:
            MeetingDecision.objects.filter(pk=d.pk).update(light=light)
            counts["changed"] += 1
        if light == "red" and d.case_id is None:
            case, created = case_open(
                light="red",
                reason=_("联席会议议定事项逾期未完成（时限%(d)s）：%(t)s")
                % {"d": d.deadline.isoformat(), "t": d.text[:100]},
                actor=None,
                subject=d,
                plan=d.meeting.plan,
                title=str(d),
                year=d.deadline.year,
                unit=d.lead_unit,
            )
            MeetingDecision.objects.filter(pk=d.pk).update(case=case)
            counts["cases"] += int(created)
    return counts


def red_decisions(zone: OrgUnit, today: date) -> list[MeetingDecision]:
    """Undone decisions of the zone's meetings past their deadline (for the 通报)."""
    return list(
        MeetingDecision.objects.filter(meeting__zone=zone, done_at__isnull=True, deadline__lt=today)
        .select_related("meeting", "lead_unit")
        .order_by("deadline", "id")
    )


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def minutes(*, meeting: JointMeeting) -> Draft:
    """The 纪要: who met where, what was considered, each decision, and how the previous
    session's decisions stand."""
    d = Draft(title=f"{meeting.zone.name}联席会议第{meeting.session}次会议纪要", addressee="")
    f = d.figures
    members = [m.name for m in meeting.members.order_by("path")]
    d.p(
        f"{_cn(meeting.held_on)}，{meeting.zone.name}联席会议第{meeting.session}次会议在"
        f"{meeting.host.name}召开。{'、'.join(members)}参加会议。会议议程：{meeting.agenda}"
    )
    docs = list(meeting.considered.all())
    if docs:
        d.p("会议审议了" + "、".join(f"《{x.title}》" for x in docs) + "。")
    d.ph("discussion", "会议讨论情况")
    d.h(1, "会议议定事项")
    decisions = list(meeting.decisions.select_related("lead_unit"))
    f.add(
        "议定事项数",
        len(decisions),
        query=f"MeetingDecision meeting={meeting.pk}",
        records={"documents.meetingdecision": [x.pk for x in decisions]},
    )
    for x in decisions:
        d.p(f"{x.seq}. {x.text}（{x.lead_unit.name}牵头，{_cn(x.deadline)}前完成）")
    previous = (
        JointMeeting.objects.filter(zone=meeting.zone, session__lt=meeting.session)
        .order_by("-session")
        .first()
    )
    if previous is not None:
        d.h(1, "上次会议议定事项落实情况")
        for x in previous.decisions.select_related("lead_unit"):
            state = (
                "已完成"
                if x.done_at
                else ("逾期未完成" if x.deadline < meeting.held_on else "推进中")
            )
            f.add(
                f"第{previous.session}次会议议定事项{x.seq} 状态",
                state,
                query="MeetingDecision.done_at / deadline at the meeting date",
                records={"documents.meetingdecision": [x.pk]},
            )
            d.p(f"{x.seq}. {x.text}：{state}。{x.progress}")
    return d
