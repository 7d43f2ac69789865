"""The 公文 engine against GB/T 9704-2012's values: page set-up, grid, fonts and sizes,
heading numbering, 版头, 版记, the page-number footers and the table style."""

from __future__ import annotations

from typing import Any

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from planwatch.documents import charts, gongwen
from tests.documents.docx_checks import east_asia, load, mm, run_fonts, table_rows, texts

SPEC: gongwen.Spec = {
    "authority": ["四川省发展和改革委员会"],
    "number": "川发改〔2025〕3号",
    "title": "川南经济区2024年度规划实施监测报告",
    "addressee": "省人民政府：",
    "blocks": [
        {"t": "h", "level": 1, "text": "总体情况"},
        {"t": "p", "text": "正文。"},
        {"t": "h", "level": 2, "text": "交通"},
        {"t": "h", "level": 3, "text": "铁路"},
        {"t": "h", "level": 4, "text": "城际"},
        {"t": "h", "level": 2, "text": "生态"},
        {"t": "h", "level": 1, "text": "存在问题"},
        {"t": "ph", "key": "problems", "prompt": "存在的主要问题"},
        {"t": "table", "caption": "指标", "header": ["指标", "数值"], "rows": [["GDP", "1"]]},
        {
            "t": "chart",
            "caption": "状态",
            "chart": {"kind": "bar", "labels": ["滞后"], "series": [{"name": "n", "values": [1]}]},
        },
    ],
    "date": "2025年1月10日",
    "cc": "省人民政府办公厅",
    "print_date": "2025年1月10日",
}


@pytest.fixture(scope="module")
def doc() -> Any:
    return load(gongwen.render_docx(SPEC, {}, charts.draw))


def test_page_is_a4_with_the_standard_margins(doc: Any) -> None:
    s = doc.sections[0]
    assert (mm(s.page_width), mm(s.page_height)) == (210.0, 297.0)
    assert (mm(s.top_margin), mm(s.left_margin)) == (37.0, 28.0)
    assert (mm(s.right_margin), mm(s.bottom_margin)) == (26.0, 35.0)
    # the text block is 156 × 225 mm
    assert mm(s.page_width - s.left_margin - s.right_margin) == 156.0
    assert mm(s.page_height - s.top_margin - s.bottom_margin) == 225.0


def test_grid_gives_22_lines_of_28_characters(doc: Any) -> None:
    grid = doc.sections[0]._sectPr.find(qn("w:docGrid"))
    pitch = int(grid.get(qn("w:linePitch")))  # twips
    block_h_pt = 225 / 25.4 * 72
    assert int(block_h_pt * 20 // pitch) == 22
    normal = doc.styles["Normal"]
    assert normal.paragraph_format.line_spacing.pt == pitch / 20
    # characters: 16 pt less the body style's character spacing, 28 to the 156 mm line
    spacing = normal.element.find(qn("w:rPr")).find(qn("w:spacing"))
    char_pt = 16 + int(spacing.get(qn("w:val"))) / 20
    block_w_pt = 156 / 25.4 * 72
    assert int(block_w_pt // char_pt) == 28
    # the character pitch the standard asks is on the grid too (1/4096 pt)
    char_space = int(grid.get(qn("w:charSpace")))
    assert round(block_w_pt / (16 + char_space / 4096)) == 28


def test_body_and_title_fonts(doc: Any) -> None:
    normal = doc.styles["Normal"]
    assert east_asia(normal.element) == "仿宋_GB2312"
    assert normal.font.size.pt == 16
    title = next(p for p in doc.paragraphs if p.text == SPEC["title"])
    assert title.style.name == "Title"
    assert run_fonts(title) == {("方正小标宋简体", 22.0)}
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_font_table_names_each_font_with_a_fallback(doc: Any) -> None:
    part = next(p for p in doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    xml = part.blob.decode("utf-8")
    for name, alt in (("仿宋_GB2312", "仿宋"), ("方正小标宋简体", "宋体"), ("黑体", "SimHei")):
        assert f'w:name="{name}"><w:altName w:val="{alt}"/>' in xml


def test_headings_numbered_in_four_levels_with_their_fonts(doc: Any) -> None:
    heads = [
        (p.style.name, p.text, run_fonts(p))
        for p in doc.paragraphs
        if p.style.name.startswith("Heading")
    ]
    assert [(s, t) for s, t, _ in heads] == [
        ("Heading 1", "一、总体情况"),
        ("Heading 2", "（一）交通"),
        ("Heading 3", "1.铁路"),
        ("Heading 4", "（1）城际"),
        ("Heading 2", "（二）生态"),
        ("Heading 1", "二、存在问题"),
    ]
    fonts = {s: f for s, _, f in heads}
    assert fonts["Heading 1"] == {("黑体", 16.0)}
    assert fonts["Heading 2"] == {("楷体_GB2312", 16.0)}
    assert fonts["Heading 3"] == fonts["Heading 4"] == {("仿宋_GB2312", 16.0)}
    assert not doc.styles["Heading 1"].font.bold


def test_head_has_the_red_authority_mark_number_and_red_line(doc: Any) -> None:
    paras = [p for p in doc.paragraphs if p.text]
    mark = paras[0]
    assert mark.text == "四川省发展和改革委员会文件"
    assert mark.runs[0].font.color.rgb == gongwen.RED
    number = next(p for p in doc.paragraphs if p.text == "川发改〔2025〕3号")
    border = number._p.find(qn("w:pPr")).find(qn("w:pBdr")).find(qn("w:bottom"))
    assert border.get(qn("w:color")) == "FF0000"


def test_record_has_cc_and_printer_in_14pt_fangsong_between_lines(doc: Any) -> None:
    all_text = texts(doc)
    assert "抄送：省人民政府办公厅。" in all_text
    printed = doc.paragraphs[-1]
    assert printed.text == "四川省发展和改革委员会\t2025年1月10日印发"
    assert run_fonts(printed) == {("仿宋_GB2312", 14.0)}
    borders = printed._p.find(qn("w:pPr")).find(qn("w:pBdr"))
    assert borders.find(qn("w:bottom")) is not None
    assert "2025年1月10日" in all_text  # 成文日期


def _footer_runs(footer: Any) -> tuple[str, list[str], set[Any]]:
    p = footer.paragraphs[0]
    instr = [el.text for el in p._p.iter(qn("w:instrText"))]
    return p.text, instr, run_fonts(p)


def test_page_numbers_right_on_odd_and_left_on_even_pages(doc: Any) -> None:
    assert doc.settings.odd_and_even_pages_header_footer
    s = doc.sections[0]
    for footer, align in (
        (s.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (s.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        text, instr, fonts = _footer_runs(footer)
        assert footer.paragraphs[0].alignment == align
        assert text == "— 1 —"
        assert [i.strip() for i in instr] == ["PAGE"]
        assert fonts == {("宋体", 14.0)}


def test_placeholder_marked_until_written() -> None:
    blank = load(gongwen.render_docx(SPEC))
    assert "【待撰写：存在的主要问题】" in texts(blank)
    written = load(gongwen.render_docx(SPEC, {"problems": "资金不足。"}))
    assert "资金不足。" in texts(written)
    assert not any("待撰写" in t for t in texts(written))


def test_table_in_gongwen_style(doc: Any) -> None:
    table = doc.tables[0]
    assert table.style.name == "Table Grid"
    assert table_rows(table) == [["指标", "数值"], ["GDP", "1"]]
    head = table.rows[0].cells[0].paragraphs[0]
    assert run_fonts(head) == {("黑体", 12.0)}
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert "表1　指标" in texts(doc)


def test_chart_is_a_png_drawn_with_a_cjk_font(doc: Any) -> None:
    assert charts.cjk_font()
    images = [r for r in doc.part.rels.values() if "image" in r.reltype]
    assert len(images) == 1
    assert images[0].target_part.blob[:8] == b"\x89PNG\r\n\x1a\n"
    assert "图1　状态" in texts(doc)


def test_missing_cjk_font_fails_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    charts.cjk_font.cache_clear()
    monkeypatch.setattr(charts.font_manager.fontManager, "ttflist", [])
    with pytest.raises(charts.ChartFontMissing, match="fonts-noto-cjk"):
        charts.cjk_font()
    charts.cjk_font.cache_clear()
