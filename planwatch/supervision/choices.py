from django.db import models
from django.utils.translation import gettext_lazy as _


class Light(models.TextChoices):
    GREEN = "green", _("绿灯：正常推进")
    BLUE = "blue", _("蓝灯：临近时限")
    YELLOW = "yellow", _("黄灯：滞后序时进度")
    RED = "red", _("红灯：逾期未完成")


class CaseStatus(models.TextChoices):
    OPENED = "opened", _("立项")
    ASSIGNED = "assigned", _("交办")
    ACKNOWLEDGED = "acknowledged", _("签收")
    IN_PROGRESS = "in_progress", _("办理")
    FEEDBACK = "feedback", _("反馈")
    REVIEWED = "reviewed", _("复核")
    CLOSED = "closed", _("办结")
