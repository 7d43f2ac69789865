from django.db import models
from django.utils.translation import gettext_lazy as _


class IntakeKind(models.TextChoices):
    OBSERVATIONS = "observations", _("统计公报 → 监测数据")
    PROJECTS = "projects", _("项目名单 → 项目草稿")


class IntakeStatus(models.TextChoices):
    PROPOSED = "proposed", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DISCARDED = "discarded", _("已放弃")
