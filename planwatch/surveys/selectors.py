"""Reads of the surveys app: what the public may see, the results of a survey with small
counts suppressed, and the satisfaction rate other apps read (assessment, documents).

Satisfaction = the share of responses rating 非常满意, 满意 or 基本满意 (methods.md §5);
差评 = 不满意 and 非常不满意. A group of fewer than `MIN_GROUP` responses shows no figures
but 样本不足 (its size too), and when exactly one prefecture group is suppressed the next
smallest is suppressed with it, so the hidden one cannot be worked out from the total;
suppressed prefecture groups are shown together as one line, not by name."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import is_admin, scope_q
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.choices import PlanStatus
from planwatch.plans.models import Plan
from planwatch.publication.selectors import published_ids
from planwatch.surveys.choices import SATISFIED_LEVELS, Level, QuestionKind, SurveyStatus
from planwatch.surveys.models import Question, Response, Survey
from planwatch.surveys.permissions import can_run

MIN_GROUP = 5  # fewer responses than this: 样本不足
PUBLICATION_KIND = "survey"


def published_survey_ids() -> set[int]:
    return published_ids(PUBLICATION_KIND)


def public_surveys() -> QuerySet[Survey]:
    """Surveys the public may see: open ones (to answer) and those whose results are
    published. Drafts never, nor a survey on a plan no longer published."""
    return (
        Survey.objects.filter(
            Q(status=SurveyStatus.OPEN)
            | Q(pk__in=published_survey_ids(), status__in=(SurveyStatus.OPEN, SurveyStatus.CLOSED))
        )
        .filter(Q(plan__isnull=True) | Q(plan__status=PlanStatus.PUBLISHED))
        .select_related("plan", "org_unit")
    )


def results_public(survey: Survey) -> bool:
    return survey.status != SurveyStatus.DRAFT and survey.pk in published_survey_ids()


def surveys_for(user: Any) -> QuerySet[Survey]:
    """The surveys a planner may run (every survey for an administrator)."""
    rows = Survey.objects.select_related("plan", "org_unit").annotate(n=Count("responses"))
    if is_admin(user):
        return rows
    scope = scope_q(user, Role.PLANNER, path_field="org_unit__path")
    return rows if scope is None else rows.filter(scope)


def access_survey(user: Any, survey_id: int) -> Survey | None:
    """The survey if `user` may run it; None alike for missing and not allowed."""
    survey = Survey.objects.select_related("plan", "org_unit").filter(pk=survey_id).first()
    if survey is None or not can_run(user, survey.org_unit):
        return None
    return survey


# ---------------------------------------------------------------- results


@dataclass
class LevelRow:
    level: int
    label: str
    count: int
    share: float


@dataclass
class Group:
    """A set of responses: all of them, one prefecture's, one question's answers. With
    `suppressed`, nothing but its label may be shown."""

    label: str
    n: int
    satisfied: int = 0
    rated: int = 0  # responses with a level (a five-level question may be skipped)
    suppressed: bool = False
    levels: list[LevelRow] = field(default_factory=list)
    options: list[tuple[str, int, float]] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return self.satisfied / self.rated if self.rated else None


@dataclass
class QuestionResult:
    question: Question
    group: Group


@dataclass
class Results:
    survey: Survey
    overall: Group
    prefectures: list[Group]
    questions: list[QuestionResult]
    min_group: int = MIN_GROUP

    @property
    def shown_prefectures(self) -> list[Group]:
        """The prefecture groups that may be shown. The suppressed ones are not even named
        (naming one would tell that someone there answered): `prefectures_hidden` says
        there are some."""
        return [g for g in self.prefectures if not g.suppressed]

    @property
    def prefectures_hidden(self) -> bool:
        return any(g.suppressed for g in self.prefectures)


def _level_group(label: str, levels: list[int]) -> Group:
    counts = Counter(levels)
    n = len(levels)
    g = Group(label=label, n=n, rated=n, satisfied=sum(counts[v] for v in SATISFIED_LEVELS))
    g.levels = [
        LevelRow(v, str(lab), counts[v], counts[v] / n if n else 0.0) for v, lab in Level.choices
    ]
    g.suppressed = n < MIN_GROUP
    return g


def _suppress(groups: list[Group]) -> None:
    hidden = [g for g in groups if g.suppressed]
    shown = sorted((g for g in groups if not g.suppressed), key=lambda g: g.n)
    if len(hidden) == 1 and shown:
        shown[0].suppressed = True  # else the hidden one is the total minus the others


def survey_results(survey: Survey) -> Results:
    """Counts and rates of `survey` from its stored responses."""
    rows = list(survey.responses.values_list("rating", "prefecture__name"))
    overall = _level_group(_("全部答卷"), [r for r, _p in rows])
    by_pref: dict[str, list[int]] = {}
    for rating, pref in rows:
        by_pref.setdefault(pref or "", []).append(rating)
    prefectures = [
        _level_group(name or _("未填写地市州"), levels)
        for name, levels in sorted(by_pref.items(), key=lambda kv: (not kv[0], kv[0]))
    ]
    if not overall.suppressed:
        _suppress(prefectures)
    else:
        for g in prefectures:
            g.suppressed = True
    questions = []
    for q in survey.questions.all():
        answers = list(q.answers.values_list("level", "choice", "text"))
        if q.kind == QuestionKind.FIVE_LEVEL:
            g = _level_group(q.text, [lv for lv, _c, _t in answers if lv])
        else:
            g = Group(label=q.text, n=len(answers))
            g.suppressed = g.n < MIN_GROUP
            if q.kind == QuestionKind.CHOICE:
                counts = Counter(c for _l, c, _t in answers)
                g.options = [(c, counts[c], counts[c] / g.n if g.n else 0.0) for c in q.choices]
        questions.append(QuestionResult(q, g))
    return Results(survey, overall, prefectures, questions)


def comments(survey: Survey) -> list[tuple[dt.datetime, str]]:
    """The free comments, for the planners only (never public: they are not moderated)."""
    return list(
        survey.responses.exclude(comment="")
        .order_by("submitted_at")
        .values_list("submitted_at", "comment")
    )


def text_answers(question: Question) -> list[str]:
    return list(question.answers.exclude(text="").values_list("text", flat=True))


# ---------------------------------------------------------------- for other apps


def _year_responses(year: int, until: dt.date | None) -> QuerySet[Response]:
    rows = Response.objects.filter(survey__year=year).exclude(survey__status=SurveyStatus.DRAFT)
    if until is not None:
        end = dt.datetime.combine(
            until + dt.timedelta(days=1), dt.time(), timezone.get_current_timezone()
        )
        rows = rows.filter(submitted_at__lt=end)
    return rows


def surveys_on(subject: Plan | OrgUnit, year: int) -> QuerySet[Survey]:
    """The year's surveys (not drafts) on `subject`: a plan; a zone (its own surveys and those
    on its plans); the province (all)."""
    rows = Survey.objects.filter(year=year).exclude(status=SurveyStatus.DRAFT)
    if isinstance(subject, Plan):
        return rows.filter(plan=subject)
    if subject.kind != OrgUnitKind.PROVINCE:
        return rows.filter(Q(org_unit=subject) | Q(plan__org_unit=subject))
    return rows


def _rate(rows: QuerySet[Response]) -> tuple[float | None, int]:
    agg = rows.aggregate(n=Count("pk"), good=Count("pk", filter=Q(rating__in=SATISFIED_LEVELS)))
    n = int(agg["n"] or 0)
    return (agg["good"] / n if n else None), n


def satisfaction(
    subject: Plan | OrgUnit, year: int, prefecture: OrgUnit | None = None
) -> tuple[float | None, int]:
    """(satisfaction rate, number of responses) of the year's surveys on `subject`: a plan
    (its surveys), a zone (its surveys and those on its plans) or the province (all); only
    the responses from `prefecture` when given (by name). Rate None when n = 0. The figures
    are exact: a caller showing them publicly applies `MIN_GROUP` itself."""
    rows = _year_responses(year, None).filter(survey__in=surveys_on(subject, year))
    if prefecture is not None:
        rows = rows.filter(prefecture__name=prefecture.name)
    return _rate(rows)


def satisfaction_by_prefecture(
    year: int, until: dt.date | None = None
) -> dict[str, tuple[int, int]]:
    """{prefecture name: (satisfied, n)} over all the year's surveys, responses submitted by
    the end of `until` (the assessment's as-of date)."""
    out: dict[str, tuple[int, int]] = {}
    rows = (
        _year_responses(year, until)
        .exclude(prefecture=None)
        .values("prefecture__name")
        .annotate(n=Count("pk"), good=Count("pk", filter=Q(rating__in=SATISFIED_LEVELS)))
    )
    for r in rows:
        out[r["prefecture__name"]] = (int(r["good"]), int(r["n"]))
    return out
