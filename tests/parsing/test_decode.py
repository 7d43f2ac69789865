"""decode(): encodings (BOMs, strict UTF-8, GBK/GB18030, UTF-16 with and without BOM) and
format detection (extension, HTML/Markdown markup, raw PDF text versus plain text, binary
signatures)."""

from __future__ import annotations

from pathlib import Path

import pytest

from planwatch.parsing.decode import decode, detect_text_format, looks_like_pdf_text, plausibility
from planwatch.parsing.errors import ParseError
from tests.parsing.fixtures.documents import make_docx, make_pdf

FIXTURES = Path(__file__).parent / "fixtures"
REPORT = (FIXTURES / "city-government-work-report-2021.txt").read_text("utf-8")

# Raw PDF text in the bundled file's shape (seed-format.md §2.1–2.3): visual lines one blank
# line apart, wrapped mid-sentence, a “—N—” footer followed by three blank lines.
PDF_TEXT = """第一章　 发展背景

“十四五”时期是成渝地区双城经济圈建设的关键时期,成都平原经济区

地区生产总值达到 4． 2 万亿元,常住人口城镇化率超过 60% 。 全面

推进区域协同发展,基础设施互联互通水平明显提升,公共服务共建共

享不断深化。

—2—



第一节　 发展基础

经济实力显著增强。 2020 年,区域经济总量占全省比重达到 60% ,
"""


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gbk", "gbk"),
        ("utf-16", "utf-16-le"),  # Python writes a little-endian BOM
        ("utf-16-be-bom", "utf-16-be"),
        ("utf-16-le", "utf-16-le"),  # no BOM: detected from the byte pattern
        ("utf-16-be", "utf-16-be"),
    ],
)
def test_encodings_of_a_text_fixture_decode_to_the_same_text(encoding: str, reported: str) -> None:
    if encoding == "utf-16-be-bom":
        data = b"\xfe\xff" + REPORT.encode("utf-16-be")
    else:
        data = REPORT.encode(encoding)
    text, fmt, used = decode(data, "report.txt")
    assert text == REPORT
    assert fmt == "text"
    assert used == reported


def test_gb18030_only_characters_are_decoded_as_gb18030() -> None:
    # U+20000 (a CJK Extension B character) and “€” exist in GB18030 but not in GBK.
    original = REPORT + "\n附：𠀀 €\n"
    text, _, used = decode(original.encode("gb18030"), "report.txt")
    assert (text, used) == (original, "gb18030")


def test_gbk_without_a_bom_is_not_mistaken_for_utf16() -> None:
    # An even number of bytes of GBK text: the UTF-16 probe must not claim it.
    body = "第一章　总体要求\n\n到2025年，常住人口城镇化率达到65%。\n"
    data = body.encode("gbk")
    assert len(data) % 2 == 0
    assert decode(data, "plan.txt")[2] == "gbk"


def test_line_endings_are_normalised() -> None:
    text, _, _ = decode("第一章 总则\r\n第一条 目的\r第二条 范围\n".encode(), "a.txt")
    assert text == "第一章 总则\n第一条 目的\n第二条 范围\n"


def test_binary_formats_are_returned_as_bytes() -> None:
    docx_bytes, pdf_bytes = make_docx(), make_pdf()
    assert decode(docx_bytes, "plan.docx") == (docx_bytes, "docx", None)
    assert decode(pdf_bytes, "plan.bin") == (pdf_bytes, "pdf", None)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("plan.md", "第一章 总则\n", "markdown"),
        ("plan.markdown", "第一章 总则\n", "markdown"),
        ("plan.htm", "第一章 总则\n", "html"),
        ("plan.csv", "内容\n第一章 总则\n", "csv"),
        ("plan.txt", "<!DOCTYPE html>\n<html><body><p>第一章</p></body></html>", "html"),
        ("plan", "<div><p>第一章 总则</p><p>第一节 目的</p><br></div>", "html"),
        ("plan.txt", "# 某规划\n\n## 第一章 总则\n\n正文。\n", "markdown"),
        ("plan.txt", "| 指标 | 2025年 |\n|---|---|\n| 城镇化率 | 65% |\n", "markdown"),
        ("plan.txt", PDF_TEXT, "pdf-text"),
        ("plan.txt", REPORT, "text"),
    ],
)
def test_format_detection(name: str, text: str, expected: str) -> None:
    assert detect_text_format(text, name) == expected


def test_raw_pdf_text_is_recognised_without_a_footer() -> None:
    without_footer = PDF_TEXT.replace("—2—\n", "")
    assert looks_like_pdf_text(without_footer)


def test_plain_text_with_blank_lines_between_paragraphs_is_not_pdf_text() -> None:
    # Paragraphs one blank line apart, each ending a sentence: a text file, not a PDF dump.
    paragraphs = [line for line in REPORT.split("\n") if line.endswith("。")]
    assert len(paragraphs) >= 6
    assert not looks_like_pdf_text("\n\n".join(paragraphs))


def test_heading_heavy_text_with_blank_lines_is_not_pdf_text() -> None:
    # Short headings stop without punctuation too; only full-width lines that stop
    # mid-sentence betray a PDF text layer.
    lines = ["第一章 总则", "第一节 目的", "为了规范管理，制定本办法。", "第二节 范围"]
    lines += ["本办法适用于全省。", "第二章 目标", "第一节 指标", "到2025年城镇化率达到65%。"]
    assert not looks_like_pdf_text("\n\n".join(lines))


def test_pdf_header_after_binary_junk_and_text_mentioning_it() -> None:
    pdf = make_pdf()
    assert decode(b"\x00\x01junk\n" + pdf, "download.pdf")[1] == "pdf"
    assert decode("说明：文件头为%PDF-1.7。\n第一章 总则\n".encode(), "a.txt")[1] == "text"


def test_forced_format_overrides_detection() -> None:
    content, fmt, _ = decode("# 标题\n\n正文。\n".encode(), "plan.md", format="text")
    assert (content, fmt) == ("# 标题\n\n正文。\n", "text")


def test_forced_binary_format_on_text_is_refused() -> None:
    with pytest.raises(ParseError, match=r"^plan\.txt: not a PDF file"):
        decode("第一章 总则\n".encode(), "plan.txt", format="pdf")


def test_forced_text_format_on_a_pdf_is_refused() -> None:
    with pytest.raises(ParseError, match=r"^plan\.pdf: file is a PDF, not text"):
        decode(make_pdf(), "plan.pdf", format="text")


def test_unknown_forced_format_is_refused() -> None:
    with pytest.raises(ParseError, match=r"unknown format 'rtf'"):
        decode("正文\n".encode(), "plan.txt", format="rtf")


def test_plausibility_separates_chinese_from_mojibake() -> None:
    assert plausibility(REPORT) > 0.95
    mojibake = REPORT.encode("utf-8").decode("gbk", errors="replace")
    assert plausibility(mojibake) < 0.8
    latin1 = bytes(range(0xA0, 0x100)).decode("latin-1") * 3
    assert plausibility(latin1) < 0.2


def test_declared_html_charset_is_used() -> None:
    # A GB2312-declared page holding a GBK-only character (“堃”): read as GB18030, reported gbk.
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        "</head><body><p>第一章　总则</p><p>建设堃山大道，2025年通车。</p></body></html>"
    )
    text, fmt, encoding = decode(page.encode("gbk"), "page.htm")
    assert (text, fmt, encoding) == (page, "html", "gbk")


def test_long_gbk_input_is_decoded() -> None:
    # Plausibility is judged on samples of a long text; the whole text is still decoded.
    body = (REPORT + "\n") * 2000  # about 2 MB
    text, _, encoding = decode(body.encode("gbk"), "big.txt")
    assert (text == body, encoding) == (True, "gbk")
