from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("未确认（尚未生成任务）")
    CONFIRMED = "confirmed", _("已确认")


class ConfirmMode(models.TextChoices):
    NEW = "new", _("作为该年度的草稿清单")
    MERGE = "merge", _("并入该年度已有清单（同名任务跳过）")


class UnitGroup(models.TextChoices):
    """A name that stands for several units at once (「各市（州）人民政府」)."""

    PREFECTURES = "prefectures", _("全部市州")
    COUNTIES = "counties", _("规划所属单位下辖的县市区")
    DEPARTMENTS = "departments", _("全部省直部门")
