"""Property tests: any mix of plan-like lines parses to a consistent tree or a ParseError."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from planwatch.parsing import ParseError, parse_bytes
from planwatch.parsing.model import Node
from tests.parsing.conftest import walk

PIECES = [
    "某市发展规划",
    "目　 录",
    "第一章　 总则 3………",
    "第一章　 总则",
    "第二章 目标",
    "第一篇 总体",
    "第一节　 背景",
    "一、任务",
    "（一）重点",
    "1．项目。内容。",
    "（2）工程",
    "专栏 1　 重点项目",
    "1　 铁路",
    "图 1　 示意图",
    "—3—",
    " 加快建设成自宜高铁,",
    "推进高质量发展。",
    "建立健全区域协调发展体制机制推动成渝地区双城经济圈建设取得实",
    "【字体：大 中 小】",
    "",
]


def _consistent(nodes: list[Node], level: int) -> None:
    for node in nodes:
        assert node.level == level and node.line <= node.end_line
        assert all(child.line >= node.line for child in node.children)
        assert all(child.end_line <= node.end_line for child in node.children)
        _consistent(node.children, level + 1)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.sampled_from(["text", "pdf-text"]))
def test_any_plan_like_text(lines: list[str], fmt: str) -> None:
    data = "\n\n".join(lines).encode()
    try:
        result = parse_bytes(data, name="x.txt", format=fmt)
    except ParseError as error:
        assert error.name == "x.txt"
        return
    for plan in result.plans:
        _consistent(plan.nodes, 1)
        assert all(n.kind != "box_item" or n.number for n in walk(plan.nodes))
