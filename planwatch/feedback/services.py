"""Writes on messages (留言), each validated, audited and used by the pages, the API and the
daily job alike (decision record 0024): a citizen submits (honeypot, length limits, contact
check, duplicate detection, rate limits per address — in that order, so bad input stores
nothing and does not use up the address's allowance) and rates the answer; a moderator
accepts (the message is routed and given its deadline in working days) or rejects with a
reason; the unit's staff claim, answer, fill in the 回访 of a 差评 and appeal a rating, which
a moderator decides."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role, is_admin
from planwatch.audit.services import audit_record
from planwatch.core.notify import notification_send
from planwatch.core.ratelimit import check
from planwatch.core.types import Actor, actor_user
from planwatch.core.workdays import add_workdays
from planwatch.core.workflow import conditional_update
from planwatch.feedback import conf
from planwatch.feedback.choices import (
    AppealStatus,
    MessageKind,
    MessageStatus,
    Rating,
    RejectReason,
)
from planwatch.feedback.models import BODY_MAX, TITLE_MAX, FollowUp, Message, SensitiveWord
from planwatch.feedback.permissions import can_moderate, is_handler, is_unit_staff
from planwatch.feedback.subjects import public_subject
from planwatch.feedback.text import (
    check_printable,
    clean_contact,
    digest,
    mask,
    matcher,
    matches,
)
from planwatch.supervision.notify import recipients_for, unit_recipients

S = MessageStatus
# Who the audit log names for a citizen's own acts (submitting, rating): "anonymous", not the
# system.
CITIZEN = AnonymousUser()
TITLE_MIN, BODY_MIN, ANSWER_MIN, ANSWER_MAX = 2, 5, 5, 2000


class RateLimited(ValidationError):
    """Too many messages from one address: refused, nothing stored (HTTP 429)."""


def _audit(actor: Actor, action: str, message: Message, **kw: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        target_type="feedback.message",
        target_id=message.pk,
        target_label=f"留言：{message.title[:60]}",
        **kw,
    )


def receipt_hash(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


def message_by_receipt(code: str) -> Message | None:
    """The message whose receipt code is `code` (only its hash is stored). Read from the
    primary database even on a page served from a replica (core/replica.py): the citizen
    lands on it a moment after writing the message or rating the answer."""
    if not code or len(code) > 64:
        return None
    primary = Message.objects.db_manager(DEFAULT_DB_ALIAS)
    return primary.select_related("unit").filter(receipt_hash=receipt_hash(code)).first()


def _length(field: str, value: str, low: int, high: int) -> str:
    value = check_printable(field, value or "").strip()
    if len(value) < low:
        raise ValidationError({field: _("至少需要 %(n)d 个字。") % {"n": low}})
    if len(value) > high:
        raise ValidationError(
            {field: _("最多 %(n)d 个字（现有 %(m)d 个）。") % {"n": high, "m": len(value)}}
        )
    return value


def sensitive_matches(text: str) -> list[str]:
    return matches(matcher(SensitiveWord.objects.values_list("word", flat=True)), text)


def message_submit(
    *,
    kind: str,
    subject_kind: str,
    subject_id: Any,
    title: str,
    body: str,
    contact: str = "",
    honeypot: str = "",
    client: str,
    now: dt.datetime | None = None,
) -> tuple[Message, str]:
    """Store a citizen's message, pending moderation; returns it and its receipt code (shown
    to the citizen once, only its hash is kept). Refusals raise ValidationError (RateLimited
    for too many from `client`) and store nothing."""
    now = now or timezone.now()
    if honeypot:
        raise ValidationError(_("提交未被接受，请刷新页面后重新填写。"), code="honeypot")
    if kind not in MessageKind.values:
        raise ValidationError({"kind": _("请选择留言类别：建议、咨询或投诉。")})
    subject = public_subject(subject_kind, subject_id)
    if subject is None:
        raise ValidationError({"subject": _("留言对象不存在或尚未公开。")})
    title = _length("title", title, TITLE_MIN, TITLE_MAX)
    body = _length("body", body, BODY_MIN, BODY_MAX)
    contact_value, contact_kind = clean_contact(contact)
    text_digest = digest(title, body)
    since = now - dt.timedelta(days=conf.duplicate_days())
    if Message.objects.filter(
        subject_kind=subject.kind,
        subject_id=subject.obj.pk,
        digest=text_digest,
        created_at__gte=since,
    ).exists():
        raise ValidationError(
            _("%(n)d 天内已有相同内容的留言，请勿重复提交。") % {"n": conf.duplicate_days()},
            code="duplicate",
        )
    for limit in conf.submit_limits():
        if not check(limit, client, now=now):
            raise RateLimited(_("留言过于频繁，请稍后再试。"), code="rate_limited")
    code = secrets.token_urlsafe(18)
    with transaction.atomic():
        message = Message.objects.create(
            kind=kind,
            subject_kind=subject.kind,
            subject_id=subject.obj.pk,
            subject_title=subject.title[:255],
            plan=subject.plan,
            zone=subject.zone,
            unit=subject.unit,
            title=title,
            body=body,
            digest=text_digest,
            contact=contact_value,
            contact_kind=contact_kind,
            receipt_hash=receipt_hash(code),
            flagged_words=sensitive_matches(f"{title}\n{body}"),
            created_at=now,
        )
        _audit(
            CITIZEN,
            "feedback.submit",
            message,
            new={"kind": kind, "subject": f"{subject.kind}:{subject.obj.pk}"},
        )
    return message, code


def _link(message: Message) -> str:
    return reverse("feedback:detail", args=[message.pk])


def message_moderate(
    *,
    message: Message,
    actor: Actor,
    accept: bool,
    reason: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> Message:
    """Accept (shown publicly, routed to its unit, due in working days) or reject with a
    reason from the list (其他: the note is required)."""
    if not can_moderate(actor, message):
        raise PermissionDenied(_("只有负责该区域的规划处室人员可以审核留言。"))
    now = now or timezone.now()
    note = check_printable("note", note or "").strip()[:500]
    if accept:
        if message.unit_id is None:
            raise ValidationError(_("无法确定办理单位，不能受理。"))
        accepted_on = timezone.localdate(now)
        due = add_workdays(accepted_on, conf.answer_workdays())
        values: dict[str, Any] = {
            "status": S.ACCEPTED,
            "accepted_on": accepted_on,
            "due_on": due.date,
            "due_official": due.official,
        }
    else:
        if reason not in RejectReason.values:
            raise ValidationError({"reason": _("请选择不通过的原因。")})
        if reason == RejectReason.OTHER and not note:
            raise ValidationError({"note": _("原因为“其他”时请写明说明。")})
        values = {"status": S.REJECTED, "reject_reason": reason, "reject_note": note}
    values |= {"moderated_by": actor_user(actor), "moderated_at": now}
    with transaction.atomic():
        conditional_update(message, expected={"status": S.PENDING}, values=values)
        _audit(
            actor,
            "feedback.accept" if accept else "feedback.reject",
            message,
            old={"status": S.PENDING},
            new={"status": values["status"], "reason": reason, "note": note}
            | (
                {"unit": message.unit.code, "due_on": str(message.due_on)}
                if accept and message.unit
                else {}
            ),
        )
        if accept and message.unit is not None:
            notification_send(
                recipients=unit_recipients([message.unit]),
                kind="feedback",
                key=f"feedback:{message.pk}:accepted",
                title=_("新留言待答复：%(t)s") % {"t": message.title},
                body=_("请于 %(d)s 前答复。") % {"d": message.due_on},
                now=now,
                link=_link(message),
            )
    return message


def _require_unit(actor: Actor, message: Message) -> None:
    if not message.is_public or not is_unit_staff(actor, message):
        raise PermissionDenied(_("只有办理单位的工作人员可以办理该留言。"))


def message_claim(*, message: Message, actor: Actor, handler: Any = None) -> Message:
    """Make `handler` (default: the actor) the message's handler. A reporter claims an
    unassigned message for themselves; a unit reviewer assigns it to any of the unit's
    staff."""
    _require_unit(actor, message)
    handler = handler or actor
    reviewer = message.unit is not None and has_role(actor, Role.UNIT_REVIEWER, message.unit)
    if not is_unit_staff(handler, message):
        raise ValidationError(_("承办人须为办理单位的工作人员。"))
    if not reviewer and (handler != actor or message.handler_id not in (None, actor.pk)):  # type: ignore[union-attr]
        raise PermissionDenied(_("该留言已由他人承办；改派须由单位审核人办理。"))
    old = message.handler_id
    with transaction.atomic():
        conditional_update(message, expected={}, values={"handler": handler})
        _audit(actor, "feedback.assign", message, old={"handler": old}, new={"handler": handler.pk})
    return message


def message_answer(
    *, message: Message, actor: Actor, text: str, now: dt.datetime | None = None
) -> Message:
    """Publish the unit's answer under the message (the handler, or a unit reviewer; an
    unassigned message is claimed by whoever answers it)."""
    _require_unit(actor, message)
    if message.status != S.ACCEPTED:
        raise ValidationError(_("该留言已答复或尚未受理。"))
    reviewer = message.unit is not None and has_role(actor, Role.UNIT_REVIEWER, message.unit)
    if message.handler_id is not None and not is_handler(actor, message) and not reviewer:
        raise PermissionDenied(_("该留言已由他人承办。"))
    text = _length("answer", text, ANSWER_MIN, ANSWER_MAX)
    now = now or timezone.now()
    values = {
        "status": S.ANSWERED,
        "answer": text,
        "answered_by": actor_user(actor),
        "answered_at": now,
        "handler": message.handler or actor_user(actor),
    }
    with transaction.atomic():
        conditional_update(message, expected={"status": S.ACCEPTED}, values=values)
        _audit(actor, "feedback.answer", message, old={"status": S.ACCEPTED}, new={"answer": text})
    return message


def message_rate(*, message: Message, rating: str, now: dt.datetime | None = None) -> Message:
    """The citizen's rating of the answer, once. 不满意 (差评) opens a 回访 record for the
    unit to fill in."""
    if message.status != S.ANSWERED:
        raise ValidationError(_("答复之后才能评价。"))
    if message.rating:
        raise ValidationError(_("您已评价过该答复。"))
    if rating not in Rating.values:
        raise ValidationError({"rating": _("请选择满意、基本满意或不满意。")})
    now = now or timezone.now()
    with transaction.atomic():
        conditional_update(
            message, expected={"rating": ""}, values={"rating": rating, "rated_at": now}
        )
        _audit(CITIZEN, "feedback.rate", message, new={"rating": rating})
        if rating == Rating.UNSATISFIED:
            FollowUp.objects.create(message=message, opened_at=now)
            if message.unit is not None:
                notification_send(
                    recipients=unit_recipients([message.unit]),
                    kind="feedback",
                    key=f"feedback:{message.pk}:follow_up",
                    title=_("差评待回访：%(t)s") % {"t": message.title},
                    body=_("留言人对答复不满意，请回访并填写回访记录。"),
                    now=now,
                    link=_link(message),
                )
    return message


def follow_up_fill(
    *,
    message: Message,
    actor: Actor,
    caller: str,
    called_at: dt.datetime,
    summary: str,
    outcome: str,
    now: dt.datetime | None = None,
) -> FollowUp:
    """The unit's record of its 回访: who called, when, what was said, the outcome."""
    _require_unit(actor, message)
    follow_up = FollowUp.objects.filter(message=message).first()
    if follow_up is None or follow_up.done:
        raise ValidationError(_("该留言没有待回访的差评。"))
    now = now or timezone.now()
    caller = _length("caller", caller, 1, 64)
    summary = _length("summary", summary, 5, 2000)
    outcome = _length("outcome", outcome, 1, 255)
    if called_at > now:
        raise ValidationError({"called_at": _("回访时间不能晚于现在。")})
    values = {
        "caller": caller,
        "called_at": called_at,
        "summary": summary,
        "outcome": outcome,
        "filled_by": actor_user(actor),
        "filled_at": now,
    }
    with transaction.atomic():
        if not FollowUp.objects.filter(pk=follow_up.pk, filled_at__isnull=True).update(**values):
            raise ValidationError(_("该留言没有待回访的差评。"))
        _audit(
            actor,
            "feedback.follow_up",
            message,
            new={
                **values,
                "called_at": str(called_at),
                "filled_by": getattr(actor, "pk", None),
                "filled_at": str(now),
            },
        )
    follow_up.refresh_from_db()
    return follow_up


def appeal_file(*, message: Message, actor: Actor, reason: str) -> Message:
    """The unit appeals (申诉) a rating it holds unfair; a moderator decides."""
    _require_unit(actor, message)
    if message.rating != Rating.UNSATISFIED:
        raise ValidationError(_("只有“不满意”的评价可以申诉。"))
    reason = _length("reason", reason, 5, 2000)
    with transaction.atomic():
        conditional_update(
            message,
            expected={"appeal_status": AppealStatus.NONE},
            values={"appeal_status": AppealStatus.PENDING, "appeal_reason": reason},
        )
        _audit(actor, "feedback.appeal", message, new={"reason": reason})
        notification_send(
            recipients=moderators_of(message),
            kind="feedback",
            key=f"feedback:{message.pk}:appeal",
            title=_("评价申诉待裁定：%(t)s") % {"t": message.title},
            body=reason,
            now=timezone.now(),
            link=_link(message),
        )
    return message


def appeal_decide(*, message: Message, actor: Actor, uphold: bool, note: str) -> Message:
    """A moderator upholds the appeal (the rating no longer counts) or dismisses it."""
    if not can_moderate(actor, message):
        raise PermissionDenied(_("只有负责该区域的规划处室人员可以裁定申诉。"))
    note = _length("note", note, 2, 2000)
    status = AppealStatus.UPHELD if uphold else AppealStatus.DISMISSED
    with transaction.atomic():
        conditional_update(
            message,
            expected={"appeal_status": AppealStatus.PENDING},
            values={
                "appeal_status": status,
                "appeal_note": note,
                "appeal_decided_by": actor_user(actor),
            },
        )
        _audit(actor, "feedback.appeal_decide", message, new={"status": status, "note": note})
    return message


def contact_for(*, message: Message, viewer: Actor) -> str:
    """The contact as `viewer` may see it: whole for the handler — and every such view is
    audited — masked for other staff who may see the message."""
    if not message.contact:
        return ""
    if is_handler(viewer, message):
        _audit(viewer, "feedback.contact_view", message)
        return message.contact
    return mask(message.contact, message.contact_kind)


def sensitive_word_add(*, actor: Actor, word: str) -> SensitiveWord:
    if not is_admin(actor):
        raise PermissionDenied(_("只有系统管理员可以维护敏感词。"))
    word = _length("word", word, 1, 32)
    if SensitiveWord.objects.filter(word=word).exists():
        raise ValidationError({"word": _("该敏感词已在列表中。")})
    entry = SensitiveWord.objects.create(word=word, created_by=actor_user(actor))
    audit_record(
        actor=actor,
        action="feedback.word_add",
        target_type="feedback.sensitiveword",
        target_id=entry.pk,
        target_label=word,
    )
    return entry


def sensitive_word_remove(*, actor: Actor, word_id: int) -> None:
    if not is_admin(actor):
        raise PermissionDenied(_("只有系统管理员可以维护敏感词。"))
    entry = SensitiveWord.objects.filter(pk=word_id).first()
    if entry is None:
        raise ValidationError(_("该敏感词不存在。"))
    audit_record(
        actor=actor,
        action="feedback.word_remove",
        target_type="feedback.sensitiveword",
        target_id=entry.pk,
        target_label=entry.word,
    )
    entry.delete()


def moderators_of(message: Message) -> list[Any]:
    """Who is told of an appeal: the planners of the message's zone (or province-wide)."""
    units = [message.zone] if message.zone is not None else []
    return recipients_for(units, (Role.PLANNER,)) if units else []
