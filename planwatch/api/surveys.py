"""问卷 through the API (issue 13, items 3, 5 and 7): the open surveys and the published
results for anyone; a response submitted anonymously under the same limits as the page; the
results (with the comments) for the planners who run the survey.

One response per person (docs/decisions/0023-surveys.md): a successful POST sets the same
signed cookie the page sets and returns its value as `receipt`; a POST carrying either (the
cookie, or the receipt in the `X-Survey-Receipt` header) is refused with 409. A client that
keeps neither is held only by the per-address rate limits (429)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.params.functions import Header, Query

from planwatch.api.auth import caller, public, signed_in
from planwatch.api.schemas import ErrorOut
from planwatch.core.client_address import client_address
from planwatch.core.workflow import ServiceError
from planwatch.surveys import selectors, services
from planwatch.surveys.models import Survey
from planwatch.surveys.receipts import has_answered, mark_answered, receipt_valid
from planwatch.surveys.selectors import Group, Results

router = Router(tags=["surveys"])
PUBLIC = {"x-access": "public"}
SIGNED_IN = {"x-access": "signed-in"}
READ: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
YEAR_QUERY = Query(None, ge=2000, le=2100, description="Only the surveys of this year.")
LEVELS = "1 非常满意, 2 满意, 3 基本满意, 4 不满意, 5 非常不满意 (1–3 count as satisfied)"


class QuestionOut(Schema):
    id: int
    text: str
    kind: str = Field(description="`five_level` (answer 1–5), `choice` (one of `choices`), `text`.")
    choices: list[str]
    required: bool


class SurveyOut(Schema):
    id: int
    title: str
    description: str
    year: int
    plan: str | None = Field(description="The plan's slug, for a survey on a plan.")
    scope: str = Field(description="The code of the zone or of the province it covers.")
    status: str = Field(description="`open` or `closed`.")
    opens_on: str | None
    closes_on: str | None
    accepting: bool = Field(description="Whether it takes responses now.")
    results_published: bool
    questions: list[QuestionOut]


class ResponseIn(Schema):
    rating: int = Field(ge=1, le=5, description=f"The overall rating: {LEVELS}.")
    answers: dict[str, str] = Field(
        default_factory=dict,
        description="Answers by question id: a level 1–5, one of the choices, or text.",
    )
    comment: str = Field(
        "",
        max_length=2000,
        description="Optional; the limit is set by "
        "PLANWATCH_SURVEY_COMMENT_MAX (default 500 characters).",
    )
    prefecture: str = Field("", max_length=32, description="Optional: a prefecture's code.")
    website: str = Field("", max_length=200, description="Leave empty (a honeypot).")


class ReceiptOut(Schema):
    receipt: str = Field(
        description="Send it back as `X-Survey-Receipt` to be recognised as "
        "having answered; it names no person and no response."
    )
    message: str


class LevelOut(Schema):
    level: int
    label: str
    count: int
    share: float


class OptionOut(Schema):
    option: str
    count: int
    share: float


class GroupOut(Schema):
    label: str
    suppressed: bool = Field(description="Fewer than `min_group` responses (样本不足): no figures.")
    n: int | None
    rate: float | None = Field(description="Share of 非常满意, 满意 and 基本满意.")
    levels: list[LevelOut]
    options: list[OptionOut]


class QuestionResultOut(Schema):
    question: QuestionOut
    result: GroupOut


class ResultsOut(Schema):
    survey_id: int
    title: str
    min_group: int
    overall: GroupOut
    prefectures: list[GroupOut] = Field(
        description="The prefectures with enough responses; the others are not named."
    )
    prefectures_suppressed: bool = Field(
        description="Whether some prefectures' responses are left out (样本不足)."
    )
    questions: list[QuestionResultOut]


class CommentOut(Schema):
    submitted_at: str
    comment: str


class StaffResultsOut(ResultsOut):
    comments: list[CommentOut]


def _question_out(q: Any) -> dict[str, Any]:
    return {
        "id": q.pk,
        "text": q.text,
        "kind": q.kind,
        "choices": q.choices,
        "required": q.required,
    }


def _survey_out(s: Survey, published: set[int]) -> dict[str, Any]:
    return {
        "id": s.pk,
        "title": s.title,
        "description": s.description,
        "year": s.year,
        "plan": s.plan.slug if s.plan else None,
        "scope": s.org_unit.code,
        "status": s.status,
        "opens_on": s.opens_on.isoformat() if s.opens_on else None,
        "closes_on": s.closes_on.isoformat() if s.closes_on else None,
        "accepting": services.accepting(s) is None,
        "results_published": s.pk in published,
        "questions": [_question_out(q) for q in s.questions.all()],
    }


def _group_out(g: Group) -> dict[str, Any]:
    if g.suppressed:
        return {
            "label": g.label,
            "suppressed": True,
            "n": None,
            "rate": None,
            "levels": [],
            "options": [],
        }
    return {
        "label": g.label,
        "suppressed": False,
        "n": g.n,
        "rate": g.rate,
        "levels": [vars(lv) for lv in g.levels] if g.rated else [],
        "options": [{"option": o, "count": c, "share": sh} for o, c, sh in g.options],
    }


def _results_out(r: Results) -> dict[str, Any]:
    return {
        "survey_id": r.survey.pk,
        "title": r.survey.title,
        "min_group": r.min_group,
        "overall": _group_out(r.overall),
        "prefectures": [_group_out(g) for g in r.shown_prefectures],
        "prefectures_suppressed": r.prefectures_hidden,
        "questions": [
            {"question": _question_out(q.question), "result": _group_out(q.group)}
            for q in r.questions
        ],
    }


def _public(survey_id: int) -> Survey:
    survey = selectors.public_surveys().prefetch_related("questions").filter(pk=survey_id).first()
    if survey is None:
        raise Http404
    return survey


@router.get(
    "/public/surveys",
    response={200: list[SurveyOut], **READ},
    auth=public,
    openapi_extra=PUBLIC,
    summary="Open surveys, and those with published results",
    description="Access: public.",
)
def survey_list(request: HttpRequest, year: int | None = YEAR_QUERY) -> Any:
    published = selectors.published_survey_ids()
    rows = selectors.public_surveys().prefetch_related("questions").order_by("-year", "-pk")
    if year is not None:
        rows = rows.filter(year=year)
    return [_survey_out(s, published) for s in rows[:500]]


@router.get(
    "/public/surveys/{survey_id}",
    response={200: SurveyOut, **READ},
    auth=public,
    openapi_extra=PUBLIC,
    summary="One survey with its questions",
    description="Access: public (open surveys, or with published results; else 404).",
)
def survey_detail(request: HttpRequest, survey_id: int) -> Any:
    return _survey_out(_public(survey_id), selectors.published_survey_ids())


@router.post(
    "/public/surveys/{survey_id}/responses",
    response={201: ReceiptOut, **READ, 400: ErrorOut, 409: ErrorOut, 429: ErrorOut},
    auth=public,
    openapi_extra=PUBLIC,
    summary="Submit one anonymous response",
    description="Access: public. The same limits as the page: one response per browser "
    "(the signed cookie this sets) or per receipt (`X-Survey-Receipt`): 409; per address "
    "3 a day per survey and 20 an hour across surveys by default: 429; the honeypot "
    "`website` filled, a bad rating, answer, prefecture or a comment too long, or the survey "
    "not taking responses: 422. A refused response stores nothing. Nothing identifying "
    f"is stored with a response. Ratings: {LEVELS}.",
)
def response_create(
    request: HttpRequest,
    survey_id: int,
    body: ResponseIn,
    response: HttpResponse,
    receipt: str | None = Header(None, alias="X-Survey-Receipt", max_length=500),
) -> Any:
    survey = _public(survey_id)
    answered = has_answered(request, survey.pk) or bool(
        receipt and receipt_valid(receipt, survey.pk)
    )
    try:
        services.response_submit(
            survey=survey,
            rating=body.rating,
            answers=body.answers,
            comment=body.comment,
            prefecture=body.prefecture,
            honeypot=body.website,
            client=client_address(request),
            answered=answered,
        )
    except services.RateLimited as exc:
        raise HttpError(429, str(exc)) from None
    except services.AlreadyAnswered as exc:
        raise HttpError(409, str(exc)) from None
    except (ValidationError, PermissionDenied, ServiceError) as exc:
        raise HttpError(422, "；".join(getattr(exc, "messages", [str(exc)]))) from None
    token = mark_answered(response, survey.pk)
    return Status(201, {"receipt": token, "message": "感谢参与！您的评价已提交。"})


@router.get(
    "/public/surveys/{survey_id}/results",
    response={200: ResultsOut, **READ},
    auth=public,
    openapi_extra=PUBLIC,
    summary="A survey's published results",
    description="Access: public, once a planner has published them (else 404). A group of "
    "fewer than `min_group` responses shows no figures (样本不足).",
)
def public_results(request: HttpRequest, survey_id: int) -> Any:
    survey = _public(survey_id)
    if not selectors.results_public(survey):
        raise Http404
    return _results_out(selectors.survey_results(survey))


@router.get(
    "/surveys/{survey_id}/results",
    response={200: StaffResultsOut, **READ},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="A survey's results with its comments (planners)",
    description="Access: planners whose scope covers the survey, administrators (else 404). "
    "The same suppressed figures as the public results, plus the free comments.",
)
def staff_results(request: HttpRequest, survey_id: int) -> Any:
    survey = selectors.access_survey(caller(request), survey_id)
    if survey is None:
        raise Http404
    out = _results_out(selectors.survey_results(survey))
    out["comments"] = [
        {"submitted_at": at.isoformat(), "comment": c} for at, c in selectors.comments(survey)
    ]
    return out
