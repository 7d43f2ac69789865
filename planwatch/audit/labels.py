"""Chinese names of audit actions and target types for the audit page. An action without a
name here is shown by its code; apps add theirs by extending these mappings — and must:
tests/audit/test_labels.py fails on any action the code writes that has no name here."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, Promise] = {
    "user.create": _("新建用户"),
    "user.activate": _("启用账号"),
    "user.deactivate": _("停用账号"),
    "user.password_change": _("修改密码"),
    "user.password_reset": _("重置密码"),
    "user.admin_change": _("后台修改用户"),
    "user.set_superuser": _("设为超级管理员"),
    "membership.grant": _("授予角色"),
    "membership.revoke": _("撤销角色"),
    "orgunit.load_reference": _("导入组织单位"),
    "plan.ingest": _("导入规划"),
    "plan.publish": _("发布规划"),
    "plan.unpublish": _("撤回发布规划"),
    "plan.delete": _("删除规划"),
    "api_token.create": _("创建接口令牌"),
    "api_token.revoke": _("吊销接口令牌"),
    "task.create": _("新建任务"),
    "task.update": _("修改任务"),
    "task.delete": _("删除任务"),
    "task.complete": _("完成任务"),
    "task.drafts_generate": _("生成任务草稿"),
    "annual_list.create": _("新建年度清单"),
    "annual_list.import": _("导入年度清单"),
    "annual_list.set_frequency": _("设置报送频次"),
    "annual_list.issue": _("下达年度清单"),
    "annual_list.reopen": _("修订年度清单"),
    "orgunit.update": _("修改组织单位"),
    "evidence.add": _("上传佐证材料"),
    "evidence.remove": _("删除佐证材料"),
    "progress_report.create": _("新建进展报告"),
    "progress_report.update": _("修改进展报告"),
    "progress_report.submitted": _("报送进展报告"),
    "progress_report.unit_approved": _("单位审核进展报告"),
    "progress_report.accepted": _("采纳进展报告"),
    "progress_report.returned": _("退回进展报告"),
    "progress_report.correct": _("更正进展报告"),
    "progress_report.withdraw": _("撤回进展报告"),
    # the generic name of the same step (submitted → draft); written as .withdraw
    "progress_report.draft": _("撤回进展报告"),
    "supervise.run": _("每日督办检查"),
    "case.open": _("督办立项"),
    "case.assigned": _("督办交办"),
    "case.acknowledged": _("督办签收"),
    "case.in_progress": _("督办办理"),
    "case.feedback": _("督办反馈"),
    "case.reviewed": _("督办复核"),
    "case.closed": _("督办办结销号"),
    "case.escalate": _("督办升级"),
    "notification.read": _("通知已读"),
    "notification.read_all": _("通知全部已读"),
    "demo.load": _("加载演示数据"),
    "demo.clear": _("清除演示数据"),
    "demo.supervise": _("演示数据灯号计算"),
    "indicator.drafts_generate": _("生成指标草稿"),
    "indicator.update": _("修改监测指标"),
    "indicator.merge": _("合并重复指标"),
    "indicator.confirm": _("确认监测指标"),
    "indicator.target_set": _("分解指标目标"),
    "indicator.benchmark_set": _("设置指标对比基准"),
    "indicator.warning": _("指标预警督办"),
    "indicator_method.confirm": _("确认评估方法"),
    "observation.create": _("填报监测数据"),
    "observation.import": _("导入监测数据"),
    "observation.verify": _("审核监测数据"),
    "project.drafts_generate": _("生成项目草稿"),
    "project.create": _("新建重大项目"),
    "project.update": _("修改重大项目"),
    "project.confirm": _("确认重大项目"),
    "project.discard": _("舍弃重大项目"),
    "project.merge": _("合并重复项目"),
    "project.segment_set": _("设置项目分段"),
    "project.annual_plan_set": _("设置年度投资计划"),
    "project.warning": _("项目红灯督办"),
    "project.issue_escalate": _("协调事项督办"),
    "monthly_report.create": _("新建调度报告"),
    "monthly_report.update": _("修改调度报告"),
    "monthly_report.submitted": _("报送调度报告"),
    "monthly_report.unit_approved": _("单位审核调度报告"),
    "monthly_report.accepted": _("采纳调度报告"),
    "monthly_report.returned": _("退回调度报告"),
    "monthly_report.withdraw": _("撤回调度报告"),
    "monthly_report.draft": _("撤回调度报告"),
    "monthly_report.import": _("导入月度调度表"),
    "project.import": _("导入省重点项目名单"),
    "project_list.compute": _("计算红黑榜"),
    "project_list.publish": _("发布红黑榜"),
    "project_list.correct": _("更正红黑榜"),
    "project.lights_run": _("项目灯号计算"),
    "monthly_evidence.add": _("上传调度报告佐证材料"),
    "monthly_evidence.remove": _("删除调度报告佐证材料"),
}

TARGET_TYPE_LABELS: dict[str, Promise] = {
    "user": _("用户"),
    "membership": _("角色授权"),
    "orgunit": _("组织单位"),
    "plan": _("规划"),
    "task": _("任务"),
    "annual_list": _("年度清单"),
    "evidence": _("佐证材料"),
    "api_token": _("接口令牌"),
}


def action_label(code: str) -> str:
    label = ACTION_LABELS.get(code)
    return _("%(label)s（%(code)s）") % {"label": label, "code": code} if label else code


def target_type_label(code: str) -> str:
    label = TARGET_TYPE_LABELS.get(code)
    return str(label) if label else code
