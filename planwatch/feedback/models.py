"""Messages (留言) citizens leave on a published plan, task or project, the answers of the
responsible units, the follow-up calls (回访) after a 差评, and the sensitive-word list the
moderators are warned by (decision record 0024)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from planwatch.feedback.choices import (
    AppealStatus,
    ContactKind,
    MessageKind,
    MessageStatus,
    Rating,
    RejectReason,
    SubjectKind,
)

TITLE_MAX = 60
BODY_MAX = 1000


class SensitiveWord(models.Model):
    """A word or phrase that flags a message in the moderation queue (it is never dropped
    silently: a moderator decides). Data, edited by administrators on a page."""

    word = models.CharField(_("敏感词"), max_length=32, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("word",)
        verbose_name = _("敏感词")
        verbose_name_plural = _("敏感词")

    def __str__(self) -> str:
        return self.word


class Message(models.Model):
    """One citizen's 建议 / 咨询 / 投诉 on a public plan, task or project: shown publicly only
    once a moderator accepted it; then routed to the responsible unit (`unit`), answered by
    one of its staff (`handler`) within `due_on` (working days), and rated by the citizen,
    who follows it with the receipt code only they were given (stored here as a hash)."""

    kind = models.CharField(_("类别"), max_length=16, choices=MessageKind.choices)
    subject_kind = models.CharField(
        pgettext_lazy("feedback", "对象类型"), max_length=16, choices=SubjectKind.choices
    )
    subject_id = models.PositiveBigIntegerField(pgettext_lazy("feedback", "对象"))
    subject_title = models.CharField(_("留言对象"), max_length=255)
    # the plan whose planners moderate (tasks and plans always; projects when drafted from one)
    plan = models.ForeignKey(
        "plans.Plan", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    zone = models.ForeignKey(
        "orgunits.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=TITLE_MAX)
    body = models.TextField(pgettext_lazy("feedback", "内容"), max_length=BODY_MAX)
    digest = models.CharField(max_length=64, db_index=True)  # of the normalised text
    contact = models.CharField(_("联系方式"), max_length=120, blank=True)
    contact_kind = models.CharField(max_length=8, choices=ContactKind.choices, blank=True)
    receipt_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=MessageStatus.choices,
        default=MessageStatus.PENDING,
        db_index=True,
    )
    flagged_words = models.JSONField(_("命中敏感词"), default=list, blank=True)
    created_at = models.DateTimeField(_("留言时间"))
    # moderation
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.CharField(
        pgettext_lazy("feedback", "不通过原因"),
        max_length=16,
        choices=RejectReason.choices,
        blank=True,
    )
    reject_note = models.CharField(_("说明"), max_length=500, blank=True)
    # routing and answer
    unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("办理单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(_("答复时限"), null=True, blank=True)
    due_official = models.BooleanField(default=True)
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    # the 督办 case opened once when the answer was overdue
    overdue_case = models.ForeignKey(
        "supervision.SupervisionCase",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # the citizen's rating of the answer, and the unit's appeal against it
    rating = models.CharField(_("评价"), max_length=16, choices=Rating.choices, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    appeal_status = models.CharField(
        pgettext_lazy("feedback", "申诉"),
        max_length=16,
        choices=AppealStatus.choices,
        blank=True,
        default="",
    )
    appeal_reason = models.TextField(pgettext_lazy("feedback", "申诉理由"), blank=True)
    appeal_note = models.TextField(_("裁定意见"), blank=True)
    appeal_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (
            models.Index(fields=("subject_kind", "subject_id", "status")),
            models.Index(fields=("status", "due_on")),
        )
        constraints = (
            models.CheckConstraint(
                condition=~Q(status__in=("accepted", "answered")) | Q(unit__isnull=False),
                name="message_routed_when_accepted",
            ),
        )
        verbose_name = _("留言")
        verbose_name_plural = _("留言")

    def __str__(self) -> str:
        return f"留言 #{self.pk} {self.title}"

    def get_absolute_url(self) -> str:
        """The staff page of the message (a 督办 case on it links here)."""
        return reverse("feedback:detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status in (MessageStatus.ACCEPTED, MessageStatus.ANSWERED)

    @property
    def bad_rating(self) -> bool:
        return self.rating == Rating.UNSATISFIED


class FollowUp(models.Model):
    """The 回访 of a 差评: who of the unit called the citizen, when, what was said and the
    outcome. Opened empty when the citizen rates the answer 不满意; the unit fills it in."""

    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="follow_up")
    opened_at = models.DateTimeField()
    caller = models.CharField(_("回访人"), max_length=64, blank=True)
    called_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    summary = models.TextField(_("回访情况"), blank=True)
    outcome = models.CharField(_("回访结果"), max_length=255, blank=True)
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("回访记录")
        verbose_name_plural = _("回访记录")

    def __str__(self) -> str:
        return f"回访 {self.message_id}"

    @property
    def done(self) -> bool:
        return self.filled_at is not None
