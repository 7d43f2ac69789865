"""Project names in 专栏 item text."""

from __future__ import annotations

from planwatch.parsing.boxes import extract_projects


def test_named_projects_with_verbs_cut_off() -> None:
    text = (
        "加快建设成都至自贡至宜宾高铁、成都至达州至万州高铁,开工建设成渝中线高铁。"
        "支持遂宁打造“中国锂业之都”。"
    )
    assert extract_projects(text) == [
        "成都至自贡至宜宾高铁",
        "成都至达州至万州高铁",
        "成渝中线高铁",
    ]


def test_members_of_a_typed_list_are_projects() -> None:
    text = "加快推进岷江犍为、龙溪口、老木孔等航电枢纽及三星船闸工程建设。"
    assert extract_projects(text) == ["岷江犍为", "龙溪口", "老木孔"]
    text = "以成都天府国际生物城、成都医学城为核心,联动天府中药城等平台载体。"
    assert extract_projects(text) == ["成都天府国际生物城", "成都医学城", "天府中药城"]


def test_generic_phrases_are_not_projects() -> None:
    assert extract_projects("建设一批农业园区,新增耕地面积 18 万亩,完善功能区。") == []
