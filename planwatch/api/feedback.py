"""Messages (留言) in the API (issue 13, items 4, 5 and 7).

Public, no sign-in: leave a message (`POST /public/messages`: the same checks as the form —
length limits, contact, honeypot `website`, duplicates, rate limits per address → 429 —
and nothing is stored when refused); read the accepted messages of a public subject; follow
one's own message with its receipt code and rate the answer. The contact is never returned
publicly.

Staff, signed in: the moderation queue and decisions (planners of the message's zone,
administrators), the unit's queue, answers, 回访 records and appeals (the unit's reporters
and reviewers). A message one may not see is "not found", as a missing one; the contact
comes masked except to the message's handler, whose every view of it is audited."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.params.functions import Path as PathParam
from ninja.params.functions import Query

from planwatch.api.auth import caller, public, signed_in
from planwatch.api.implementation.common import require_csrf
from planwatch.api.schemas import ErrorOut, PageMeta, UnitRef
from planwatch.core.client_address import client_address
from planwatch.core.ratelimit import check
from planwatch.core.workflow import ServiceError
from planwatch.feedback import conf, selectors, services
from planwatch.feedback.models import BODY_MAX, TITLE_MAX, FollowUp, Message
from planwatch.feedback.permissions import access_message
from planwatch.feedback.subjects import public_subject
from planwatch.orgunits.models import OrgUnit

router = Router(tags=["feedback"])
PUBLIC = {"x-access": "public"}
SIGNED_IN = {"x-access": "signed-in"}
READ: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
ACT: dict[int, Any] = {**READ, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut}
SubjectKindIn = Literal["plan", "task", "project"]
LIMIT = Query(50, ge=1, le=500, description="Items per page.")
OFFSET = Query(0, ge=0, le=10_000_000, description="Items to skip.")
KIND = Query(..., description="What the messages are on: plan, task or project.")
SUBJECT_ID = Query(..., ge=1, le=2**62, description="Its id.")
CODE = PathParam(
    ..., min_length=16, max_length=64, pattern=r"^[A-Za-z0-9_-]+$", description="Receipt code."
)


class MessageIn(Schema):
    kind: Literal["suggestion", "question", "complaint"] = Field(
        description="建议 suggestion, 咨询 question, 投诉 complaint."
    )
    subject_kind: SubjectKindIn
    subject_id: int = Field(ge=1, le=2**62)
    title: str = Field(max_length=200, description=f"2 to {TITLE_MAX} characters.")
    body: str = Field(max_length=5000, description=f"5 to {BODY_MAX} characters.")
    contact: str = Field(
        "", max_length=200, description="Optional phone number or e-mail; never published."
    )
    website: str = Field("", max_length=200, description="Leave empty (a trap for robots).")


class MessageReceiptOut(Schema):
    receipt: str = Field(description="The code to follow the message with; shown once.")
    status: str
    url: str = Field(description="The receipt page.")


class PublicMessageOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    created_at: datetime
    status: str = Field(description="accepted (being handled) or answered.")
    unit: UnitRef | None
    due_on: date | None = Field(description="Answer due (working days).")
    answer: str
    answered_at: datetime | None
    rating: str = Field(description="The citizen's rating of the answer, if given.")


class PublicMessagePage(PageMeta):
    items: list[PublicMessageOut]


class OwnMessageOut(PublicMessageOut):
    subject_title: str
    reject_reason: str = Field(description="When rejected: the reason's code.")
    reject_note: str


class RatingIn(Schema):
    rating: Literal["satisfied", "basic", "unsatisfied"]


class StaffMessageOut(OwnMessageOut):
    subject_kind: str
    subject_id: int
    flagged_words: list[str] = Field(description="Sensitive words found (the list is data).")
    contact: str = Field(description="Masked, except to the handler (each view audited).")
    handler: str | None
    appeal_status: str
    appeal_reason: str
    follow_up_open: bool = Field(description="A 回访 the unit still has to fill in.")


class StaffMessageList(Schema):
    items: list[StaffMessageOut]


class ModerateIn(Schema):
    decision: Literal["accept", "reject"]
    reason: str = Field("", max_length=32, description="Rejection reason code (see the form).")
    note: str = Field("", max_length=500)


class AnswerIn(Schema):
    text: str = Field(max_length=5000)


class FollowUpIn(Schema):
    caller: str = Field(max_length=200)
    called_at: datetime
    summary: str = Field(max_length=5000)
    outcome: str = Field(max_length=500)


class AppealIn(Schema):
    reason: str = Field(max_length=5000)


class AppealDecisionIn(Schema):
    uphold: bool
    note: str = Field(max_length=5000)


def _unit(u: OrgUnit | None) -> UnitRef | None:
    return UnitRef(code=u.code, name=u.name) if u is not None else None


def public_out(m: Message) -> dict[str, Any]:
    return {
        "id": m.pk,
        "kind": m.kind,
        "title": m.title,
        "body": m.body,
        "created_at": m.created_at,
        "status": m.status,
        "unit": _unit(m.unit) if m.is_public else None,
        "due_on": m.due_on,
        "answer": m.answer,
        "answered_at": m.answered_at,
        "rating": m.rating,
    }


def own_out(m: Message) -> dict[str, Any]:
    return public_out(m) | {
        "subject_title": m.subject_title,
        "reject_reason": m.reject_reason,
        "reject_note": m.reject_note,
    }


def staff_out(m: Message, user: Any) -> dict[str, Any]:
    return own_out(m) | {
        "subject_kind": m.subject_kind,
        "subject_id": m.subject_id,
        "flagged_words": m.flagged_words,
        "contact": services.contact_for(message=m, viewer=user),
        "handler": m.handler.get_username() if m.handler is not None else None,
        "appeal_status": m.appeal_status,
        "appeal_reason": m.appeal_reason,
        "follow_up_open": FollowUp.objects.filter(message=m, filled_at__isnull=True).exists(),
    }


def _fail(exc: Exception) -> HttpError:
    if isinstance(exc, services.RateLimited):
        return HttpError(429, _("；").join(exc.messages))
    if isinstance(exc, ValidationError):
        return HttpError(422, _("；").join(exc.messages))
    if isinstance(exc, PermissionDenied):
        return HttpError(403, str(exc) or "forbidden")
    return HttpError(409, str(exc))


FAILURES = (ValidationError, PermissionDenied, ServiceError)


@router.post(
    "/public/messages",
    response={201: MessageReceiptOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    auth=public,
    openapi_extra=PUBLIC,
    summary="Leave a message (留言)",
    description="Access: public. The message waits for moderation and is shown once "
    "accepted. 422 names what is wrong (nothing is stored); 429 when this address left too "
    "many messages (per hour and per day). Browsers signed in must send the CSRF token.",
)
def message_create(request: HttpRequest, body: MessageIn) -> Any:
    if caller(request).is_authenticated:
        require_csrf(request)
    try:
        m, code = services.message_submit(
            kind=body.kind,
            subject_kind=body.subject_kind,
            subject_id=body.subject_id,
            title=body.title,
            body=body.body,
            contact=body.contact,
            honeypot=body.website,
            client=client_address(request),
        )
    except FAILURES as exc:
        raise _fail(exc) from None
    url = request.build_absolute_uri(f"/gongkai/liuyan/r/{code}/")
    return Status(201, {"receipt": code, "status": m.status, "url": url})


@router.get(
    "/public/messages",
    response={200: PublicMessagePage, **READ},
    auth=public,
    openapi_extra=PUBLIC,
    summary="Accepted messages of a subject",
    description="Access: public. The accepted messages of a published plan, public task "
    "or public project, newest first, each with its answer. 404 for a subject not public.",
)
def message_list(
    request: HttpRequest,
    kind: SubjectKindIn = KIND,
    id: int = SUBJECT_ID,
    limit: int = LIMIT,
    offset: int = OFFSET,
) -> Any:
    subject = public_subject(kind, id)
    if subject is None:
        raise Http404
    qs = selectors.public_messages(subject.kind, subject.obj.pk).select_related("unit")
    items = [public_out(m) for m in qs[offset : offset + limit]]
    return {"count": qs.count(), "limit": limit, "offset": offset, "items": items}


def _own(request: HttpRequest, code: str) -> Message:
    if not check(conf.rating_limit(), client_address(request)):
        raise HttpError(429, _("查询过于频繁，请稍后再试。"))
    m = services.message_by_receipt(code)
    if m is None:
        raise Http404
    return m


@router.get(
    "/public/messages/receipt/{code}",
    response={200: OwnMessageOut, **READ, 429: ErrorOut},
    auth=public,
    openapi_extra=PUBLIC,
    summary="One's own message, by its receipt code",
    description="Access: whoever holds the receipt code. Its state, the reason if it was "
    "not accepted, the answer. 404 for any other code.",
)
def message_by_receipt(request: HttpRequest, code: str = CODE) -> Any:
    return own_out(_own(request, code))


@router.post(
    "/public/messages/receipt/{code}/rating",
    response={200: OwnMessageOut, **READ, 403: ErrorOut, 409: ErrorOut, 429: ErrorOut},
    auth=public,
    openapi_extra=PUBLIC,
    summary="Rate the answer",
    description="Access: whoever holds the receipt code; once, after the answer. "
    "不满意 (unsatisfied) opens a 回访 for the unit.",
)
def message_rate(request: HttpRequest, body: RatingIn, code: str = CODE) -> Any:
    if caller(request).is_authenticated:
        require_csrf(request)
    m = _own(request, code)
    try:
        services.message_rate(message=m, rating=body.rating)
    except FAILURES as exc:
        raise _fail(exc) from None
    return own_out(m)


@router.get(
    "/feedback/moderation",
    response={200: StaffMessageList, **READ},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="The moderation queue",
    description="Access: planners (messages of their zones) and administrators. Pending "
    "messages oldest first, with the sensitive words found; appealed ratings.",
)
def moderation_queue(request: HttpRequest) -> Any:
    user = caller(request)
    rows = selectors.moderation_queue(user).select_related("handler")[:500]
    return {"items": [staff_out(m, user) for m in rows]}


@router.get(
    "/feedback/handling",
    response={200: StaffMessageList, **READ},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="The unit's messages to answer",
    description="Access: reporters and unit reviewers. Accepted messages routed to their "
    "units, unanswered or with a 回访 to fill in, by deadline.",
)
def handling_queue(request: HttpRequest) -> Any:
    user = caller(request)
    return {"items": [staff_out(m, user) for m in selectors.handling_queue(user)[:500]]}


@router.get(
    "/feedback/messages/{message_id}",
    response={200: StaffMessageOut, **READ},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="One message (staff)",
    description="Access: its moderators and, once accepted, its unit's staff.",
)
def message_detail(request: HttpRequest, message_id: int) -> Any:
    user = caller(request)
    return staff_out(access_message(user, message_id), user)


def _act(request: HttpRequest, message_id: int, action: Any, call: Any) -> Any:
    require_csrf(request)
    user = caller(request)
    m = access_message(user, message_id, action=action)
    try:
        call(user, m)
    except FAILURES as exc:
        raise _fail(exc) from None
    m.refresh_from_db()
    return staff_out(m, user)


@router.post(
    "/feedback/messages/{message_id}/moderate",
    response={200: StaffMessageOut, **ACT},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="Accept or reject a message",
    description="Access: its moderators. Accepting shows it publicly and routes it to the "
    "responsible unit with a deadline in working days; rejecting needs a reason code "
    "(off_topic, abusive, privacy, advertising, unclear, other — other needs a note).",
)
def message_moderate(request: HttpRequest, message_id: int, body: ModerateIn) -> Any:
    return _act(
        request,
        message_id,
        "moderate",
        lambda u, m: services.message_moderate(
            message=m,
            actor=u,
            accept=body.decision == "accept",
            reason=body.reason,
            note=body.note,
        ),
    )


@router.post(
    "/feedback/messages/{message_id}/answer",
    response={200: StaffMessageOut, **ACT},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="Answer a message",
    description="Access: its handler or a unit reviewer of its unit (an unassigned message "
    "is claimed by whoever answers). The answer is published under the message.",
)
def message_answer(request: HttpRequest, message_id: int, body: AnswerIn) -> Any:
    return _act(
        request,
        message_id,
        "handle",
        lambda u, m: services.message_answer(message=m, actor=u, text=body.text),
    )


@router.post(
    "/feedback/messages/{message_id}/follow-up",
    response={200: StaffMessageOut, **ACT},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="Record the 回访 of a bad rating",
    description="Access: the unit's staff. Who called, when, what was said, the outcome.",
)
def message_follow_up(request: HttpRequest, message_id: int, body: FollowUpIn) -> Any:
    return _act(
        request,
        message_id,
        "handle",
        lambda u, m: services.follow_up_fill(
            message=m,
            actor=u,
            caller=body.caller,
            called_at=body.called_at,
            summary=body.summary,
            outcome=body.outcome,
        ),
    )


@router.post(
    "/feedback/messages/{message_id}/appeal",
    response={200: StaffMessageOut, **ACT},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="Appeal a bad rating (申诉)",
    description="Access: the unit's staff, once, for an 不满意 rating.",
)
def message_appeal(request: HttpRequest, message_id: int, body: AppealIn) -> Any:
    return _act(
        request,
        message_id,
        "handle",
        lambda u, m: services.appeal_file(message=m, actor=u, reason=body.reason),
    )


@router.post(
    "/feedback/messages/{message_id}/appeal/decision",
    response={200: StaffMessageOut, **ACT},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="Decide an appeal",
    description="Access: its moderators. Upheld: the rating no longer counts.",
)
def message_appeal_decide(request: HttpRequest, message_id: int, body: AppealDecisionIn) -> Any:
    return _act(
        request,
        message_id,
        "moderate",
        lambda u, m: services.appeal_decide(message=m, actor=u, uphold=body.uphold, note=body.note),
    )
