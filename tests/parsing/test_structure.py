"""The structure builder and plan splitting on documents that are not the bundled PDF text:
numbering systems, markup levels, material that is not the plan, several plans in one file."""

from __future__ import annotations

import pytest

from planwatch.parsing import ParseError, parse_bytes
from planwatch.parsing.model import Block, Node
from planwatch.parsing.numbering import cn_number, match_numbering
from planwatch.parsing.pipeline import build_plans
from planwatch.parsing.structure import TreeBuilder
from tests.parsing.conftest import walk

PLAIN = """【字体：大 中 小】
某某市是四川省的地级市，以下为百科介绍。
发展背景
总体要求
某某市“十四五”综合交通运输发展规划
为加快建设交通强市，编制本规划。
第一章 发展基础
“十三五”以来，交通建设成效明显。
第一节 发展成就
一、铁路建设
（一）高速铁路
1．成自宜高铁。加快建设成自宜高铁，2025年建成通车。
（1）内江段。完成征地拆迁。
2．成达万高铁。开工建设。
（二）普通铁路
二、公路建设
加快高速公路建设。全面推进 G42 扩容。
第二章 总体要求
专栏1 重点项目
1．铁路项目
成自宜高铁、成达万高铁等重大铁路项目。
第一节 指导思想
以习近平新时代中国特色社会主义思想为指导。
版权所有：某某市人民政府 蜀ICP备12345678号
"""


def _outline(nodes: list[Node]) -> list[tuple[int, str, str | None, str]]:
    return [(n.level, n.kind, n.label, n.title) for n in walk(nodes)]


def _blocks(*items: tuple[str, int | None]) -> list[Block]:
    return [
        Block(text, line, line, None, markup_level=level, spans=[(0, line, None)])
        for line, (text, level) in enumerate(items, start=1)
    ]


def test_cn_numbers() -> None:
    assert [cn_number(t) for t in ("一", "十", "十二", "二十三", "九十九", "一〇五", "两")] == [
        1,
        10,
        12,
        23,
        99,
        105,
        2,
    ]
    assert cn_number("十四五规划") is None


def test_numbering_styles() -> None:
    found = [match_numbering(t) for t in ("第十二章　 保障", "（三）推进", "1．铁路", "（2）公路")]
    assert [(n.style, n.number, n.label, n.title) for n in found if n] == [
        ("chapter", 12, "第十二章", "保障"),
        ("paren_cn", 3, "（三）", "推进"),
        ("arabic", 1, "1．", "铁路"),
        ("paren_arabic", 2, "（2）", "公路"),
    ]
    assert match_numbering("1.91万亿元") is None  # a decimal, not an item
    assert match_numbering("一体化发展") is None


def test_plain_text_nesting_and_material_outside_the_plan() -> None:
    result = parse_bytes(PLAIN.encode(), name="plan.txt")
    assert result.source.format == "text" and result.source.pages is None
    [plan] = result.plans
    assert (plan.title, plan.line) == ("某某市“十四五”综合交通运输发展规划", 5)
    assert _outline(plan.nodes) == [
        (1, "paragraph", None, ""),
        (1, "chapter", "第一章", "发展基础"),
        (2, "section", "第一节", "发展成就"),
        (3, "heading", "一、", "铁路建设"),
        (4, "heading", "（一）", "高速铁路"),
        (5, "item", "1．", "成自宜高铁"),
        (6, "item", "（1）", "内江段"),
        (5, "item", "2．", "成达万高铁"),
        (4, "heading", "（二）", "普通铁路"),
        (3, "heading", "二、", "公路建设"),
        (4, "provision", None, "加快高速公路建设"),
        (1, "chapter", "第二章", "总体要求"),
        (2, "box", "专栏 1", "重点项目"),
        (3, "box_item", "1", "铁路项目"),
        (2, "section", "第一节", "指导思想"),
    ]
    chapter = plan.nodes[1]
    assert chapter.text == "“十三五”以来，交通建设成效明显。" and chapter.end_line == 17
    item = plan.nodes[1].children[0].children[0].children[0].children[0]
    assert item.text == "加快建设成自宜高铁，2025年建成通车。"
    box_item = plan.nodes[2].children[0].children[0]
    assert box_item.projects == ["成自宜高铁", "成达万高铁"]
    last = plan.nodes[2].children[1]
    assert last.end_line == 23  # the licence line after it is web clutter, dropped


def test_markup_levels_become_headings() -> None:
    blocks = _blocks(
        ("某某规划", 1),
        ("前言", 2),
        ("本规划……", None),
        ("第一章 发展基础", 2),
        ("一、成就", 3),
        ("主要成就", 4),
        ("成效明显。具体如下。", None),
        ("附录", 2),
    )
    plans, _ = build_plans(blocks, "t.md")
    assert plans[0].title == "某某规划"
    assert _outline(plans[0].nodes) == [
        (1, "heading", None, "前言"),
        (1, "chapter", "第一章", "发展基础"),
        (2, "heading", "一、", "成就"),
        (3, "heading", None, "主要成就"),
        (4, "provision", None, "成效明显"),
        (1, "heading", None, "附录"),
    ]
    assert plans[0].nodes[0].text == "本规划……"


def test_unnumbered_short_lines_are_not_headings() -> None:
    nodes = TreeBuilder().build(
        _blocks(("第一章 总则", None), ("发展背景", None), ("总体要求", None))
    )
    assert [(n.kind, n.title, n.text) for n in walk(nodes)] == [
        ("chapter", "总则", "发展背景\n总体要求")
    ]


def test_parts_nest_chapters_and_do_not_split_plans() -> None:
    blocks = _blocks(
        ("某某纲要", None),
        ("第一篇 总体", None),
        ("第一章 背景", None),
        ("第二篇 创新", None),
        ("第一章 科技", None),
    )
    plans, _ = build_plans(blocks, "t.txt")
    assert len(plans) == 1
    assert _outline(plans[0].nodes) == [
        (1, "part", "第一篇", "总体"),
        (2, "chapter", "第一章", "背景"),
        (1, "part", "第二篇", "创新"),
        (2, "chapter", "第一章", "科技"),
    ]


def test_two_plans_in_one_file_with_their_tocs() -> None:
    text = (
        "甲市发展规划\n目录\n第一章 总则……1\n第二章 任务……2\n"
        "甲市发展规划\n第一章 总则\n内容。\n第二章 目标\n"
        "乙县发展规划\n第一章 总则\n"
    )
    result = parse_bytes(text.encode(), name="two.txt", format="text")
    assert [(p.title, p.line) for p in result.plans] == [("甲市发展规划", 5), ("乙县发展规划", 9)]
    assert [n.title for n in result.plans[0].nodes] == ["总则", "目标"]
    [warning] = result.warnings
    assert warning.code == "toc-body-mismatch" and "任务" in warning.message


def test_no_structure_is_a_parse_error() -> None:
    with pytest.raises(ParseError) as error:
        parse_bytes("今天天气很好。\n我们去公园。\n".encode(), name="note.txt")
    assert error.value.name == "note.txt" and "no recognisable" in error.value.problem


def test_long_run_of_intro_paragraphs_is_joined_once() -> None:
    blocks = _blocks(("第一章 总则", None), *[(f"第{i}段内容，没有导语", None) for i in range(3)])
    [chapter] = TreeBuilder().build(blocks)
    assert chapter.text == "第0段内容，没有导语\n第1段内容，没有导语\n第2段内容，没有导语"
    assert chapter.spans == [(0, 2, None), (11, 3, None), (22, 4, None)]


def test_table_of_contents_without_header_or_pages() -> None:
    text = (
        "某县发展规划\n第一章 总则\n第一节 背景\n第二章 目标\n前言内容。\n"
        "第一章 总则\n内容。\n第一节 背景\n内容。\n第二章 目标\n内容。\n"
    )
    result = parse_bytes(text.encode(), name="x.txt")
    [plan] = result.plans
    assert [(n.kind, n.label, n.line) for n in plan.nodes] == [
        ("paragraph", None, 5),
        ("chapter", "第一章", 6),
        ("chapter", "第二章", 10),
    ]
    assert result.warnings == []  # the listed titles match the body
