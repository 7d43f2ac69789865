from django.db import models
from django.utils.translation import gettext_lazy as _


class NodeKind(models.TextChoices):
    PART = "part", _("篇")
    CHAPTER = "chapter", _("章")
    SECTION = "section", _("节")
    HEADING = "heading", _("标题")
    ITEM = "item", _("条目")
    PROVISION = "provision", _("条款")
    PARAGRAPH = "paragraph", _("段落")
    BOX = "box", _("专栏")
    BOX_ITEM = "box_item", _("专栏条目")
    TABLE = "table", _("表格")
    FIGURE = "figure", _("图")


class QuantityRole(models.TextChoices):
    TARGET = "target", _("目标")
    BASELINE = "baseline", _("基数")
    # A quantified goal stated outside the goal sections: in an action paragraph, a 专栏 item
    # or a report's 重点工作 (`…规模控制在10万亩以内`); kept apart from the plan's 目标.
    ACTION_TARGET = "action_target", _("任务目标")


class IngestJobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("解析中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class PlanStatus(models.TextChoices):
    """Whether a plan is public: an upload is a draft until a planner publishes it; a
    published plan can be withdrawn (unpublished) with a reason."""

    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    UNPUBLISHED = "unpublished", _("已撤回")
