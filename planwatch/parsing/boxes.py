"""Project names listed in the text of a 专栏 box item (`Node.projects`).

Box items list the major projects of a field as 、-separated names, with a verb phrase in front
and often a collective noun behind: “加快推进岷江犍为、龙溪口、老木孔…等航电枢纽…工程建设”,
“以成都天府国际生物城、成都医学城…为核心”. Each clause (text between commas and full stops)
is read as such a list:

* the verb phrase before a member (加快建设, 开工建设, 支持遂宁打造 …) is cut off;
* when the list closes with 等 + a project word (等航电枢纽, 等项目建设, 等平台载体) or with
  为核心/为重点, every member is a project, whatever its own ending;
* otherwise a member is kept only when its name ends in a project word (高铁, 机场, 水库,
  园区, 平台, 中心, 基地 …).

Generic phrases (一批…, 各类…, a bare 功能区) are dropped. Names are returned in order of first
appearance without duplicates; they seed the major-projects register (product.md §12)."""

from __future__ import annotations

import re
from functools import lru_cache

# Word endings that make a name a project.
_PROJECT_WORDS = (
    "高速公路", "高速", "高铁", "铁路", "城际", "轻轨", "轨道交通", "机场", "港", "码头", "枢纽",
    "水库", "灌区", "工程", "大桥", "隧道", "快速路", "快速通道", "大道", "线", "园区", "园",
    "基地", "平台", "中心", "实验室", "示范区", "功能区", "新区", "新城", "商圈", "电站", "装置",
    "设施", "小镇", "走廊", "通道", "口岸", "保税区", "管道", "变电站", "谷", "城", "馆", "院",
    "学校", "医院", "景区", "项目",
)  # fmt: skip
_VERB = (
    r"(?:加快|推进|推动|开工|建成|完成|启动|争取|实施|支持|规划|谋划|打造|新建|改扩建|扩建|续建|"
    r"建设|布局|培育|提升|创建|申建|组建|建好|发展|开展|研究|加强|强化|依托|围绕|联动|探索|力争|"
    r"适时|做好|深化|优化|投运|搭建|建立|新设|推行|做大|做强|配套|整合|完善|升级|改造|融入|"
    r"积极|重点|全面|协同|共同|共建|合作|鼓励|引导|争创|申报|加速|持续|有序|着力|大力|以|将|"
    r"结合|集中|主要|包括|构建|实施|新开工|前期|工作|项目|高水平|高标准|高质量)"
)
_LEAD_VERBS = re.compile(rf"^(?:{_VERB})+(?:建设|推进|实施)?")
_SUPPORT = re.compile(r"^(?:支持|推动|鼓励|与)[^、]{1,8}?(?:建设|打造|创建|申建|争创|共建)")
_CLAUSE_MARKS = frozenset(",，;；。:：")
_LIST_MARK = frozenset("、")
_OPEN, _CLOSE = "(（“《", ")）”》"
_COLLECTIVE = re.compile(r"等(?<![高平中同]等)(?![级同])(?P<tail>.*)$")
_PIVOT = re.compile(r"为(?:核心|重点|依托|主体|龙头|支撑)$")
_GENERIC = re.compile(r"^(一批|一个|若干|各类|各级|相关|有关|其他|重点|等|和|及)")
# `[。!！?？]|\d+(万|亿)?(亩|个|%)` opening with one class (a search skips to its characters).
_NOT_NAME = re.compile(r"[。!！?？\d](?:(?<=\d)\d*(?:万|亿)?(?:亩|个|%)|(?<!\d))")
# A member of a typed list (“龙溪口、老木孔等航电枢纽”) may be a 3-character name; a name that
# types itself needs 4 (“乐山机场”), which keeps bare generic words (美术馆, 富顺县) out.
LIST_NAME_MIN, NAME_MIN, NAME_MAX = 3, 4, 30


def extract_projects(text: str) -> list[str]:
    """The project names a box item's text lists, in order, without duplicates."""
    seen: dict[str, None] = {}
    for clause in split_outside_brackets(text, _CLAUSE_MARKS):
        for name in _clause_projects(clause.strip()):
            seen.setdefault(name, None)
    return list(seen)


def _clause_projects(clause: str) -> list[str]:
    """Projects of one clause, read as a 、-list possibly closed by 等… or 为核心."""
    collective = False
    found = _COLLECTIVE.search(clause)
    if found is not None:
        collective = _names_project(found.group("tail"))
        clause = clause[: found.start()]
    pivot = _PIVOT.search(clause)
    if pivot is not None:
        collective, clause = True, clause[: pivot.start()]
    if collective:
        members = [_strip_verbs(m) for m in split_outside_brackets(clause, _LIST_MARK)]
        return [m for m in members if _acceptable(m, LIST_NAME_MIN)]
    # A member must end in a project word once its verbs are cut (which only shortens it from
    # the front and drops quotes): a clause or member holding none is passed over unread.
    if not _ANY_PROJECT_WORD.search(clause):
        return []
    members = [
        _strip_verbs(m)
        for m in split_outside_brackets(clause, _LIST_MARK)
        if _ANY_PROJECT_WORD.search(m)
    ]
    # The cheap ending test first: most members are no project name.
    return [m for m in members if _is_project_name(m) and _acceptable(m, NAME_MIN)]


def split_outside_brackets(text: str, marks: frozenset[str]) -> list[str]:
    """`text` cut at each of `marks` that is not inside brackets or quotes, so that
    “向家坝(金沙江、锦屏)库区航道” stays one member."""
    if not _BRACKET.search(text):  # most texts: every mark cuts
        if len(marks) == 1:
            return text.split(next(iter(marks)))
        return _split_pattern(marks).split(text)
    parts: list[str] = []
    depth = start = 0
    # Only brackets, quotes and `marks` move the state: visit those characters alone.
    for found in _marks_pattern(marks).finditer(text):
        index, ch = found.start(), found.group()
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in marks and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


_BRACKET = re.compile("[" + re.escape(_OPEN + _CLOSE) + "]")


@lru_cache(maxsize=16)
def _split_pattern(marks: frozenset[str]) -> re.Pattern[str]:
    """One character class of `marks` (to split a text without brackets)."""
    return re.compile("[" + re.escape("".join(sorted(marks))) + "]")


@lru_cache(maxsize=16)
def _marks_pattern(marks: frozenset[str]) -> re.Pattern[str]:
    """One character class of the brackets, the quotes and `marks`."""
    return re.compile("[" + re.escape("".join(sorted({*_OPEN, *_CLOSE, *marks}))) + "]")


# Any project word (or 载体) anywhere in a text: one search instead of one `in` per word.
_ANY_PROJECT_WORD = re.compile("|".join(map(re.escape, (*_PROJECT_WORDS, "载体"))))
# The first characters of the verb phrases `_SUPPORT` and `_LEAD_VERBS` can match: a member
# starting otherwise has none to cut (most members), and both substitutions are skipped.
_SUPPORT_FIRST = frozenset("支推鼓与")
_VERB_FIRST = frozenset(word[0] for word in _VERB[3:-1].split("|"))


def _names_project(tail: str) -> bool:
    """Whether the words after 等 say what the listed members are (a project word)."""
    return _ANY_PROJECT_WORD.search(tail) is not None


def _strip_verbs(member: str) -> str:
    member = _unquote(member)
    if member[:1] in _SUPPORT_FIRST:
        member = _SUPPORT.sub("", member)
    if member[:1] in _VERB_FIRST:
        member = _LEAD_VERBS.sub("", member)
    return _unquote(member)


def _unquote(name: str) -> str:
    """Drop white space and the quote marks left unpaired by cutting the clause."""
    name = name.strip(' "')
    if name.startswith("“") and "”" not in name:
        name = name[1:]
    if name.endswith("”") and "“" not in name:
        name = name[:-1]
    if name.startswith("”"):
        name = name[1:]
    return name


def _is_project_name(name: str) -> bool:
    return name.endswith(_PROJECT_WORDS) and name not in _PROJECT_WORDS


def _acceptable(name: str, minimum: int) -> bool:
    """Long enough to be a name, short enough not to be a sentence, and not generic."""
    if not minimum <= len(name) <= NAME_MAX or _GENERIC.match(name):
        return False
    return name not in _PROJECT_WORDS and not _NOT_NAME.search(name)
