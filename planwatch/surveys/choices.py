"""The words of a survey: its states, the five levels of the overall rating and the kinds of
extra question."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("征集中")
    CLOSED = "closed", _("已结束")


# draft → open → closed; nothing goes back (a closed survey's results stay as they were)
ALLOWED_TRANSITIONS: dict[str, tuple[str, ...]] = {
    SurveyStatus.DRAFT: (SurveyStatus.OPEN,),
    SurveyStatus.OPEN: (SurveyStatus.CLOSED,),
    SurveyStatus.CLOSED: (),
}


class Level(models.IntegerChoices):
    """The five levels (methods.md §5). 1–3 count as satisfied; 4–5 are 差评."""

    VERY_SATISFIED = 1, _("非常满意")
    SATISFIED = 2, _("满意")
    FAIRLY_SATISFIED = 3, _("基本满意")
    DISSATISFIED = 4, _("不满意")
    VERY_DISSATISFIED = 5, _("非常不满意")


SATISFIED_LEVELS = (Level.VERY_SATISFIED, Level.SATISFIED, Level.FAIRLY_SATISFIED)
BAD_LEVELS = (Level.DISSATISFIED, Level.VERY_DISSATISFIED)  # 差评


class QuestionKind(models.TextChoices):
    FIVE_LEVEL = "five_level", _("五级评价")
    CHOICE = "choice", _("单项选择")
    TEXT = "text", _("文字填写")
