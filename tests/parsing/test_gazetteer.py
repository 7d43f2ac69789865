"""The shipped gazetteer: Sichuan's current division, the zones, other places, composites."""

from __future__ import annotations

import csv
from collections import Counter

import pytest
import rjieba

from planwatch.parsing.gazetteer import (
    DATA_DIR,
    SICHUAN,
    PlaceKey,
    load_gazetteer,
    segmentation_words,
)


def test_sichuan_has_21_prefectures_and_183_counties_by_official_type() -> None:
    gaz = load_gazetteer()
    assert len(gaz.prefectures()) == 21
    assert Counter(u.type for u in gaz.prefectures()) == {"地级市": 18, "自治州": 3}
    counties = gaz.counties()
    assert len(counties) == 183
    assert Counter(u.type for u in counties) == {"市辖区": 55, "县级市": 19, "县": 105, "自治县": 4}


def test_gazetteer_csv_rows_are_unique_and_well_parented() -> None:
    with (DATA_DIR / "gazetteer.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1 + 21 + 183
    codes = [row["adcode"] for row in rows]
    assert len(set(codes)) == len(codes)
    by_code = {row["adcode"]: row for row in rows}
    for row in rows:
        if row["level"] == "county":
            assert by_code[row["parent_adcode"]]["level"] == "prefecture", row
        # Every unit has a coordinate inside Sichuan's bounding box.
        assert 97.3 < float(row["lng"]) < 108.6 and 26.0 < float(row["lat"]) < 34.4, row


@pytest.mark.parametrize(
    ("adcode", "name", "parent"),
    [
        ("510117", "郫都区", "510100"),
        ("510118", "新津区", "510100"),
        ("510185", "简阳市", "510100"),
        ("510604", "罗江区", "510600"),
        ("510705", "安州区", "510700"),
        ("510981", "射洪市", "510900"),
        ("511083", "隆昌市", "511000"),
        ("511504", "叙州区", "511500"),
        ("513201", "马尔康市", "513200"),
        ("513301", "康定市", "513300"),
        ("513402", "会理市", "513400"),
    ],
)
def test_current_names_after_post_2016_changes(adcode: str, name: str, parent: str) -> None:
    unit = load_gazetteer().unit(adcode)
    assert unit is not None
    assert (unit.name, unit.parent_adcode) == (name, parent)


def test_former_names_and_codes_lead_to_the_current_unit() -> None:
    gaz = load_gazetteer()
    assert gaz.lookup("宜宾县") == [PlaceKey("叙州区", "511504", "county")]
    former = gaz.unit("510124")
    assert former is not None and former.name == "郫都区"
    moved = gaz.unit("512081")  # 简阳市 when it belonged to 资阳
    assert moved is not None and moved.parent_adcode == "510100"
    assert gaz.unit("513425") == gaz.unit("513402")


def test_prefecture_short_names() -> None:
    gaz = load_gazetteer()
    shorts = [u.short_name for u in gaz.prefectures()]
    assert shorts[:3] == ["成都", "自贡", "攀枝花"]
    assert shorts[-3:] == ["阿坝", "甘孜", "凉山"]
    assert gaz.lookup("凉山州") == [PlaceKey("凉山", "513400", "prefecture")]
    assert gaz.province.key == PlaceKey("四川", SICHUAN, "province")


def test_ambiguous_name_gives_every_place() -> None:
    names = [(k.name, k.adcode) for k in load_gazetteer().lookup("市中区")]
    assert names == [("市中区", "511002"), ("市中区", "511102")]


def test_zones_partition_the_prefectures() -> None:
    gaz = load_gazetteer()
    zones = gaz.zones()
    assert [z.name for z in zones] == [
        "成都平原经济区",
        "川南经济区",
        "川东北经济区",
        "攀西经济区",
        "川西北生态示范区",
    ]
    assert [z.aliases[0] for z in zones] == ["成都平原", "川南", "川东北", "攀西", "川西北"]
    members = [code for zone in zones for code in zone.members]
    assert sorted(members) == sorted(u.adcode for u in gaz.prefectures())
    with (DATA_DIR / "zones.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names = [gaz.units[code].short_name for code in row["members"].split(";")]
            assert names == row["member_names"].split(";")
    zone = gaz.zone_of("511500")
    assert zone is not None and zone.name == "川南经济区"


def test_composites_resolve_to_their_members() -> None:
    gaz = load_gazetteer()
    names = {abbr: [m.name for m in c.members] for abbr, c in gaz.composites.items()}
    assert names["成德眉资"] == ["成都", "德阳", "眉山", "资阳"]
    assert names["万达开"] == ["万州区", "达州", "开州区"]
    assert names["泸永江"] == ["泸州", "永川区", "江津区"]
    assert names["川南渝西"] == ["川南经济区", "渝西"]
    assert names["攀西"] == ["攀枝花", "凉山"]
    assert len(gaz.composites) == 69


def test_region_members_resolve() -> None:
    gaz = load_gazetteer()
    members = {r.name: [gaz.key_for(code).name for code in r.members] for r in gaz.regions.values()}
    assert members["成都都市圈"] == ["成都", "德阳", "眉山", "资阳"]
    assert members["大小凉山"] == ["凉山", "乐山"]
    # 21 prefectures in the zones; 成渝 2, 成都都市圈 4, 川陕革命老区 2, 大小凉山 2.
    assert sum(map(len, members.values())) == 21 + 2 + 4 + 2 + 2


def test_places_outside_sichuan_keep_their_adcodes() -> None:
    gaz = load_gazetteer()
    assert gaz.lookup("重庆") == [PlaceKey("重庆", "500000", "province")]
    wanzhou = gaz.unit("500101")
    assert wanzhou is not None and (wanzhou.name, wanzhou.parent_adcode) == ("万州区", "500000")
    assert not wanzhou.in_sichuan
    assert gaz.lookup("成渝地区双城经济圈") == [PlaceKey("成渝地区双城经济圈", None, "region")]


def test_segmentation_words_keep_places_whole() -> None:
    words = segmentation_words()
    assert {"成德眉资", "天府新区", "成渝地区双城经济圈", "仁寿县", "仁寿", "凉山州"} <= set(words)
    assert min(len(w) for w in words) == 2
    segmenter = rjieba.Jieba()
    for word in words:
        segmenter.add_word(word, None, None)
    tokens = segmenter.cut("加快成德眉资同城化进程,建设成渝地区双城经济圈和天府新区")
    assert {"成德眉资", "成渝地区双城经济圈", "天府新区"} <= set(tokens)
