from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    INFRASTRUCTURE = "infrastructure", _("基础设施")
    INDUSTRY = "industry", _("产业")
    SOCIAL = "social", _("民生及社会事业")
    ECOLOGY = "ecology", _("生态环保")


class Stage(models.TextChoices):
    PREPARATION = "preparation", _("前期")
    NEW = "new", _("新开工")
    CONTINUING = "continuing", _("续建")
    COMPLETED = "completed", _("竣工投产")


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DISCARDED = "discarded", _("已舍弃")


class LightColour(models.TextChoices):
    GREEN = "green", _("绿灯")
    YELLOW = "yellow", _("黄灯")
    RED = "red", _("红灯")


class ListSeries(models.TextChoices):
    PREFECTURES = "prefectures", _("市州")
    DEPARTMENTS = "departments", _("省直部门")


class ListVerdict(models.TextChoices):
    RED = "red", _("红榜")
    BLACK = "black", _("黑榜")
    EXEMPT = "exempt", _("免于上榜")
    NONE = "none", _("未上榜")
