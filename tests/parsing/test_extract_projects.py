"""Project lists → proposed projects (planwatch.parsing.extract.projects): tables in HTML,
DOCX and XLSX, text lists, on the hand-checked fixtures and small documents written here."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from planwatch.parsing.errors import ParseError
from planwatch.parsing.extract import projects
from planwatch.parsing.extract.data_accuracy import measure

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "extract"


def test_precision_and_recall_on_the_hand_checked_lists() -> None:
    scores = measure(FIXTURES, "projects")["all"]
    assert scores.expected >= 20
    assert (scores.precision, scores.recall) == (1.0, 1.0), scores.misses


def test_an_html_table_with_categories_units_and_a_project_named_twice() -> None:
    result = projects.extract(FIXTURES / "projects-province-key-list.html")
    assert result["kind"] == "projects"
    first = result["items"][0]
    assert first["name"] == "宜宾至威信高速公路"
    assert first["total_investment"] == 1305000.0  # 130.5 亿元 in 万元
    assert first["annual_investment"] == 250000.0
    assert first["category"] == "交通基础设施"
    assert [p["name"] for p in first["places"]] == ["高县", "长宁县", "珙县"]
    assert first["source"]["row"] == 3
    assert [a["row"] for a in first["also_at"]] == [7]  # 「宜宾—威信高速公路」
    assert not any("合计" in i["name"] for i in result["items"])


def test_an_xlsx_sheet_with_a_unit_line_and_a_name_with_a_space() -> None:
    result = projects.extract(FIXTURES / "projects-district-key-list.xlsx")
    names = [i["name"] for i in result["items"]]
    assert "翠屏区人民医院新院区建设" in names
    first = result["items"][0]
    assert first["total_investment"] == 98000.0  # 9.8 亿元 under 「单位：亿元」
    assert first["source"] == {"sheet": "重点项目", "row": 4}
    assert first["category"] == "基础设施"


def test_a_docx_table_with_merged_category_rows() -> None:
    result = projects.extract(FIXTURES / "projects-city-eco-tourism.docx")
    assert [(i["name"], i["category"]) for i in result["items"]][1] == (
        "兴文县石海旅游集散中心",
        "文化旅游",
    )
    assert result["items"][2]["places"][0]["adcode"] == "511529"


def test_numbered_text_entries_and_a_flattened_table() -> None:
    entries = projects.extract(FIXTURES / "projects-city-key-list.txt")["items"]
    assert entries[0]["total_investment"] == 1070000.0
    assert entries[0]["source"]["line"] == 4
    assert entries[0]["also_at"] == [{"line": 10, "page": None}]  # 「…高速公路项目」, 107亿元
    table = projects.extract(FIXTURES / "projects-county-flat-table.txt")["items"]
    assert table[0]["owner"] == "县经济商务信息化和科技局"
    assert table[2]["category"] == "基础设施"


def test_name_key_makes_the_same_project_one() -> None:
    assert projects.name_key("宜宾—威信高速公路") == projects.name_key("宜宾至威信高速公路")
    assert projects.name_key("宜賓至敘永高速公路項目") == projects.name_key("宜宾至叙永高速公路")
    assert projects.name_key("二期") != projects.name_key("三期")


def test_resolve_places_prefers_counties() -> None:
    places = projects.resolve_places("宜宾市翠屏区、叙州区")
    assert [p["adcode"] for p in places] == ["511502", "511504"]


def test_a_file_without_projects_names_what_was_looked_for(tmp_path: Path) -> None:
    path = tmp_path / "名单.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["姓名", "单位", "电话"])
    book.active.append(["张三", "发改局", "123"])
    book.save(path)
    with pytest.raises(ParseError) as caught:
        projects.extract(path)
    assert "名单.xlsx" in str(caught.value) and "项目名称" in str(caught.value)
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(ParseError, match="XLSX"):
        projects.extract(broken)
