"""The other documents of the same engine: the quarterly 通报 of a zone, the issued key-task
list with its cover notice (the list as 附件), and the 督办通知单 of a supervision case."""

from __future__ import annotations

from datetime import date, timedelta

from planwatch.documents.figures import pct
from planwatch.documents.meetings import red_decisions
from planwatch.documents.reports import Draft, _task_name, _tasks, names
from planwatch.plans.models import Plan
from planwatch.projects.selectors import projects_panel
from planwatch.supervision.choices import CaseStatus, Light
from planwatch.supervision.models import SupervisionCase, TaskLight
from planwatch.tasks.choices import AnnualListStatus
from planwatch.tasks.models import AnnualList, ListVersion


def quarter_end(year: int, quarter: int) -> date:
    return date(year + (quarter == 4), 1 if quarter == 4 else quarter * 3 + 1, 1) - timedelta(1)


def bulletin(*, plan: Plan, year: int, quarter: int) -> Draft:
    """关于{zone}{year}年第{quarter}季度规划实施进展情况的通报."""
    zone = plan.org_unit
    if zone is None:
        raise ValueError("the plan has no zone")
    cn_q = "一二三四"[quarter - 1]
    d = Draft(
        title=f"关于{zone.name}{year}年第{cn_q}季度规划实施进展情况的通报",
        addressee=f"{zone.name}各市人民政府，省直有关部门：",
    )
    f = d.figures
    end = quarter_end(year, quarter)
    tasks = _tasks(plan, year)
    lights = {tl.task_id: tl for tl in TaskLight.objects.filter(task__in=tasks)}
    d.p(f"现将{zone.name}{year}年第{cn_q}季度《{plan.title}》实施进展情况通报如下。")
    d.h(1, "总体进展")
    parts = []
    for colour in Light:
        ids = [lights[t.pk].pk for t in tasks if t.pk in lights and lights[t.pk].light == colour]
        n = f.add(
            f"{colour.label}任务数",
            len(ids),
            query=f"TaskLight.light={colour.value}",
            records={"supervision.tasklight": ids},
        )
        parts.append(f"{str(colour.label).split('：')[0]}{n}项")
    n_tasks = f.add(
        "年度重点任务数",
        len(tasks),
        query=f"Task plan={plan.pk} year={year}",
        records={"tasks.task": [t.pk for t in tasks]},
    )
    d.p(
        f"年度重点任务{n_tasks}项，按督办灯号：{'，'.join(parts)}（灯号为{end:%Y年%-m月%-d日}"
        "前最近一次计算的结果）。"
    )
    d.h(1, "滞后任务")
    for colour, word in ((Light.RED, "逾期未完成（红灯）"), (Light.YELLOW, "滞后序时进度（黄灯）")):
        named = [_task_name(t) for t in tasks if t.pk in lights and lights[t.pk].light == colour]
        if named:
            d.p(f"{word}的任务：{names(named)}。")
    d.h(1, "重大项目")
    panel = projects_panel(
        user=None, place=zone, year=year, month=end.month if end.year == year else 12
    )
    rate = f.add("投资完成率", panel.rate, query="projects_panel rate", shown=pct(panel.rate))
    n_p = f.add("重大项目数", panel.projects, query="projects_panel projects")
    d.p(
        f"纳入调度的重大项目{n_p}个，截至{end.month}月投资完成率{rate}，时间进度"
        f"{pct(panel.time_progress)}。"
    )
    d.h(1, "督办事项")
    cases = SupervisionCase.objects.filter(plan=plan, year=year).exclude(status=CaseStatus.CLOSED)
    open_ids = list(cases.values_list("pk", flat=True))
    n_open = f.add(
        "未办结督办事项数",
        len(open_ids),
        query="SupervisionCase open",
        records={"supervision.supervisioncase": open_ids},
    )
    d.p(
        f"尚未办结的督办事项{n_open}件：{names([c.title or c.reason[:20] for c in cases])}。"
        if open_ids
        else "本季度督办事项均已办结。"
    )
    d.h(1, "联席会议议定事项落实情况")
    late = red_decisions(zone, end)
    n_late = f.add(
        "逾期未完成的议定事项数",
        len(late),
        query=f"MeetingDecision undone, deadline before {end.isoformat()}",
        records={"documents.meetingdecision": [x.pk for x in late]},
    )
    if late:
        d.p(f"逾期未完成（红灯）的联席会议议定事项{n_late}项：")
        for x in late:
            d.p(
                f"{x.meeting}议定事项{x.seq}：{x.text}（{x.lead_unit.name}牵头，时限"
                f"{x.deadline.year}年{x.deadline.month}月{x.deadline.day}日）。"
            )
    else:
        d.p("联席会议议定事项均按时限推进。")
    d.h(1, "下一步要求")
    d.ph("requirements", "下一步工作要求")
    return d


def latest_list_version(plan: Plan, year: int) -> tuple[AnnualList, ListVersion]:
    alist = AnnualList.objects.filter(plan=plan, year=year).first()
    if alist is None or alist.status == AnnualListStatus.DRAFT:
        raise ValueError("该年度重点任务清单尚未下达。")
    version = alist.versions.order_by("-number").first()
    if version is None:
        raise ValueError("该年度重点任务清单尚未下达。")
    return alist, version


def task_list_notice(*, plan: Plan, year: int) -> Draft:
    """关于印发《…年度重点任务清单》的通知, the issued list (its latest version) as 附件."""
    zone = plan.org_unit
    place = zone.name if zone else "全省"
    alist, version = latest_list_version(plan, year)
    list_title = f"{place}{year}年度重点任务清单"
    d = Draft(
        title=f"关于印发《{list_title}》的通知",
        addressee=f"{place}各市人民政府，省直有关部门：",
        attachments=[list_title],
    )
    n = d.figures.add(
        "清单任务数",
        len(version.snapshot),
        query=f"ListVersion {version.pk}",
        records={"tasks.listversion": [version.pk], "tasks.annuallist": [alist.pk]},
    )
    d.p(
        f"为深入实施《{plan.title}》，现将《{list_title}》（共{n}项任务，第{version.number}版）"
        "印发给你们，请结合实际认真抓好落实。各牵头单位要会同责任单位细化工作措施，按要求报送"
        "进展情况。"
    )
    d.ph("requirements", "工作要求（组织保障、报送时限等）")
    d.blocks.append({"t": "attachment", "label": "附件", "title": list_title})
    rows = []
    for t in version.snapshot:
        deadline = t.get("deadline_text") or t.get("deadline") or ""
        rows.append(
            [
                str(t.get("seq", "")),
                t.get("title", ""),
                t.get("content", ""),
                t.get("lead_unit") or "",
                "、".join(t.get("responsible_units") or []),
                deadline,
            ]
        )
    d.blocks.append(
        {
            "t": "table",
            "caption": list_title,
            "header": ["序号", "重点任务", "具体内容", "牵头单位", "责任单位", "完成时限"],
            "widths": [12, 30, 50, 22, 24, 18],
            "rows": rows,
        }
    )
    return d


def supervision_notice(*, case: SupervisionCase) -> Draft:
    """督办通知单 of one case."""
    unit = case.unit.name if case.unit is not None else ""
    task = case.task.title if case.task is not None else ""
    d = Draft(title="督办通知单", addressee=f"{unit}：" if unit else "")
    d.figures.add(
        "督办事项",
        case.pk,
        query="SupervisionCase",
        records={"supervision.supervisioncase": [case.pk]},
    )
    d.p("经监测，下列事项需你单位抓紧办理，请于反馈时限前报送办理情况。")
    rows = [
        ["督办编号", f"督〔{case.opened_at:%Y}〕{case.pk}号"],
        ["督办事项", case.title or task],
        ["承办单位", unit],
        ["督办事由", case.reason],
        ["灯号", str(Light(case.light).label)],
        ["签收时限", f"{case.ack_due:%Y年%-m月%-d日}" if case.ack_due else "—"],
        ["反馈时限", f"{case.feedback_due:%Y年%-m月%-d日}" if case.feedback_due else "—"],
    ]
    d.blocks.append(
        {
            "t": "table",
            "caption": "督办事项",
            "header": ["项目", "内容"],
            "widths": [36, 120],
            "rows": rows,
        }
    )
    d.ph("requirements", "办理要求")
    return d
