"""问卷 (issue 13, item 3): a satisfaction survey a planner runs on a plan, a zone or the
province for a year, its optional extra questions, and the anonymous responses to it.

A response holds what the respondent chose and wrote, the prefecture they picked (optional)
and when it came: never an address, a cookie value or anything else that names a person
(docs/decisions/0023-surveys.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from planwatch.surveys.choices import Level, QuestionKind, SurveyStatus

TITLE_MAX = 200
DESCRIPTION_MAX = 2000
QUESTION_MAX = 300
CHOICE_MAX = 100
MAX_CHOICES = 10
MAX_QUESTIONS = 20


class Survey(models.Model):
    """A satisfaction survey (满意度问卷) of one year on a plan, a zone or the whole province
    (`org_unit`: the zone, or 四川省; for a plan survey, the plan's own unit). Planners whose
    scope covers `org_unit` draft it, open it to the public and close it."""

    title = models.CharField(_("问卷名称"), max_length=TITLE_MAX)
    description = models.TextField(_("问卷说明"), blank=True, max_length=DESCRIPTION_MAX)
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("规划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("范围"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(
        _("状态"), max_length=16, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    opens_on = models.DateField(_("征集开始日期"), null=True, blank=True)
    closes_on = models.DateField(_("征集截止日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-year", "-pk")
        indexes = (models.Index(fields=("year", "status"), name="survey_year_status"),)
        verbose_name = _("问卷")
        verbose_name_plural = _("问卷")

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """An extra question of a survey, after the overall rating: a five-level rating, a single
    choice among `choices`, or free text."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("问题"), max_length=QUESTION_MAX)
    kind = models.CharField(_("题型"), max_length=16, choices=QuestionKind.choices)
    choices = models.JSONField(_("选项"), default=list, blank=True)
    required = models.BooleanField(_("必答"), default=False)

    class Meta:
        ordering = ("survey", "position", "pk")
        verbose_name = _("问卷问题")
        verbose_name_plural = _("问卷问题")

    def __str__(self) -> str:
        return self.text


class Response(models.Model):
    """One anonymous answer sheet (答卷): the overall rating, an optional comment and the
    respondent's prefecture (optional, one of the 21). Nothing here identifies a person."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    rating = models.PositiveSmallIntegerField(_("总体评价"), choices=Level.choices)
    comment = models.TextField(_("意见建议"), blank=True)
    prefecture = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("所在地市州"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), db_index=True)

    class Meta:
        ordering = ("survey", "pk")
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.pk}"


class Answer(models.Model):
    """A response's answer to one extra question (a level, a choice or text)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    level = models.PositiveSmallIntegerField(null=True, blank=True, choices=Level.choices)
    choice = models.CharField(max_length=CHOICE_MAX, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("response", "question"), name="answer_once"),
        )
