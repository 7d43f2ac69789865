"""TOC entries in their printed shapes, and the body cross-check."""

from __future__ import annotations

from planwatch.parsing.model import Node, Plan, TocEntry
from planwatch.parsing.toc import check_toc, parse_entry


def _entry(text: str) -> tuple[str, int, str, int | None] | None:
    entry = parse_entry(text, 1)
    return None if entry is None else (entry.kind, entry.number, entry.title, entry.page)


def test_entry_shapes() -> None:
    assert _entry("第一章　 发展背景 18………………") == ("chapter", 1, "发展背景", 18)
    assert _entry("　 　 第二节　 机遇挑战 21……") == ("section", 2, "机遇挑战", 21)
    assert _entry("第三节 推动现代服务业发展……128") == ("section", 3, "推动现代服务业发展", 128)
    assert _entry("第十二章 保障措施 ........ 56") == ("chapter", 12, "保障措施", 56)
    assert _entry("第一篇 总体要求 3") == ("part", 1, "总体要求", 3)
    assert _entry("第四章 加快建设 5G 网络") == ("chapter", 4, "加快建设5G网络", None)
    assert _entry("专栏 1 科技创新 30……") is None


def _heading(kind: str, number: int, title: str, page: int, line: int) -> Node:
    label = f"第{number}{'章' if kind == 'chapter' else '节'}"
    return Node(kind, number, label, title, "", 1, line, line, page)  # type: ignore[arg-type]


def test_check_reports_title_page_and_missing_entries() -> None:
    chapter = _heading("chapter", 1, "发展背景", 18, 608)
    chapter.children = [
        _heading("section", 1, "发展基础", 18, 616),
        _heading("section", 2, "机遇与挑战", 22, 717),
        _heading("section", 3, "新增一节", 23, 740),
    ]
    plan = Plan("某规划", 588, 17, [], [chapter])
    entries = [
        TocEntry("chapter", 1, "发展背景", 18, 32),
        TocEntry("section", 1, "发展基础", 18, 34),
        TocEntry("section", 2, "机遇挑战", 21, 36),
        TocEntry("chapter", 2, "总体要求", 21, 38),
    ]
    warnings = check_toc(plan, entries)
    assert [(w.code, w.line) for w in warnings] == [
        ("toc-body-mismatch", 717),  # title
        ("toc-body-mismatch", 717),  # page 21 against 22
        ("toc-body-mismatch", 38),  # 第二章 only in the TOC
        ("toc-body-mismatch", 740),  # 第三节 only in the body
    ]
    assert "“机遇挑战”" in warnings[0].message and "page 21" in warnings[1].message
