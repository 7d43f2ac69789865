"""The 公文 engine: a document described as plain data (a `Spec`: the 版头, the body as a list
of blocks, the 版记) rendered to DOCX with python-docx in the format of GB/T 9704-2012
(/work/shared/docs/methods.md §7). No Django here: the spec is JSON, so a document can be
rendered again, byte for byte the same content, from the snapshot stored with it.

Blocks (dicts, JSON-serialisable):
- {"t": "h", "level": 1-4, "text": …}: a heading, numbered 一、（一）1.（1） by the engine;
- {"t": "p", "text": …}: a body paragraph (first line indented two characters);
- {"t": "ph", "key": …, "prompt": …}: a passage a person writes (【待撰写：prompt】 until
  its text is given in `texts`);
- {"t": "table", "caption": …, "header": […], "rows": [[…]], "widths": [mm, …]};
- {"t": "chart", "caption": …, "chart": {…}} (planwatch.documents.charts draws it);
- {"t": "attachment", "label": "附件1", "title": …}: a new page opening an attachment."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any, TypedDict

from docx import Document as new_docx
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

# Page and text block (GB/T 9704-2012 §5.2.1, §5.2.2).
PAGE_W, PAGE_H = 210, 297  # mm, A4
TOP, LEFT = 37, 28  # mm: 天头, 订口
BLOCK_W, BLOCK_H = 156, 225  # mm: 版心
RIGHT, BOTTOM = PAGE_W - LEFT - BLOCK_W, PAGE_H - TOP - BLOCK_H  # 26, 35 mm
LINES, CHARS = 22, 28
FOOTER_DISTANCE = 24  # mm: the page number's 一字线 about 7 mm under the text block

# Sizes: 2号 22 pt, 3号 16 pt, 4号 14 pt.
TITLE_PT, BODY_PT, SMALL_PT, TABLE_PT = 22, 16, 14, 12
# Fonts as the standard names them; each with the fallbacks written into the font table
# (w:altName), which Word and LibreOffice use when the named font is not installed.
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI = "黑体"
KAI = "楷体_GB2312"
SONG = "宋体"
LATIN = "Times New Roman"
FALLBACKS = {
    TITLE_FONT: "宋体",
    BODY_FONT: "仿宋",
    HEI: "SimHei",
    KAI: "楷体",
    SONG: "SimSun",
    "仿宋": "FangSong",
    "楷体": "KaiTi",
}
RED = RGBColor(0xFF, 0x00, 0x00)
PLACEHOLDER = "【待撰写：{}】"


def twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


# 22 lines in 225 mm: the grid's line pitch. 28 characters of 16 pt need 442.4 pt where the
# text block has 442.2: each character is drawn 0.25 pt narrower (w:spacing −5 twentieths on
# the body style), which both Word and LibreOffice honour. The grid is of lines only: with a
# character grid (linesAndChars) LibreOffice puts a 16 pt character in two 15.8 pt cells and
# sets 14 characters a line. `CHAR_SPACE` (the pitch difference in 1/4096 pt) is still written
# on the grid, so Word's page set-up shows the 28-character pitch.
LINE_PITCH = int(BLOCK_H / 25.4 * 1440 / LINES)  # 579 twips = 28.95 pt (rounded down: 22 fit)
CHAR_SPACE = round((BLOCK_W / 25.4 * 72 / CHARS - BODY_PT) * 4096)  # −845
CHAR_SPACING_TWENTIETHS = -5  # −0.25 pt a character
GRID_TYPE = "lines"
MARK_PT = 30  # 发文机关标志: 13 characters of 30 pt fit the 156 mm line


class Spec(TypedDict, total=False):
    authority: list[str]  # issuing authorities (the first is the 署名 and 印发机关 by default)
    mark: str  # 发文机关标志, e.g. 四川省发展和改革委员会文件
    number: str  # 文号, e.g. 川发改〔2024〕15号 (empty while a draft)
    number_prefix: str  # 川发改〔2024〕 shown with a blank number while a draft
    title: str
    addressee: str  # 主送机关
    blocks: list[dict[str, Any]]
    attachments: list[str]  # 附件说明
    signature: str
    date: str  # 成文日期, e.g. 2024年12月31日
    cc: str  # 抄送
    printer: str  # 印发机关
    print_date: str


ChartDrawer = Callable[[dict[str, Any]], bytes]
CN_NUMERALS = "一二三四五六七八九十"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (enough for headings)."""
    if n <= 10:
        return CN_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_NUMERALS[tens - 1]
    return head + "十" + (CN_NUMERALS[ones - 1] if ones else "")


def heading_label(level: int, n: int) -> str:
    return {1: f"{cn_number(n)}、", 2: f"（{cn_number(n)}）", 3: f"{n}.", 4: f"（{n}）"}[level]


def placeholders_in(blocks: list[dict[str, Any]]) -> dict[str, str]:
    """key → prompt of every passage a person must write."""
    return {b["key"]: b["prompt"] for b in blocks if b.get("t") == "ph"}


def _fonts(rpr_owner: Any, east_asia: str, size: float | None = None) -> None:
    """Set a run's or a style's fonts: Latin in Times New Roman, Chinese in `east_asia`."""
    rpr = rpr_owner.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), LATIN)
    rfonts.set(qn("w:hAnsi"), LATIN)
    rfonts.set(qn("w:cs"), LATIN)
    rfonts.set(qn("w:eastAsia"), east_asia)
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rpr.append(el)
            el.set(qn("w:val"), str(round(size * 2)))


class _Owner:
    """Lets `_fonts` set the document defaults' w:rPr like a style's."""

    def __init__(self, rpr: Any) -> None:
        self.rpr = rpr

    def get_or_add_rPr(self) -> Any:
        return self.rpr


class Renderer:
    def __init__(self, spec: Spec, texts: dict[str, str], draw: ChartDrawer | None) -> None:
        self.spec, self.texts, self.draw = spec, texts, draw
        self.doc = new_docx()
        self.counters = [0, 0, 0, 0]
        self.tables = 0
        self.figures = 0
        self.signed = False

    # set-up ------------------------------------------------------------------------
    def page_setup(self) -> None:
        s = self.doc.sections[0]
        s.page_width, s.page_height = Mm(PAGE_W), Mm(PAGE_H)
        s.top_margin, s.bottom_margin = Mm(TOP), Mm(BOTTOM)
        s.left_margin, s.right_margin = Mm(LEFT), Mm(RIGHT)
        s.footer_distance, s.header_distance = Mm(FOOTER_DISTANCE), Mm(15)
        grid = s._sectPr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            s._sectPr.append(grid)
        grid.set(qn("w:type"), GRID_TYPE)
        grid.set(qn("w:linePitch"), str(LINE_PITCH))
        grid.set(qn("w:charSpace"), str(CHAR_SPACE))
        self.doc.settings.odd_and_even_pages_header_footer = True
        self._footer(s.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
        self._footer(s.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)

    def _footer(self, p: Paragraph, align: Any) -> None:
        """「— 1 —」 in 4号 宋体, one character in from the side (odd right, even left)."""
        p.alignment = align
        indent = Pt(SMALL_PT)
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = indent
        else:
            p.paragraph_format.left_indent = indent
        self._run(p, "— ", SONG, SMALL_PT)
        for kind, text in (("begin", ""), ("instr", " PAGE "), ("separate", ""), ("end", "")):
            run = self._run(p, "", SONG, SMALL_PT)
            if kind == "instr":
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = text
            else:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            run._r.append(el)
            if kind == "separate":
                self._run(p, "1", SONG, SMALL_PT)
        self._run(p, " —", SONG, SMALL_PT)

    def styles(self) -> None:
        st = self.doc.styles
        normal = st["Normal"]
        _fonts(normal.element, BODY_FONT, BODY_PT)
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(CHAR_SPACING_TWENTIETHS))
        normal.element.get_or_add_rPr().append(spacing)
        defaults = st.element.find(qn("w:docDefaults"))
        if defaults is not None:
            rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
            if rpr is not None:
                _fonts(_Owner(rpr), BODY_FONT, BODY_PT)
        pf = normal.paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(LINE_PITCH / 20)
        pf.space_before = pf.space_after = Pt(0)
        pf.widow_control = False
        for level, font in ((1, HEI), (2, KAI), (3, BODY_FONT), (4, BODY_FONT)):
            h = st[f"Heading {level}"]
            _fonts(h.element, font, BODY_PT)
            h.font.bold = False
            h.font.italic = False
            h.font.color.rgb = RGBColor(0, 0, 0)
            hf = h.paragraph_format
            hf.space_before = hf.space_after = Pt(0)
            hf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            hf.line_spacing = Pt(LINE_PITCH / 20)
            hf.first_line_indent = Pt(BODY_PT * 2)
            hf.keep_with_next = True
        title = st["Title"]
        _fonts(title.element, TITLE_FONT, TITLE_PT)
        title.font.color.rgb = RGBColor(0, 0, 0)
        title.font.bold = False
        tf = title.paragraph_format
        tf.alignment = WD_ALIGN_PARAGRAPH.CENTER
        tf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        tf.line_spacing = Pt(35)
        tf.space_before = tf.space_after = Pt(0)
        tpr = title.element.get_or_add_pPr()
        border = tpr.find(qn("w:pBdr"))
        if border is not None:
            tpr.remove(border)

    def font_table(self) -> None:
        """Name each 公文 font in the font table with its fallback (w:altName)."""
        part = next(
            p for p in self.doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml"
        )
        entries = "".join(
            f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
            f'<w:family w:val="{"roman" if "宋" in name else "modern"}"/>'
            f'<w:pitch w:val="variable"/></w:font>'
            for name, alt in FALLBACKS.items()
        )
        blob = part.blob.decode("utf-8")
        end = blob.rindex("</w:fonts>")
        part._blob = (blob[:end] + entries + blob[end:]).encode("utf-8")

    # pieces ------------------------------------------------------------------------
    def _run(self, p: Paragraph, text: str, font: str, size: float, *, bold: bool = False) -> Any:
        run = p.add_run(text)
        _fonts(run._r, font, size)
        if bold:
            run.bold = True
        return run

    def para(
        self,
        text: str = "",
        *,
        font: str = BODY_FONT,
        size: float = BODY_PT,
        align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY,
        indent: bool = True,
        style: str | None = None,
    ) -> Paragraph:
        p = self.doc.add_paragraph(style=style)
        p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        if text:
            self._run(p, text, font, size)
        return p

    def _border(self, p: Paragraph, side: str, size: int, color: str, space: int = 1) -> None:
        ppr = p._p.get_or_add_pPr()
        bdr = ppr.find(qn("w:pBdr"))
        if bdr is None:
            bdr = OxmlElement("w:pBdr")
            ppr.append(bdr)
        el = OxmlElement(f"w:{side}")
        for k, v in (("val", "single"), ("sz", str(size)), ("space", str(space))):
            el.set(qn(f"w:{k}"), v)
        el.set(qn("w:color"), color)
        bdr.append(el)

    def head(self) -> None:
        """版头: the issuing authority's mark in red (for a joint document the authorities one
        under another with 「文件」 beside them), the 文号, the red line under it."""
        sp = self.spec
        authorities = sp.get("authority") or []
        if not sp.get("mark") and len(authorities) > 1:
            self.joint_mark(authorities)
        else:
            mark = sp.get("mark") or f"{authorities[0]}文件"
            p = self.para(align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
            p.paragraph_format.space_before = Mm(35)
            p.paragraph_format.line_spacing = Pt(52)
            run = self._run(p, mark, TITLE_FONT, MARK_PT)
            run.font.color.rgb = RED
        self.para(indent=False)
        self.para(indent=False)
        number = sp.get("number") or (sp.get("number_prefix", "") + "　　号")
        p = self.para(number, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        self._border(p, "bottom", 12, "FF0000", space=11)
        self.para(indent=False)
        self.para(indent=False)

    def joint_mark(self, authorities: list[str]) -> None:
        """联合行文: the drafting authority first, the others in order, each on its line, and
        「文件」 centred beside them all (a borderless table)."""
        spacer = self.para(indent=False)
        spacer.paragraph_format.space_before = Mm(35) - Pt(LINE_PITCH / 20)
        longest = max(len(a) for a in authorities)
        names_w = BLOCK_W - 36
        size = min(MARK_PT, int(names_w / 25.4 * 72 / longest))
        t = self.doc.add_table(rows=len(authorities), cols=2)
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        t.columns[0].width, t.columns[1].width = Mm(names_w), Mm(36)
        right = t.cell(0, 1).merge(t.cell(len(authorities) - 1, 1))
        right.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
        for i, name in enumerate(authorities):
            cell = t.cell(i, 0)
            cell.width = Mm(names_w)
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.DISTRIBUTE
            p.paragraph_format.first_line_indent = Pt(0)
            p.paragraph_format.line_spacing = Pt(size * 1.4)
            self._run(p, name, TITLE_FONT, size).font.color.rgb = RED
        right.width = Mm(36)
        p = right.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.line_spacing = Pt(MARK_PT * 1.4)
        self._run(p, "文件", TITLE_FONT, MARK_PT).font.color.rgb = RED

    def title(self) -> None:
        p = self.doc.add_paragraph(style="Title")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._run(p, self.spec.get("title", ""), TITLE_FONT, TITLE_PT)
        self.para(indent=False)
        if self.spec.get("addressee"):
            self.para(self.spec["addressee"], indent=False)

    def heading(self, level: int, text: str) -> None:
        self.counters[level - 1] += 1
        for i in range(level, 4):
            self.counters[i] = 0
        p = self.doc.add_paragraph(style=f"Heading {level}")
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        font = {1: HEI, 2: KAI}.get(level, BODY_FONT)
        self._run(p, heading_label(level, self.counters[level - 1]) + text, font, BODY_PT)

    def placeholder(self, key: str, prompt: str) -> None:
        text = (self.texts.get(key) or "").strip()
        if text:
            for line in text.splitlines():
                if line.strip():
                    self.para(line.strip())
            return
        p = self.para()
        run = self._run(p, PLACEHOLDER.format(prompt), BODY_FONT, BODY_PT)
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    def table(self, block: dict[str, Any]) -> None:
        self.tables += 1
        cap = self.para(
            f"表{self.tables}　{block['caption']}",
            font=HEI,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            indent=False,
        )
        cap.paragraph_format.keep_with_next = True
        header, rows = block["header"], block["rows"]
        t = self.doc.add_table(rows=1 + len(rows), cols=len(header))
        t.style = self.doc.styles["Table Grid"]
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        widths = block.get("widths") or [BLOCK_W / len(header)] * len(header)
        for r, values in enumerate([header, *rows]):
            cells = t.rows[r].cells
            for c, value in enumerate(values):
                cells[c].width = Mm(widths[c])
                p = cells[c].paragraphs[0]
                p.paragraph_format.line_spacing = Pt(18)
                p.paragraph_format.first_line_indent = Pt(0)
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                self._run(p, str(value), HEI if r == 0 else BODY_FONT, TABLE_PT)
        tr_pr = t.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        tr_pr.append(repeat)
        self.para(indent=False)

    def chart(self, block: dict[str, Any]) -> None:
        if self.draw is None:
            return
        self.figures += 1
        png = self.draw(block["chart"])
        p = self.para(align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        p.add_run().add_picture(io.BytesIO(png), width=Mm(140))
        self.para(
            f"图{self.figures}　{block['caption']}",
            font=HEI,
            size=SMALL_PT,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            indent=False,
        )

    def attachment(self, block: dict[str, Any]) -> None:
        p = self.para(indent=False)
        p.add_run().add_break(WD_BREAK.PAGE)
        self._run(p, block.get("label", "附件"), HEI, BODY_PT)
        self.para(indent=False)
        t = self.doc.add_paragraph(style="Title")
        t.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._run(t, block["title"], TITLE_FONT, TITLE_PT)
        self.para(indent=False)

    def body(self) -> None:
        for b in self.spec.get("blocks", []):
            kind = b["t"]
            if kind == "h":
                self.heading(int(b["level"]), b["text"])
            elif kind == "p":
                self.para(b["text"])
            elif kind == "ph":
                self.placeholder(b["key"], b["prompt"])
            elif kind == "table":
                self.table(b)
            elif kind == "chart":
                self.chart(b)
            elif kind == "attachment":
                self.close_body()
                self.attachment(b)
            else:
                raise ValueError(f"unknown block {kind!r}")

    def close_body(self) -> None:
        """附件说明, then 署名 and 成文日期: once, before the first attachment or at the end."""
        if not self.signed:
            self.signed = True
            self.attachment_note()
            self.signature()

    def attachment_note(self) -> None:
        names = self.spec.get("attachments") or []
        if not names:
            return
        self.para(indent=False)
        for i, name in enumerate(names, 1):
            lead = "附件：" if i == 1 else "　　　"
            label = f"{i}. {name}" if len(names) > 1 else name
            self.para(lead + label)

    def signature(self) -> None:
        """发文机关署名 and 成文日期, right-aligned four characters in from the edge."""
        sp = self.spec
        signs = [sp["signature"]] if sp.get("signature") else list(sp.get("authority") or [])
        if not signs and not sp.get("date"):
            return
        self.para(indent=False)
        self.para(indent=False)
        for text in (*signs, sp.get("date", "")):
            if text:
                p = self.para(text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
                p.paragraph_format.right_indent = Pt(BODY_PT * 4)

    def record(self) -> None:
        """版记: 抄送 and the 印发机关 with the 印发日期 in 4号 仿宋 between lines (thick first
        and last line, thin between)."""
        sp = self.spec
        self.para(indent=False)
        p_cc = None
        if sp.get("cc"):
            p_cc = self.para(f"抄送：{sp['cc']}。", size=SMALL_PT, indent=False)
            p_cc.paragraph_format.left_indent = Pt(SMALL_PT)
            p_cc.paragraph_format.right_indent = Pt(SMALL_PT)
            self._border(p_cc, "top", 8, "000000")
        printer = sp.get("printer") or (sp.get("authority") or [""])[0]
        p = self.para(size=SMALL_PT, indent=False)
        p.paragraph_format.left_indent = Pt(SMALL_PT)
        p.paragraph_format.right_indent = Pt(SMALL_PT)
        p.paragraph_format.tab_stops.add_tab_stop(Mm(BLOCK_W) - Pt(SMALL_PT * 2), alignment=2)
        self._run(p, f"{printer}\t{sp.get('print_date', '')}印发", BODY_FONT, SMALL_PT)
        if p_cc is None:
            self._border(p, "top", 8, "000000")
        else:
            self._border(p, "top", 4, "000000")
        self._border(p, "bottom", 8, "000000")

    def render(self) -> bytes:
        self.page_setup()
        self.styles()
        self.font_table()
        # the template's first empty paragraph is dropped: the 版头 starts the page
        body = self.doc.element.body
        for p in list(body.iterchildren(qn("w:p"))):
            body.remove(p)
        if self.spec.get("authority") or self.spec.get("mark"):
            self.head()
        self.title()
        self.body()
        self.close_body()
        self.record()
        core = self.doc.core_properties
        core.title = self.spec.get("title", "")
        core.author = (self.spec.get("authority") or ["planwatch"])[0]
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def render_docx(
    spec: Spec, texts: dict[str, str] | None = None, draw: ChartDrawer | None = None
) -> bytes:
    """The DOCX of `spec`, with the written passages `texts` (key → text) in place of their
    placeholders and charts drawn by `draw`."""
    return Renderer(spec, texts or {}, draw).render()
