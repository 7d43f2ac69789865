"""Running a survey (who may, what may change when) and the rules a response must pass: a
refused response stores nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from planwatch.audit.models import AuditEvent
from planwatch.core.models import RateCount
from planwatch.core.workflow import InvalidTransition
from planwatch.plans.choices import PlanStatus
from planwatch.plans.models import Plan
from planwatch.surveys import services
from planwatch.surveys.choices import QuestionKind, SurveyStatus
from planwatch.surveys.models import Answer, Response, Survey
from tests.factories import implementation as f

pytestmark = pytest.mark.django_db


def submit(survey: Survey, client: str = "203.0.113.7", **kw: object) -> Response:
    kw.setdefault("rating", 2)
    return services.response_submit(survey=survey, client=client, **kw)  # type: ignore[arg-type]


def test_only_planners_covering_the_scope_run_a_survey(
    plan: Plan,
    chuannan_planner_user: User,
    panxi_planner_user: User,
    yibin_reporter_user: User,
    planner_user: User,
    units: f.Units,
) -> None:
    for outsider in (panxi_planner_user, yibin_reporter_user):
        with pytest.raises(PermissionDenied):
            services.survey_create(actor=outsider, title="x", year=2024, plan=plan)
    s = services.survey_create(actor=planner_user, title="全省", year=2024, org_unit=units.province)
    assert s.org_unit == units.province and s.status == SurveyStatus.DRAFT
    with pytest.raises(ValidationError):  # a prefecture is not a survey scope
        services.survey_create(actor=planner_user, title="x", year=2024, org_unit=units.yibin)
    with pytest.raises(PermissionDenied):
        services.survey_open(actor=chuannan_planner_user, survey=s)
    assert AuditEvent.objects.filter(action="survey.create", target_id=str(s.pk)).exists()


def test_questions_change_only_while_draft_and_transitions_are_audited(
    survey: Survey, chuannan_planner_user: User
) -> None:
    u = chuannan_planner_user
    q = services.question_add(actor=u, survey=survey, text="交通改善如何？", kind="five_level")
    with pytest.raises(ValidationError):
        services.question_add(actor=u, survey=survey, text="选一个", kind="choice", choices=["a"])
    services.question_add(
        actor=u, survey=survey, text="最关心？", kind="choice", choices=["交通", "生态", ""]
    )
    services.survey_open(actor=u, survey=survey)
    with pytest.raises(ValidationError):
        services.question_add(actor=u, survey=survey, text="晚了", kind="text")
    with pytest.raises(ValidationError):
        services.question_delete(actor=u, question=q)
    with pytest.raises(InvalidTransition):
        services.survey_open(actor=u, survey=survey)
    services.survey_close(actor=u, survey=survey)
    assert survey.status == SurveyStatus.CLOSED and survey.closed_at is not None
    actions = list(
        AuditEvent.objects.filter(target_type="surveys.survey").values_list("action", flat=True)
    )
    assert actions.count("survey.question_add") == 2
    assert {"survey.create", "survey.open", "survey.close"} <= set(actions)


def test_a_plan_survey_opens_only_on_a_published_plan(
    survey: Survey, plan: Plan, chuannan_planner_user: User
) -> None:
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.DRAFT)
    survey.refresh_from_db()
    with pytest.raises(ValidationError):
        services.survey_open(actor=chuannan_planner_user, survey=survey)


def test_a_response_is_stored_without_identity(open_survey: Survey, units: f.Units) -> None:
    r = submit(open_survey, rating=3, comment=" 很好 ", prefecture="511500")
    assert (r.rating, r.comment, r.prefecture) == (3, "很好", units.yibin)
    fields = {fld.name for fld in Response._meta.get_fields()}
    assert fields == {"id", "survey", "rating", "comment", "prefecture", "submitted_at", "answers"}
    # the address is counted only as a keyed hash
    assert not RateCount.objects.filter(bucket__contains="203.0.113.7").exists()


def test_answers_to_questions(survey: Survey, chuannan_planner_user: User) -> None:
    u = chuannan_planner_user
    q1 = services.question_add(
        actor=u, survey=survey, text="交通", kind="five_level", required=True
    )
    q2 = services.question_add(
        actor=u, survey=survey, text="最关心", kind=QuestionKind.CHOICE, choices=["交通", "生态"]
    )
    q3 = services.question_add(actor=u, survey=survey, text="建议", kind="text")
    services.survey_open(actor=u, survey=survey)
    with pytest.raises(ValidationError):  # required question unanswered
        submit(survey, answers={str(q2.pk): "交通"})
    with pytest.raises(ValidationError):  # not one of the options
        submit(survey, answers={str(q1.pk): "1", str(q2.pk): "教育"})
    with pytest.raises(ValidationError):  # a question of no survey
        submit(survey, answers={str(q1.pk): "1", "999999": "x"})
    assert not Response.objects.exists()
    r = submit(survey, answers={str(q1.pk): "4", str(q2.pk): "生态", str(q3.pk): "多通公交"})
    got = {a.question_id: (a.level, a.choice, a.text) for a in Answer.objects.filter(response=r)}
    assert got == {q1.pk: (4, "", ""), q2.pk: (None, "生态", ""), q3.pk: (None, "", "多通公交")}


@pytest.mark.parametrize(
    "kw",
    [
        {"rating": 0},
        {"rating": "满意"},
        {"rating": None},
        {"comment": "长" * 501},
        {"prefecture": "999999"},
        {"prefecture": "zone:south-sichuan"},
        {"honeypot": "http://spam.example"},
        {"comment": "a\x00b"},
        {"prefecture": "51\x0000"},
    ],
)
def test_bad_input_is_refused_and_stores_nothing(open_survey: Survey, kw: dict) -> None:
    with pytest.raises(ValidationError):
        submit(open_survey, **kw)
    assert not Response.objects.exists()
    assert not RateCount.objects.exists()  # a refused response is not even counted


def test_the_survey_must_be_taking_responses(survey: Survey, chuannan_planner_user: User) -> None:
    with pytest.raises(ValidationError, match="不在征集期"):
        submit(survey)  # draft
    survey.opens_on = timezone.localdate() + dt.timedelta(days=1)
    survey.save()
    services.survey_open(actor=chuannan_planner_user, survey=survey)
    with pytest.raises(ValidationError, match="尚未开始"):
        submit(survey)
    Survey.objects.filter(pk=survey.pk).update(
        opens_on=None, closes_on=timezone.localdate() - dt.timedelta(days=1)
    )
    survey.refresh_from_db()
    with pytest.raises(ValidationError, match="已截止"):
        submit(survey)
    assert not Response.objects.exists()


def test_already_answered_is_refused(open_survey: Survey) -> None:
    with pytest.raises(services.AlreadyAnswered):
        submit(open_survey, answered=True)
    assert not Response.objects.exists()


def test_per_survey_daily_limit_per_address(open_survey: Survey) -> None:
    for _i in range(3):
        submit(open_survey, client="198.51.100.1")
    with pytest.raises(services.RateLimited):
        submit(open_survey, client="198.51.100.1")
    assert Response.objects.count() == 3
    submit(open_survey, client="198.51.100.2")  # another address is not affected
    assert Response.objects.count() == 4


@override_settings(PLANWATCH_SURVEY_PER_HOUR=2, PLANWATCH_SURVEY_PER_SURVEY_DAY=5)
def test_hourly_limit_across_surveys_and_a_refusal_counts_nothing(
    open_survey: Survey, plan: Plan, chuannan_planner_user: User, units: f.Units
) -> None:
    other = services.survey_create(
        actor=chuannan_planner_user, title="川南经济区问卷二", year=2024, org_unit=units.chuannan
    )
    services.survey_open(actor=chuannan_planner_user, survey=other)
    submit(open_survey, client="198.51.100.9")
    submit(other, client="198.51.100.9")
    counts_before = list(RateCount.objects.order_by("pk").values_list("count", flat=True))
    with pytest.raises(services.RateLimited):
        submit(other, client="198.51.100.9")
    assert Response.objects.count() == 2
    # the per-survey count taken before the hourly refusal was rolled back
    assert list(RateCount.objects.order_by("pk").values_list("count", flat=True)) == counts_before
