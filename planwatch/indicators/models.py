"""Indicators (监测指标) of the plans, their targets split by place, the observed values
with their history, and the statuses computed from them under a versioned method."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from planwatch.indicators.choices import (
    Attribute,
    BenchmarkScope,
    Comparator,
    Direction,
    Frequency,
    IndicatorStatus,
    Kind,
    Origin,
    Stage,
)


class Method(models.Model):
    """A confirmed edition of the status thresholds and path rules (methods.md §1). Statuses
    store the version they were computed under; an edition is never edited, only superseded."""

    version = models.CharField(_("方法版本"), max_length=32, unique=True)
    faster = models.FloatField(_("快于预期阈值"), default=1.1)
    on_track = models.FloatField(_("基本符合预期阈值"), default=0.9)
    amount_path = models.CharField(max_length=16, default="geometric")
    other_path = models.CharField(max_length=16, default="linear")
    is_current = models.BooleanField(default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="method_one_current"
            )
        ]

    def __str__(self) -> str:
        return self.version


class Indicator(models.Model):
    """A quantified goal of a plan watched year by year, e.g. 川南经济区 地区生产总值 from
    7,884 亿元 (2020) to 11,000 亿元 (2025). Drafted from the plan's targets and baselines;
    `drafted_from` keeps, for each drafted field, the clause (line, page, text) it came from."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="indicators")
    place = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("指标名称"), max_length=255)
    unit = models.CharField(_("单位"), max_length=32, blank=True)
    attribute = models.CharField(
        _("属性"), max_length=16, choices=Attribute.choices, default=Attribute.EXPECTED
    )
    direction = models.CharField(
        _("方向"), max_length=16, choices=Direction.choices, default=Direction.HIGHER
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.LEVEL)
    baseline_year = models.PositiveSmallIntegerField(_("基期年份"), null=True, blank=True)
    baseline_value = models.FloatField(_("基期值"), null=True, blank=True)
    baseline_node = models.ForeignKey(
        "plans.Node", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    baseline_line = models.PositiveIntegerField(null=True, blank=True)
    baseline_page = models.PositiveIntegerField(null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("目标年份"), null=True, blank=True)
    target_value = models.FloatField(_("目标值"), null=True, blank=True)
    comparator = models.CharField(
        _("比较"), max_length=2, choices=Comparator.choices, default=Comparator.GE
    )
    target_node = models.ForeignKey(
        "plans.Node", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_line = models.PositiveIntegerField(null=True, blank=True)
    target_page = models.PositiveIntegerField(null=True, blank=True)
    target_text = models.TextField(_("目标原文"), blank=True)
    frequency = models.CharField(
        _("监测频次"), max_length=16, choices=Frequency.choices, default=Frequency.ANNUAL
    )
    additive = models.BooleanField(_("可加总"), default=False)
    origin = models.CharField(
        _("目标出处"), max_length=8, choices=Origin.choices, default=Origin.GOAL
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=IndicatorStatus.choices, default=IndicatorStatus.DRAFT
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    # {"name": {"line": 2812, "page": 9, "text": "…"}, "baseline_value": {…}, …}
    drafted_from = models.JSONField(default=dict, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "id"]
        indexes = [models.Index(fields=["plan", "status"])]
        verbose_name = _("监测指标")
        verbose_name_plural = _("监测指标")

    def __str__(self) -> str:
        return self.name


class IndicatorTarget(models.Model):
    """A share of a zone's target set for one place (a prefecture, or a county of it), with
    the weight used to recompute a rate or share from its parts (e.g. the place's GDP)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    place = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    value = models.FloatField(_("分解目标"))
    weight = models.FloatField(_("权重"), null=True, blank=True)
    baseline_value = models.FloatField(_("基期值"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "place"], name="indicatortarget_once")
        ]


class Benchmark(models.Model):
    """The figure a relative indicator (相对全省全国) is measured against in one year: the
    nation's or the province's value as published, with its source. A relative indicator is
    达标 in a year when its value beats that year's benchmark (methods.md §1)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="benchmarks")
    year = models.PositiveSmallIntegerField(_("年份"))
    scope = models.CharField(
        _("对比范围"), max_length=16, choices=BenchmarkScope.choices, default=BenchmarkScope.NATION
    )
    value = models.FloatField(_("基准值"))
    source = models.CharField(_("来源文件"), max_length=255)
    source_url = models.URLField(_("来源网址"), max_length=500, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField()

    class Meta:
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="benchmark_once_a_year")
        ]
        verbose_name = _("对比基准")
        verbose_name_plural = _("对比基准")

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}: {self.value}"


class Observation(models.Model):
    """One value of an indicator for one place and year, as a statistics office published it
    (初步核算, later 最终核实). A revision is a new row: the earlier one stays, no longer
    current, so anything published from it can still be traced."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="observations")
    place = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("地区"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    value = models.FloatField(_("数值"))
    stage = models.CharField(
        _("核算阶段"), max_length=16, choices=Stage.choices, default=Stage.PRELIMINARY
    )
    source = models.CharField(_("来源文件"), max_length=255)
    source_page = models.PositiveIntegerField(_("页码"), null=True, blank=True)
    # the line of the source file the value was read from (a communiqué taken in by intake)
    source_line = models.PositiveIntegerField(_("行号"), null=True, blank=True)
    source_url = models.URLField(_("来源网址"), max_length=500, blank=True)
    is_current = models.BooleanField(default=True)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField()
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["indicator", "place", "year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "place", "year"],
                condition=Q(is_current=True),
                name="observation_one_current",
            )
        ]
        indexes = [models.Index(fields=["place", "year"])]
        verbose_name = _("监测数据")
        verbose_name_plural = _("监测数据")

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.place_id} {self.year}: {self.value}"


class ComputedStatus(models.Model):
    """The status of one observation under one method version, with the figures behind it."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="statuses")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="statuses")
    place = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    status = models.CharField(_("状态"), max_length=16)
    expected = models.FloatField(null=True, blank=True)
    ratio = models.FloatField(null=True, blank=True)
    required_growth = models.FloatField(null=True, blank=True)
    method_version = models.CharField(max_length=32)
    # The 督办 case a lagging binding indicator opened (supervision.SupervisionCase id).
    case = models.ForeignKey(
        "supervision.SupervisionCase",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["observation", "method_version"], name="computedstatus_once"
            )
        ]
        indexes = [models.Index(fields=["indicator", "place", "year"])]


class IndicatorWarning(models.Model):
    """A red warning (预警): a binding (约束性) indicator lagging (滞后, 未达标) in one place.
    Raised the first time a computed status falls behind, it stays open — with its one 督办
    case, opened on the place — as long as the latest status of that indicator and place is
    behind; the daily job closes it (解除) once the latest status is no longer behind. The
    warning is the subject of its case (supervision.SupervisionCase.subject)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="warnings")
    place = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("地区"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("预警年度"))
    status = models.CharField(_("预警时状态"), max_length=16)
    last_year = models.PositiveSmallIntegerField(_("最近滞后年度"))
    case = models.ForeignKey(
        "supervision.SupervisionCase",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    raised_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "place"],
                condition=Q(closed_at__isnull=True),
                name="indicatorwarning_one_open",
            )
        ]
        verbose_name = _("指标预警")
        verbose_name_plural = _("指标预警")

    def __str__(self) -> str:
        return str(
            _("指标预警：%(p)s%(n)s%(y)s年%(s)s")
            % {"p": self.place.name, "n": self.indicator.name, "y": self.year, "s": self.status}
        )

    def get_absolute_url(self) -> str:
        return reverse("indicators:detail", args=[self.indicator_id]) + f"#warning-{self.pk}"
