from django.db import models
from django.utils.translation import gettext_lazy as _

from planwatch.indicators import methods as m


class Attribute(models.TextChoices):
    EXPECTED = "expected", _("预期性")
    BINDING = "binding", _("约束性")


class Direction(models.TextChoices):
    HIGHER = m.HIGHER, _("越高越好")
    LOWER = m.LOWER, _("越低越好")
    REACH = m.REACH, _("达到标准")


class Kind(models.TextChoices):
    LEVEL = m.LEVEL, _("总量")
    GROWTH = m.GROWTH, _("增速")
    SHARE = m.SHARE, _("比重")
    RELATIVE = m.RELATIVE, _("相对全省全国")
    ASSIGNED = m.ASSIGNED, _("省上下达")
    STANDARD = m.STANDARD, _("达标")


class BenchmarkScope(models.TextChoices):
    """What a relative indicator is measured against (高于全国平均水平, 快于全省平均)."""

    NATION = "nation", _("全国")
    PROVINCE = "province", _("全省")


class Frequency(models.TextChoices):
    ANNUAL = "annual", _("年度")
    QUARTERLY = "quarterly", _("季度")


class IndicatorStatus(models.TextChoices):
    DRAFT = "draft", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    MERGED = "merged", _("已合并")


class Stage(models.TextChoices):
    PRELIMINARY = "preliminary", _("初步核算")
    FINAL = "final", _("最终核实")


class Comparator(models.TextChoices):
    GE = "≥", "≥"
    LE = "≤", "≤"
    EQ = "=", "="


class Origin(models.TextChoices):
    """Where a drafted indicator's target was stated: the plan's goals (发展目标, 主要指标) or
    an action paragraph (“…规模控制在10万亩以内”: plans.Quantity role action_target)."""

    GOAL = "goal", _("规划目标")
    ACTION = "action", _("任务目标")
