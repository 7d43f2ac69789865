"""Small factories for the plan → task → report graph: a slice of the OrgUnit tree and a 川南
plan with chapters, provisions and a 专栏. The units carry the codes of the reference data
(and of tests/factories/personas.py), so the named personas sit on this slice."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.choices import NodeKind
from planwatch.plans.models import Plan
from planwatch.reports.evidence import evidence_add
from planwatch.reports.models import ProgressReport
from planwatch.reports.services import (
    progress_report_start,
    progress_report_submit,
    progress_report_update,
)
from planwatch.tasks.models import AnnualList, Task
from planwatch.tasks.services import (
    annual_list_issue,
    task_drafts_generate,
    task_update,
)
from tests.factories.plans import build_plan

# code → (short name, official name), as in planwatch/orgunits/data/departments.csv
DEPARTMENTS = {
    "dept:ndrc": ("省发展改革委", "四川省发展和改革委员会"),
    "dept:transport": ("省交通运输厅", "四川省交通运输厅"),
    "dept:ecology": ("省生态环境厅", "四川省生态环境厅"),
    "dept:industry": ("省经济和信息化厅", "四川省经济和信息化厅"),
    "dept:science": ("省科技厅", "四川省科学技术厅"),
}


def unit(
    code: str, name: str, kind: str, parent: OrgUnit | None, short: str = "", adcode: str = ""
) -> OrgUnit:
    path = f"{parent.path if parent else '/'}{code}/"
    return OrgUnit.objects.create(
        code=code,
        name=name,
        short_name=short,
        kind=kind,
        adcode=adcode or None,
        parent=parent,
        path=path,
    )


@dataclass
class Units:
    province: OrgUnit
    chuannan: OrgUnit
    panxi: OrgUnit
    yibin: OrgUnit
    luzhou: OrgUnit
    cuiping: OrgUnit
    panzhihua: OrgUnit
    ndrc: OrgUnit
    transport: OrgUnit
    ecology: OrgUnit


def make_units() -> Units:
    sc = unit("510000", "四川省", OrgUnitKind.PROVINCE, None, "四川", "510000")
    cn = unit("zone:south-sichuan", "川南经济区", OrgUnitKind.ZONE, sc, "川南")
    px = unit("zone:panxi", "攀西经济区", OrgUnitKind.ZONE, sc, "攀西")
    yb = unit("511500", "宜宾市", OrgUnitKind.PREFECTURE, cn, "宜宾", "511500")
    lz = unit("510500", "泸州市", OrgUnitKind.PREFECTURE, cn, "泸州", "510500")
    cp = unit("511502", "翠屏区", OrgUnitKind.COUNTY, yb, "翠屏", "511502")
    pz = unit("510400", "攀枝花市", OrgUnitKind.PREFECTURE, px, "攀枝花", "510400")
    depts = {
        code: unit(code, name, OrgUnitKind.DEPARTMENT, sc, short)
        for code, (short, name) in DEPARTMENTS.items()
    }
    return Units(
        province=sc,
        chuannan=cn,
        panxi=px,
        yibin=yb,
        luzhou=lz,
        cuiping=cp,
        panzhihua=pz,
        ndrc=depts["dept:ndrc"],
        transport=depts["dept:transport"],
        ecology=depts["dept:ecology"],
    )


def make_plan(units: Units, *, slug: str = "chuannan", zone: OrgUnit | None = None) -> Plan:
    """A small 川南 plan, built with the one plan builder (tests/factories/plans.py): a
    general-requirements chapter (a principle and a goal provision, which are not tasks), a
    transport chapter (one provision naming 翠屏区), an ecology chapter (a provision naming no
    place, and a 专栏 with one item), a chapter on mechanisms whose subject matches no
    department, and the safeguards chapter (not tasks either)."""
    return build_plan(
        f"{slug}经济区“十四五”发展规划",
        slug,
        [
            ("c2", NodeKind.CHAPTER, "第二章 总体要求", ""),
            ("c2.s2", NodeKind.SECTION, "第二节 基本原则", ""),
            ("c2.s2.p1", NodeKind.PROVISION, "区域协同、一体发展。", "坚持一盘棋思维。"),
            ("c2.s4", NodeKind.SECTION, "第四节 发展目标", "到2025年，一体化水平提升。"),
            ("c2.s4.p1", NodeKind.PROVISION, "经济总量迈上万亿级台阶。", "到2025年达到1.1万亿元。"),
            ("c3", NodeKind.CHAPTER, "第三章 构建现代综合交通运输体系", ""),
            ("c3.p1", NodeKind.PROVISION, "建设川南城际铁路网。", "推进宜宾至泸州城际铁路建设。"),
            ("c5", NodeKind.CHAPTER, "第五章 推动生态环境共保共治", ""),
            ("c5.p1", NodeKind.PROVISION, "加强长江生态保护。", "共同实施长江干流生态修复。"),
            ("c5.b1", NodeKind.BOX, "专栏 1 生态保护重点工程", ""),
            ("c5.b1.i1", NodeKind.BOX_ITEM, "赤水河流域生态修复工程", "赤水河流域综合治理。"),
            ("c9", NodeKind.CHAPTER, "第九章 健全一体化发展体制机制", ""),
            ("c9.x1", NodeKind.PARAGRAPH, "", "破除行政壁垒。"),
            ("c9.p1", NodeKind.PROVISION, "健全协作机制。", "建立联席会议制度。"),
            ("c10", NodeKind.CHAPTER, "第十章 保障措施", ""),
            ("c10.p1", NodeKind.PROVISION, "加强组织领导。", "建立年度重点任务清单制度。"),
        ],
        zone=zone or units.chuannan,
        # 攀枝花 is named too, but is not in 川南
        places={"c3.p1": [units.cuiping, units.panzhihua]},
        cities=["宜宾", "泸州"],
        index=False,
    ).plan


def complete_tasks(annual_list: AnnualList, actor: Any, units: Units) -> list[Task]:
    """Give every task of the list what the completeness check asks for."""
    tasks = list(annual_list.tasks.order_by("seq"))
    for t in tasks:
        task_update(
            task=t,
            actor=actor,
            changes={
                "criterion": f"完成{t.title}年度目标",
                "lead_unit": t.lead_unit or units.ndrc,
                "responsible_units": [units.yibin, units.luzhou],
                "deadline": date(annual_list.year, 12, 31),
            },
        )
    return tasks


def issued_list(plan: Plan, planner: Any, units: Units, year: int = 2024) -> AnnualList:
    result = task_drafts_generate(plan=plan, year=year, actor=planner)
    complete_tasks(result.annual_list, planner, units)
    annual_list_issue(annual_list=result.annual_list, actor=planner)
    result.annual_list.refresh_from_db()
    return result.annual_list


def report_filed(
    task: Task,
    unit: Any,
    actor: Any,
    completion: int,
    *,
    start: date = date(2024, 1, 1),
    narrative: str = "按计划推进",
    evidence: bytes | None = None,
    submit: bool = True,
    submitted_at: datetime | None = None,
) -> ProgressReport:
    """A report as its unit's reporter files it through the services: opened for the period
    beginning `start`, filled in, with an optional evidence file, and submitted (at
    `submitted_at`, default now) unless `submit` is false."""
    report = progress_report_start(task=task, unit=unit, period_start=start, actor=actor)
    report = progress_report_update(
        report=report,
        actor=actor,
        version=report.version,
        completion=completion,
        progress_status="in_progress",
        narrative=narrative,
    )
    if evidence is not None:
        evidence_add(report=report, actor=actor, name="证明.pdf", content=io.BytesIO(evidence))
    if submit:
        report = progress_report_submit(report=report, actor=actor, now=submitted_at)
    return report


def demo_mark(obj: Any) -> None:
    """Mark `obj` as demonstration data, as `planwatch demo` marks what it creates."""
    from django.contrib.contenttypes.models import ContentType

    from planwatch.core.models import DemoMarker

    ct = ContentType.objects.get_for_model(type(obj))
    DemoMarker.objects.create(content_type=ct, object_id=obj.pk)
