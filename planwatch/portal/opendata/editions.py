"""Datasets of published editions: integration-index values and assessment scores. An
edition is shown while it has a live publication (kinds `index_edition`, `result_edition`)
and is itself in the published state."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.db.models import QuerySet

from planwatch.assessment.models import (
    IndexEdition,
    IndexNode,
    IndexValue,
    ResultEdition,
    UnitScore,
)
from planwatch.portal.opendata.base import Dataset, Row, latest
from planwatch.portal.opendata.fields import F
from planwatch.publication import selectors as pub

# the kinds the assessment app publishes its editions under
INDEX_KIND = "index_edition"
RESULT_KIND = "result_edition"

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
    """Published editions in force, of a plan still published (as on the portal)."""
    return IndexEdition.objects.filter(
        pk__in=pub.published_ids(INDEX_KIND),
        status="published",
        method__plan__status="published",
    )


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
    return latest(_index_editions(), "published_at")


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
    return latest(_result_editions(), "published_at")


SCORES = Dataset(
    "assessment_scores",
    "绩效考核结果",
    "已发布的绩效考核结果各版次：被考核单位的总分、等次和排名。",
    SCORE_FIELDS,
    _scores,
    _score_rows,
    _results_changed,
)
