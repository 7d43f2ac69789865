from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PLANNER = "planner", _("规划处室")
    LEADER = "leader", _("领导")
    UNIT_REVIEWER = "unit_reviewer", _("单位审核人")
    REPORTER = "reporter", _("填报人")
    DATA_STEWARD = "data_steward", _("数据管理员")
    DATA_CLERK = "data_clerk", _("数据填报")
    ADMIN = "admin", _("系统管理员")
