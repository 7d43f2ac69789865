"""The published datasets: what each row is, its columns (the data dictionary), the objects
it is read from (through the publication selectors only) and the rows made from them.

Each dataset reads in chunks (`CHUNK` objects, a fixed number of queries per chunk), so a
download streams at any size. Labels are written in Chinese whatever the visitor's language:
a file is the same for everyone."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time
from decimal import Decimal
from itertools import batched
from typing import Any

from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import translation

from planwatch.assessment.models import (
    IndexEdition,
    IndexNode,
    IndexValue,
    ResultEdition,
    UnitScore,
)
from planwatch.indicators.models import ComputedStatus, IndicatorTarget, Observation
from planwatch.indicators.services import current_method
from planwatch.portal.opendata.fields import F, Field
from planwatch.projects.models import AnnualInvestmentPlan, MonthlyReport, Project
from planwatch.publication import selectors as pub
from planwatch.publication.models import Publication
from planwatch.reports.choices import ReportStatus
from planwatch.supervision.models import TaskLight
from planwatch.tasks.models import Task

CHUNK = 500
Row = dict[str, Any]
# the kinds the assessment app publishes its editions under
INDEX_KIND = "index_edition"
RESULT_KIND = "result_edition"


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    # the objects a page of the API or a download is read from, in a stable order
    objects: Callable[[], QuerySet[Any]]
    # the rows of a batch of those objects (one or more rows per object)
    rows_of: Callable[[list[Any], str], Iterator[Row]]
    # when its content last changed (beyond publishing and withdrawing)
    changed: Callable[[], datetime | None]

    def rows(self, objects: Iterable[Any] | None = None, *, base: str = "") -> Iterator[Row]:
        """Every row (or those of `objects`), chunk by chunk, labels in Chinese. `base`
        (scheme and host) makes the links absolute."""
        source = self.objects().iterator(chunk_size=CHUNK) if objects is None else objects
        for chunk in batched(source, CHUNK):
            with translation.override("zh-hans"):
                yield from self.rows_of(list(chunk), base)

    def count(self) -> int:
        return self.objects().count()

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]


def _names(units: Iterable[Any]) -> str:
    return "、".join(u.name for u in units)


def _latest(qs: QuerySet[Any], field: str) -> datetime | None:
    value = qs.aggregate(m=Max(field))["m"]
    return value if isinstance(value, datetime) else None


def _num(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


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


def _tasks() -> QuerySet[Task]:
    return (
        pub.public_tasks()
        .select_related("plan", "lead_unit", "clause")
        .prefetch_related("co_lead_units", "responsible_units")
        .order_by("plan__sort_order", "plan_id", "year", "annual_list_id", "seq", "pk")
    )


def _task_rows(tasks: list[Task], base: str) -> Iterator[Row]:
    lights = {tl.task_id: tl for tl in TaskLight.objects.filter(task__in=[t.pk for t in tasks])}
    for t in tasks:
        light = lights.get(t.pk)
        clause = t.clause
        leads = [u for u in [t.lead_unit] if u is not None] + list(t.co_lead_units.all())
        url = ""
        if clause is not None and clause.key:
            url = base + reverse("node_detail", args=[t.plan.slug, clause.key])
        yield {
            "id": t.pk,
            "plan": t.plan.title,
            "year": t.year,
            "seq": t.seq,
            "title": t.title,
            "content": t.content,
            "lead_units": _names(leads),
            "responsible_units": _names(t.responsible_units.all()),
            "deadline": t.deadline,
            "deadline_text": t.deadline_text,
            "criterion": t.criterion,
            "status": t.get_status_display(),
            "light": str(light.get_light_display()).split("：")[0] if light else None,
            "progress": _num(light.actual) if light else None,
            "expected_progress": _num(light.expected) if light else None,
            "light_date": light.computed_on if light else None,
            "clause": ((clause.title or clause.text)[:200] if clause is not None else ""),
            "clause_line": clause.line if clause is not None else None,
            "clause_page": clause.page if clause is not None else None,
            "clause_url": url,
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


def _observations() -> QuerySet[Observation]:
    return (
        Observation.objects.filter(
            indicator__in=pub.public_indicators().values("pk"),
            is_current=True,
            verified_at__isnull=False,
        )
        .select_related("indicator__plan", "place")
        .order_by("indicator__plan__sort_order", "indicator_id", "place__path", "year", "pk")
    )


def _observation_rows(rows: list[Observation], base: str) -> Iterator[Row]:
    version = current_method().version
    targets = {
        (t.indicator_id, t.place_id): t.value
        for t in IndicatorTarget.objects.filter(indicator__in={o.indicator_id for o in rows})
    }
    statuses = dict(
        ComputedStatus.objects.filter(
            observation__in=[o.pk for o in rows], method_version=version
        ).values_list("observation_id", "status")
    )
    for o in rows:
        ind = o.indicator
        target = targets.get((ind.pk, o.place_id))
        if target is None and ind.place_id in (None, o.place_id):
            target = ind.target_value
        yield {
            "id": o.pk,
            "indicator_id": ind.pk,
            "indicator": ind.name,
            "plan": ind.plan.title,
            "attribute": ind.get_attribute_display(),
            "place": o.place.name,
            "place_code": o.place.adcode or o.place.code,
            "year": o.year,
            "value": o.value,
            "unit": ind.unit,
            "stage": o.get_stage_display(),
            "target_year": ind.target_year,
            "target_value": target,
            "status": statuses.get(o.pk, ""),
            "method_version": version,
            "source": o.source,
            "source_page": o.source_page,
            "source_url": o.source_url,
            "verified_at": o.verified_at,
        }


def _observations_changed() -> datetime | None:
    return _latest(
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

# ----------------------------------------------------------------------------- projects

PROJECT_FIELDS = (
    F("project_id", "项目编号", "integer", "项目在本系统中的编号。"),
    F("name", "项目名称", "string", "重大项目名称。"),
    F("code", "项目代码", "string", "项目代码（如有）。"),
    F("sector", "领域", "string", "基础设施、产业、民生及社会事业或生态环保。"),
    F("stage", "阶段", "string", "前期、新开工、续建或竣工投产。"),
    F("lead_unit", "牵头单位", "string", "项目牵头单位。"),
    F("zone", "经济区", "string", "项目所属经济区。"),
    F("total_investment", "总投资", "number", "项目总投资。", "万元"),
    F("planned_start", "计划开工", "date", "计划开工日期。"),
    F("planned_completion", "计划竣工", "date", "计划竣工日期。"),
    F("actual_start", "实际开工", "date", "实际开工日期。"),
    F("actual_completion", "实际竣工", "date", "实际竣工日期。"),
    F("source_page", "原文页码", "integer", "规划专栏中列出该项目的原文页码。"),
    F("year", "年度", "integer", "下列年度数字所属年度；项目尚无年度数字时为空。"),
    F("annual_plan", "年度计划投资", "number", "该年度计划投资（分段项目为各段之和）。", "万元"),
    F(
        "completed_investment",
        "年度完成投资",
        "number",
        "该年度累计完成投资：各段最近一期审核通过的月度调度报告之和。",
        "万元",
    ),
    F("completion_rate", "投资完成率", "number", "年度完成投资 ÷ 年度计划投资。", "%"),
    F("reported_to_month", "数据截至月份", "integer", "年度完成投资所依据的最近月份。"),
)


def _projects() -> QuerySet[Project]:
    return pub.public_projects().select_related("lead_unit", "zone").order_by("name", "pk")


def project_years(projects: list[Project]) -> dict[int, dict[int, dict[str, Any]]]:
    """project id → year → {annual_plan, completed_investment, reported_to_month}: a
    segmented project's figures are its segments' sums (two queries)."""
    ids = [p.pk for p in projects]
    plans = list(
        AnnualInvestmentPlan.objects.filter(project_id__in=ids).values_list(
            "project_id", "segment_id", "year", "amount"
        )
    )
    segmented = {pid for pid, sid, _y, _a in plans if sid is not None}
    out: dict[int, dict[int, dict[str, Any]]] = {pid: {} for pid in ids}
    for pid, sid, year, amount in plans:
        if (sid is not None) == (pid in segmented):
            fig = out[pid].setdefault(year, {"annual_plan": Decimal(0)})
            fig["annual_plan"] = fig.get("annual_plan", Decimal(0)) + amount
    latest: dict[tuple[int, int, int | None], tuple[int, Decimal]] = {}
    for pid, sid, year, month, ytd in (
        MonthlyReport.objects.filter(project_id__in=ids, status=ReportStatus.ACCEPTED)
        .order_by("month")
        .values_list("project_id", "segment_id", "year", "month", "invested_ytd")
    ):
        latest[(pid, year, sid)] = (month, ytd or Decimal(0))
    for (pid, year, _sid), (month, ytd) in latest.items():
        fig = out[pid].setdefault(year, {})
        fig["completed_investment"] = fig.get("completed_investment", Decimal(0)) + ytd
        fig["reported_to_month"] = max(fig.get("reported_to_month", 0), month)
    return out


def _project_base(p: Project) -> Row:
    return {
        "project_id": p.pk,
        "name": p.name,
        "code": p.code,
        "sector": p.get_sector_display(),
        "stage": p.get_stage_display(),
        "lead_unit": p.lead_unit.name if p.lead_unit else "",
        "zone": p.zone.name if p.zone else "",
        "total_investment": _num(p.total_investment),
        "planned_start": p.planned_start,
        "planned_completion": p.planned_completion,
        "actual_start": p.actual_start,
        "actual_completion": p.actual_completion,
        "source_page": p.source_page,
    }


def year_row(year: int | None, fig: dict[str, Any]) -> Row:
    plan, done = fig.get("annual_plan"), fig.get("completed_investment")
    rate = round(float(done) / float(plan) * 100, 2) if plan and done is not None else None
    return {
        "year": year,
        "annual_plan": _num(plan),
        "completed_investment": _num(done),
        "completion_rate": rate,
        "reported_to_month": fig.get("reported_to_month"),
    }


def project_records(projects: list[Project]) -> Iterator[Row]:
    """Each project with its `years` (a list of year rows), for the API."""
    years = project_years(projects)
    for p in projects:
        rec = _project_base(p)
        rec["years"] = [year_row(y, f) for y, f in sorted(years[p.pk].items())]
        yield rec


def _project_rows(projects: list[Project], base: str) -> Iterator[Row]:
    for rec in project_records(projects):
        years = rec.pop("years") or [year_row(None, {})]
        for y in years:
            yield {**rec, **y}


def _projects_changed() -> datetime | None:
    return _latest(
        MonthlyReport.objects.filter(
            project__in=pub.public_projects().values("pk"), status=ReportStatus.ACCEPTED
        ),
        "accepted_at",
    )


class ProjectDataset(Dataset):
    def count(self) -> int:
        """Rows, not projects: one per project and year (one for a project without years)."""
        return sum(1 for _ in self.rows())


PROJECTS = ProjectDataset(
    "projects",
    "重大项目年度投资",
    "已公开的重大项目及其逐年计划投资与完成投资（一个项目每年一行）。",
    PROJECT_FIELDS,
    _projects,
    _project_rows,
    _projects_changed,
)

# -------------------------------------------------------------------------- index values

INDEX_FIELDS = (
    F("edition_id", "版次编号", "integer", "指数版次在本系统中的编号。"),
    F("index", "指数", "string", "指数名称（计算方法的名称）。"),
    F("plan", "规划", "string", "指数所属规划。"),
    F("method_version", "方法版本", "string", "计算方法的版本。"),
    F("edition", "版次", "integer", "同一方法下的版次号；更正版次另起一版。"),
    F("published_at", "发布时间", "datetime", "该版次发布的时间。"),
    F("place", "地区", "string", "指数所属地区。"),
    F("place_code", "地区代码", "string", "行政区划代码（经济区为本系统代码）。"),
    F("year", "年份", "integer", "数据年份。"),
    F("code", "指标编码", "string", "指标体系中的编码；TOTAL 为总指数。"),
    F("name", "名称", "string", "维度、分项或指标的名称。"),
    F("level", "层级", "string", "总指数、维度、分项或指标。"),
    F("value", "指数值", "number", "计算值；缺少输入时为空。"),
)


def _index_editions() -> QuerySet[IndexEdition]:
    return IndexEdition.objects.filter(pk__in=pub.published_ids(INDEX_KIND), status="published")


def _index_values() -> QuerySet[IndexValue]:
    return (
        IndexValue.objects.filter(edition__in=_index_editions())
        .select_related("edition__method__plan", "place")
        .order_by("edition_id", "place__path", "year", "code", "pk")
    )


def _index_rows(values: list[IndexValue], base: str) -> Iterator[Row]:
    methods = {v.edition.method_id for v in values}
    nodes = {(n.method_id, n.code): n for n in IndexNode.objects.filter(method_id__in=methods)}
    for v in values:
        ed = v.edition
        node = nodes.get((ed.method_id, v.code))
        yield {
            "edition_id": ed.pk,
            "index": ed.method.title,
            "plan": ed.method.plan.title,
            "method_version": ed.method.version,
            "edition": ed.number,
            "published_at": ed.published_at,
            "place": v.place.name,
            "place_code": v.place.adcode or v.place.code,
            "year": v.year,
            "code": v.code,
            "name": node.name if node else ("一体化发展指数" if v.code == "TOTAL" else v.code),
            "level": str(node.get_level_display()) if node else "总指数",
            "value": v.value,
        }


def _editions_changed() -> datetime | None:
    return _latest(_index_editions(), "published_at")


INDEX_VALUES = Dataset(
    "index_values",
    "区域一体化发展指数",
    "已发布的区域一体化发展指数各版次：各地区、各年份的总指数及各维度、分项、指标得分。",
    INDEX_FIELDS,
    _index_values,
    _index_rows,
    _editions_changed,
)

# ---------------------------------------------------------------------- assessment scores

SCORE_FIELDS = (
    F("edition_id", "版次编号", "integer", "考核结果版次在本系统中的编号。"),
    F("scheme", "考核方案", "string", "考核方案名称。"),
    F("year", "考核年度", "integer", "考核年度。"),
    F("series", "考核序列", "string", "市州、省直部门或川西北生态示范区。"),
    F("zone", "经济区", "string", "只考核一个经济区时为该经济区，否则为空。"),
    F("edition", "版次", "integer", "同一方案下的版次号；重算另起一版。"),
    F("as_of", "数据截止日期", "date", "计算所用数据的截止日期。"),
    F("published_at", "发布时间", "datetime", "该版次发布的时间。"),
    F("unit", "被考核单位", "string", "被考核单位名称。"),
    F("unit_code", "单位代码", "string", "行政区划代码或本系统单位代码。"),
    F("total", "总分", "number", "考核总分。", "分"),
    F("grade", "等次", "string", "考核等次。"),
    F("rank", "排名", "integer", "在本序列中的排名。"),
    F("vetoed", "一票否决", "boolean", "是否被一票否决。"),
)


def _result_editions() -> QuerySet[ResultEdition]:
    return ResultEdition.objects.filter(pk__in=pub.published_ids(RESULT_KIND), status="published")


def _scores() -> QuerySet[UnitScore]:
    return (
        UnitScore.objects.filter(edition__in=_result_editions())
        .select_related("edition__scheme", "edition__zone", "unit")
        .order_by("edition__scheme_id", "edition__number", "rank", "unit__path", "pk")
    )


def _score_rows(scores: list[UnitScore], base: str) -> Iterator[Row]:
    for s in scores:
        ed = s.edition
        yield {
            "edition_id": ed.pk,
            "scheme": ed.scheme.title,
            "year": ed.scheme.year,
            "series": ed.scheme.get_series_display(),
            "zone": ed.zone.name if ed.zone else "",
            "edition": ed.number,
            "as_of": ed.as_of,
            "published_at": ed.published_at,
            "unit": s.unit.name,
            "unit_code": s.unit.adcode or s.unit.code,
            "total": s.total,
            "grade": s.grade,
            "rank": s.rank,
            "vetoed": s.vetoed,
        }


def _results_changed() -> datetime | None:
    return _latest(_result_editions(), "published_at")


SCORES = Dataset(
    "assessment_scores",
    "绩效考核结果",
    "已发布的绩效考核结果各版次：被考核单位的总分、等次和排名。",
    SCORE_FIELDS,
    _scores,
    _score_rows,
    _results_changed,
)

DATASETS: dict[str, Dataset] = {
    d.name: d for d in (TASKS, OBSERVATIONS, PROJECTS, INDEX_VALUES, SCORES)
}


def last_published() -> datetime | None:
    """The latest publishing or withdrawing of anything."""
    agg = Publication.objects.aggregate(p=Max("published_at"), w=Max("withdrawn_at"))
    stamps = [s for s in (agg["p"], agg["w"]) if s is not None]
    return max(stamps) if stamps else None


def last_modified(dataset: Dataset | None = None) -> datetime | None:
    """When `dataset` (or any) last changed: its own content or any publication."""
    sets = [dataset] if dataset is not None else list(DATASETS.values())
    stamps = [last_published()] + [d.changed() for d in sets]
    real = [s for s in stamps if s is not None]
    return max(real) if real else None
