"""Evaluation reports (年度监测报告, 中期评估, 总结评估) drafted from stored data in the usual
sections of methods.md §7. Each section reads the domain's own selectors and methods (the
same figures as the pages) and registers every number it prints in `Figures`; passages that
need a person's judgement are placeholders (【待撰写：…】) the planner writes before issuing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone

from planwatch.assessment.models import ResultEdition, ResultStatus, UnitScore
from planwatch.documents import surveys_section
from planwatch.documents.figures import Figures, fmt, pct
from planwatch.indicators import methods as im
from planwatch.indicators.choices import Attribute, IndicatorStatus
from planwatch.indicators.models import ComputedStatus, Indicator, Observation
from planwatch.indicators.services import current_method
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.projects.selectors import ledger, projects_panel
from planwatch.reports.choices import ReportStatus
from planwatch.reports.models import ProgressReport
from planwatch.supervision.choices import CaseStatus, Light
from planwatch.supervision.models import SupervisionCase, TaskLight
from planwatch.tasks.choices import TaskStatus
from planwatch.tasks.models import Task

Block = dict[str, Any]
INDICATOR_HEADER = ["指标", "属性", "基数", "目标", "当年值", "进度", "状态"]
INDICATOR_WIDTHS = [38, 16, 22, 22, 20, 16, 22]
TITLES = {
    "annual": "{zone}{year}年度规划实施监测报告",
    "midterm": "{plan}中期评估报告",
    "final": "{plan}总结评估报告",
}
LIST_NAMES = 8  # tasks or projects named in a sentence before "等"


@dataclass
class Draft:
    """A document drafted as data: its title, addressee, blocks and figures."""

    title: str
    addressee: str
    blocks: list[Block] = field(default_factory=list)
    figures: Figures = field(default_factory=Figures)
    attachments: list[str] = field(default_factory=list)

    def h(self, level: int, text: str) -> None:
        self.blocks.append({"t": "h", "level": level, "text": text})

    def p(self, text: str) -> None:
        self.blocks.append({"t": "p", "text": text})

    def ph(self, key: str, prompt: str) -> None:
        self.blocks.append({"t": "ph", "key": key, "prompt": prompt})


def as_of_for(year: int) -> date:
    """The data cut-off of a year's report: the year's end, or today within the year."""
    return min(timezone.localdate(), date(year, 12, 31))


def names(items: list[str]) -> str:
    shown = "、".join(items[:LIST_NAMES])
    return shown + ("等" if len(items) > LIST_NAMES else "")


# 一、总体情况 -----------------------------------------------------------------------------
def _tasks(plan: Plan, year: int) -> list[Task]:
    return list(
        Task.objects.filter(plan=plan, year=year)
        .exclude(status=TaskStatus.DRAFT)
        .select_related("lead_unit")
        .order_by("seq")
    )


def overview(d: Draft, plan: Plan, zone: OrgUnit, year: int, tasks: list[Task]) -> None:
    f = d.figures
    ids = [t.pk for t in tasks]
    done = [t.pk for t in tasks if t.status == TaskStatus.COMPLETED]
    n_tasks = f.add(
        "年度重点任务数",
        len(ids),
        query=f"tasks.Task plan={plan.pk} year={year} status≠draft",
        records={"tasks.task": ids},
    )
    n_done = f.add(
        "已完成重点任务数",
        len(done),
        query="the same, status=completed",
        records={"tasks.task": done},
    )
    inds = list(
        Indicator.objects.filter(plan=plan, status=IndicatorStatus.CONFIRMED).values_list(
            "pk", flat=True
        )
    )
    n_ind = f.add(
        "纳入监测的指标数",
        len(inds),
        query=f"indicators.Indicator plan={plan.pk} status=confirmed",
        records={"indicators.indicator": inds},
    )
    d.h(1, "总体情况")
    d.p(
        f"{year}年，{zone.name}深入实施《{plan.title}》，列入年度重点任务清单的重点任务"
        f"{n_tasks}项，截至{as_of_for(year):%Y年%-m月%-d日}已完成{n_done}项；纳入动态监测的"
        f"主要目标指标{n_ind}项。"
    )
    d.ph("overview", "规划实施总体评价（总体进展、主要成效）")


# 二、主要目标指标完成情况 ---------------------------------------------------------------------
@dataclass
class IndicatorRow:
    indicator: Indicator
    observation: Observation | None
    status: ComputedStatus | None


def indicator_rows(plan: Plan, zone: OrgUnit, year: int) -> list[IndicatorRow]:
    """Each confirmed indicator of the plan with its verified current value for its place
    (the zone when it names none) in `year`, and that value's status under the method in
    force."""
    version = current_method().version
    inds = list(
        Indicator.objects.filter(plan=plan, status=IndicatorStatus.CONFIRMED).order_by("id")
    )
    obs = {
        (o.indicator_id, o.place_id): o
        for o in Observation.objects.filter(
            indicator__in=inds, year=year, is_current=True, verified_at__isnull=False
        )
    }
    statuses = {
        s.observation_id: s
        for s in ComputedStatus.objects.filter(
            observation__in=[o.pk for o in obs.values()], method_version=version
        )
    }
    rows = []
    for ind in inds:
        o = obs.get((ind.pk, ind.place_id or zone.pk))
        rows.append(IndicatorRow(ind, o, statuses.get(o.pk) if o else None))
    return rows


def _clause(value: float | None, year: int | None, comparator: str = "") -> str:
    if value is None:
        return "—"
    lead = comparator if comparator in ("≤",) else ""
    return f"{lead}{fmt(value)}" + (f"（{year}年）" if year else "")


def _indicator_cells(row: IndicatorRow, f: Figures) -> list[str]:
    ind, o, s = row.indicator, row.observation, row.status
    name = ind.name + (f"（{ind.unit}）" if ind.unit else "")
    records: dict[str, list[int]] = {"indicators.indicator": [ind.pk]}
    if o is not None:
        records["indicators.observation"] = [o.pk]
    if s is not None:
        records["indicators.computedstatus"] = [s.pk]
    base = f.add(
        f"{ind.name} 基数",
        ind.baseline_value,
        query="Indicator.baseline_value/year",
        records={"indicators.indicator": [ind.pk]},
        shown=_clause(ind.baseline_value, ind.baseline_year),
    )
    target = f.add(
        f"{ind.name} 目标",
        ind.target_value,
        query="Indicator.target_value/year",
        records={"indicators.indicator": [ind.pk]},
        shown=_clause(ind.target_value, ind.target_year, ind.comparator),
    )
    value = f.add(
        f"{ind.name} 当年值",
        o.value if o else None,
        query="Observation current, verified, of the indicator's place and year",
        records=records,
    )
    ratio = s.ratio if s is not None else None
    progress = f.add(
        f"{ind.name} 进度",
        ratio,
        query="ComputedStatus.ratio r = (A − B)/(E − B) under the method in force",
        records=records,
        shown=pct(ratio, 0) if ratio is not None else "—",
    )
    status = s.status if s is not None else ("未核算" if o is not None else "暂无数据")
    return [
        name,
        str(Attribute(ind.attribute).label),
        base,
        target,
        value,
        progress,
        f.add(f"{ind.name} 状态", status, query="ComputedStatus.status", records=records),
    ]


def indicators(d: Draft, plan: Plan, zone: OrgUnit, year: int) -> list[IndicatorRow]:
    rows = indicator_rows(plan, zone, year)
    f = d.figures
    d.h(1, "主要目标指标完成情况")
    with_status = [r for r in rows if r.status is not None]
    if not rows:
        d.p("本规划尚未确认纳入监测的主要目标指标。")
        d.ph("indicators", "主要指标完成情况分析（成效与差距的原因）")
        return rows
    counts = Counter(r.status.status for r in with_status if r.status)
    parts = []
    for word in im.STATUSES:
        if counts.get(word):
            ids = [r.status.pk for r in with_status if r.status and r.status.status == word]
            n = f.add(
                f"状态为{word}的指标数",
                counts[word],
                query=f"ComputedStatus.status = {word}",
                records={"indicators.computedstatus": ids},
            )
            parts.append(f"{word}{n}项")
    n_rows = f.add(
        "纳入监测的指标数（表）",
        len(rows),
        query="confirmed indicators of the plan",
        records={"indicators.indicator": [r.indicator.pk for r in rows]},
    )
    n_with = f.add(
        "有当年核实数据的指标数",
        len(with_status),
        query="indicators with a verified current value and its status",
        records={"indicators.computedstatus": [r.status.pk for r in with_status if r.status]},
    )
    summary = "，".join(parts) if parts else "尚无核算状态"
    d.p(
        f"纳入监测的{n_rows}项主要目标指标中，{n_with}项已有{year}年核实数据，其中{summary}"
        f"（状态按方法版本{current_method().version}计算，见表1）。"
    )
    lagging = [r for r in with_status if r.status and r.status.status in im.BEHIND]
    binding = [r.indicator.name for r in lagging if r.indicator.attribute == Attribute.BINDING]
    if lagging:
        d.p(
            f"滞后或未达标的指标：{names([r.indicator.name for r in lagging])}。"
            + (f"其中约束性指标{names(binding)}已发出预警并纳入督办。" if binding else "")
        )
    d.blocks.append(
        {
            "t": "table",
            "caption": f"{zone.name}主要目标指标完成情况（{year}年）",
            "header": INDICATOR_HEADER,
            "rows": [_indicator_cells(r, f) for r in rows],
            "widths": INDICATOR_WIDTHS,
        }
    )
    if counts:
        d.blocks.append(
            {
                "t": "chart",
                "caption": "主要目标指标状态分布",
                "chart": {
                    "kind": "bar",
                    "labels": list(counts),
                    "unit": "项",
                    "series": [{"name": "指标数", "values": list(counts.values())}],
                },
            }
        )
    d.ph("indicators", "主要指标完成情况分析（成效与差距的原因）")
    return rows


# 三、重点任务进展 ---------------------------------------------------------------------------
def tasks_section(d: Draft, plan: Plan, year: int, tasks: list[Task]) -> list[Task]:
    f = d.figures
    d.h(1, "重点任务进展")
    by_status = Counter(t.status for t in tasks)
    parts = [
        f"{TaskStatus(s).label}"
        + f.add(
            f"{TaskStatus(s).label}任务数",
            n,
            query=f"Task.status={s}",
            records={"tasks.task": [t.pk for t in tasks if t.status == s]},
        )
        + "项"
        for s, n in sorted(by_status.items())
    ]
    lights = {tl.task_id: tl for tl in TaskLight.objects.filter(task__in=tasks)}
    light_parts = []
    for colour in Light:
        ids = [k for k, v in lights.items() if v.light == colour]
        if ids:
            n = f.add(
                f"{colour.label}任务数",
                len(ids),
                query=f"TaskLight.light={colour.value}",
                records={"supervision.tasklight": [lights[i].pk for i in ids]},
            )
            light_parts.append(f"{str(colour.label).split('：')[0]}{n}项")
    d.p(
        f"年度重点任务中，{'，'.join(parts) or '暂无任务'}。"
        + (f"按督办灯号，{'，'.join(light_parts)}。" if light_parts else "")
    )
    reports = ProgressReport.objects.filter(task__in=tasks, is_current=True)
    accepted = list(reports.filter(status=ReportStatus.ACCEPTED).values_list("pk", flat=True))
    n_acc = f.add(
        "已采纳的进展报告数",
        len(accepted),
        query="ProgressReport current, accepted",
        records={"reports.progressreport": accepted},
    )
    cases = SupervisionCase.objects.filter(plan=plan, year=year)
    case_ids = list(cases.values_list("pk", flat=True))
    closed = list(cases.filter(status=CaseStatus.CLOSED).values_list("pk", flat=True))
    n_cases = f.add(
        "督办事项数",
        len(case_ids),
        query=f"SupervisionCase plan={plan.pk} year={year}",
        records={"supervision.supervisioncase": case_ids},
    )
    n_closed = f.add(
        "已办结督办事项数",
        len(closed),
        query="the same, status=closed",
        records={"supervision.supervisioncase": closed},
    )
    d.p(
        f"各责任单位报送并经审核采纳的进展报告{n_acc}份；立项督办事项{n_cases}件，已办结"
        f"{n_closed}件。"
    )
    behind = [
        t for t in tasks if t.pk in lights and lights[t.pk].light in (Light.RED, Light.YELLOW)
    ]
    red = [t for t in behind if lights[t.pk].light == Light.RED]
    yellow = [t for t in behind if lights[t.pk].light == Light.YELLOW]
    if red:
        d.p(f"逾期未完成（红灯）的任务：{names([_task_name(t) for t in red])}。")
    if yellow:
        d.p(f"滞后序时进度（黄灯）的任务：{names([_task_name(t) for t in yellow])}。")
    d.ph("tasks", "重点任务进展情况分析（典型做法与成效）")
    return red


def _task_name(t: Task) -> str:
    lead = f"（{t.lead_unit.name}牵头）" if t.lead_unit else ""
    return f"{t.title}{lead}"


# 四、重大项目 ------------------------------------------------------------------------------
def projects_section(d: Draft, zone: OrgUnit, year: int, as_of: date) -> int:
    f = d.figures
    d.h(1, "重大项目")
    panel = projects_panel(user=None, place=zone, year=year, month=as_of.month)
    rows = ledger(user=None, year=year, month=as_of.month, place=zone)
    pids = [r.project.pk for r in rows]
    rec = {"projects.project": pids}
    if not rows:
        d.p("本区域尚无确认的重大项目。")
        return 0
    n = f.add(
        "重大项目数",
        panel.projects,
        query=f"ledger(place={zone.code}, {year}-{as_of.month})",
        records=rec,
    )
    plan_amt = f.add(
        "年度计划投资（万元）",
        float(panel.annual_plan),
        query="sum AnnualInvestmentPlan.amount",
        records=rec,
    )
    ytd = f.add(
        "累计完成投资（万元）",
        float(panel.ytd),
        query="sum latest accepted MonthlyReport.invested_ytd",
        records=rec,
    )
    rate = f.add(
        "投资完成率",
        panel.rate,
        query="完成率 = 累计完成 ÷ 年度计划",
        records=rec,
        shown=pct(panel.rate),
    )
    tp = f.add(
        "时间进度",
        panel.time_progress,
        query=f"months elapsed ÷ 12 ({as_of.month})",
        shown=pct(panel.time_progress),
    )
    d.p(
        f"{zone.name}纳入调度的重大项目{n}个，年度计划投资{plan_amt}万元，截至{as_of.month}月"
        f"累计完成投资{ytd}万元，投资完成率{rate}，时间进度{tp}。"
    )
    half = panel.double_half
    if half is not None:
        inv = f.add(
            "双过半：6月末投资完成率",
            half.investment_rate,
            query="double_half at June",
            records=rec,
            shown=pct(half.investment_rate),
        )
        verdict = "实现" if half.ok else "未实现"
        d.p(
            f"截至6月末投资完成率{inv}，{verdict}“双过半”目标"
            + (
                f"；完成率未过半的项目：{names(list(half.below_half))}。"
                if half.below_half
                else "。"
            )
        )
    red = [r.project.name for r in rows if r.assessment.light == "red"]
    if red:
        d.p(f"投资进度严重滞后（红灯）的项目：{names(red)}。")
    d.blocks.append(
        {
            "t": "table",
            "caption": f"重大项目投资完成情况（截至{year}年{as_of.month}月）",
            "header": ["项目名称", "年度计划（万元）", "累计完成（万元）", "完成率", "灯号"],
            "widths": [60, 26, 26, 22, 22],
            "rows": [
                [
                    r.project.name,
                    f.add(
                        f"{r.project.name} 年度计划",
                        float(r.annual_plan),
                        query="annual plan",
                        records={"projects.project": [r.project.pk]},
                    ),
                    f.add(
                        f"{r.project.name} 累计完成",
                        float(r.ytd),
                        query="YTD accepted",
                        records={"projects.project": [r.project.pk]},
                    ),
                    pct(r.assessment.rate),
                    _light_word(r.assessment.light),
                ]
                for r in rows
            ],
        }
    )
    d.blocks.append(
        {
            "t": "chart",
            "caption": "重大项目分月累计投资（计划与实际，万元）",
            "chart": {
                "kind": "line",
                "unit": "万元",
                "labels": [f"{m}月" for m in range(1, 13)],
                "series": [
                    {"name": "计划", "values": panel.plan_by_month},
                    {"name": "实际", "values": panel.actual_by_month},
                ],
            },
        }
    )
    return len(red)


def _light_word(light: str) -> str:
    return {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}.get(light, light)


# 五、绩效考核 ------------------------------------------------------------------------------
def assessment_section(d: Draft, zone: OrgUnit, year: int) -> None:
    f = d.figures
    d.h(1, "绩效考核结果")
    edition = (
        ResultEdition.objects.filter(status=ResultStatus.PUBLISHED, scheme__year=year)
        .filter(Q(zone=zone) | Q(zone__isnull=True))
        .select_related("scheme")
        .order_by("-published_at", "-id")
        .first()
    )
    if edition is None:
        d.p(f"{year}年度绩效考核结果尚未发布。")
        return
    scores = list(
        UnitScore.objects.filter(edition=edition, unit__path__startswith=zone.path)
        .select_related("unit")
        .order_by("rank")
    ) or list(UnitScore.objects.filter(edition=edition).select_related("unit").order_by("rank"))
    d.p(
        f"依据《{edition.scheme.title}》（第{edition.number}版，数据截至"
        f"{edition.as_of:%Y年%-m月%-d日}），考核结果如表所示。"
    )
    d.blocks.append(
        {
            "t": "table",
            "caption": f"{year}年度绩效考核结果",
            "header": ["排名", "单位", "总分", "等次"],
            "widths": [20, 70, 33, 33],
            "rows": [
                [
                    str(s.rank),
                    s.unit.name,
                    f.add(
                        f"{s.unit.name} 考核总分",
                        s.total,
                        query="UnitScore.total of the published edition",
                        records={"assessment.unitscore": [s.pk]},
                    ),
                    s.grade,
                ]
                for s in scores
            ],
        }
    )


# 六、公众评价 / 七、存在问题 / 八、下一步建议 ----------------------------------------------
def public_section(d: Draft, plan: Plan, zone: OrgUnit, year: int) -> None:
    d.h(1, "公众评价")
    summary = surveys_section.summary(plan=plan, zone=zone, year=year)
    if summary is None:
        d.p("暂无公众评价数据。")
        return
    for text in surveys_section.paragraphs(summary, d.figures):
        d.p(text)


def problems_section(
    d: Draft, rows: list[IndicatorRow], red_tasks: list[Task], red_projects: int
) -> None:
    d.h(1, "存在问题")
    lagging = [r.indicator.name for r in rows if r.status and r.status.status in im.BEHIND]
    facts = []
    if lagging:
        facts.append(f"{len(lagging)}项指标滞后于预期进度")
    if red_tasks:
        facts.append(f"{len(red_tasks)}项重点任务逾期未完成")
    if red_projects:
        facts.append(f"{red_projects}个重大项目投资进度严重滞后")
    if facts:
        d.p("从监测数据看，" + "，".join(facts) + "。")
    d.ph("problems", "存在的主要问题及原因分析")


def next_steps_section(d: Draft, rows: list[IndicatorRow], kind: str) -> None:
    d.h(1, "下一步建议")
    with_status = [r for r in rows if r.status]
    lagging = [r for r in with_status if r.status and r.status.status in im.BEHIND]
    binding = [r for r in lagging if r.indicator.attribute == Attribute.BINDING]
    if with_status and (binding or len(lagging) * 3 >= len(with_status)):
        d.p(
            f"监测显示{len(lagging)}项指标滞后于规划预期路径"
            + (f"（其中约束性指标{len(binding)}项）" if binding else "")
            + "，建议研究是否依法开展规划调整，或调整年度工作计划。"
        )
    elif with_status:
        d.p("主要目标指标总体符合规划预期路径，暂不需要对规划目标进行调整。")
    d.ph("adjustment", "是否需要对规划进行调整的意见（上段由监测数据生成，请核定）")
    d.ph("next_steps", "下一步工作建议")


def evaluation_report(*, kind: str, plan: Plan, year: int) -> Draft:
    """The draft of an annual, mid-term or final report of `plan` for `year`."""
    zone = plan.org_unit
    if zone is None:
        raise ValueError("the plan has no zone")
    title = TITLES[kind].format(zone=zone.name, year=year, plan=plan.title)
    d = Draft(title=title, addressee="省人民政府：")
    as_of = as_of_for(year)
    tasks = _tasks(plan, year)
    overview(d, plan, zone, year, tasks)
    rows = indicators(d, plan, zone, year)
    red_tasks = tasks_section(d, plan, year, tasks)
    red_projects = projects_section(d, zone, year, as_of)
    assessment_section(d, zone, year)
    public_section(d, plan, zone, year)
    problems_section(d, rows, red_tasks, red_projects)
    next_steps_section(d, rows, kind)
    return d
