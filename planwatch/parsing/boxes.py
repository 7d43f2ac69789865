"""Project names listed in the text of a 专栏 box item (`Node.projects`).

Box items list the major projects of a field as 、-separated names inside sentences with a
verb in front and a collective noun behind: “建成成兰铁路、成自宜高铁,加快推进川藏铁路、成达万
…等干线铁路…”. A name is kept when it ends in a project-type word (铁路, 高铁, 高速, 机场, 水库,
枢纽, 园区, 平台, 中心, 基地 …); the verb phrase before the first name of a list (加快建设,
开工建设, 推进 …) is cut off. Names are returned in order of first appearance, without
duplicates, so that the major-projects register (product.md §12) can start from them."""

from __future__ import annotations

import re

# Word endings that make a name a project (longest first where one ends another).
_PROJECT_ENDINGS = (
    "高速公路", "高速", "高铁", "铁路", "城际", "轻轨", "地铁", "轨道交通", "机场", "港", "码头",
    "航电枢纽", "枢纽", "水库", "灌区", "引水工程", "工程", "大桥", "隧道", "快速路", "快速通道",
    "大道", "线", "园区", "产业园", "园", "基地", "平台", "中心", "实验室", "示范区", "功能区",
    "新区", "新城", "商圈", "物流港", "无水港", "电站", "水电站", "特高压", "装置", "设施",
    "小镇", "博览园", "公园", "走廊", "通道", "口岸", "保税区",
)  # fmt: skip
# Verb phrases that introduce a list; cut from the front of its first name.
_VERBS = re.compile(
    r"^(?:.*?(?:加快|推进|推动|开工|建成|完成|启动|争取|实施|支持|规划|谋划|打造|新建|改扩建|"
    r"扩建|续建|建设|布局|培育|提升|创建|申建|组建|建好|发展|开展|研究|加强|强化|依托|围绕|"
    r"以|联动|探索|力争|适时|做好|深化|优化)+(?:建设|推进|实施|工作|开工|前期)?)"
)
_SPLIT = re.compile(r"[、,，;；。:：]|和|及|以及|与")
_TAIL = re.compile(r"(等.*|为核心.*|为重点.*)$")
NAME_MIN, NAME_MAX = 3, 24


def extract_projects(text: str) -> list[str]:
    """The project names a box item's text lists, in order, without duplicates."""
    seen: dict[str, None] = {}
    for clause in _SPLIT.split(text):
        name = _project_name(clause)
        if name is not None:
            seen.setdefault(name, None)
    return list(seen)


def _project_name(clause: str) -> str | None:
    """The project name a list member holds, or None when it is not a project."""
    name = _TAIL.sub("", clause.strip())
    name = _VERBS.sub("", name)
    name = name.strip(' “”"()（）')
    if not NAME_MIN <= len(name) <= NAME_MAX:
        return None
    if not name.endswith(_PROJECT_ENDINGS) or re.search(r"[。!！?？]", name):
        return None
    return name
