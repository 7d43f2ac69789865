"""Project names in 专栏 item text."""

from __future__ import annotations

from planwatch.parsing import ParseResult
from planwatch.parsing.boxes import extract_projects
from tests.parsing.conftest import walk


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


def test_brackets_keep_a_member_whole() -> None:
    text = "实施四川(自贡、内江、宜宾)人力资源服务产业园、西南(自贡)国际陆港等项目。"
    assert extract_projects(text) == [
        "四川(自贡、内江、宜宾)人力资源服务产业园",
        "西南(自贡)国际陆港",
    ]


def test_seed_box_items_list_projects(seed: ParseResult) -> None:
    items = [n for plan in seed.plans for n in walk(plan.nodes) if n.kind == "box_item"]
    with_projects = [item for item in items if item.projects]
    assert len(items) == 166 and len(with_projects) == 143
    assert sum(len(item.projects or []) for item in items) == 780
