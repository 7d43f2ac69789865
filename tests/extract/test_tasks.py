"""Task-division notices → proposed tasks: shapes (lines, inline notes, tables in DOCX, HTML
and PDF, a table flattened to lines), the notice's own rules, deadlines, grounding, the
command line, and the fidelity measured on hand-checked real notices."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import docx
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from planwatch.parsing.errors import ParseError
from planwatch.parsing.extract import accuracy
from planwatch.parsing.extract.tasks import extract
from planwatch.parsing.extract.units import deadline, split_units

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "extract" / "tasks"
SYNTHETIC = FIXTURES / "yibin-2025-synthetic.txt"


def by_number(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["number"]: item for item in result["items"]}


def test_lines_after_the_item_give_its_units_grounded_to_their_lines() -> None:
    items = by_number(extract(FIXTURES / "lishan-2023.txt"))
    first = items["1"]
    assert first["lead_units"] == ["区发改局"]
    assert first["responsible_units"] == ["立山经济开发区", "全区经济运行各专班"]
    assert first["source"]["line"] == 17
    assert first["fields"]["lead_units"]["line"] == 19
    assert first["fields"]["responsible_units"]["line"] == 21
    assert first["path"] == ["一", "1"]
    assert first["section"] == "经济社会发展的主要预期目标"


def test_inline_note_gives_leads_and_leaders_apart() -> None:
    items = by_number(extract(FIXTURES / "xianan-2023.txt"))
    assert items["7"]["lead_units"] == ["区发改局", "区农业农村局"]
    assert items["7"]["leaders"] == ["杜新国", "丁玲"]
    assert items["12"]["responsible_units"][-1] == "相关乡镇办"
    assert "牵头单位" not in items["12"]["text"]


def test_a_notices_comma_rule_makes_leads_and_deadlines_get_periods() -> None:
    result = extract(SYNTHETIC)
    assert result["year"] == 2025
    assert [rule["rule"] for rule in result["rules"]] == ["comma-lead"]
    items = by_number(result)
    assert items["2"]["lead_units"] == ["区发改局", "区经信局"]
    assert items["2"]["responsible_units"] == ["各街道"]
    assert items["2"]["deadline"] == {
        "text": "6月底前",
        "period_end": "2025-06-30",
        "ongoing": False,
    }
    assert items["3"]["deadline"]["ongoing"] is True
    assert items["3"]["supporting_units"] == ["区大数据中心"]
    assert items["4"]["lead_units"] == ["区发改局"]  # 「（区发改局牵头，…按职责分工负责）」
    assert items["4"]["deadline"]["period_end"] == "2025-09-30"
    assert items["5"]["fields"]["deadline"]["line"] == items["5"]["source"]["line"]


def test_first_listed_rule() -> None:
    text = (
        "2024年重点任务分工\n责任单位排在第一位的为牵头单位。\n"
        "1.推进城市更新。\n责任单位：市住建局、市发展改革委\n完成时限：2024年9月\n"
    )
    path = _write(text, "first.txt")
    item = extract(path)["items"][0]
    assert item["lead_units"] == ["市住建局"]
    assert item["responsible_units"] == ["市发展改革委"]
    assert item["deadline"]["period_end"] == "2024-09-30"


def test_flattened_table_rows_become_items() -> None:
    items = extract(FIXTURES / "wuhu-2020.txt")["items"]
    assert [item["lead_units"] for item in items] == [["市自然资源和规划局"], ["市生态环境局"]]
    assert items[1]["responsible_units"] == ["各县(市)区政府", "开发区管委会"]


ROWS = [
    ["序号", "重点任务", "牵头单位", "责任单位", "完成时限"],
    ["一、扩大有效投资"] * 5,
    ["1", "全年固定资产投资增长8%以上。", "区发改局", "区财政局、区住建局", "2025年底前"],
    ["2", "新开工重大项目20个。", "区发改局", "各街道", "6月底前"],
]


def test_docx_table_and_paragraphs(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("某区2025年重点工作任务分解表")
    table = document.add_table(rows=len(ROWS), cols=5)
    for r, row in enumerate(ROWS):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(1, 0).merge(table.cell(1, 4))
    table.cell(1, 0).text = ROWS[1][0]
    document.add_paragraph("二、保障民生")
    document.add_paragraph("3.新增城镇就业3000人。")
    document.add_paragraph("牵头单位：区人社局")
    path = tmp_path / "notice.docx"
    document.save(str(path))
    result = extract(path)
    items = by_number(result)
    assert items["1"]["responsible_units"] == ["区财政局", "区住建局"]
    assert items["1"]["source"]["row"] == 2
    assert items["2"]["deadline"]["period_end"] == "2025-06-30"
    assert items["1"]["path"] == ["一", "1"]
    assert items["3"]["lead_units"] == ["区人社局"]
    assert result["format"] == "docx"


def test_html_table(tmp_path: Path) -> None:
    cells = "".join(
        "<tr>" + "".join(f"<td>{value}</td>" for value in row) + "</tr>"
        for row in [ROWS[0], *ROWS[2:]]
    )
    html = (
        f"<html><body><h1>2025年重点工作任务分解</h1><table border=1>{cells}</table></body></html>"
    )
    path = tmp_path / "notice.html"
    path.write_text(html, encoding="utf-8")
    items = extract(path)["items"]
    assert [item["lead_units"] for item in items] == [["区发改局"], ["区发改局"]]
    assert items[0]["source"]["line"] == 1


def test_pdf_lines_carry_their_page(tmp_path: Path) -> None:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("STSong-Light", 12)
    lines = ["2025年重点工作任务分解", "1.全年固定资产投资增长8%以上。", "牵头单位：区发改局"]
    for index, text in enumerate(lines):
        pdf.drawString(72, 760 - 24 * index, text)
    pdf.showPage()
    pdf.setFont("STSong-Light", 12)
    pdf.drawString(72, 760, "2.新增城镇就业3000人。")
    pdf.drawString(72, 736, "牵头单位：区人社局")
    pdf.save()
    path = tmp_path / "notice.pdf"
    path.write_bytes(buffer.getvalue())
    items = by_number(extract(path))
    assert items["1"]["lead_units"] == ["区发改局"]
    assert items["2"]["lead_units"] == ["区人社局"]
    assert items["2"]["source"]["page"] == 2


def test_a_file_without_tasks_names_what_was_looked_for(tmp_path: Path) -> None:
    path = _write("全市实现地区生产总值3000亿元。\n", "communique.txt")
    with pytest.raises(ParseError, match="牵头单位"):
        extract(path)


def test_units_and_deadlines() -> None:
    assert split_units("市经信局、中新苏滁高新区管委会等,各县、市、区政府。") == [
        "市经信局",
        "中新苏滁高新区管委会",
        "各县、市、区政府",
    ]
    assert split_units("各县（市、区）人民政府、市财政局") == ["各县（市、区）人民政府", "市财政局"]
    assert deadline("2024年底前", year=None)["period_end"] == "2024-12-31"
    assert deadline("上半年", year=2025)["period_end"] == "2025-06-30"
    assert deadline("持续推进", year=2025) == {
        "text": "持续推进",
        "period_end": None,
        "ongoing": True,
    }


def test_cli_prints_json_and_fails_with_one_line(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "planwatch.cli", "extract", "tasks"]
    done = subprocess.run(
        [*command, str(SYNTHETIC), "--format", "json"], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["kind"] == "tasks"
    bad = _write("无关内容\n", "other.txt", tmp_path)
    failed = subprocess.run([*command, str(bad)], capture_output=True, text=True, cwd=ROOT)
    assert failed.returncode == 2
    assert failed.stderr.count("\n") == 1 and "no task-division items" in failed.stderr


# The figures reached (scripts/extract_accuracy.py prints them): on the ten real notices, 34
# tasks proposed, 34 hand-checked, 34 right in every unit and deadline (precision 1.00, recall
# 1.00). Held out before that: 滁州 2024 right at first run; the two notices in traditional
# characters found nothing at first (31 of 34, recall 0.91) until labels were read simplified.
def test_fidelity_on_real_notices() -> None:
    tally = accuracy.total(accuracy.measure(ROOT, "tasks", "real"))
    assert tally.expected >= 34
    assert tally.precision >= 1.0
    assert tally.recall >= 1.0


def test_fidelity_on_every_fixture_at_unit_level() -> None:
    extracted = [
        (extract(ROOT / document), json.loads((ROOT / expected).read_text(encoding="utf-8")))
        for kind, document, expected, _set in accuracy.FIXTURES
        if kind == "tasks"
    ]
    tally = accuracy.Tally()
    for found, expected in extracted:
        tally.add(accuracy.units_tally(found, expected))
    assert tally.precision >= 1.0 and tally.recall >= 1.0


def _write(text: str, name: str, directory: Path | None = None) -> Path:
    import tempfile

    folder = directory or Path(tempfile.mkdtemp())
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_traditional_characters_and_a_lead_note() -> None:
    item = extract(FIXTURES / "xianyang-2022-traditional.txt")["items"][0]
    assert item["lead_units"] == ["市政府辦公室", "市行政審批制度改革工作領導小組辦公室"]
    assert item["responsible_units"] == ["市級各有關部門", "各縣市區政府"]
    assert item["text"].endswith("的銜接。")
    first = extract(FIXTURES / "qingdao-2023-traditional.txt")["items"][0]
    assert first["supporting_units"] == ["青島藍谷管理局"]
