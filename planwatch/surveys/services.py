"""Writes of the surveys app: a planner drafts a survey and its questions, opens and closes
it (each audited); an anonymous visitor submits one response (`response_submit`), within the
limits of docs/decisions/0023-surveys.md — a refused response stores nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from planwatch.audit.services import audit_record
from planwatch.core import ratelimit
from planwatch.core.workflow import InvalidTransition, ServiceError
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.choices import PlanStatus
from planwatch.plans.models import Plan
from planwatch.surveys import models as m
from planwatch.surveys.choices import ALLOWED_TRANSITIONS, Level, QuestionKind, SurveyStatus
from planwatch.surveys.permissions import can_run


class AlreadyAnswered(ServiceError):
    """This browser (or API client, by its receipt) has already answered the survey."""


class RateLimited(ServiceError):
    """Too many responses from this address."""


def comment_max() -> int:
    return int(getattr(settings, "PLANWATCH_SURVEY_COMMENT_MAX", 500))


def limits(survey_id: int) -> tuple[ratelimit.Limit, ratelimit.Limit]:
    """(per survey per address per day, per address per hour across surveys)."""
    per_day = int(getattr(settings, "PLANWATCH_SURVEY_PER_SURVEY_DAY", 3))
    per_hour = int(getattr(settings, "PLANWATCH_SURVEY_PER_HOUR", 20))
    return (
        ratelimit.Limit(f"surveys.respond.{survey_id}", per_day, 86400),
        ratelimit.Limit("surveys.respond", per_hour, 3600),
    )


def _audit(actor: Any, action: str, survey: m.Survey, **kw: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        target_type="surveys.survey",
        target_id=survey.pk,
        target_label=survey.title[:200],
        **kw,
    )


def _require(actor: Any, org_unit: OrgUnit | None) -> None:
    if not can_run(actor, org_unit):
        raise PermissionDenied(_("只有负责该区域的规划处室人员可以管理问卷。"))


def _scope(plan: Plan | None, org_unit: OrgUnit | None) -> OrgUnit:
    if plan is not None:
        if plan.org_unit is None:
            raise ValidationError({"plan": _("该规划没有所属区域，不能据此开展问卷。")})
        return plan.org_unit
    if org_unit is None or org_unit.kind not in (OrgUnitKind.ZONE, OrgUnitKind.PROVINCE):
        raise ValidationError({"org_unit": _("请选择一个规划、一个经济区或全省。")})
    return org_unit


def _check_fields(title: str, year: int, opens_on: Any, closes_on: Any) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写问卷名称。")})
    if len(title) > m.TITLE_MAX:
        raise ValidationError({"title": _("问卷名称过长。")})
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("年度无效。")})
    if opens_on and closes_on and closes_on < opens_on:
        raise ValidationError({"closes_on": _("截止日期不能早于开始日期。")})
    return title


@transaction.atomic
def survey_create(
    *,
    actor: Any,
    title: str,
    year: int,
    plan: Plan | None = None,
    org_unit: OrgUnit | None = None,
    description: str = "",
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
) -> m.Survey:
    """A draft survey on `plan`, or else on `org_unit` (a zone or the province)."""
    unit = _scope(plan, org_unit)
    _require(actor, unit)
    title = _check_fields(title, year, opens_on, closes_on)
    survey = m.Survey.objects.create(
        title=title,
        description=(description or "").strip()[: m.DESCRIPTION_MAX],
        plan=plan,
        org_unit=unit,
        year=year,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=actor,
    )
    _audit(
        actor,
        "survey.create",
        survey,
        new={"plan": plan.pk if plan else None, "unit": unit.code, "year": year},
    )
    return survey


def _draft(survey: m.Survey) -> m.Survey:
    locked = m.Survey.objects.select_for_update().get(pk=survey.pk)
    if locked.status != SurveyStatus.DRAFT:
        raise ValidationError(_("问卷已开始征集，不能再修改。"))
    return locked


@transaction.atomic
def survey_update(
    *,
    actor: Any,
    survey: m.Survey,
    title: str,
    year: int,
    description: str = "",
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
) -> m.Survey:
    """Change a draft's title, description, year and dates (its scope stays)."""
    _require(actor, survey.org_unit)
    locked = _draft(survey)
    title = _check_fields(title, year, opens_on, closes_on)
    old = {"title": locked.title, "year": locked.year}
    locked.title, locked.year = title, year
    locked.description = (description or "").strip()[: m.DESCRIPTION_MAX]
    locked.opens_on, locked.closes_on = opens_on, closes_on
    locked.save()
    _audit(actor, "survey.update", locked, old=old, new={"title": title, "year": year})
    return locked


def _clean_choices(kind: str, choices: list[str] | None) -> list[str]:
    if kind != QuestionKind.CHOICE:
        return []
    cleaned = [c.strip() for c in (choices or []) if c and c.strip()]
    if len(cleaned) < 2 or len(cleaned) > m.MAX_CHOICES:
        raise ValidationError({"choices": _("单项选择题须有 2 到 10 个选项。")})
    if any(len(c) > m.CHOICE_MAX for c in cleaned) or len(set(cleaned)) != len(cleaned):
        raise ValidationError({"choices": _("选项不能重复，每项不超过 100 字。")})
    return cleaned


@transaction.atomic
def question_add(
    *,
    actor: Any,
    survey: m.Survey,
    text: str,
    kind: str,
    choices: list[str] | None = None,
    required: bool = False,
) -> m.Question:
    """Add an extra question to a draft survey."""
    _require(actor, survey.org_unit)
    locked = _draft(survey)
    text = (text or "").strip()
    if not text or len(text) > m.QUESTION_MAX:
        raise ValidationError({"text": _("请填写问题（不超过 300 字）。")})
    if kind not in QuestionKind.values:
        raise ValidationError({"kind": _("题型无效。")})
    if locked.questions.count() >= m.MAX_QUESTIONS:
        raise ValidationError(_("一份问卷最多 20 个问题。"))
    position = locked.questions.count() + 1
    q = m.Question.objects.create(
        survey=locked,
        position=position,
        text=text,
        kind=kind,
        choices=_clean_choices(kind, choices),
        required=required,
    )
    _audit(
        actor,
        "survey.question_add",
        locked,
        new={"question": q.pk, "text": text, "kind": kind, "choices": q.choices},
    )
    return q


@transaction.atomic
def question_delete(*, actor: Any, question: m.Question) -> None:
    _require(actor, question.survey.org_unit)
    locked = _draft(question.survey)
    _audit(
        actor,
        "survey.question_delete",
        locked,
        old={"question": question.pk, "text": question.text},
    )
    question.delete()


def _move(survey: m.Survey, target: str, **values: Any) -> m.Survey:
    current = survey.status
    if target not in ALLOWED_TRANSITIONS.get(current, ()):
        raise InvalidTransition(_("问卷当前状态不能进行此操作。"))
    rows = m.Survey.objects.filter(pk=survey.pk, status=current).update(status=target, **values)
    if rows != 1:
        raise InvalidTransition(_("问卷状态已变化，请刷新后重试。"))
    survey.refresh_from_db()
    return survey


@transaction.atomic
def survey_open(*, actor: Any, survey: m.Survey) -> m.Survey:
    """Open a draft to the public. A plan survey needs its plan published."""
    _require(actor, survey.org_unit)
    if survey.plan is not None and survey.plan.status != PlanStatus.PUBLISHED:
        raise ValidationError(_("规划尚未发布，不能就其开展问卷。"))
    survey = _move(survey, SurveyStatus.OPEN, opened_at=timezone.now())
    _audit(actor, "survey.open", survey, old={"status": "draft"}, new={"status": "open"})
    return survey


@transaction.atomic
def survey_close(*, actor: Any, survey: m.Survey) -> m.Survey:
    """Stop taking responses. The results stay; nothing reopens a closed survey."""
    _require(actor, survey.org_unit)
    survey = _move(survey, SurveyStatus.CLOSED, closed_at=timezone.now())
    n = survey.responses.count()
    _audit(
        actor,
        "survey.close",
        survey,
        old={"status": "open"},
        new={"status": "closed", "responses": n},
    )
    return survey


# ---------------------------------------------------------------- the public's response


def accepting(survey: m.Survey, today: dt.date | None = None) -> str | None:
    """Why `survey` takes no response now (None: it does)."""
    today = today or timezone.localdate()
    if survey.status != SurveyStatus.OPEN:
        return _("该问卷不在征集期内。")
    if survey.opens_on and today < survey.opens_on:
        return _("该问卷尚未开始。")
    if survey.closes_on and today > survey.closes_on:
        return _("该问卷已截止。")
    return None


def prefecture_choices() -> list[OrgUnit]:
    """The prefectures a respondent may pick, each name once (a prefecture may sit under
    several zones' trees)."""
    seen: dict[str, OrgUnit] = {}
    for u in OrgUnit.objects.filter(kind=OrgUnitKind.PREFECTURE, is_active=True).order_by(
        "sort_order", "path"
    ):
        seen.setdefault(u.name, u)
    return list(seen.values())


def _answer(q: m.Question, raw: Any) -> m.Answer | None:
    value = "" if raw is None else str(raw).strip()
    if not value:
        if q.required:
            raise ValidationError({f"q{q.pk}": _("“%(q)s”为必答题。") % {"q": q.text[:40]}})
        return None
    if q.kind == QuestionKind.FIVE_LEVEL:
        if value not in {str(v) for v in Level.values}:
            raise ValidationError({f"q{q.pk}": _("“%(q)s”的评价无效。") % {"q": q.text[:40]}})
        return m.Answer(question=q, level=int(value))
    if q.kind == QuestionKind.CHOICE:
        if value not in q.choices:
            raise ValidationError({f"q{q.pk}": _("“%(q)s”的选项无效。") % {"q": q.text[:40]}})
        return m.Answer(question=q, choice=value)
    if len(value) > comment_max():
        raise ValidationError(
            {
                f"q{q.pk}": _("“%(q)s”的回答不能超过 %(n)s 字。")
                % {"q": q.text[:40], "n": comment_max()}
            }
        )
    return m.Answer(question=q, text=value)


def _validate(
    survey: m.Survey,
    rating: Any,
    answers: Mapping[str, Any],
    comment: str,
    prefecture: str,
) -> tuple[int, list[m.Answer], str, OrgUnit | None]:
    try:
        level = int(rating)
    except (TypeError, ValueError):
        level = 0
    if level not in Level.values:
        raise ValidationError({"rating": _("请选择总体评价（非常满意至非常不满意）。")})
    comment = (comment or "").strip()
    if "\x00" in comment or any("\x00" in str(v) for v in answers.values()):
        # PostgreSQL text cannot hold NUL; no person types one
        raise ValidationError(_("提交的内容含有不允许的字符。"))
    if len(comment) > comment_max():
        raise ValidationError({"comment": _("意见建议不能超过 %(n)s 字。") % {"n": comment_max()}})
    unit = None
    if prefecture:
        unit = next((u for u in prefecture_choices() if u.code == str(prefecture)), None)
        if unit is None:
            raise ValidationError({"prefecture": _("所在地市州无效。")})
    questions = list(survey.questions.all())
    known = {str(q.pk) for q in questions}
    if any(str(k) not in known for k in answers):
        raise ValidationError({"answers": _("回答了问卷中没有的问题。")})
    rows = [a for q in questions if (a := _answer(q, answers.get(str(q.pk)))) is not None]
    return level, rows, comment, unit


def response_submit(
    *,
    survey: m.Survey,
    rating: Any,
    answers: Mapping[str, Any] | None = None,
    comment: str = "",
    prefecture: str = "",
    client: str,
    honeypot: str = "",
    answered: bool = False,
    now: dt.datetime | None = None,
) -> m.Response:
    """Store one anonymous response, or refuse it and store nothing: the survey not taking
    responses, the honeypot filled (a robot), `answered` (this browser's signed cookie or
    this client's receipt says it answered already), bad or too long input, or the address
    over a rate limit (`limits`). The address is used only for the limit (stored as a keyed
    hash by core.ratelimit), never with the response."""
    now = now or timezone.now()
    why = accepting(survey, timezone.localdate(now))
    if why:
        raise ValidationError(why)
    if honeypot:
        raise ValidationError(_("提交未通过校验，请刷新页面后重新填写。"))
    if answered:
        raise AlreadyAnswered(_("您已经填写过这份问卷，每人只能填写一次。感谢参与！"))
    level, rows, comment, unit = _validate(survey, rating, answers or {}, comment, prefecture)
    with transaction.atomic():
        for limit in limits(survey.pk):
            if not ratelimit.check(limit, client, now=now):
                # the exception rolls back the counts taken so far: a refusal counts nothing
                raise RateLimited(_("来自您所在网络的提交过多，请稍后再试。"))
        response = m.Response.objects.create(
            survey=survey, rating=level, comment=comment, prefecture=unit, submitted_at=now
        )
        for a in rows:
            a.response = response
        m.Answer.objects.bulk_create(rows)
    return response
