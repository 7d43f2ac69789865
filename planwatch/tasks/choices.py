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
