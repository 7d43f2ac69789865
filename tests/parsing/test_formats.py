"""The whole parse (`parse_bytes`) of each fixture shape gives the expected plan tree: title,
parts/chapters/sections or 一、（一）1.（1） headings, 专栏 boxes and their items, tables, and
the indicator targets — whatever the format and encoding the plan arrives in."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from planwatch.parsing import ParseResult, parse_bytes
from planwatch.parsing.model import Node, Plan
from tests.parsing.fixtures.documents import (
    hard_wrap,
    make_docx,
    make_docx_with_textbox_box,
    make_front_matter_pdf,
    make_numbered_docx,
    make_pdf,
    make_toc_pdf,
)

FIXTURES = Path(__file__).parent / "fixtures"
STRUCTURE = frozenset({"part", "chapter", "section", "heading", "item", "box", "box_item", "table"})
Outline = list[tuple[int, str, str | None, str]]


def load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def walk(nodes: list[Node]) -> Iterator[Node]:
    for node in nodes:
        yield node
        yield from walk(node.children)


def outline(plan: Plan) -> Outline:
    """(level, kind, label, title) of the structural nodes, titles without spaces (how spaces
    inside a heading are cleaned is the cleaner's business, not the structure's)."""
    return [
        (n.level, n.kind, n.label, n.title.replace(" ", "").replace("\u3000", ""))
        for n in walk(plan.nodes)
        if n.kind in STRUCTURE
    ]


def only_plan(result: ParseResult) -> Plan:
    assert len(result.plans) == 1
    return result.plans[0]


def all_text(plan: Plan) -> str:
    return "\n".join(f"{n.title}\n{n.text}" for n in walk(plan.nodes))


def target(plan: Plan, indicator: str, line: int | None = None) -> tuple[object, ...]:
    """(value, unit, year, attribute) of the first target for `indicator` (at `line`)."""
    for t in plan.targets:
        if t.indicator == indicator and (line is None or t.line == line):
            return (t.value, t.unit, t.year, t.attribute)
    raise AssertionError(f"no target {indicator!r} in {[t.indicator for t in plan.targets]}")


# --- (a) a national 规划纲要 as plain text inside an encyclopedia page ---------------------

OUTLINE_14TH: Outline = [
    (1, "part", "第一篇", "开启全面建设社会主义现代化国家新征程"),
    (2, "chapter", "第一章", "发展环境"),
    (3, "section", "第一节", "决胜全面建成小康社会取得决定性成就"),
    (3, "section", "第二节", "我国发展环境面临深刻复杂变化"),
    (2, "chapter", "第二章", "指导方针"),
    (3, "section", "第一节", "指导思想"),
    (3, "section", "第二节", "必须遵循的原则"),
    (2, "chapter", "第三章", "主要目标"),
    (3, "section", "第一节", "2035年远景目标"),
    (3, "section", "第二节", "“十四五”时期经济社会发展主要目标"),
    (1, "part", "第二篇", "坚持创新驱动发展全面塑造发展新优势"),
    (2, "chapter", "第四章", "强化国家战略科技力量"),
    (3, "section", "第一节", "整合优化科技资源配置"),
    (3, "section", "第二节", "加强原创性引领性科技攻关"),
    (4, "box", "专栏 1", "科技前沿领域攻关"),
    (5, "box_item", "1", "新一代人工智能"),
    (5, "box_item", "2", "量子信息"),
    (5, "box_item", "3", "集成电路"),
    (2, "chapter", "第五章", "提升企业技术创新能力"),
    (3, "section", "第一节", "激励企业加大研发投入"),
]
OUTLINE_NAME = "national-outline-14th-wiki.txt"


def test_national_outline_tree_without_the_encyclopedia_around_it() -> None:
    result = parse_bytes(load(OUTLINE_NAME), name=OUTLINE_NAME)
    assert (result.source.format, result.source.encoding, result.source.pages) == (
        "text",
        "utf-8",
        None,
    )
    plan = only_plan(result)
    assert plan.title == "中华人民共和国国民经济和社会发展第十四个五年规划和2035年远景目标纲要"
    assert plan.line == 13  # the title above the plan's own preamble, not the page heading
    assert outline(plan) == OUTLINE_14TH
    assert plan.nodes[0].kind == "paragraph"
    assert plan.nodes[0].text.startswith("中华人民共和国国民经济和社会发展第十四个五年")
    text = all_text(plan)
    for outside in ("维基百科", "内容概要", "纲要共19篇65章", "CC BY-SA", "参见", "最后修订"):
        assert outside not in text, outside


def test_national_outline_grounding_provisions_and_targets() -> None:
    plan = only_plan(parse_bytes(load(OUTLINE_NAME), name=OUTLINE_NAME))
    nodes = list(walk(plan.nodes))
    chapter = next(n for n in nodes if n.label == "第四章")
    assert (chapter.line, chapter.end_line) == (40, 52)
    principles = next(n for n in nodes if n.title == "必须遵循的原则")
    assert [(c.kind, c.title, c.line) for c in principles.children] == [
        ("provision", "坚持党的全面领导", 29),
        ("provision", "坚持以人民为中心", 30),
    ]
    assert target(plan, "常住人口城镇化率")[:3] == (65, "%", 2025)
    assert target(plan, "森林覆盖率")[:3] == (24.1, "%", 2025)


@pytest.mark.parametrize(
    ("encode", "encoding"),
    [
        (lambda text: text.encode("gbk"), "gbk"),
        (lambda text: text.encode("utf-16"), "utf-16-le"),
        (lambda text: text.encode("utf-16-be"), "utf-16-be"),
        (lambda text: text.encode("utf-8-sig"), "utf-8-sig"),
        (lambda text: text.replace("\n", "\r\n").encode("gb18030"), "gbk"),
    ],
)
def test_national_outline_in_other_encodings_gives_the_same_tree(
    encode: Callable[[str], bytes], encoding: str
) -> None:
    text = load(OUTLINE_NAME).decode("utf-8")
    data = encode(text)
    result = parse_bytes(data, name=OUTLINE_NAME)
    assert result.source.encoding == encoding
    assert outline(only_plan(result)) == OUTLINE_14TH


# --- (b) a 专项规划 web page: clutter, 专栏 tables, an indicator table with spans ------------

TRANSPORT_NAME = "transport-14th-plan.html"


def test_special_plan_web_page_tree() -> None:
    result = parse_bytes(load(TRANSPORT_NAME), name=TRANSPORT_NAME)
    assert result.source.format == "html"
    plan = only_plan(result)
    assert plan.title == "“十四五”现代综合交通运输体系发展规划"
    assert outline(plan) == [
        (1, "heading", "一、", "发展环境"),
        (2, "heading", "（一）", "发展基础"),
        (2, "heading", "（二）", "面临形势"),
        (1, "heading", "二、", "总体要求"),
        (2, "heading", "（一）", "指导思想"),
        (2, "heading", "（二）", "发展目标"),
        (3, "table", None, ""),
        (1, "heading", "三、", "构建高效贯通的综合立体交通网络"),
        (2, "heading", "（一）", "完善综合运输大通道"),
        (3, "box", "专栏 1", "综合运输大通道建设重点工程"),
        (4, "box_item", "1", "铁路"),
        (4, "box_item", "2", "公路"),
        (2, "heading", "（二）", "建设综合交通枢纽集群"),
        (3, "box", "专栏 2", "综合交通枢纽建设重点工程"),
        (4, "box_item", "1", "国际性综合交通枢纽城市"),
        (4, "box_item", "2", "国际性综合交通枢纽港站"),
    ]
    text = all_text(plan)
    for clutter in ("字体", "打印", "关闭窗口", "分享到", "版权所有", "索引号", "当前位置"):
        assert clutter not in text, clutter


def test_special_plan_indicator_table_and_box_items() -> None:
    plan = only_plan(parse_bytes(load(TRANSPORT_NAME), name=TRANSPORT_NAME))
    nodes = list(walk(plan.nodes))
    table = next(n for n in nodes if n.kind == "table")
    assert table.rows is not None and len(table.rows) == 8
    assert table.rows[5] == ["设施网络", "民用运输机场数（个）", "241", "＞270", "预期性"]
    assert table.rows[7][-1] == "约束性"
    railway = next(n for n in nodes if n.kind == "box_item" and n.title == "铁路")
    assert railway.text == "建设川藏铁路雅安至林芝段、沿江高铁、京沪高铁辅助通道等项目。"
    hub = next(n for n in nodes if n.kind == "box_item" and n.title == "国际性综合交通枢纽城市")
    assert hub.text.startswith("建设北京、上海、广州、成都、重庆")


def test_special_plan_table_attributes_reach_the_targets() -> None:
    plan = only_plan(parse_bytes(load(TRANSPORT_NAME), name=TRANSPORT_NAME))
    binding = [t for t in plan.targets if t.attribute == "约束性"]
    assert [t.indicator for t in binding] == ["营运车辆单位运输周转量二氧化碳排放较2020年下降"]
    expected = [t for t in plan.targets if t.attribute == "预期性"]
    assert len(expected) == 5


def test_special_plan_two_row_header_table_values() -> None:
    # 指标值 spans 2020年/2025年 (colspan) and the other header cells take two rows
    # (rowspan): the expanded grid lets the target extractor find the 2025 column.
    plan = only_plan(parse_bytes(load(TRANSPORT_NAME), name=TRANSPORT_NAME))
    assert target(plan, "铁路营业里程") == (16.5, "万公里", 2025, "预期性")
    assert target(plan, "民用运输机场数")[:2] == (270, "个")
    railway = next(t for t in plan.targets if t.indicator == "铁路营业里程")
    assert (railway.base_value, railway.base_year) == (14.6, 2020)


# --- (c) a Markdown plan ------------------------------------------------------------------

DIGITAL_NAME = "digital-economy-14th-plan.md"


def test_markdown_plan_tree() -> None:
    result = parse_bytes(load(DIGITAL_NAME), name=DIGITAL_NAME)
    assert result.source.format == "markdown"
    plan = only_plan(result)
    assert plan.title == "“十四五”数字经济发展规划"
    assert outline(plan) == [
        (1, "heading", "一、", "发展现状和形势"),
        (2, "heading", "（一）", "发展现状"),
        (2, "heading", "（二）", "面临形势"),
        (1, "heading", "二、", "总体要求"),
        (2, "heading", "（一）", "指导思想"),
        (2, "heading", "（二）", "发展目标"),
        (3, "box", "专栏 1", "“十四五”数字经济发展主要指标"),
        (4, "table", None, ""),
        (1, "heading", "三、", "优化升级数字基础设施"),
        (2, "heading", "（一）", "加快建设信息网络基础设施"),
        (3, "box", "专栏 2", "信息网络基础设施优化升级工程"),
        (4, "box_item", "1", "推进光纤网络扩容提速"),
        (4, "box_item", "2", "加快5G网络规模化部署"),
        (4, "box_item", "3", "推进IPv6规模部署应用"),
        (2, "heading", "（二）", "推进云网协同和算网融合发展"),
    ]
    lead = next(n for n in walk(plan.nodes) if n.kind == "provision")
    assert (lead.title, lead.line) == ("信息基础设施全球领先", 12)


def test_markdown_plan_targets_from_text_and_box_table() -> None:
    plan = only_plan(parse_bytes(load(DIGITAL_NAME), name=DIGITAL_NAME))
    assert target(plan, "数字经济核心产业增加值占GDP比重", line=26)[:3] == (10, "%", 2025)
    assert target(plan, "数字经济核心产业增加值占GDP比重", line=30) == (10, "%", 2025, "预期性")
    assert target(plan, "千兆宽带用户数")[:2] == (6000, "万户")


# --- (d) a 政府工作报告 numbered 一、（一）1.（1） ----------------------------------------------

REPORT_NAME = "city-government-work-report-2021.txt"
REPORT_OUTLINE: Outline = [
    (1, "heading", "一、", "2020年和“十三五”时期工作回顾"),
    (2, "heading", "（一）", "经济运行稳定恢复"),
    (3, "item", "1.", "产业发展提质增效"),
    (4, "item", "（1）", "先进制造业加快发展"),
    (4, "item", "（2）", "现代服务业提档升级"),
    (3, "item", "2.", "项目投资持续发力"),
    (2, "heading", "（二）", "改革开放不断深化"),
    (1, "heading", "二、", "“十四五”时期主要目标任务"),
    (2, "heading", "（一）", "着力建设现代产业体系"),
    (1, "heading", "三、", "2021年重点工作"),
    (2, "heading", "（一）", "坚持扩大内需战略，推动经济持续健康发展"),
    (3, "item", "1.", "扩大有效投资"),
    (4, "item", "（1）", "加快重大基础设施建设"),
    (4, "item", "（2）", "强化要素保障"),
    (3, "item", "2.", "促进消费提质扩容"),
    (2, "heading", "（二）", "坚持创新驱动发展，增强高质量发展动能"),
]


def test_government_work_report_four_numbering_levels() -> None:
    plan = only_plan(parse_bytes(load(REPORT_NAME), name=REPORT_NAME))
    assert plan.title == "政府工作报告"
    assert outline(plan) == REPORT_OUTLINE
    item = next(n for n in walk(plan.nodes) if n.title == "加快重大基础设施建设")
    assert item.text == "开工建设城市快速路20公里，新改建农村公路500公里。"
    assert item.line == 23
    # The salutation and opening before 一、 stay paragraphs, not headings.
    assert [n.kind for n in plan.nodes[:4]] == ["paragraph"] * 4


def test_government_work_report_targets() -> None:
    plan = only_plan(parse_bytes(load(REPORT_NAME), name=REPORT_NAME))
    assert target(plan, "常住人口城镇化率")[:3] == (60, "%", 2025)
    assert target(plan, "地区生产总值", line=20)[:3] == (7.5, "%", 2021)


def test_government_work_report_as_csv_gives_the_same_tree() -> None:
    lines = load(REPORT_NAME).decode("utf-8").split("\n")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["序号", "内容"])
    writer.writerows([index, line] for index, line in enumerate(lines, start=1) if line)
    result = parse_bytes(buffer.getvalue().encode("utf-8"), name="report.csv")
    assert result.source.format == "csv"
    assert outline(only_plan(result)) == REPORT_OUTLINE


def test_government_work_report_hard_wrapped_gives_the_same_tree() -> None:
    wrapped = hard_wrap(load(REPORT_NAME).decode("utf-8"), 30)
    result = parse_bytes(wrapped.encode("gbk"), name="report-wrapped.txt")
    assert (result.source.format, result.source.encoding) == ("text", "gbk")
    assert outline(only_plan(result)) == REPORT_OUTLINE


# --- (e) the Markdown plan's excerpt as DOCX and as PDF -----------------------------------

GENERATED_OUTLINE: Outline = [
    (1, "heading", "一、", "发展现状和形势"),
    (2, "heading", "（一）", "发展现状"),
    (1, "heading", "二、", "总体要求"),
    (2, "heading", "（一）", "发展目标"),
    (3, "table", None, ""),
    (2, "heading", "（二）", "加快建设信息网络基础设施"),
    (3, "box", "专栏 2", "信息网络基础设施优化升级工程"),
    (4, "box_item", "1", "推进光纤网络扩容提速"),
    (4, "box_item", "2", "加快5G网络规模化部署"),
]


def test_docx_plan_tree() -> None:
    result = parse_bytes(make_docx(), name="digital-economy.docx")
    assert (result.source.format, result.source.encoding, result.source.pages) == (
        "docx",
        None,
        None,
    )
    plan = only_plan(result)
    assert plan.title == "“十四五”数字经济发展规划"
    assert outline(plan) == GENERATED_OUTLINE
    assert target(plan, "软件和信息技术服务业规模") == (14, "万亿元", 2025, "预期性")


def test_pdf_plan_tree_with_pages() -> None:
    result = parse_bytes(make_pdf(), name="digital-economy.pdf")
    assert (result.source.format, result.source.pages) == ("pdf", 2)
    plan = only_plan(result)
    assert (plan.title, plan.page) == ("“十四五”数字经济发展规划", 1)
    assert outline(plan) == GENERATED_OUTLINE
    pages = {n.title: n.page for n in walk(plan.nodes) if n.kind in ("heading", "box")}
    assert pages["发展目标"] == 1
    assert pages["加快建设信息网络基础设施"] == 2
    assert pages["信息网络基础设施优化升级工程"] == 2
    goal = next(n for n in walk(plan.nodes) if n.title == "发展目标")
    assert "占GDP比重达到10%" in goal.text
    assert target(plan, "千兆宽带用户数") == (6000, "万户", 2025, "预期性")


def test_docx_text_box_box_in_the_tree() -> None:
    plan = only_plan(parse_bytes(make_docx_with_textbox_box(), name="box.docx"))
    assert plan.title == "box"  # no title line: the file name stands in
    assert outline(plan) == [
        (1, "chapter", "第一章", "数字基础设施"),
        (2, "box", "专栏 2", "信息网络基础设施优化升级工程"),
        (3, "box_item", "1", "推进光纤网络扩容提速"),
        (3, "box_item", "2", "加快5G网络规模化部署"),
    ]
    assert plan.nodes[0].text == "加快建设信息网络基础设施。"


def test_docx_with_word_list_numbering_tree() -> None:
    plan = only_plan(parse_bytes(make_numbered_docx(), name="numbered.docx"))
    assert outline(plan) == [
        (1, "chapter", "第一章", "总体要求"),
        (2, "section", "第一节", "发展目标"),
        (2, "section", "第二节", "重点任务"),
        (3, "item", "1．", "加快数字基础设施建设"),
        (3, "item", "2．", "推动产业数字化转型"),
        (1, "chapter", "第二章", "保障措施"),
        (2, "section", "第一节", "加强组织领导"),
    ]


def test_pdf_with_a_printed_table_of_contents_checks_clean() -> None:
    result = parse_bytes(make_toc_pdf(), name="toc.pdf")
    assert result.warnings == []
    plan = only_plan(result)
    assert [(n.label, n.title, n.page) for n in walk(plan.nodes) if n.kind != "paragraph"] == [
        ("第一章", "发展背景", 2),
        ("第一节", "发展基础", 2),
        ("第二章", "总体要求", 3),
    ]


def test_pdf_front_matter_pages_match_the_printed_contents() -> None:
    result = parse_bytes(make_front_matter_pdf(), name="front.pdf")
    assert (result.source.pages, result.warnings) == (3, [])
    plan = only_plan(result)
    assert [(n.label, n.page) for n in plan.nodes] == [("第一章", 1), ("第二章", 2), ("第三章", 3)]


@pytest.mark.xfail(
    reason="splitting: the title printed only on the cover, above a 目录 page, is taken as "
    "the contents' title and not as the plan's; the plan is named after the file",
    strict=False,
)
def test_pdf_title_on_the_cover_only() -> None:
    plan = only_plan(parse_bytes(make_front_matter_pdf(), name="front.pdf"))
    assert plan.title == "某市“十四五”发展规划"


# --- the bundled seed in other encodings ----------------------------------------------------


def seed_outline(result: ParseResult) -> list[tuple[str, Outline]]:
    return [(plan.title, outline(plan)) for plan in result.plans]


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [
        ("gbk", "gbk"),
        ("utf-16", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
        ("utf-8-sig", "utf-8-sig"),
    ],
)
def test_seed_in_other_encodings_gives_the_same_plans(
    seed: ParseResult, seed_path: Path, encoding: str, reported: str
) -> None:
    text = seed_path.read_text(encoding="utf-8")
    result = parse_bytes(text.encode(encoding), name=seed_path.name)
    assert (result.source.format, result.source.encoding) == ("pdf-text", reported)
    assert result.source.pages == seed.source.pages
    assert seed_outline(result) == seed_outline(seed)
