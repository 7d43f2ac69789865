"""The 区域一体化发展指数 (methods.md §2): method editions (a tree dimension → sub-dimension →
indicator with weights and directions, a base year, a normalisation and a weighting), index
editions computed under one of them and frozen with their inputs, the computed values and the
list of missing inputs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from planwatch.assessment import index_methods as im


class Normalisation(models.TextChoices):
    FIXED_BASE = im.FIXED_BASE, _("定基指数（基期=100）")
    MIN_MAX = im.MIN_MAX, _("极差标准化")


class Weighting(models.TextChoices):
    EQUAL = im.EQUAL, _("等权")
    SET = im.SET, _("设定权重")
    ENTROPY = im.ENTROPY, _("熵值法")


class IndexDirection(models.TextChoices):
    POSITIVE = im.POSITIVE, _("正向")
    NEGATIVE = im.NEGATIVE, _("逆向")


class NodeLevel(models.TextChoices):
    DIMENSION = "dimension", _("维度")
    SUBDIMENSION = "subdimension", _("分项")
    INDICATOR = "indicator", _("指标")


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class IndexMethod(models.Model):
    """An edition of the method of a plan's index. Editions are not edited once an index
    edition has been computed under them; a change of method is a new edition."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="index_methods")
    version = models.CharField(_("方法版本"), max_length=32)
    title = models.CharField(_("名称"), max_length=255)
    base_year = models.PositiveSmallIntegerField(_("基期年份"))
    normalisation = models.CharField(
        _("标准化方法"),
        max_length=16,
        choices=Normalisation.choices,
        default=Normalisation.FIXED_BASE,
    )
    weighting = models.CharField(
        _("赋权方法"), max_length=16, choices=Weighting.choices, default=Weighting.EQUAL
    )
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "version"], name="indexmethod_version_once")
        ]
        verbose_name = _("指数方法")
        verbose_name_plural = _("指数方法")

    def __str__(self) -> str:
        return f"{self.title} {self.version}"


class IndexNode(models.Model):
    """A node of a method's tree: a dimension (a chapter of the plan), a sub-dimension (a
    section) or an indicator (an indicator of the indicators app). ``line`` is the line of the
    bundled plan text the dimension or sub-dimension was taken from."""

    method = models.ForeignKey(IndexMethod, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    level = models.CharField(_("层级"), max_length=16, choices=NodeLevel.choices)
    code = models.CharField(_("编码"), max_length=32)
    name = models.CharField(_("名称"), max_length=255)
    weight = models.FloatField(_("权重"), null=True, blank=True)
    direction = models.CharField(
        _("方向"), max_length=16, choices=IndexDirection.choices, default=IndexDirection.POSITIVE
    )
    indicator = models.ForeignKey(
        "indicators.Indicator", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    line = models.PositiveIntegerField(_("原文行号"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["method", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["method", "code"], name="indexnode_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class IndexEdition(models.Model):
    """An index computed under a method from the observations as they were: the method's tree
    and the inputs are copied into the edition, so a published figure can be recomputed
    exactly. A published edition is never changed; a correction is a new edition that names
    the one it corrects."""

    method = models.ForeignKey(IndexMethod, on_delete=models.PROTECT, related_name="editions")
    number = models.PositiveIntegerField(_("版次"))
    status = models.CharField(
        _("状态"), max_length=16, choices=EditionStatus.choices, default=EditionStatus.DRAFT
    )
    year_from = models.PositiveSmallIntegerField(_("起始年份"))
    year_to = models.PositiveSmallIntegerField(_("截止年份"))
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    reason = models.TextField(_("更正说明"), blank=True)
    # The method as computed: {"base_year", "normalisation", "weighting", "dimensions": […]}
    method_snapshot = models.JSONField(default=dict)
    # The places, in order: [{"id", "code", "name"}]
    places = models.JSONField(default=list)
    # Every observation used: [{"observation", "indicator", "place", "year", "value", "source"}]
    inputs = models.JSONField(default=list)
    # The weight of every node within its parent: {"code": weight}
    weights = models.JSONField(default=dict)
    # Convergence of the index across the places: [{"year", "places", "mean", "cv", "theil"}]
    convergence = models.JSONField(default=list)
    # The sensitivity view, computed with the edition from its snapshot and inputs: each
    # city's index in year_to under each normalisation × weighting the page compares,
    # {"normalisation|weighting": {"place id": value or null}} (a variant the method refuses
    # is absent); null for editions computed before it was stored (the page computes it then)
    sensitivity = models.JSONField(null=True, blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    computed_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["method", "number"]
        constraints = [
            models.UniqueConstraint(fields=["method", "number"], name="indexedition_number_once")
        ]
        verbose_name = _("指数版次")
        verbose_name_plural = _("指数版次")

    def __str__(self) -> str:
        return f"{self.method} #{self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == EditionStatus.PUBLISHED


# The columns of an edition that hold its whole computation (every input, the weights, the
# convergence trace): read by the edition's own page, never by a list of editions.
EDITION_BULK = ("inputs", "weights", "convergence", "places", "sensitivity")


class IndexValue(models.Model):
    """One computed score: a node (or the index itself, code TOTAL) for a place and a year.
    ``value`` is null when an input below the node is missing."""

    edition = models.ForeignKey(IndexEdition, on_delete=models.CASCADE, related_name="values")
    place = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=32)
    value = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["edition", "place", "year", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "place", "year", "code"], name="indexvalue_once"
            )
        ]


class MissingInput(models.Model):
    """An input the edition needed and did not have: never filled, named on the page."""

    edition = models.ForeignKey(IndexEdition, on_delete=models.CASCADE, related_name="missing")
    indicator = models.ForeignKey(
        "indicators.Indicator", on_delete=models.PROTECT, related_name="+"
    )
    place = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=16)

    class Meta:
        ordering = ["edition", "place", "indicator", "year"]


# ---------------------------------------------------------------- 绩效考核 schemes


class Series(models.TextChoices):
    """Who is ranked against whom: prefectures against prefectures, departments against
    departments; 川西北 has its own 《建设水平考核办法》."""

    PREFECTURES = "prefectures", _("市州")
    DEPARTMENTS = "departments", _("省直部门")
    CHUANXIBEI = "chuanxibei", _("川西北生态示范区")


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    FROZEN = "frozen", _("已定稿")


class Rule(models.TextChoices):
    KEY_TASKS = "key_tasks", _("重点任务完成情况（对照序时进度）")
    INDICATORS = "indicators", _("监测指标状态")
    PROJECTS = "projects", _("重大项目完成率与双过半")
    REPORTING = "reporting", _("报送情况")
    RED_CASES = "red_cases", _("红灯督办事项")
    SATISFACTION = "satisfaction", _("公众满意度")
    BONUS = "bonus", _("加分（人工录入，附佐证）")
    DEDUCTION = "deduction", _("扣分（人工录入，附佐证）")
    VETO = "veto", _("一票否决")


class AssessmentScheme(models.Model):
    """A 绩效考核 scheme for one year and series: its items with points and rules, and the
    grade thresholds. The default scheme (year null) is the template shipped from methods.md
    §3; a year's scheme is copied from it, edited as a draft and frozen when used."""

    year = models.PositiveSmallIntegerField(_("考核年度"), null=True, blank=True)
    series = models.CharField(_("考核序列"), max_length=16, choices=Series.choices)
    title = models.CharField(_("方案名称"), max_length=255)
    status = models.CharField(
        _("状态"), max_length=16, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT
    )
    is_default = models.BooleanField(default=False)
    # [["excellent", 90], ["good", 80], ["fair", 60]] from the top; below the last: poor
    grades = models.JSONField(default=list)
    bonus_cap = models.FloatField(_("加分上限"), default=5.0)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    frozen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "series", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["series"],
                condition=models.Q(is_default=True),
                name="scheme_one_default_per_series",
            )
        ]
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")

    def __str__(self) -> str:
        return self.title

    @property
    def is_frozen(self) -> bool:
        return self.status == SchemeStatus.FROZEN

    @property
    def total_points(self) -> float:
        return sum(i.points for i in self.items.all())


class SchemeItem(models.Model):
    """An item of a scheme: its points, its rule (with the rule's parameters) and the data
    it is scored from."""

    scheme = models.ForeignKey(AssessmentScheme, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("编码"), max_length=32)
    name = models.CharField(_("考核项目"), max_length=255)
    points = models.FloatField(_("分值"))
    rule = models.CharField(_("计分规则"), max_length=16, choices=Rule.choices)
    # e.g. {"late_factor": 0.8}, {"per_case": 2}, {"per_missing": 10, "per_empty": 5}
    params = models.JSONField(default=dict, blank=True)
    source = models.CharField(_("数据来源"), max_length=255, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["scheme", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="schemeitem_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


# ---------------------------------------------------------------- 绩效考核 results


class ResultStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REVIEWED = "reviewed", _("已审核")
    PUBLISHED = "published", _("已发布")


class ResultEdition(models.Model):
    """One computation of a frozen scheme over its series' units (optionally the units of
    one zone) as of a date: drafted, reviewed, then published and frozen with the inputs it
    used. A recomputation is a new edition (``corrects`` the one it replaces)."""

    scheme = models.ForeignKey(AssessmentScheme, on_delete=models.PROTECT, related_name="editions")
    zone = models.ForeignKey(
        "orgunits.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField(_("版次"))
    status = models.CharField(
        _("状态"), max_length=16, choices=ResultStatus.choices, default=ResultStatus.DRAFT
    )
    as_of = models.DateField(_("数据截止日期"))
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    reason = models.TextField(_("重算说明"), blank=True)
    # the scheme's items and grades, the adjustments and the counts of records used
    inputs = models.JSONField(default=dict)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    computed_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["scheme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="resultedition_number_once")
        ]
        verbose_name = _("考核结果版次")
        verbose_name_plural = _("考核结果版次")

    def __str__(self) -> str:
        return f"{self.scheme} 第{self.number}版"

    @property
    def is_published(self) -> bool:
        return self.status == ResultStatus.PUBLISHED


class UnitScore(models.Model):
    """A unit's result in one edition: total, grade and rank within the series."""

    edition = models.ForeignKey(ResultEdition, on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    total = models.FloatField(_("总分"))
    grade = models.CharField(_("等次"), max_length=16)
    rank = models.PositiveIntegerField(_("排名"))
    vetoed = models.BooleanField(default=False)
    veto_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["edition", "rank", "unit__sort_order", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "unit"], name="unitscore_unit_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.total:.2f}"


class ItemPoints(models.Model):
    """The points of one scheme item for one unit; its lines add up to them."""

    score = models.ForeignKey(UnitScore, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(max_length=32)
    name = models.CharField(max_length=255)
    max_points = models.FloatField()
    points = models.FloatField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["score", "position", "id"]

    def __str__(self) -> str:
        return f"{self.code}: {self.points:.2f}"


class ScoreLine(models.Model):
    """A record's contribution to an item (得分反查): this task, this late report, this red
    case, with a link to it. ``base`` lines carry the points a deduction item starts from."""

    item = models.ForeignKey(ItemPoints, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=32)
    ref = models.CharField(max_length=64, blank=True)
    label = models.CharField(max_length=255, blank=True)
    points = models.FloatField()
    url = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["item", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.ref}: {self.points:.2f}"


class AdjustmentKind(models.TextChoices):
    BONUS = "bonus", _("加分")
    DEDUCTION = "deduction", _("扣分")
    VETO = "veto", _("一票否决")


class Adjustment(models.Model):
    """A bonus, deduction or 一票否决 entered by hand with its evidence (text or a file) for
    a unit under a scheme; every edition computed afterwards applies it."""

    scheme = models.ForeignKey(
        AssessmentScheme, on_delete=models.PROTECT, related_name="adjustments"
    )
    entered_on = models.ForeignKey(
        ResultEdition, on_delete=models.PROTECT, related_name="adjustments_entered"
    )
    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=16, choices=AdjustmentKind.choices)
    points = models.FloatField(_("分值"), default=0)
    reason = models.TextField(_("事由"))
    evidence_text = models.TextField(_("佐证说明"), blank=True)
    evidence_file = models.FileField(_("佐证文件"), upload_to="assessment/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scheme", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.points}"


class Objection(models.Model):
    """A unit's 申诉 against an unpublished edition, with the planner's answer."""

    edition = models.ForeignKey(ResultEdition, on_delete=models.PROTECT, related_name="objections")
    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("申诉理由"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField()
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["edition", "id"]

    def __str__(self) -> str:
        return f"申诉 #{self.pk}"
