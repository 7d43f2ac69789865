"""The readers: blocks from each format — headings and their levels, paragraphs joined from
wrapped lines, tables with spans expanded, 专栏 boxes as hints, line/page grounding."""

from __future__ import annotations

from pathlib import Path

import pytest

from planwatch.parsing.errors import ParseError
from planwatch.parsing.model import Block
from planwatch.parsing.readers import ReaderOutput
from planwatch.parsing.readers import csv as csv_reader
from planwatch.parsing.readers import docx as docx_reader
from planwatch.parsing.readers import html as html_reader
from planwatch.parsing.readers import markdown as markdown_reader
from planwatch.parsing.readers import pdf as pdf_reader
from planwatch.parsing.readers import text as text_reader
from tests.parsing.fixtures.documents import (
    INDICATORS,
    hard_wrap,
    make_box_table_pdf,
    make_docx,
    make_docx_with_textbox_box,
    make_framed_page_pdf,
    make_front_matter_pdf,
    make_gazette_pdf,
    make_image_pdf,
    make_numbered_docx,
    make_pdf,
    make_toc_pdf,
    make_tracked_changes_docx,
)

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text("utf-8")


def line_of(source: str, needle: str) -> int:
    """1-based line of the first source line containing `needle`."""
    return next(i for i, line in enumerate(source.split("\n"), start=1) if needle in line)


def find(blocks: list[Block], start: str) -> Block:
    return next(block for block in blocks if block.text.startswith(start))


# --- plain text -------------------------------------------------------------------------


def test_text_reader_one_block_per_line_with_its_line_number() -> None:
    source = (
        "　　第一章　总则\n\n   第一条　为了规范管理，制定本办法。  \n\t\n"
        "第二条　本办法适用于全省。\n"
    )
    blocks = text_reader.read(source, "a.txt").blocks
    assert [(b.text, b.line, b.end_line) for b in blocks] == [
        ("第一章　总则", 1, 1),
        ("第一条　为了规范管理，制定本办法。", 3, 3),
        ("第二条　本办法适用于全省。", 5, 5),
    ]
    assert all(b.markup_level is None and b.table is None for b in blocks)


def test_text_reader_leaves_out_copied_web_furniture() -> None:
    source = fixture("national-outline-14th-wiki.txt")
    texts = [b.text for b in text_reader.read(source, "a.txt").blocks]
    assert "维基百科，自由的百科全书" not in texts
    assert not any("CC BY-SA" in text or "最后修订" in text for text in texts)
    assert "参见" not in texts  # the encyclopedia trailer and what follows it
    assert texts[-1] == "实施更大力度的研发费用加计扣除、高新技术企业税收优惠等普惠性政策。"


def test_text_reader_keeps_a_trailer_word_followed_by_plan_headings() -> None:
    source = "\n".join(
        ["第一章 总则", "正文。"] * 5 + ["注释", "第二章 附则", "本规划自印发之日起施行。"]
    )
    texts = [b.text for b in text_reader.read(source, "a.txt").blocks]
    assert texts[-3:] == ["注释", "第二章 附则", "本规划自印发之日起施行。"]


# --- Markdown ---------------------------------------------------------------------------


def test_markdown_headings_paragraphs_and_line_numbers() -> None:
    source = fixture("digital-economy-14th-plan.md")
    blocks = markdown_reader.read(source, "plan.md").blocks
    headings = [(b.text, b.markup_level, b.line) for b in blocks if b.markup_level]
    assert headings[:4] == [
        ("“十四五”数字经济发展规划", 1, 1),
        ("一、发展现状和形势", 2, 5),
        ("（一）发展现状", 3, 7),
        ("（二）面临形势", 3, line_of(source, "### （二）面临形势")),
    ]
    # Two source lines of one paragraph are joined, and each stretch keeps its line.
    para = find(blocks, "“十三五”时期")
    second = para.text.index("2020年")
    assert (para.line, para.end_line) == (9, 10)
    assert para.spans == [(0, 9, None), (second, 10, None)]
    # CommonMark leaves “**lead。**text” unparsed next to CJK punctuation; markers still go.
    assert find(blocks, "信息基础设施全球领先").text.startswith("信息基础设施全球领先。建成")


def test_markdown_ordered_list_keeps_its_numbers_and_tables_are_grids() -> None:
    source = fixture("digital-economy-14th-plan.md")
    blocks = markdown_reader.read(source, "plan.md").blocks
    item = find(blocks, "2. 加快5G网络规模化部署")
    assert item.line == line_of(source, "2. 加快5G网络规模化部署")
    table = next(b for b in blocks if b.table is not None)
    assert table.table is not None
    assert table.table[0] == ["指标", "2020年", "2025年", "属性"]
    assert table.table[1] == ["数字经济核心产业增加值占GDP比重（%）", "7.8", "10", "预期性"]
    assert len(table.table) == 6
    assert (table.line, table.end_line) == (30, 36)


def test_markdown_setext_heading_code_block_and_inline_markup() -> None:
    source = "某市规划\n========\n\n    第一章 总则\n\n正文有[链接](http://x)和`代码`。\n"
    blocks = markdown_reader.read(source, "a.md").blocks
    assert [(b.text, b.markup_level, b.line) for b in blocks] == [
        ("某市规划", 1, 1),
        ("第一章 总则", None, 4),  # an indented line is a code block: kept as text
        ("正文有链接和代码。", None, 6),
    ]


def test_markdown_front_matter_is_not_a_heading() -> None:
    source = "---\ntitle: 某县规划\ndate: 2021-06-01\n---\n\n# 某县规划\n\n## 第一章 总则\n"
    blocks = markdown_reader.read(source, "a.md").blocks
    assert [(b.text, b.markup_level, b.line) for b in blocks] == [
        ("某县规划", 1, 6),
        ("第一章 总则", 2, 8),
    ]


def test_markdown_raw_html_table_goes_through_the_html_reader() -> None:
    source = (
        "## 一、主要指标\n\n<table>\n"
        '<tr><td rowspan="2">类别</td><td>指标</td><td>2025年</td></tr>\n'
        "<tr><td>城镇化率（%）</td><td>65</td></tr>\n</table>\n\n<!-- 注释 -->\n\n正文。\n"
    )
    blocks = markdown_reader.read(source, "a.md").blocks
    assert [(b.line, b.end_line, b.table) for b in blocks] == [
        (1, 1, None),
        (3, 5, [["类别", "指标", "2025年"], ["类别", "城镇化率（%）", "65"]]),
        (10, 10, None),
    ]


# --- HTML -------------------------------------------------------------------------------


def html_blocks() -> tuple[str, list[Block]]:
    source = fixture("transport-14th-plan.html")
    return source, html_reader.read(source, "plan.html").blocks


def test_html_drops_page_clutter() -> None:
    _, blocks = html_blocks()
    texts = "\n".join(b.text for b in blocks)
    for clutter in (
        "首页",
        "当前位置",
        "字体",
        "打印",
        "关闭窗口",
        "分享到",
        "扫一扫",
        "版权所有",
        "ICP",
        "索引号",
        "统计代码",
        "来源",
    ):
        assert clutter not in texts, clutter
    assert blocks[0].text == "国务院关于印发“十四五”现代综合交通运输体系发展规划的通知"


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "依法关闭退出落后产能，推动印刷打印行业转型。",
            "依法关闭退出落后产能，推动印刷打印行业转型。",
        ),
        ("收藏家协会参与文化遗产保护。", "收藏家协会参与文化遗产保护。"),
        ("第一章 总则【打印】", "第一章总则"),
        ("【字体：大 中 小】【打印本页】【关闭窗口】", ""),
        ("打印 关闭", ""),
        ("字体：大 中 小 打印", ""),
        ("分享到：微信 微博", ""),
        ("2022-01-18 16:00 来源：中国政府网", ""),
    ],
)
def test_html_clutter_words_inside_plan_text_are_kept(text: str, kept: str) -> None:
    assert html_reader.web_text(text) == kept


def test_html_headings_paragraphs_and_source_lines() -> None:
    source, blocks = html_blocks()
    heading = find(blocks, "一、发展环境")
    assert (heading.markup_level, heading.line) == (3, line_of(source, "<h3>一、发展环境"))
    assert find(blocks, "国务院关于印发").markup_level == 1
    sub = find(blocks, "（一）发展基础。")
    assert (sub.markup_level, sub.line) == (None, line_of(source, "（一）发展基础。"))
    # <br> separates lines; the indent (U+3000) is stripped.
    assert any(b.text == "国务院" for b in blocks)
    assert find(blocks, "2021年12月9日").line == line_of(source, "2021年12月9日")
    assert find(blocks, "交通运输是国民经济中").text.startswith("交通运输是国民经济中具有基础性")


def test_html_table_rowspan_and_colspan_fill_the_grid() -> None:
    source, blocks = html_blocks()
    table = next(b for b in blocks if b.table is not None and b.hint is None)
    assert table.line == line_of(source, '<table border="1" cellspacing="0"')
    assert table.table == [
        ["类别", "指标", "指标值", "指标值", "属性"],
        ["类别", "指标", "2020年", "2025年", "属性"],
        ["设施网络", "铁路营业里程（万公里）", "14.6", "16.5", "预期性"],
        ["设施网络", "其中：高速铁路营业里程（万公里）", "3.8", "5", "预期性"],
        ["设施网络", "公路通车里程（万公里）", "519.8", "550", "预期性"],
        ["设施网络", "民用运输机场数（个）", "241", "＞270", "预期性"],
        ["绿色安全", "城市新能源公交车辆占比（%）", "66.2", "72", "预期性"],
        ["绿色安全", "营运车辆单位运输周转量二氧化碳排放较2020年下降（%）", "—", "5", "约束性"],
    ]
    assert find(blocks, "表1").text == "表1\u3000“十四五”时期综合交通运输发展主要指标"


def test_html_box_tables_become_box_hints() -> None:
    _, blocks = html_blocks()
    start = blocks.index(find(blocks, "专栏1"))
    box = blocks[start : start + 5]
    assert [(b.hint, b.text[:8]) for b in box] == [
        ("box", "专栏1\u3000综合运输"),
        ("box_item", "01\u3000铁路"),
        ("box_text", "建设川藏铁路雅安"),
        ("box_item", "02\u3000公路"),
        ("box_text", "推进京沪、京港澳"),
    ]
    assert box[0].table is not None
    # A two-column box (number | text): the number heads the text of its row.
    second = blocks[blocks.index(find(blocks, "专栏2")) + 1]
    assert second.hint == "box_item"
    assert second.text.startswith("01\u3000国际性综合交通枢纽城市：")


def test_html_layout_table_is_read_as_flow_and_spans_are_capped() -> None:
    source = (
        "<html><body><table><tr><td><h2>第一章 总则</h2><p>正文第一段。</p></td></tr></table>"
        '<table><tr><td rowspan="999999" colspan="5000">甲</td><td>乙</td></tr>'
        "<tr><td>丙</td></tr></table></body></html>"
    )
    blocks = html_reader.read(source, "a.html").blocks
    # Markup white space next to Chinese characters is not a word break: it goes.
    assert [(b.text, b.markup_level) for b in blocks[:2]] == [
        ("第一章总则", 2),
        ("正文第一段。", None),
    ]
    grid = blocks[2].table
    assert grid is not None
    assert len(grid) == 2 and len(grid[0]) == 1001
    assert grid[1][0] == "甲" and grid[1][1000] == "丙"


def test_html_single_column_table_is_page_layout_but_a_box_is_kept() -> None:
    source = (
        '<html><body><table width="100%"><tr><td><p>某县发展规划</p><p>第一章 总则</p>'
        "<p>正文。</p></td></tr></table>"
        "<table><tr><td>专栏1 重点工程</td></tr><tr><td><p>1&nbsp;铁路</p>"
        "<p>建设成渝中线高铁。</p><p>5G网络</p></td></tr></table></body></html>"
    )
    blocks = html_reader.read(source, "a.html").blocks
    assert [(b.hint, b.text, b.table is not None) for b in blocks] == [
        (None, "某县发展规划", False),
        (None, "第一章总则", False),
        (None, "正文。", False),
        ("box", "专栏1重点工程", True),
        ("box_item", "1\u3000铁路", False),  # the gap after an item number is restored
        ("box_text", "建设成渝中线高铁。", False),
        ("box_text", "5G网络", False),
    ]


def test_html_information_disclosure_table_is_dropped() -> None:
    source = (
        "<html><body><table><tr><td>索引号：</td><td>008-1</td><td>成文日期：</td>"
        "<td>2021-06-09</td></tr></table><p>第一章 总则</p></body></html>"
    )
    assert [b.text for b in html_reader.read(source, "a.html").blocks] == ["第一章总则"]


def test_html_ordered_list_items_get_their_numbers() -> None:
    source = (
        '<html><body><ol start="2"><li>推进光纤网络扩容提速。</li><li>加快5G部署。</li></ol>'
        "<ol><li>（一）已编号的条目</li></ol><ul><li>无序条目</li></ul></body></html>"
    )
    texts = [b.text for b in html_reader.read(source, "a.html").blocks]
    assert texts == ["2.推进光纤网络扩容提速。", "3.加快5G部署。", "（一）已编号的条目", "无序条目"]


# --- DOCX -------------------------------------------------------------------------------


def test_docx_heading_styles_and_paragraph_ordinals() -> None:
    blocks = docx_reader.read(make_docx(), "plan.docx").blocks
    assert [(b.text, b.markup_level, b.line) for b in blocks if b.markup_level] == [
        ("一、发展现状和形势", 1, 3),
        ("（一）发展现状", 2, 4),
        ("二、总体要求", 1, 7),
        ("（一）发展目标", 2, 8),
        ("（二）加快建设信息网络基础设施", 2, 11),  # a style named “标题 2”
    ]
    assert blocks[0].text == "“十四五”数字经济发展规划"
    assert blocks[-1].text.startswith("加快构建算力") and blocks[-1].line == 13


def test_docx_tables_in_document_order_with_merges_expanded() -> None:
    blocks = docx_reader.read(make_docx(), "plan.docx").blocks
    table = next(b for b in blocks if b.table is not None and b.hint is None)
    assert table.line == 10  # after paragraph 9, before the “标题 2” paragraph 11
    expected = [row[:] for row in INDICATORS]
    expected[2][0] = "产业"  # the vertically merged 类别 cell repeats down its rows
    assert table.table == expected
    box = blocks[blocks.index(table) + 2 :]
    assert [b.hint for b in box[:5]] == ["box", "box_item", "box_text", "box_item", "box_text"]
    assert box[0].text == "专栏2\u3000信息网络基础设施优化升级工程"
    assert box[0].table is not None and box[0].table[0] == [box[0].text, box[0].text]  # gridSpan


def test_docx_text_box_box_is_read_once_after_its_anchor() -> None:
    blocks = docx_reader.read(make_docx_with_textbox_box(), "box.docx").blocks
    assert [(b.line, b.hint, b.text[:6]) for b in blocks] == [
        (1, None, "第一章　数字"),
        (2, None, "加快建设信息"),
        (2, "box", "专栏2　信息"),
        (2, "box_item", "1　推进光纤"),
        (2, "box_text", "加快千兆光纤"),
        (2, "box_item", "2　加快5G"),
        (2, "box_text", "推动5G独立"),
        (3, None, "加快构建算力"),
    ]


def test_docx_list_numbers_are_written_in_front_of_the_text() -> None:
    blocks = docx_reader.read(make_numbered_docx(), "numbered.docx").blocks
    assert [(b.text, b.markup_level) for b in blocks] == [
        ("第一章 总体要求", 1),
        ("第一节 发展目标", 2),
        ("到2025年，常住人口城镇化率达到65%。", None),
        ("第二节 重点任务", 2),
        ("1．加快数字基础设施建设", 3),  # numbered through the Heading 3 style
        ("2．推动产业数字化转型", 3),
        ("第二章 保障措施", 1),
        ("第一节 加强组织领导", 2),  # the section counter restarts under a new chapter
    ]


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (12, "chineseCountingThousand", "十二"),
        (40, "chineseCounting", "四十"),
        (3, "ideographTraditional", "丙"),
        (2, "decimalEnclosedCircleChinese", "②"),
        (7, "decimalFullWidth", "７"),
        (4, "upperRoman", "IV"),
        (2, "lowerLetter", "b"),
        (5, "decimal", "5"),
        (120, "chineseCounting", "120"),
    ],
)
def test_docx_list_number_formats(value: int, fmt: str, expected: str) -> None:
    assert docx_reader.format_number(value, fmt) == expected


def test_docx_text_of_tracked_changes_smart_tags_and_line_breaks() -> None:
    blocks = docx_reader.read(make_tracked_changes_docx(), "edited.docx").blocks
    assert [(b.text, b.markup_level) for b in blocks] == [
        ("第一章\u3000总体要求", 1),  # inserted and smart-tag runs kept, deleted/moved-away not
        ("到2025年，常住人口城镇化率达到65%。", None),  # a manual break joins like a wrap
    ]


def test_docx_corrupt_part_is_a_parse_error() -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>broken")
    with pytest.raises(ParseError, match=r"^bad\.docx: corrupt DOCX"):
        docx_reader.read(buffer.getvalue(), "bad.docx")


# --- PDF --------------------------------------------------------------------------------


def pdf_output() -> ReaderOutput:
    return pdf_reader.read(make_pdf(), "plan.pdf")


def test_pdf_paragraphs_rebuilt_from_line_positions() -> None:
    output = pdf_output()
    assert output.pages == 2
    blocks = output.blocks
    assert [b.text for b in blocks[:3]] == [
        "“十四五”数字经济发展规划",
        "数字经济是继农业经济、工业经济之后的主要经济形态，是以数据资源为关键要素，以现代信息网络为主要"
        "载体，以信息通信技术融合应用、全要素数字化转型为重要推动力，促进公平与效率更加统一的新经济形态。",
        "一、发展现状和形势",
    ]
    preamble = blocks[1]
    assert (preamble.line, preamble.end_line, preamble.page) == (2, 4, 1)
    assert [line for _, line, _ in preamble.spans] == [2, 3, 4]
    # A number broken by the line wrap is glued back (“1 | 0%” → “10%”).
    assert "占GDP比重达到10%，" in find(blocks, "到2025年").text


def test_pdf_footers_dropped_and_pages_from_the_page_index() -> None:
    blocks = pdf_output().blocks
    assert not any(b.text.startswith("—") for b in blocks)
    heading = find(blocks, "（二）加快建设信息网络基础设施")
    assert heading.page == 2
    assert find(blocks, "加快构建算力").page == 2


def test_pdf_ruled_table_and_framed_box() -> None:
    blocks = pdf_output().blocks
    table = next(b for b in blocks if b.table is not None and b.hint is None)
    assert table.table == INDICATORS
    assert table.page == 1
    start = blocks.index(find(blocks, "专栏2"))
    assert [(b.hint, b.text, b.line) for b in blocks[start : start + 3]] == [
        ("box", "专栏2 信息网络基础设施优化升级工程", 22),
        ("box_item", "1 推进光纤网络扩容提速", 23),
        (
            "box_text",
            "加快千兆光纤网络部署，持续推进新一代超大容量、超长距离的长途传输网络建设。",
            24,
        ),
    ]


def test_pdf_box_printed_as_a_ruled_table() -> None:
    blocks = pdf_reader.read(make_box_table_pdf(), "box.pdf").blocks
    assert [(b.hint, b.text, b.line) for b in blocks] == [
        (None, "第三章 建设现代基础设施体系", 1),
        (None, "加快建设综合立体交通网络。", 2),
        ("box", "专栏3 交通重点工程", 3),
        ("box_item", "1 铁路", 4),
        ("box_text", "建设成渝中线高铁，推进西渝高铁。", 4),
        ("box_item", "2 公路", 5),
        ("box_text", "推进成都经济区环线高速公路扩容。", 5),
        (None, "完善能源输送网络。", 6),
    ]
    assert blocks[2].table is not None and blocks[2].table[1][0] == "1 铁路"


def test_pdf_running_header_page_numbers_and_page_run_on() -> None:
    output = pdf_reader.read(make_gazette_pdf(), "gazette.pdf")
    assert output.pages == 3
    texts = [b.text for b in output.blocks]
    assert not any("公报" in text or text.startswith("-") for text in texts)
    assert [text for text in texts if text.startswith("第")] == [
        "第一章 任务",
        "第二章 任务",
        "第三章 任务",
    ]
    # The paragraph at the foot of page 1 ends on page 2's first line.
    run_on = output.blocks[1]
    assert run_on.text.endswith("深化数字化转型。")
    assert (run_on.page, run_on.spans[-1][2]) == (1, 2)
    assert output.blocks[2].page == 2


def test_pdf_toc_entries_stay_apart() -> None:
    blocks = pdf_reader.read(make_toc_pdf(), "toc.pdf").blocks
    toc = [b.text for b in blocks if b.page == 1]
    assert toc[0] == "目 录"
    assert [text.split("…")[0] for text in toc[1:]] == [
        "第一章 发展背景",
        "第一节 发展基础",
        "第二章 总体要求",
    ]
    assert all(text.endswith(("…2", "…3")) for text in toc[1:])


def test_pdf_pages_are_the_printed_page_numbers() -> None:
    output = pdf_reader.read(make_front_matter_pdf(), "front.pdf")
    assert output.pages == 3  # five PDF pages, printed 1–3 after a cover and a contents page
    pages = {b.text: b.page for b in output.blocks}
    assert pages["某市“十四五”发展规划"] is None
    assert pages["第一章 发展背景"] == 1
    assert pages["第三章 保障措施"] == 3
    assert pdf_reader.read(make_pdf(), "plan.pdf").pages == 2  # too few numbers: PDF index


def test_pdf_page_frame_is_not_a_table() -> None:
    blocks = pdf_reader.read(make_framed_page_pdf(), "letter.pdf").blocks
    assert [(b.text, b.table) for b in blocks] == [
        ("某市发展和改革委员会文件", None),
        ("第一章 总体要求", None),
        ("到2025年，常住人口城镇化率达到65%。", None),
    ]


@pytest.mark.parametrize(
    "coded",
    [
        "(cid:3021)(cid:1187)(cid:442)第一章",  # glyphs of a font without a ToUnicode map
        "\ue001\ue002\ue003\ue004第一章",  # glyphs mapped into the private use area
    ],
)
def test_pdf_unreadable_text_layer_is_refused(monkeypatch: pytest.MonkeyPatch, coded: str) -> None:
    line = pdf_reader._Line(coded, 72, 500, 100, 112, 1, 1, 842)
    monkeypatch.setattr(pdf_reader, "_extract", lambda data, name: (1, [line], []))
    with pytest.raises(ParseError) as caught:
        pdf_reader.read(b"%PDF-", "coded.pdf")
    assert caught.value.problem == pdf_reader.UNMAPPED_FONTS


def test_pdf_without_text_layer_is_refused() -> None:
    with pytest.raises(ParseError) as caught:
        pdf_reader.read(make_image_pdf(), "scan.pdf")
    assert str(caught.value) == "scan.pdf: PDF has no text layer (scanned image?); OCR it first"


# --- CSV --------------------------------------------------------------------------------


def test_csv_rows_are_paragraphs_of_the_longest_column() -> None:
    source = (
        "序号,内容,备注\n"
        "1,第一章　总体要求,\n"
        '2,"到2025年，常住人口城镇化率达到65%。",已核\n'
        "3,第一节　发展目标,\n"
    )
    blocks = csv_reader.read(source, "plan.csv").blocks
    assert [(b.text, b.line) for b in blocks] == [
        ("第一章　总体要求", 2),
        ("到2025年，常住人口城镇化率达到65%。", 3),
        ("第一节　发展目标", 4),
    ]


def test_csv_cell_holding_the_whole_document() -> None:
    source = 'id\ttext\n7\t"第一章　总则\n\n第一节　目的\n为了规范管理，制定本办法。"\n'
    blocks = csv_reader.read(source, "doc.csv").blocks
    assert [(b.text, b.line) for b in blocks] == [
        ("第一章　总则", 2),
        ("第一节　目的", 4),
        ("为了规范管理，制定本办法。", 5),
    ]


def test_csv_unterminated_quote_reads_to_the_end() -> None:
    blocks = csv_reader.read('序号,内容\n1,"第一章　总则\n第一节　目的\n', "cut.csv").blocks
    assert [(b.text, b.line) for b in blocks] == [("第一章　总则", 2), ("第一节　目的", 3)]


def test_text_reader_joins_a_hard_wrapped_file_back_into_paragraphs() -> None:
    source = fixture("city-government-work-report-2021.txt")
    blocks = text_reader.read(hard_wrap(source, 26), "wrapped.txt").blocks
    assert [b.text for b in blocks] == [line for line in source.split("\n") if line]
    first = find(blocks, "2020年是极不平凡的一年")
    wrapped = hard_wrap(source, 26).split("\n")
    assert wrapped[first.line - 1] == "2020年是极不平凡的一年。面对新冠肺炎疫情的严重冲击，"
    assert first.end_line - first.line == 3
    assert [line for _, line, _ in first.spans] == list(range(first.line, first.end_line + 1))


def test_text_reader_never_joins_table_rows() -> None:
    row = "地区生产总值年均增长率\t6.5%左右\t预期性\t全省统计公报逐年公布的数据口径说明"
    assert len(text_reader.read("\n".join([row] * 12), "rows.txt").blocks) == 12


def test_text_reader_keeps_short_lines_apart() -> None:
    source = "甲市发展规划\n目录\n第一章 总则……1\n第二章 任务……2\n" * 3
    assert len(text_reader.read(source, "toc.txt").blocks) == 12
