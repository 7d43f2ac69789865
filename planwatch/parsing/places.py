"""Place extraction: which places a plan mentions and how often, and which prefectures the plan
itself says it covers.

Mentions are found with one Aho–Corasick automaton over every name in the gazetteer (full names,
short names, aliases, former names, region names and composite abbreviations), resolved
leftmost-longest so that 成都平原经济区 is a region and not 成都, 峨眉山 is not 眉山 and 四川南向
is 四川 and not 川南. Short names that are also ordinary words or parts of other names are
guarded by context rules (嘉陵江 is a river, not 嘉陵区; 新都桥 a town, not 新都区; 通江达海 an
idiom, not 通江县); a composite (内自, 成德眉资 …) counts once for each place it names.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate
from typing import NamedTuple

import ahocorasick

from planwatch.parsing.gazetteer import Gazetteer, PlaceKey, Unit, load_gazetteer
from planwatch.parsing.model import Node, Place, Plan

# Short names never matched on their own: ordinary words (南部 "southern part", 大安 in 重特大
# 安全, 前锋) or names shared by two units (市中区 of 内江 and of 乐山). Their full names,
# prefixed by the prefecture (攀枝花东区, 内江市市中区), are still matched.
DENIED = frozenset({"南部", "东区", "西区", "大安", "市中区", "市中", "前锋"})

# Text that must not follow a name for it to count: (name, regex matched at the name's end).
NOT_AFTER: dict[str, str] = {
    "嘉陵": "江",  # 嘉陵江 (river)
    "新都": "桥",  # 新都桥 (town in 康定)
    "通江": "达海",  # 通江达海 (idiom: "reach the rivers and the sea")
    "邛崃": "山",  # 邛崃山 (mountain range)
    "九龙": "坡",  # 九龙坡 (Chongqing district)
    "名山": "大川",
    "朝天": "门",
    "小金": "库",
    "安居": "乐|工程|房|型|保障|住|宜",
    "兴文": "化|明|艺|旅|体",
    "长寿": "之乡|村|老人|食品",
    "内江": "河|湖",  # 境内江河
    "内自": "然|由|治|己|身|动|律|觉|行|愿|给|贸|信|强|主(?!城)",  # 区内自然; but 内自主城区
    "成资": "源|本|金|产|格|质|讯|料",  # 形成资源
    "西成": "为|了|功|效|果|长|本|型|立",  # 川西成为
    "荣昌": "盛",  # 繁荣昌盛
    "安康": "乐|宁|泰|福",  # 平安康乐
    "大足": "球",
    "大英": "博|帝|国",
    "白玉": "兰|般|无",
    "会理": "事",  # 协会理事
    "金牛": "座",
    "沿滩": "涂",
    "石棉": "瓦|纤|制品",
}
# Text that must not precede a name: (name, regex matched at the name's start).
NOT_BEFORE: dict[str, str] = {
    "江安": "长",  # 长江安全
    "江阳": "长",
    "江油": "长",
    "东坡": "苏|州",  # 苏东坡, 眉州东坡 (brands)
    "大理": "重|管|处|办|代|清|治|修|整|受|审|助",  # 重大理论
    "资中": "投|融|出|筹|工|集|物",  # 投资中心
    "越西": "跨|超|穿|飞",  # 跨越西部
    "乡城": "城",  # 城乡城镇
    "雅乐": "典|高|文|优|古",
    "宜叙": "适|便|合|相",
    "合川": "结|融|联|整|综|配|组|适|符|复|契|吻|聚|汇|混",  # 结合川南经济区
    "香格里拉": "大",  # 大香格里拉, a tourism brand of three provinces
    "宁南": "安",  # 安宁南岸
    "木里": "树|林|草|苗|积",  # 树木里
    "合江": "汇|融|结",
    "梁平": "桥|栋|脊|横",
}
# Names that count only when followed by this (a route word): 达万 alone is 高达万元.
ONLY_AFTER: dict[str, str] = {"达万": "铁路|高铁|城际|高速|线"}
# A two-character county name ending in 县 is often the tail of a word before 县城/县域/县级
# (提高县城, 繁荣县域, 治理县级): those do not count.
COUNTY_WORD_AFTER = "城|域|级|乡|镇|委|政|长|区|市|际|里|内|外|和|志|情|财|直"
# A name ending in 川 before a direction is the tail of a word before 川南/川东北/川渝 …
# (中国联通川东北数据中心 is not 通川区).
CHUAN_REGION_AFTER = "东北|西北|南|西|渝|陕|藏|滇|黔|甘"
# A name starting with 成 (成德, 成渝, 成华 …; not 成都) after a verb that forms a word with
# 成 (建成, 形成, 完成 …) is that verb plus a place name (建成南充), unless the verb is one that
# takes an object (共建, 打造 …: 共建成德临港经济).
VERB_CHENG = re.compile(
    r"(?:(?<![共创新组援在筹兴重承扩改续联])建|(?<![打营再改塑创制建])造"
    r"|[完形构达变组合生促养落集做转制赞收现速既长练连汇结围筑酿编写])$"
)


class Mention(NamedTuple):
    """One place named at text[start:end]. A composite yields one Mention per member, all
    with the same span."""

    key: PlaceKey
    start: int
    end: int


@dataclass(frozen=True)
class _Entry:
    surface: str
    keys: tuple[PlaceKey, ...]
    composite: bool = False


class _Hit(NamedTuple):
    """One automaton match (a tuple: made for every match in every node's text, a frozen
    dataclass cost several times more to build)."""

    start: int
    end: int
    entry: _Entry


_LEVEL_RANK = {"province": 0, "prefecture": 1, "county": 2, "region": 3, "other": 4}


def _unit_surfaces(unit: Unit, gaz: Gazetteer) -> Iterator[str]:
    """Every string that names ``unit`` in running text, guarded names excluded."""
    names = [unit.name, *unit.aliases, *(old for old, _ in unit.former_names)]
    if len(unit.short_name) >= 2 and unit.short_name != unit.name:
        names.append(unit.short_name)
    yield from (name for name in names if name not in DENIED)
    parent = gaz.unit(unit.parent_adcode) if unit.parent_adcode else None
    if parent is not None and (unit.name in DENIED or unit.short_name in DENIED):
        yield parent.short_name + unit.name
        yield parent.name + unit.name


def _surface_table(gaz: Gazetteer) -> dict[str, _Entry]:
    """Surface string → entry. When two places share a surface the higher level wins
    (阿坝 is the prefecture, 阿坝县 the county); a tie between equals is dropped."""
    candidates: dict[str, set[PlaceKey]] = {}
    for unit in gaz.units.values():
        for surface in _unit_surfaces(unit, gaz):
            candidates.setdefault(surface, set()).add(unit.key)
    for region in gaz.regions.values():
        for surface in (region.name, *region.aliases):
            candidates.setdefault(surface, set()).add(region.key)
    table = {s: e for s, keys in candidates.items() if (e := _single_entry(s, keys))}
    for abbr, composite in gaz.composites.items():
        table[abbr] = _Entry(abbr, composite.members, composite=True)
    return table


def _single_entry(surface: str, keys: set[PlaceKey]) -> _Entry | None:
    ranked = sorted(keys, key=lambda key: _LEVEL_RANK[key.level])
    if len(ranked) > 1 and _LEVEL_RANK[ranked[0].level] == _LEVEL_RANK[ranked[1].level]:
        return None
    return _Entry(surface, (ranked[0],))


@cache
def _automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for surface, entry in _surface_table(load_gazetteer()).items():
        automaton.add_word(surface, entry)
    automaton.make_automaton()
    return automaton


_NOT_AFTER = {name: re.compile(rule) for name, rule in NOT_AFTER.items()}
_NOT_BEFORE = {name: re.compile(f"(?:{rule})$") for name, rule in NOT_BEFORE.items()}
_ONLY_AFTER = {name: re.compile(rule) for name, rule in ONLY_AFTER.items()}
_COUNTY_WORD_AFTER = re.compile(COUNTY_WORD_AFTER)
_CHUAN_REGION_AFTER = re.compile(CHUAN_REGION_AFTER)


def _guard_ok(text: str, hit: _Hit) -> bool:
    """False when the context shows the name is part of another word (see the tables above)."""
    surface = hit.entry.surface
    before, after = text[max(0, hit.start - 3) : hit.start], text[hit.end : hit.end + 4]
    if surface in _NOT_AFTER and _NOT_AFTER[surface].match(after):
        return False
    if surface in _NOT_BEFORE and _NOT_BEFORE[surface].search(before):
        return False
    if surface in _ONLY_AFTER and not _ONLY_AFTER[surface].match(after):
        return False
    if len(surface) == 2 and surface.endswith("县") and _COUNTY_WORD_AFTER.match(after):
        return False
    county = hit.entry.keys[0].level == "county"
    if county and surface.endswith("川") and _CHUAN_REGION_AFTER.match(after):
        return False
    cheng = surface[0] == "成" and not surface.startswith("成都")
    return not (cheng and VERB_CHENG.search(before))


def _candidates(text: str) -> list[_Hit]:
    hits = []
    for end, entry in _automaton().iter(text):
        hit = _Hit(end + 1 - len(entry.surface), end + 1, entry)
        if _guard_ok(text, hit):
            hits.append(hit)
    hits.sort(key=lambda hit: (hit.start, hit.start - hit.end))
    return hits


def _yields_right(index: int, hits: list[_Hit]) -> bool:
    """A composite gives way to a place name that starts inside it and runs past its end:
    in 区内自贡 the place is 自贡, not 内自."""
    hit = hits[index]
    for other in hits[index + 1 :]:
        if other.start >= hit.end:
            return False
        if not other.entry.composite and other.start > hit.start and other.end > hit.end:
            return True
    return False


def find_place_mentions(text: str) -> list[Mention]:
    """Every place named in ``text`` (cleaned text of one node), in text order, with the span
    of the name. Overlapping names are resolved leftmost-longest."""
    return list(_mentions(text))


# The texts of the last document's nodes, matched once: the parse counts each plan's places
# over them and the ingest, in the same process, links every stored node to the units it
# names from the same texts (the matcher is fixed for the life of the process).
@lru_cache(maxsize=4096)
def _mentions(text: str) -> tuple[Mention, ...]:
    hits, chosen, cursor = _candidates(text), [], 0
    for index, hit in enumerate(hits):
        if hit.start < cursor or (hit.entry.composite and _yields_right(index, hits)):
            continue
        chosen.append(hit)
        cursor = hit.end
    return tuple(Mention(key, hit.start, hit.end) for hit in chosen for key in hit.entry.keys)


def iter_nodes(nodes: Iterable[Node]) -> Iterator[Node]:
    """All nodes of a tree, depth first in document order (a stack of the open child lists
    instead of one nested generator per level, which passes every node up through all of
    them)."""
    stack = [iter(nodes)]
    while stack:
        for node in stack[-1]:
            yield node
            stack.append(iter(node.children))
            break
        else:
            stack.pop()


def count_places(texts: Iterable[str]) -> list[Place]:
    """Count place mentions over several texts, most mentioned first (ties: province,
    prefecture, county, region; then by adcode and name)."""
    # One Counter over all the keys (the same counts, in the same first-seen order) rather
    # than an `update` per text, whose own overhead exceeds the counting on short texts.
    counts = Counter([mention.key for text in texts for mention in find_place_mentions(text)])
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], *_order(kv[0])))
    return [Place(key.name, key.adcode, key.level, count) for key, count in ordered]


def _order(key: PlaceKey) -> tuple[int, str, str]:
    return _LEVEL_RANK[key.level], key.adcode or "", key.name


def find_places(plan: Plan) -> list[Place]:
    """Places mentioned in a plan's body (every node's title and text, recursively)."""
    return count_places(text for node in iter_nodes(plan.nodes) for text in (node.title, node.text))


# --- covered cities -------------------------------------------------------------------------

_NUMERALS = {
    "一": 1,
    "两": 2,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_NUMERALS["十"] = 10
# "8 市", "川南四市", "两州", "五市州": a count of the plan's prefecture-level units. Not when
# the next character makes it another word (两个市场, 四市民).
# Written `(?<![\d.])(\d{1,2}|[一…十]) ?个?…`, opening with the number's class instead (the
# look-behind then looks past the character taken) so that a search skips to the numbers.
COUNT_WORD = re.compile(
    r"([\d一两二三四五六七八九十](?<![\d.][\d一两二三四五六七八九十])(?:(?<=\d)\d?)?) ?个?"
    r"(?:市州|市\(州\)|市|州)(?![场民值长政委容貌面])"
)
# Phrases that make an enumeration a statement of the plan's scope or of who implements it.
SCOPE_BEFORE = re.compile(
    r"(?:范围|(?:经济区|区域|规划区|本区)[^。;]{0,8}(?:包括|涵盖|覆盖|辖))[^。;]{0,10}$"
)
RESPONSIBLE_AFTER = re.compile(r"^[^。;]{0,30}?(?:责任主体|主体责任|实施主体)")


@cache
def _prefecture_names() -> dict[str, str]:
    """Every way a Sichuan prefecture is written (成都市, 成都, 凉山州 …) → its short name.
    Kept, like `_enumeration` built from it: each enumeration found reads it again."""
    names: dict[str, str] = {}
    for unit in load_gazetteer().prefectures():
        for name in (unit.name, unit.short_name, *unit.aliases):
            names[name] = unit.short_name
    return names


@cache
def _enumeration() -> re.Pattern[str]:
    alternatives = "|".join(sorted(_prefecture_names(), key=len, reverse=True))
    return re.compile(f"(?:{alternatives})(?:[、和及与](?:{alternatives}))+")


def _enumerated(match: re.Match[str]) -> list[str]:
    names = _prefecture_names()
    return [names[part] for part in re.split("[、和及与]", match.group(0))]


def _count_after(text: str, end: int) -> int | None:
    """The number in a count word right after an enumeration (阿坝、甘孜两州 → 2)."""
    found = COUNT_WORD.match(text, end)
    if not found:
        return None
    digits = found.group(1)
    return int(digits) if digits.isdigit() else _NUMERALS[digits]


def _stated_enumeration(text: str) -> list[str]:
    """An enumeration of prefectures that the text presents as the plan's scope (规划范围包括
    …) or as the parties responsible for implementing it (攀枝花、凉山是…责任主体)."""
    for match in _enumeration().finditer(text):
        cities = _enumerated(match)
        count = _count_after(text, match.end())
        if count is not None and count != len(cities):
            continue
        if SCOPE_BEFORE.search(text, 0, match.start()) or RESPONSIBLE_AFTER.match(
            text[match.end() :]
        ):
            return cities
    return []


def _zone_count(plan: Plan, texts: list[str]) -> list[str]:
    """The members of the zone the plan's title names, when the plan states their number
    (成都平原经济区 … “8 市”; 川南经济区 … “川南四市”; 川东北经济区 … “五市”)."""
    gaz = load_gazetteer()
    zone = gaz.zone_named(plan.title) or gaz.zone_named("".join(texts[:1]))
    if zone is None:
        return []
    for text in texts:
        if "市" not in text and "州" not in text:
            continue  # a count word needs one of them
        for found in COUNT_WORD.finditer(text):
            digits = found.group(1)
            number = int(digits) if digits.isdigit() else _NUMERALS[digits]
            if number == len(zone.members):
                return [gaz.units[code].short_name for code in zone.members]
    return []


def covered_cities(plan: Plan) -> list[str]:
    """The prefecture-level units the plan itself says it covers, as short names (成都, 凉山).

    Read from the plan's own statements, in this order: an enumeration of prefectures given
    as its scope or as the parties responsible for it (攀枝花、凉山是…责任主体; 阿坝、甘孜两州
    切实担负起主体责任); else the members of the economic zone its title names, when the text
    states their number (8 市, 川南四市, 五市). [] when the plan says neither: places it merely
    mentions are not its scope."""
    texts = [t for node in iter_nodes(plan.nodes) for t in (node.title, node.text) if t]
    for text in _enumerating(texts):
        cities = _stated_enumeration(text)
        if cities:
            return cities
    return _zone_count(plan, texts)


def _enumerating(texts: list[str]) -> Iterator[str]:
    """The texts holding an enumeration of prefectures, in order (the others state none): one
    search over all of them joined by a NUL, which no enumeration spans, instead of one search
    per text."""
    joined = "\0".join(texts)
    if joined.count("\0") != len(texts) - 1:
        yield from texts  # a text holding a NUL itself: searched one by one
        return
    starts = list(accumulate((len(text) + 1 for text in texts[:-1]), initial=0))
    last = -1
    for match in _enumeration().finditer(joined):
        index = bisect_right(starts, match.start()) - 1
        if index > last:
            last = index
            yield texts[index]
