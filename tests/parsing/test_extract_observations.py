"""Statistical communiqués → proposed observations (planwatch.parsing.extract.observations),
on the hand-checked excerpts in tests/fixtures/extract/ and on small documents written here."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from planwatch.parsing.errors import ParseError
from planwatch.parsing.extract import observations
from planwatch.parsing.extract.data_accuracy import measure

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "extract"


def write(tmp_path: Path, text: str, name: str = "公报.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def by_key(result: dict) -> dict[tuple[str, str], dict]:
    return {(i["indicator"], i["kind"]): i for i in result["items"]}


def test_precision_and_recall_on_the_hand_checked_communiques() -> None:
    """The figures reached when the rules were frozen; a change that loses any fails."""
    scores = measure(FIXTURES, "communique")
    dev, held_out = scores["dev"], scores["held-out"]
    assert dev.expected >= 80 and held_out.expected >= 40
    assert (dev.precision, dev.recall) == (1.0, 1.0), dev.misses
    assert held_out.precision == 1.0, held_out.misses
    assert held_out.recall == 1.0, held_out.misses
    assert scores["all"].place_right == scores["all"].files
    assert scores["all"].year_right == scores["all"].files


def test_a_sentence_gives_the_level_and_its_growth_with_line_and_stage(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "宜宾市2023年国民经济和社会发展统计公报\n\n初步核算,全市实现地区生产总值3806.1亿元,"
        "比上年增长8.3%。\n",
    )
    result = observations.extract(path)
    assert result["kind"] == "observations" and result["file"] == "公报.txt"
    assert result["place"] == {"name": "宜宾市", "adcode": "511500", "level": "prefecture"}
    assert result["year"] == 2023
    level, growth = (
        by_key(result)[("地区生产总值", "level")],
        by_key(result)[("地区生产总值", "growth")],
    )
    assert (level["value"], level["unit"], level["line"]) == (3806.1, "亿元", 3)
    assert (growth["value"], growth["unit"]) == (8.3, "%")
    assert level["stage"] == "preliminary"
    assert "3806.1亿元" in level["text"]


def test_traditional_characters_stray_spaces_and_footnote_marks(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "瀘州市2023年國民經濟和社會發展統計公報\n"
        "全年地區生產總值①2725. 90億元,比上年增長6.2%。\n"
        "年末常住人口423.6萬人②。社會消費品零售總額1316.16[3]億元,下降1.5%。\n",
    )
    found = by_key(observations.extract(path))
    assert found[("地区生产总值", "level")]["value"] == 2725.9
    assert found[("地区生产总值", "level")]["indicator_as_written"] == "地区生产总值"
    assert found[("常住人口", "level")]["value"] == 423.6
    assert found[("社会消费品零售总额", "level")]["value"] == 1316.16
    assert found[("社会消费品零售总额", "growth")]["value"] == -1.5


def test_units_are_normalised_to_the_indicators_unit(tmp_path: Path) -> None:
    path = write(
        tmp_path, "2015年全县地区生产总值244394万元,比上年增长13.1%。年末常住人口38.5万人。"
    )
    found = by_key(observations.extract(path))
    level = found[("地区生产总值", "level")]
    assert (level["value"], level["unit"]) == (24.4394, "亿元")
    assert (level["value_as_written"], level["unit_as_written"]) == ("244394", "万元")


def test_a_table_flattened_into_lines_gives_value_and_growth(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "宜宾市2022年国民经济和社会发展统计公报\n指标 单位 绝对数 比上年增长(%)\n"
        "规模以上工业增加值 亿元 1283. 6 9.8\n社会消费品零售总额 亿元 1285.10 2.1\n",
    )
    found = by_key(observations.extract(path))
    assert found[("规模以上工业增加值", "level")]["value"] == 1283.6
    assert found[("规模以上工业增加值", "growth")]["value"] == 9.8
    assert found[("社会消费品零售总额", "level")]["line"] == 4


def test_shares_contributions_sub_places_and_other_measures_are_not_proposed(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        "2021年全市地区生产总值1000.0亿元,增长5.0%,两年平均增长4.0%。"
        "现代服务业增加值300.0亿元,占GDP的30.0%,对GDP增长的贡献率为20.0%。"
        "甲区、乙区分别实现地区生产总值600.0亿元和400.0亿元。"
        "户籍人均地区生产总值90000元。其中,税收收入80.0亿元,增长9.0%。",
    )
    result = observations.extract(path)
    assert [(i["indicator"], i["kind"], i["value"]) for i in result["items"]] == [
        ("地区生产总值", "level", 1000.0),
        ("地区生产总值", "growth", 5.0),
    ]


def test_the_three_sectors_stated_respectively(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "2021年全区地区生产总值250.0亿元,增长8.1%,其中,一、二、三产业增加值分别为41.0亿元、"
        "38.6亿元和170.4亿元,分别增长6.9%、8.6%和8.3%,一、二、三产业对经济的贡献率分别为"
        "14.2%、15.7%和70.1%。甲乙两区分别实现地区生产总值100.0亿元和150.0亿元,分别增长"
        "5.0%和6.0%。",
    )
    found = by_key(observations.extract(path))
    assert found[("第二产业增加值", "level")]["value"] == 38.6
    assert found[("第三产业增加值", "growth")]["value"] == 8.3
    assert found[("地区生产总值", "level")]["value"] == 250.0
    assert len(found) == 8


def test_a_file_without_statements_names_what_was_looked_for(tmp_path: Path) -> None:
    path = write(tmp_path, "关于做好2024年春节期间安全生产工作的通知\n各单位要高度重视。\n")
    with pytest.raises(ParseError) as caught:
        observations.extract(path)
    assert "公报.txt" in str(caught.value)
    assert "地区生产总值" in str(caught.value) and "no statements" in str(caught.value)


def test_the_final_verification_stage_is_recognised(tmp_path: Path) -> None:
    path = write(tmp_path, "经最终核实,2022年全市地区生产总值3427.84亿元,比上年增长4.4%。")
    assert {i["stage"] for i in observations.extract(path)["items"]} == {"final"}


@pytest.mark.skipif(
    importlib.util.find_spec("planwatch.parsing.extract.cli") is None,
    reason="the `planwatch extract` command is built with issue 16 item 1",
)
def test_the_cli_prints_the_proposals_as_json() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "planwatch.cli",
            "extract",
            "observations",
            str(FIXTURES / "communique-yibin-2022-composed.txt"),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["kind"] == "observations" and doc["place"]["adcode"] == "511500"
    expected = json.loads(
        (FIXTURES / "communique-yibin-2022-composed.expected.json").read_text(encoding="utf-8")
    )
    assert len(doc["items"]) == len(expected["items"])


def test_a_spreadsheet_is_named_as_such_with_what_was_looked_for() -> None:
    """A workbook given as a communiqué: the error says it is a spreadsheet and what the
    extractor looks for, not the parser's 「not a plan document」."""
    from planwatch.parsing.extract.docread import NotText

    workbook = FIXTURES / "projects-district-key-list.xlsx"
    with pytest.raises(NotText) as caught:
        observations.extract(workbook)
    assert caught.value.what == "xlsx"
    problem = caught.value.problem
    assert "Excel workbook (XLSX)" in problem and "not a statistical communiqué" in problem
    assert "统计公报" in problem and "plan document" not in problem
    word = FIXTURES / "projects-city-eco-tourism.docx"  # a document, just not a communiqué
    with pytest.raises(ParseError) as other:
        observations.extract(word)
    assert not isinstance(other.value, NotText)
