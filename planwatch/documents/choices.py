from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    ANNUAL = "annual", _("年度监测报告")
    MIDTERM = "midterm", _("中期评估报告")
    FINAL = "final", _("总结评估报告")
    BULLETIN = "bulletin", _("季度通报")
    TASK_LIST = "task_list", _("年度重点任务清单印发通知")
    SUPERVISION = "supervision", _("督办通知单")
    MINUTES = "minutes", _("联席会议纪要")


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REVIEWED = "reviewed", _("已审核")
    ISSUED = "issued", _("已印发")


# Report kinds (evaluation reports) and the kinds that need a plan.
REPORT_KINDS = (DocumentKind.ANNUAL, DocumentKind.MIDTERM, DocumentKind.FINAL)
