"""Datasets of implementation: the published tasks with their lights and clauses, and the
verified observations of published indicators with their targets and statuses."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time
from typing import Any
from urllib.parse import quote

from django.db.models import Max, QuerySet
from django.urls import reverse

from planwatch.indicators.choices import Attribute, Stage
from planwatch.indicators.models import ComputedStatus, IndicatorTarget, Observation
from planwatch.indicators.services import current_method
from planwatch.portal.opendata.base import Dataset, Row, latest, num
from planwatch.portal.opendata.fields import F
from planwatch.publication import selectors as pub
from planwatch.supervision.choices import Light
from planwatch.supervision.models import TaskLight
from planwatch.tasks.choices import TaskStatus
from planwatch.tasks.models import Task

# ------------------------------------------------------------------------------------ tasks

TASK_FIELDS = (
    F("id", "任务编号", "integer", "任务在本系统中的编号，稳定不变。"),
    F("plan", "规划", "string", "任务所属规划的名称。"),
    F("year", "年度", "integer", "年度重点任务清单的年度。"),
    F("seq", "序号", "integer", "任务在清单中的序号。"),
    F("title", "重点任务", "string", "任务名称。"),
    F("content", "具体内容", "string", "任务的具体内容。"),
    F("lead_units", "牵头单位", "string", "牵头单位（多个以顿号分隔，第一个为主牵头单位）。"),
    F("responsible_units", "责任单位", "string", "责任单位，以顿号分隔。"),
    F("deadline", "完成时限", "date", "完成时限；持续性任务为空，见“持续性时限”。"),
    F("deadline_text", "持续性时限", "string", "长期坚持或持续推进；有具体日期的任务为空。"),
    F("criterion", "完成标准", "string", "可衡量的完成标准。"),
    F("status", "状态", "string", "实施中或已完成。"),
    F(
        "light",
        "灯号",
        "string",
        "绿灯：正常推进；蓝灯：临近时限；黄灯：滞后序时进度；红灯：逾期未完成。",
    ),
    F("progress", "实际进度", "number", "审核通过的进展报告所报完成程度。", "%"),
    F("expected_progress", "序时进度", "number", "按已用时间计算的应完成程度。", "%"),
    F("light_date", "灯号计算日期", "date", "灯号及进度的计算日期。"),
    F("clause", "规划条款", "string", "任务所依据的规划原文条款（段首句或标题）。"),
    F("clause_line", "原文行号", "integer", "该条款在规划原文中的行号。"),
    F("clause_page", "原文页码", "integer", "该条款在规划原文中的印刷页码。"),
    F("clause_url", "原文链接", "string", "该条款在本网站上的网址。"),
)


TASK_VALUES = (
    "pk",
    "plan__title",
    "plan__slug",
    "year",
    "seq",
    "title",
    "content",
    "lead_unit__name",
    "deadline",
    "deadline_text",
    "criterion",
    "status",
    "clause__title",
    "clause__key",
    "clause__line",
    "clause__page",
)


def _tasks() -> QuerySet[Any]:
    """The public tasks as plain values (no model instances: a download builds thousands)."""
    qs: QuerySet[Any] = (
        pub.public_tasks()
        .order_by("plan__sort_order", "plan_id", "year", "annual_list_id", "seq", "pk")
        .values(*TASK_VALUES)
    )
    return qs


def _unit_names(through: Any, ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    rows = (
        through.objects.filter(task_id__in=ids)
        .order_by("orgunit__sort_order", "orgunit__path", "pk")
        .values_list("task_id", "orgunit__name")
    )
    for task_id, name in rows:
        out.setdefault(task_id, []).append(name)
    return out


def _clause_url(prefixes: dict[str, str], base: str, slug: str, key: str | None) -> str:
    """The clause's page: the plan's prefix reversed once, then the key."""
    if not key:
        return ""
    if slug not in prefixes:
        prefixes[slug] = base + reverse("node_detail", args=[slug, "-"])[:-2]
    return prefixes[slug] + quote(key) + "/"


def _task_rows(tasks: list[dict[str, Any]], base: str) -> Iterator[Row]:
    ids = [t["pk"] for t in tasks]
    lights = {
        row[0]: row[1:]
        for row in TaskLight.objects.filter(task_id__in=ids).values_list(
            "task_id", "light", "actual", "expected", "computed_on"
        )
    }
    co_leads = _unit_names(Task.co_lead_units.through, ids)
    responsible = _unit_names(Task.responsible_units.through, ids)
    statuses = {k: str(v) for k, v in TaskStatus.choices}
    colours = {k: str(v).split("：")[0] for k, v in Light.choices}
    prefixes: dict[str, str] = {}
    for t in tasks:
        light = lights.get(t["pk"])
        leads = [n for n in [t["lead_unit__name"]] if n] + co_leads.get(t["pk"], [])
        yield {
            "id": t["pk"],
            "plan": t["plan__title"],
            "year": t["year"],
            "seq": t["seq"],
            "title": t["title"],
            "content": t["content"],
            "lead_units": "、".join(leads),
            "responsible_units": "、".join(responsible.get(t["pk"], [])),
            "deadline": t["deadline"],
            "deadline_text": t["deadline_text"],
            "criterion": t["criterion"],
            "status": statuses.get(t["status"], t["status"]),
            "light": colours.get(light[0]) if light else None,
            "progress": num(light[1]) if light else None,
            "expected_progress": num(light[2]) if light else None,
            "light_date": light[3] if light else None,
            "clause": (t["clause__title"] or "")[:200],
            "clause_line": t["clause__line"],
            "clause_page": t["clause__page"],
            "clause_url": _clause_url(prefixes, base, t["plan__slug"], t["clause__key"]),
        }


def _tasks_changed() -> datetime | None:
    tasks = pub.public_tasks()
    stamps = [tasks.aggregate(m=Max("updated_at"))["m"]]
    day = TaskLight.objects.filter(task__in=tasks.values("pk")).aggregate(m=Max("computed_on"))
    if day["m"] is not None:
        stamps.append(datetime.combine(day["m"], time.min, tzinfo=UTC))
    real = [s for s in stamps if s is not None]
    return max(real) if real else None


TASKS = Dataset(
    "tasks",
    "重点任务",
    "已公开的年度重点任务：牵头与责任单位、完成时限、状态、灯号与进度，以及所依据的规划条款和原文页码。",
    TASK_FIELDS,
    _tasks,
    _task_rows,
    _tasks_changed,
)

# ------------------------------------------------------------------------- observations

OBSERVATION_FIELDS = (
    F("id", "数据编号", "integer", "监测数据在本系统中的编号。"),
    F("indicator_id", "指标编号", "integer", "指标在本系统中的编号。"),
    F("indicator", "指标", "string", "指标名称。"),
    F("plan", "规划", "string", "指标所属规划的名称。"),
    F("attribute", "指标属性", "string", "预期性或约束性。"),
    F("place", "地区", "string", "数据所属地区。"),
    F("place_code", "地区代码", "string", "行政区划代码（经济区为本系统代码）。"),
    F("year", "年份", "integer", "数据年份。"),
    F("value", "数值", "number", "统计部门公布并经核实的数值；单位见“单位”。"),
    F("unit", "单位", "string", "数值的计量单位。"),
    F("stage", "核算阶段", "string", "初步核算或最终核实。"),
    F("target_year", "目标年份", "integer", "规划目标的年份。"),
    F("target_value", "目标值", "number", "该地区的规划目标值（分解目标优先）；单位同“单位”。"),
    F(
        "status",
        "监测状态",
        "string",
        "按现行评估方法计算的状态：提前实现、快于预期、基本符合预期、滞后、达标、未达标。",
    ),
    F("method_version", "方法版本", "string", "计算监测状态所用评估方法的版本。"),
    F("source", "来源", "string", "数据来源文件。"),
    F("source_page", "来源页码", "integer", "来源文件中的页码。"),
    F("source_url", "来源网址", "string", "来源文件的网址。"),
    F("verified_at", "核实时间", "datetime", "数据经核实的时间。"),
)


OBSERVATION_VALUES = (
    "pk",
    "indicator_id",
    "indicator__name",
    "indicator__plan__title",
    "indicator__attribute",
    "indicator__unit",
    "indicator__place_id",
    "indicator__target_year",
    "indicator__target_value",
    "place_id",
    "place__name",
    "place__adcode",
    "place__code",
    "year",
    "value",
    "stage",
    "source",
    "source_page",
    "source_url",
    "verified_at",
)


def _observations() -> QuerySet[Any]:
    qs: QuerySet[Any] = (
        Observation.objects.filter(
            indicator__in=pub.public_indicators().values("pk"),
            is_current=True,
            verified_at__isnull=False,
        )
        .order_by("indicator__plan__sort_order", "indicator_id", "place__path", "year", "pk")
        .values(*OBSERVATION_VALUES)
    )
    return qs


def _observation_rows(rows: list[dict[str, Any]], base: str) -> Iterator[Row]:
    version = current_method().version
    targets = {
        (i, p): v
        for i, p, v in IndicatorTarget.objects.filter(
            indicator__in={o["indicator_id"] for o in rows}
        ).values_list("indicator_id", "place_id", "value")
    }
    statuses = dict(
        ComputedStatus.objects.filter(
            observation__in=[o["pk"] for o in rows], method_version=version
        ).values_list("observation_id", "status")
    )
    attributes = {k: str(v) for k, v in Attribute.choices}
    stages = {k: str(v) for k, v in Stage.choices}
    for o in rows:
        target = targets.get((o["indicator_id"], o["place_id"]))
        if target is None and o["indicator__place_id"] in (None, o["place_id"]):
            target = o["indicator__target_value"]
        yield {
            "id": o["pk"],
            "indicator_id": o["indicator_id"],
            "indicator": o["indicator__name"],
            "plan": o["indicator__plan__title"],
            "attribute": attributes.get(o["indicator__attribute"], ""),
            "place": o["place__name"],
            "place_code": o["place__adcode"] or o["place__code"],
            "year": o["year"],
            "value": o["value"],
            "unit": o["indicator__unit"],
            "stage": stages.get(o["stage"], ""),
            "target_year": o["indicator__target_year"],
            "target_value": target,
            "status": statuses.get(o["pk"], ""),
            "method_version": version,
            "source": o["source"],
            "source_page": o["source_page"],
            "source_url": o["source_url"],
            "verified_at": o["verified_at"],
        }


def _observations_changed() -> datetime | None:
    return latest(
        Observation.objects.filter(
            indicator__in=pub.public_indicators().values("pk"), verified_at__isnull=False
        ),
        "verified_at",
    )


OBSERVATIONS = Dataset(
    "observations",
    "指标监测数据",
    "已公开指标的已核实监测数据：地区、年份、数值、单位、目标值与监测状态及来源。未经核实的数据不公开。",
    OBSERVATION_FIELDS,
    _observations,
    _observation_rows,
    _observations_changed,
)
