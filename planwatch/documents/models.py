"""Official documents (公文) planwatch produces: evaluation reports, quarterly 通报, the issued
key-task list with its cover notice, 督办通知单. A document is drafted from stored data,
reviewed, and issued with its 文号; once issued it is frozen — its DOCX stored with the
sha256 of its bytes and the data snapshot it was drawn from — and a reissue is a new
edition, never an edit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from planwatch.documents.choices import DocumentKind, DocumentStatus


class Document(models.Model):
    """One edition of an official document, e.g. 川南经济区2024年度规划实施监测报告 issued as
    川发改〔2025〕3号. `snapshot` holds the document as data (版头, blocks, and for every
    figure the query and the record ids it came from); the DOCX is rendered from it and the
    written passages (`texts`), so the same snapshot always gives the same document."""

    kind = models.CharField(_("文种"), max_length=16, choices=DocumentKind.choices)
    plan = models.ForeignKey(
        "plans.Plan", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    zone = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.ForeignKey(
        "supervision.SupervisionCase",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    meeting = models.ForeignKey(
        "documents.JointMeeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="minutes",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"), null=True, blank=True)
    title = models.CharField(_("标题"), max_length=255)
    status = models.CharField(
        _("状态"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    number = models.CharField(_("文号"), max_length=64, blank=True)
    authorities = models.JSONField(_("发文机关"), default=list)
    cc = models.CharField(_("抄送"), max_length=500, blank=True)
    edition = models.PositiveIntegerField(_("版次"), default=1)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reissues"
    )
    snapshot = models.JSONField(default=dict)
    texts = models.JSONField(_("撰写内容"), default=dict, blank=True)
    file = models.FileField(upload_to="documents/%Y/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"],
                condition=Q(status="issued") & ~Q(number=""),
                name="document_number_once",
            )
        ]
        verbose_name = _("公文")
        verbose_name_plural = _("公文")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.pk])

    @property
    def is_frozen(self) -> bool:
        return self.status == DocumentStatus.ISSUED


class CoIssuer(models.Model):
    """An issuing authority of a joint document (联合行文 / 联合通报) besides the drafting one,
    e.g. 四川省交通运输厅 on a 通报 issued with 省发展改革委. Each co-issuer approves (会签)
    before the document is issued; its name follows the drafter's on the 版头 and 署名."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="co_issuers")
    unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("联合发文机关"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(default=1)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["document", "position"]
        constraints = [models.UniqueConstraint(fields=["document", "unit"], name="coissuer_once")]
        verbose_name = _("联合发文机关")
        verbose_name_plural = _("联合发文机关")

    def __str__(self) -> str:
        return f"{self.document_id} {self.unit_id}"


class JointMeeting(models.Model):
    """A session of a zone's 联席会议, e.g. 川南经济区联席会议第三次会议 held in 泸州 (the host
    city rotates): who attended, the agenda, the documents it considered, and its decisions
    (议定事项), each tracked until done. The 纪要 is drafted from this record."""

    zone = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("经济区"), on_delete=models.PROTECT, related_name="+"
    )
    plan = models.ForeignKey(
        "plans.Plan", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    session = models.PositiveIntegerField(_("届次"))
    held_on = models.DateField(_("召开日期"))
    host = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("承办城市"), on_delete=models.PROTECT, related_name="+"
    )
    members = models.ManyToManyField(
        "orgunits.OrgUnit", verbose_name=_("成员单位"), related_name="+"
    )
    agenda = models.TextField(_("议程"))
    considered = models.ManyToManyField(
        Document, verbose_name=_("审议文件"), blank=True, related_name="meetings"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["zone", "-session"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "session"], name="jointmeeting_session_once")
        ]
        verbose_name = _("联席会议")
        verbose_name_plural = _("联席会议")

    def __str__(self) -> str:
        return str(_("%(z)s联席会议第%(n)d次会议") % {"z": self.zone.name, "n": self.session})

    def get_absolute_url(self) -> str:
        return reverse("documents:meeting", args=[self.pk])


class MeetingDecision(models.Model):
    """A decision (议定事项) of a joint meeting: what is to be done, by which lead unit, by
    when. Supervised like a 督办 case: once its deadline passes undone its light turns red
    and a case is opened on it; its progress is reported back at the next meeting."""

    meeting = models.ForeignKey(JointMeeting, on_delete=models.CASCADE, related_name="decisions")
    seq = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("议定事项"))
    lead_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("完成时限"))
    progress = models.TextField(_("落实情况"), blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    light = models.CharField(_("灯号"), max_length=8, default="green")
    case = models.ForeignKey(
        "supervision.SupervisionCase",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["meeting", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "seq"], name="meetingdecision_seq_once")
        ]
        verbose_name = _("议定事项")
        verbose_name_plural = _("议定事项")

    def __str__(self) -> str:
        return str(_("%(m)s议定事项%(n)d") % {"m": self.meeting, "n": self.seq})

    def get_absolute_url(self) -> str:
        return reverse("documents:meeting", args=[self.meeting_id]) + f"#decision-{self.pk}"
