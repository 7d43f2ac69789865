"""The PDF-text reader: pages from footers and page joins, paragraphs from line widths, box
ends, TOC entries (seed-format.md §2)."""

from __future__ import annotations

import pytest

from planwatch.parsing.cleaning import em_width
from planwatch.parsing.readers import pdftext
from planwatch.parsing.readers.pdftext import scan_pages

FULL = "建立健全区域协调发展体制机制推动成渝地区双城经济圈建设取得实"  # 30 ideographs


def _pdf(*lines: str) -> str:
    """Visual lines one blank line apart, as the PDF text layer writes them."""
    return "\n\n".join(lines)


def test_footer_and_join_lines_advance_the_page() -> None:
    """+1 per footer and per line that starts with a space; a footer that disagrees with the
    count resets it to the printed number (and says so)."""
    text = "第一行。\n\n—1—\n\n\n\n第二页的一行\n 第三页的一行。\n\n—5—\n\n\n\n第四页。"
    lines, pages, warnings = scan_pages(text)
    assert [(line.text, line.page) for line in lines] == [
        ("第一行。", 1),
        ("第二页的一行", 2),
        ("第三页的一行。", 3),
        ("第四页。", 6),
    ]
    assert pages == 6
    assert [(w.code, w.line) for w in warnings] == [("page-footer-mismatch", 10)]  # —5— on p.3


def test_reversed_footer_digits_are_accepted(seed_lines: list[str]) -> None:
    """—69— stands on page 96 and —211— on page 112: the layer reverses multi-digit numbers."""
    lines, pages, warnings = scan_pages("\n".join(seed_lines))
    assert pages == 225 and warnings == []
    page_of = {line.no: line.page for line in lines}
    assert (page_of[3806], page_of[3812]) == (96, 97)
    assert (page_of[4410], page_of[4416]) == (112, 113)


def test_em_width_separates_first_full_and_box_lines(seed_lines: list[str]) -> None:
    def width(no: int) -> float:
        return em_width(seed_lines[no - 1])

    assert width(618) < pdftext.FIRST_LINE_MAX  # paragraph-first line (2 em indent)
    assert width(1098) > pdftext.FIRST_LINE_MAX  # full line after a mid-paragraph 。
    assert width(1189) > pdftext.BOX_LINE_MIN  # 专栏 text, smaller font
    assert round(width(618), 2) == 25.77


def test_short_line_after_sentence_end_closes_paragraph() -> None:
    output = pdftext.read(_pdf("第一章　 总则", FULL, "甲" * 20 + "。", "乙" * 27, "丙。"), "t")
    assert [b.text for b in output.blocks] == [
        "第一章　 总则",
        FULL + "甲" * 20 + "。",
        "乙" * 27 + "丙。",
    ]


def test_full_line_ending_in_full_stop_continues() -> None:
    full_end = FULL[:-1] + "。"  # a full line that happens to end a sentence
    output = pdftext.read(_pdf("第一章　 总则", full_end, FULL, "尾句。"), "t")
    assert len(output.blocks) == 2
    assert output.blocks[1].text == full_end + FULL + "尾句。"


def test_indented_first_line_opens_paragraph() -> None:
    first = FULL[:26]  # 2 em shorter than a full line: a paragraph-first line
    output = pdftext.read(_pdf("第一章　 总则", FULL[:-1] + "。", first, "完。"), "t")
    assert [b.line for b in output.blocks] == [1, 3, 5]


def test_footer_mid_word_joins_without_break() -> None:
    text = "第一章　 总则\n\n" + FULL[:-1] + "发\n\n—1—\n\n\n\n展瓶颈。"
    output = pdftext.read(text, "t")
    assert output.blocks[1].text == FULL[:-1] + "发展瓶颈。"
    assert output.blocks[1].spans == [(0, 3, 1), (len(FULL), 9, 2)]


def test_text_without_page_evidence_has_no_pages() -> None:
    output = pdftext.read(_pdf("第一章　 总则", FULL, "尾句。"), "t")
    assert output.pages is None
    assert [(b.page, b.spans[0][2]) for b in output.blocks] == [(None, None), (None, None)]


def test_toc_entries_and_wrapped_entry(seed_lines: list[str]) -> None:
    blocks = pdftext.read("\n".join(seed_lines[:600]), "seed").blocks
    toc = [b for b in blocks if b.hint == "toc"]
    assert len(toc) == 244  # 58 chapters + 186 sections; 317/319 is one entry
    wrapped = next(b for b in toc if b.line == 317)
    assert wrapped.text == "第一节做好乡镇行政区划和村级建制调整改革“后半篇”文章……139"
    assert [b.line for b in blocks if b.hint == "toc_title"] == [28, 138, 254, 368, 470]


def test_box_text_and_body_resumption(seed_lines: list[str]) -> None:
    blocks = pdftext.read("\n".join(seed_lines), "seed").blocks
    by_line = {b.line: b for b in blocks}
    assert (by_line[1250].hint, by_line[1250].text) == ("box_item", "1　 电子信息")
    assert (by_line[1284].hint, by_line[1284].end_line) == ("box_text", 1288)
    assert by_line[1290].hint is None and by_line[1290].text.startswith("发展壮大现代服务业。")
    assert by_line[1845].hint == "figure" and by_line[1840].end_line == 1840


def test_list_headings_and_numbered_paragraphs() -> None:
    lines = (
        "一、总体要求",
        "（一）指导思想",
        FULL[:26],
        FULL[:-1] + "。",
        "1．" + FULL[:27],
        "完。",
    )
    output = pdftext.read(_pdf(*lines), "t")
    assert [(b.line, b.text) for b in output.blocks] == [
        (1, "一、总体要求"),
        (3, "（一）指导思想"),
        (5, FULL[:26] + FULL[:-1] + "。"),
        (9, "1．" + FULL[:27] + "完。"),
    ]


def test_title_wrapped_inside_a_sentence_is_text() -> None:
    output = pdftext.read(
        _pdf("第一章　 总则", FULL[:26], "成渝地区双城经济圈建设规划", "纲要。"), "t"
    )
    assert [b.hint for b in output.blocks] == [None, None]
    assert output.blocks[1].text.endswith("建设规划纲要。")


def test_layout_is_measured_per_document(seed_lines: list[str]) -> None:
    lines, _, _ = scan_pages("\n".join(seed_lines))
    assert pdftext.measure_layout(lines).full == pdftext.REFERENCE_FULL == 27.5
    full = FULL + "乙" * 4  # 34 em: a layout with longer lines than the bundled file
    paragraph = [FULL[:26] + "甲" * 6, full, full, full, FULL[:28] + "完成。"]  # 32, 34 … em
    text = _pdf("第一章　 总则", *(paragraph * 20))
    layout = pdftext.measure_layout(scan_pages(text)[0])
    assert em_width(full) == layout.full == 34.0 and layout.first_max == pytest.approx(32.8)
    blocks = pdftext.read(text, "t").blocks
    assert len(blocks) == 21 and blocks[1].text == "".join(paragraph)


def test_title_wrapped_over_two_lines() -> None:
    text = _pdf(
        "四川省国民经济和社会发展第十四个五年规划和", "二〇三五年远景目标纲要", "第一章　 总则"
    )
    blocks = pdftext.read(text, "t").blocks
    assert [(b.hint, b.line, b.end_line) for b in blocks] == [("title", 1, 3), (None, 5, 5)]
    assert blocks[0].text == "四川省国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要"


def test_box_items_numbered_with_full_stops() -> None:
    box_line = FULL + "建设项目工程"  # 36 em: box text
    text = _pdf(
        "第一章　 总则",
        "专栏 1　 重点工程",
        "1．铁路",
        box_line + "。",
        "（2）公路",
        box_line + "。",
    )
    blocks = pdftext.read(text, "t").blocks
    assert [(b.hint, b.text) for b in blocks[1:]] == [
        ("box", "专栏 1　 重点工程"),
        ("box_item", "1．铁路"),
        ("box_text", box_line + "。"),
        ("box_item", "（2）公路"),
        ("box_text", box_line + "。"),
    ]


def test_form_feeds_start_pages_without_double_counting() -> None:
    text = "第一页。\n\f第二页。\n- 2 -\n\f第三页。\n\f第四页。"
    lines, pages, warnings = scan_pages(text)
    assert [(line.text, line.page) for line in lines] == [
        ("第一页。", 1),
        ("第二页。", 2),
        ("第三页。", 3),
        ("第四页。", 4),
    ]
    assert pages == 4 and warnings == []


def test_kept_first_line_indent_opens_a_paragraph() -> None:
    # A full line ends a sentence; the next line is as wide but printed with its indent.
    text = "\n".join(
        ["第一章 总则", "    " + FULL, FULL[:-1] + "。", "    " + FULL, FULL, FULL, "完。"]
    )
    blocks = pdftext.read(text, "t").blocks
    assert [(b.line, b.end_line) for b in blocks] == [(1, 1), (2, 3), (4, 7)]


def test_margin_on_every_line_is_not_an_indent() -> None:
    text = "  第一章 总则\n  " + FULL[:-1] + "。\n  " + FULL + "\n  完。"
    blocks = pdftext.read(text, "t").blocks
    assert [(b.line, b.end_line) for b in blocks] == [(1, 1), (2, 4)]


def test_chapter_title_wrapped_over_two_lines() -> None:
    text = _pdf(
        "第七章　 深化重点领域改革加快构建高水平社会主义", "市场经济体制", FULL[:26], "完。"
    )
    blocks = pdftext.read(text, "t").blocks
    assert [(b.text, b.line, b.end_line) for b in blocks] == [
        ("第七章深化重点领域改革加快构建高水平社会主义市场经济体制", 1, 3),
        (FULL[:26] + "完。", 5, 7),
    ]
