"""Plans as ingested: the source document kept byte for byte, one version per plan per
document, the node tree in the plan's own words, and what was extracted from it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from planwatch.plans.choices import IngestJobStatus, NodeKind, PlanStatus, QuantityRole


class SourceDocument(models.Model):
    """A file as uploaded or ingested (e.g. the PDF text of 川府发〔2021〕7 号), identified by
    the sha256 of its bytes. The bytes are kept so that nothing accepted is ever lost and any
    version can be parsed again."""

    sha256 = models.CharField(max_length=64, unique=True)
    name = models.CharField(_("文件名"), max_length=255)
    format = models.CharField(_("格式"), max_length=16)
    encoding = models.CharField(_("编码"), max_length=32, blank=True)
    chars = models.PositiveIntegerField(default=0)
    pages = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    content = models.BinaryField()
    warnings = models.JSONField(default=list, blank=True)
    ingested_at = models.DateTimeField(auto_now_add=True)
    ingested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("规划文件")
        verbose_name_plural = _("规划文件")

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    """A plan as a lasting thing (成都平原经济区“十四五”一体化发展规划), across its versions."""

    title = models.CharField(_("规划名称"), max_length=255, unique=True)
    slug = models.SlugField(max_length=64, unique=True)
    sort_order = models.PositiveIntegerField(default=0)
    # The zone the plan is for, when it is a zone plan; scopes planners and leaders.
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("所属区域"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plans",
    )
    current_version = models.ForeignKey(
        "PlanVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Public only once published (decision record 0017); drafts and withdrawn plans are read
    # by planners alone.
    status = models.CharField(
        _("发布状态"),
        max_length=16,
        choices=PlanStatus.choices,
        default=PlanStatus.DRAFT,
        db_index=True,
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Why it was withdrawn (also in the audit log), shown to planners on the plan page.
    unpublished_reason = models.TextField(_("撤回原因"), blank=True)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("规划")
        verbose_name_plural = _("规划")

    def __str__(self) -> str:
        return self.title


class PlanVersion(models.Model):
    """One plan as found in one document (a document may hold several plans)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    document = models.ForeignKey(SourceDocument, on_delete=models.PROTECT, related_name="versions")
    index_in_document = models.PositiveSmallIntegerField(default=0)
    number = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("标题"), max_length=255)
    line = models.PositiveIntegerField()
    page = models.PositiveIntegerField(null=True, blank=True)
    cities = models.JSONField(_("覆盖市州"), default=list, blank=True)
    # What changed against the previous version: {"added": [...], "removed": [...],
    # "changed": [...]} of node keys and titles; empty for a first version.
    diff = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="planversion_plan_number"),
            models.UniqueConstraint(
                fields=["document", "index_in_document"], name="planversion_document_index"
            ),
        ]
        verbose_name = _("规划版本")
        verbose_name_plural = _("规划版本")

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"


class Node(models.Model):
    """One element of a plan's body — a 篇, 章, 节, provision, paragraph, 专栏, 专栏 item, table
    or figure — in the plan's own words, grounded to its input lines and printed page."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    # Document order within the version (0, 1, 2 …, depth-first).
    seq = models.PositiveIntegerField()
    # Position key that survives re-ingest of a revised document ("c3.s2.p4", "c3.s2.b1.i2");
    # used for version diffs and for links that should keep working across versions.
    key = models.CharField(max_length=64)
    kind = models.CharField(_("类型"), max_length=16, choices=NodeKind.choices, db_index=True)
    number = models.IntegerField(null=True, blank=True)
    label = models.CharField(max_length=32, blank=True)
    title = models.TextField(_("标题"), blank=True)
    text = models.TextField(_("正文"), blank=True)
    level = models.PositiveSmallIntegerField()
    line = models.PositiveIntegerField()
    end_line = models.PositiveIntegerField()
    page = models.PositiveIntegerField(null=True, blank=True)
    projects = models.JSONField(default=list, blank=True)
    rows = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["version", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["version", "seq"], name="node_version_seq"),
        ]
        indexes = [models.Index(fields=["version", "key"])]
        verbose_name = _("规划条目")
        verbose_name_plural = _("规划条目")

    def __str__(self) -> str:
        return f"{self.label or ''} {self.title}".strip() or self.text[:40]


class Quantity(models.Model):
    """A target (目标) or baseline (基数) stated by a plan, e.g. 常住人口城镇化率超过 70%."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="quantities")
    node = models.ForeignKey(
        Node, null=True, blank=True, on_delete=models.SET_NULL, related_name="quantities"
    )
    role = models.CharField(max_length=16, choices=QuantityRole.choices, db_index=True)
    text = models.TextField()
    indicator = models.CharField(_("指标"), max_length=255)
    value = models.FloatField(null=True, blank=True)
    unit = models.CharField(max_length=32, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    comparator = models.CharField(max_length=4, blank=True)
    kind = models.CharField(max_length=16)
    attribute = models.CharField(max_length=8, blank=True)
    base_value = models.FloatField(null=True, blank=True)
    base_year = models.PositiveSmallIntegerField(null=True, blank=True)
    # What the parser adds (decision 0016): where the quantity was found (goal-section,
    # indicator-table, target-list, action, baseline), the value as printed, the value in
    # its base unit, the comparator's own words and whether the clause states the year.
    origin = models.CharField(max_length=16, blank=True)
    value_text = models.CharField(max_length=64, blank=True)
    normalised_value = models.FloatField(null=True, blank=True)
    normalised_unit = models.CharField(max_length=32, blank=True)
    comparator_text = models.CharField(max_length=32, blank=True)
    year_stated = models.BooleanField(null=True, blank=True)
    line = models.PositiveIntegerField()
    page = models.PositiveIntegerField(null=True, blank=True)
    seq = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["version", "role", "seq"]
        verbose_name = _("目标与基数")
        verbose_name_plural = _("目标与基数")

    def __str__(self) -> str:
        return self.text[:60]


class PlaceMention(models.Model):
    """How often a plan version names a place (a 市州, 县, region or a place outside
    Sichuan), as the parser counted it for the whole plan."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="places")
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=64)
    adcode = models.CharField(max_length=12, blank=True)
    level = models.CharField(max_length=16)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["version", "-count"]
        verbose_name = _("地名提及")
        verbose_name_plural = _("地名提及")

    def __str__(self) -> str:
        return f"{self.name} ×{self.count}"


class NodePlace(models.Model):
    """That a node names an organisation unit's territory — the basis of the page listing
    every mention of, say, 宜宾 across all plans."""

    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="place_links")
    org_unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.CASCADE, related_name="+")
    count = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["node", "org_unit"], name="nodeplace_node_unit"),
        ]
        indexes = [models.Index(fields=["org_unit", "node"])]


class IngestJob(models.Model):
    """An uploaded file waiting for, undergoing or done with its ingest on the job queue
    (planwatch/plans/ingest_jobs.py). The bytes are kept until the ingest has stored them in
    a SourceDocument, so an upload accepted is never lost: a failed job keeps them for a
    retry. `outcome` is what the upload page shows of a finished ingest."""

    name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(default=0)
    content = models.BinaryField(blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=IngestJobStatus.choices, default=IngestJobStatus.QUEUED
    )
    outcome = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    document = models.ForeignKey(
        SourceDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # The worker running the job (host:pid) and when it last said it still was: a job whose
    # worker died is found at once by the next worker to start, or by its stale heartbeat.
    worker = models.CharField(max_length=128, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"

    @property
    def pending(self) -> bool:
        return self.status in (IngestJobStatus.QUEUED, IngestJobStatus.RUNNING)
