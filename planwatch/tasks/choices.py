from enum import nonmember

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ACTIVE = "active", _("实施中")
    COMPLETED = "completed", _("已完成")


class AnnualListStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已下达")
    REVISING = "revising", _("修订中")

    # The states in which the planner may change the list's tasks.
    EDITABLE = nonmember(("draft", "revising"))


class ReportingFrequency(models.TextChoices):
    MONTHLY = "monthly", _("按月")
    QUARTERLY = "quarterly", _("按季度")


class OngoingDeadline(models.TextChoices):
    """完成时限 written as words, for work that has no end date: stored as written and
    supervised by reporting period instead of by a date (supervision.lights)."""

    LONG_TERM = "长期坚持", _("长期坚持")
    ONGOING = "持续推进", _("持续推进")
