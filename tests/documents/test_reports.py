"""An annual report of the 川南 plan for 2024 drafted from the stored data: its sections, the
indicator table's columns and figures equal to the database, and every registered figure
traceable to its records."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from planwatch.documents import services
from planwatch.documents.figures import fmt
from planwatch.indicators.models import ComputedStatus, Observation
from planwatch.tasks.models import Task
from tests.documents.docx_checks import load, table_rows, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def annual(monitored: dict[str, Any], chuannan_planner_user: User) -> Any:
    return services.document_build(
        kind="annual", actor=chuannan_planner_user, year=2024, plan=monitored["plan"]
    )


def test_sections_in_the_usual_order(annual: Any) -> None:
    doc = load(services.document_bytes(annual))
    heads = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert heads == [
        "一、总体情况",
        "二、主要目标指标完成情况",
        "三、重点任务进展",
        "四、重大项目",
        "五、绩效考核结果",
        "六、公众评价",
        "七、存在问题",
        "八、下一步建议",
    ]
    assert annual.title == "川南经济区2024年度规划实施监测报告"
    body = texts(doc)
    assert "暂无公众评价数据。" in body
    assert "2024年度绩效考核结果尚未发布。" in body


def test_indicator_table_equals_the_stored_data(annual: Any, monitored: dict[str, Any]) -> None:
    doc = load(services.document_bytes(annual))
    rows = table_rows(doc.tables[0])
    assert rows[0] == ["指标", "属性", "基数", "目标", "当年值", "进度", "状态"]
    by_name = {r[0]: r for r in rows[1:]}
    for ind in (monitored["gdp"], monitored["forest"]):
        obs = Observation.objects.get(indicator=ind, year=2024, is_current=True)
        status = ComputedStatus.objects.get(observation=obs)
        row = by_name[f"{ind.name}（{ind.unit}）"]
        assert row[1] == {"expected": "预期性", "binding": "约束性"}[ind.attribute]
        assert row[2] == f"{fmt(ind.baseline_value)}（{ind.baseline_year}年）"
        assert row[3] == f"{fmt(ind.target_value)}（{ind.target_year}年）"
        assert row[4] == fmt(obs.value)
        assert row[5] == f"{fmt(status.ratio * 100, 0)}%"
        assert row[6] == status.status
    assert by_name["常住人口城镇化率（%）"][4:] == ["—", "—", "暂无数据"]
    # 10600 is past the geometric path (r > 1.1); forest 40.5 is behind (滞后, binding)
    assert by_name["地区生产总值（亿元）"][6] == "快于预期"
    assert by_name["森林覆盖率（%）"][6] == "滞后"


def test_every_figure_is_traceable_and_recomputes(annual: Any, monitored: dict[str, Any]) -> None:
    figures = {f["label"]: f for f in annual.snapshot["figures"]}
    assert all(f["query"] for f in annual.snapshot["figures"])
    tasks = figures["年度重点任务数"]
    assert (
        tasks["value"]
        == Task.objects.filter(plan=monitored["plan"], year=2024).exclude(status="draft").count()
    )
    assert tasks["records"]["tasks.task"] == sorted(t.pk for t in monitored["tasks"])
    gdp_value = figures["地区生产总值 当年值"]
    obs = Observation.objects.get(pk=gdp_value["records"]["indicators.observation"][0])
    assert gdp_value["value"] == obs.value
    assert figures["重大项目数"]["value"] == 1
    assert figures["年度计划投资（万元）"]["value"] == 200000.0
    assert figures["累计完成投资（万元）"]["value"] == 150000.0
    assert figures["投资完成率"]["shown"] == "75%"
    # each number printed is one registered: the shown texts are in the document
    body = "\n".join(texts(load(services.document_bytes(annual))))
    for label in ("年度重点任务数", "年度计划投资（万元）", "累计完成投资（万元）", "投资完成率"):
        assert figures[label]["shown"] in body


def test_red_tasks_named_and_adjustment_drafted(annual: Any, monitored: dict[str, Any]) -> None:
    body = "\n".join(texts(load(services.document_bytes(annual))))
    red = monitored["tasks"][0]
    assert f"逾期未完成（红灯）的任务：{red.title}" in body
    assert "建议研究是否依法开展规划调整" in body  # a binding indicator lags
    assert "【待撰写：下一步工作建议】" in body
    assert set(services.placeholders_left(annual)) == {
        "overview",
        "indicators",
        "tasks",
        "problems",
        "adjustment",
        "next_steps",
    }


@pytest.mark.parametrize(
    ("kind", "title"), [("midterm", "中期评估报告"), ("final", "总结评估报告")]
)
def test_midterm_and_final(
    monitored: dict[str, Any], chuannan_planner_user: User, kind: str, title: str
) -> None:
    doc = services.document_build(
        kind=kind, actor=chuannan_planner_user, year=2024, plan=monitored["plan"]
    )
    assert doc.title.endswith(title)
    assert table_rows(load(services.document_bytes(doc)).tables[0])[0][0] == "指标"


def test_bulletin_task_list_and_supervision_notice(
    monitored: dict[str, Any], chuannan_planner_user: User
) -> None:
    b = services.document_build(
        kind="bulletin", actor=chuannan_planner_user, year=2024, plan=monitored["plan"], quarter=4
    )
    assert b.title == "关于川南经济区2024年第四季度规划实施进展情况的通报"
    assert "红灯1项" in "\n".join(texts(load(services.document_bytes(b))))
    notice = services.document_build(
        kind="task_list", actor=chuannan_planner_user, year=2024, plan=monitored["plan"]
    )
    d = load(services.document_bytes(notice))
    assert "附件" in texts(d)
    rows = table_rows(d.tables[0])
    assert rows[0] == ["序号", "重点任务", "具体内容", "牵头单位", "责任单位", "完成时限"]
    assert len(rows) - 1 == len(monitored["tasks"])


def _recompute(f: dict[str, Any]) -> Any:
    """The figure recomputed from the database through its records (None: no rule)."""
    from planwatch.indicators.models import Indicator
    from planwatch.projects.models import AnnualInvestmentPlan, MonthlyReport

    label, rec = f["label"], f["records"]
    if label.endswith(("当年值",)):
        ids = rec.get("indicators.observation")
        return Observation.objects.get(pk=ids[0]).value if ids else None
    if label.endswith(("进度", "状态")) and " " in label:
        ids = rec.get("indicators.computedstatus")
        if not ids:
            return f["value"] if f["value"] in (None, "暂无数据", "未核算") else "missing"
        s = ComputedStatus.objects.get(pk=ids[0])
        return s.ratio if label.endswith("进度") else s.status
    if label.endswith(("基数", "目标")):
        ind = Indicator.objects.get(pk=rec["indicators.indicator"][0])
        return ind.baseline_value if label.endswith("基数") else ind.target_value
    if "年度计划" in label:
        return float(
            sum(
                a.amount
                for a in AnnualInvestmentPlan.objects.filter(
                    project_id__in=rec["projects.project"], year=2024
                )
            )
        )
    if "累计完成" in label:
        return float(
            sum(
                r.invested_ytd
                for r in MonthlyReport.objects.filter(
                    project_id__in=rec["projects.project"], year=2024, month=12, status="accepted"
                )
            )
        )
    if label == "投资完成率":
        return _recompute({**f, "label": "累计完成"}) / _recompute({**f, "label": "年度计划"})
    if label == "双过半：6月末投资完成率":
        june = MonthlyReport.objects.filter(
            project_id__in=rec["projects.project"], year=2024, month__lte=6, status="accepted"
        )
        return float(sum(r.invested_ytd for r in june)) / _recompute({**f, "label": "年度计划"})
    if label == "时间进度":
        return 12 / 12
    if label.rstrip("（表）").endswith("数") and isinstance(f["value"], int) and len(rec) == 1:
        return len(next(iter(rec.values())))
    return "no rule"


def test_every_number_recomputed_from_the_database(annual: Any) -> None:
    """Issue 14's acceptance: each figure of the 川南 2024 annual report equals what the
    database gives for the records it names."""
    figures = annual.snapshot["figures"]
    assert len(figures) > 20
    for f in figures:
        assert _recompute(f) == f["value"], f
