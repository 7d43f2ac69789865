"""The fixed vocabularies of messages (留言): kinds, states, ratings, reasons for rejection."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MessageKind(models.TextChoices):
    SUGGESTION = "suggestion", _("建议")
    QUESTION = "question", _("咨询")
    COMPLAINT = "complaint", _("投诉")


class SubjectKind(models.TextChoices):
    PLAN = "plan", _("规划")
    TASK = "task", _("重点任务")
    PROJECT = "project", _("重大项目")


class MessageStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("feedback", "待审核")
    REJECTED = "rejected", _("未通过审核")
    ACCEPTED = "accepted", _("办理中")
    ANSWERED = "answered", _("已答复")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class RejectReason(models.TextChoices):
    OFF_TOPIC = "off_topic", _("与规划实施无关")
    ABUSIVE = "abusive", _("含有辱骂、攻击等不当内容")
    PRIVACY = "privacy", _("含有他人个人信息")
    ADVERTISING = "advertising", _("广告或垃圾信息")
    UNCLEAR = "unclear", _("内容不清，无法办理")
    OTHER = "other", _("其他")


class AppealStatus(models.TextChoices):
    NONE = "", _("无")
    PENDING = "pending", _("待裁定")
    UPHELD = "upheld", _("申诉成立（评价不计）")
    DISMISSED = "dismissed", _("申诉驳回")


class ContactKind(models.TextChoices):
    NONE = "", _("未留")
    PHONE = "phone", _("电话")
    EMAIL = "email", _("电子邮箱")
