from enum import nonmember

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    """Where a report is in its review: reporter → unit_reviewer → planner."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    UNIT_APPROVED = "unit_approved", _("单位已审核")
    ACCEPTED = "accepted", _("已采纳")
    RETURNED = "returned", _("已退回")

    # The states in which the reporter may still change the report.
    EDITABLE = nonmember(("draft", "returned"))
    # The states of a report that has been filed (it counts as reported for its period).
    REPORTED = nonmember(("submitted", "unit_approved", "accepted"))


class ProgressStatus(models.TextChoices):
    """How the task itself stands, as the reporting unit describes it."""

    NOT_STARTED = "not_started", _("未启动")
    IN_PROGRESS = "in_progress", _("推进中")
    DELAYED = "delayed", _("滞后")
    COMPLETED = "completed", _("已完成")
