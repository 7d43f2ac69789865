"""Numbers with their units in normalised text, and the time phrases around them.

A number counts as a quantity only when it carries a unit (`4万亿元`, `70%`, `268对`,
`2.4:1`), or when a comparator verb leads to it and a separator follows it (`达到3.2,`).
Not quantities, by rule: years (`2025年`), numbers glued to Latin letters (`PM2.5`, `5G`,
`G317`, `V2.0`, `IPv6`, `5A级`), ordinals (`第3位`), class designations (`3000吨级`), service
rings (`1小时通勤圈`, `2小时交通圈`), network names (`2环10射`, `3环15射`: 环/射 are not units),
numbers inside 《book titles》. Chinese numerals are read (via cn2an) only where they carry a
value: `百分之五十`, `三个百分点`, `两倍`, `翻一番` (= 2 倍)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any, cast

_MAGNITUDE = "万亿|千亿|百亿|十亿|亿|千万|百万|十万|万|千"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Counted things: a quantity in one of these is a count (kind "count").
COUNT_UNITS = _words(
    "个 家 对 所 项 座 条 处 批 列 张 只 台 辆 架 艘 套 件 种 支 宗 块 间 栋 部 户 名 人 位 "
    "人次 架次 辆次 车次 班 趟 床 例 头 羽"
)
_OTHER_UNITS = _words(
    "元 美元 欧元 % ‰ 个百分点 百分点 倍 公里 千米 米 平方公里 平方米 亩 公顷 立方米 方 "
    "千瓦时 千瓦 瓦 度 吨标准煤 吨标煤 吨 千克 公斤 斤 微克/立方米 毫克/升 标箱 小时 分钟 "
    "天 岁 兆瓦 吉瓦 千米/小时 公里/小时 Mbps Gbps"
)
# Longest first, so that 个百分点 wins over 个 and 人次 over 人.
_UNITS = sorted(COUNT_UNITS | _OTHER_UNITS, key=len, reverse=True)
_UNIT_RE = "|".join(re.escape(u) for u in _UNITS)
QUANTITY = re.compile(
    # A digit first, then the look-behind over it (no letter, digit or point before): a pattern
    # that opens with a look-behind is tried at every position of the text.
    r"(?P<num>\d(?<![A-Za-z0-9.]\d)\d*(?:\.\d+)?)(?P<ratio>(?::\d+(?:\.\d+)?)+)?"
    rf"(?P<mag>{_MAGNITUDE})?(?P<more>余|多)?(?P<unit>{_UNIT_RE})?(?P<post>左右|以上|以下|以内)?"
)
_CN_DIGITS = "零〇一二两三四五六七八九十百千"
CN_QUANTITY = re.compile(
    rf"百分之(?P<pct>[{_CN_DIGITS}]+(?:点[{_CN_DIGITS}]+)?)"
    rf"|(?P<cn>[{_CN_DIGITS}](?<![{_CN_DIGITS}第][{_CN_DIGITS}])[{_CN_DIGITS}]*)(?P<cnunit>个百分点|倍)"
    r"|翻(?P<fan>一|两|二|三)?番"
)
# `迈上万亿级台阶`, `跨上万亿元台阶`: GDP of at least one 万亿元, though written without a digit.
STEP = re.compile(r"(?:迈上|跨上|跨入|迈入|跃上|登上|站上)(?P<step>万亿|千亿|百亿)元?级?台阶")
_YEAR_WORD = r"(?:到|至|截至|截止到|截止|展望到|展望|于|在)?"
YEAR = re.compile(
    rf"{_YEAR_WORD}(?P<year>(?:19|20)\d\d|[〇零一二][〇零一二三四五六七八九]{{3}})年"
    r"(?P<when>末|底|初|前|上半年)?(?:的)?"
)
PERIOD = re.compile(
    r"[“\"]?十(?P<n>[一二三四五六])五[”\"]?(?P<when>时期|期间|以来|期末|末|初)?(?:的)?"
)
_DELIMITERS = frozenset(",。;、!?)”》:")
_RING = re.compile(r"^[”\"]?[\u4e00-\u9fff]{0,4}圈")


@dataclass(frozen=True)
class Number:
    """One quantity-looking match: normalised offsets, parsed value and unit."""

    start: int
    end: int
    value: float | None
    unit: str | None
    ratio: tuple[float, ...] | None = None
    more: bool = False  # 余/多: "more than"
    post: str | None = None  # 左右/以上/以下/以内 written after the number


# `\d|百分|倍|番|台阶` with its first character as one class (see `plan._MAY_HOLD_NUMBER`).
_ANY_NUMBER = re.compile(r"[\d百倍番台](?:(?<=百)分|(?<=台)阶|(?<![百台]))")


def find_numbers(text: str, start: int, end: int) -> list[Number]:
    """Quantities in `text[start:end]` (a clause), false numbers dropped."""
    if not _ANY_NUMBER.search(text, start, end):
        return []  # most clauses: nothing that could be a quantity
    found = [n for m in QUANTITY.finditer(text, start, end) if (n := _number(text, m, start))]
    # Each pattern below only where the clause holds a character every match of it needs
    # (百分之/个百分点 百, 倍, 番; 台阶): most clauses have none, and the search is skipped.
    if _has_any(text, start, end, "百倍番"):
        found += [n for m in CN_QUANTITY.finditer(text, start, end) if (n := _cn_number(m))]
    if text.find("台阶", start, end) >= 0:
        found += [
            Number(m.start(), m.end(), 1.0, m["step"] + "元", post="以上")
            for m in STEP.finditer(text, start, end)
        ]
    return sorted(found, key=lambda n: n.start)


def _has_any(text: str, start: int, end: int, chars: str) -> bool:
    return any(text.find(ch, start, end) >= 0 for ch in chars)


def _number(text: str, match: re.Match[str], clause_start: int) -> Number | None:
    """A `Number` for a regex match, or None when the match is not a quantity."""
    num, mag, unit = match["num"], match["mag"], match["unit"]
    after = text[match.end("num") : match.end("num") + 1]
    if years := _duration(text, match):
        return years
    if (after.isascii() and after.isalpha()) or _is_false(text, match, clause_start):
        return None
    ratio = None
    if match["ratio"]:
        ratio = tuple(float(p) for p in (num + match["ratio"]).split(":"))
    elif not mag and not unit and not _bare_ok(text, match):
        return None
    value: float | None = float(num)
    unit_text = (mag or "") + (unit or "") or None
    if ratio:
        value, unit_text = (ratio[0], f":{_fmt(ratio[1])}") if len(ratio) == 2 else (None, None)
    return Number(
        match.start(), match.end(), value, unit_text, ratio, bool(match["more"]), match["post"]
    )


_REACH = ("提高到", "提高至", "达到", "延长到", "延长至", "增加到", "增加至", "为")


def _duration(text: str, match: re.Match[str]) -> Number | None:
    """`平均受教育年限提高到11.3年`: a number of years (a decimal, or led by a reach verb),
    not a year; any other `N年` stays out."""
    num = match["num"]
    if match["mag"] or match["unit"] or match["ratio"] or not text.startswith("年", match.end()):
        return None
    if YEAR.match(text, match.start()) and len(num) == 4:
        return None
    led = text[max(0, match.start() - 3) : match.start()].endswith(_REACH)
    if "." not in num and not led:
        return None
    post = re.match(r"左右|以上|以下|以内", text[match.end() + 1 :])
    end = match.end() + 1 + (post.end() if post else 0)
    return Number(match.start(), end, float(num), "年", post=post.group(0) if post else None)


def _is_false(text: str, match: re.Match[str], clause_start: int) -> bool:
    """Years, ordinals, class designations, service rings and numbers in book titles."""
    before = text[match.start() - 1] if match.start() > 0 else ""
    tail = text[match.end() : match.end() + 8]
    if before == "第" or tail.startswith(("级", "伏", "千伏")):
        return True  # ordinals, classes (`3000吨级`) and voltage classes (`500千伏`): names
    if match["mag"] == "千" and not match["unit"]:
        return True
    if match["unit"] == "人" and tail.startswith("口"):
        return True  # `20万人口以上城市`: a size class of cities, not a count
    if re.search(r"\d[—\-~]$", text[max(clause_start, match.start() - 2) : match.start()]):
        return True  # the upper end of a range (`0—3岁`): an age band, a name
    if match["unit"] in ("小时", "分钟") and _RING.match(tail):
        return True
    if not match["unit"] and not match["mag"] and tail.startswith("年"):
        return True
    head = text[clause_start : match.start()]
    return head.count("《") > head.count("》")


def _bare_ok(text: str, match: re.Match[str]) -> bool:
    """A number without a unit is kept only as `<comparator verb> N <separator>`."""
    after = text[match.end() : match.end() + 1]
    before = text[max(0, match.start() - 3) : match.start()]
    verbs = ("达到", "达", "为", "超过", "突破", "提高到", "提升至", "降至", "缩小至", "控制在")
    return (after == "" or after in _DELIMITERS) and before.endswith(verbs)


def _cn_number(match: re.Match[str]) -> Number | None:
    """Value of a Chinese-numeral quantity (百分之五十, 三个百分点, 两倍, 翻一番)."""
    if match["pct"]:
        value, unit = _cn_value(match["pct"]), "%"
    elif match["cn"]:
        value, unit = _cn_value(match["cn"]), match["cnunit"]
    else:
        times = {"一": 1, "两": 2, "二": 2, "三": 3}.get(match["fan"] or "一", 1)
        value, unit = float(2**times), "倍"
    if value is None:
        return None
    return Number(match.start(), match.end(), value, unit)


def _cn_value(words: str) -> float | None:
    """cn2an's reading of a Chinese numeral, or None when it is not one."""
    try:
        return float(_cn2an()(words, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


@cache
def _cn2an() -> Callable[[str, str], Any]:
    """`cn2an.cn2an`, imported on first use: importing cn2an compiles its patterns (about
    0.5 s, most of a cold parse's start-up), and most documents never state a value in
    Chinese numerals (none of the bundled plans does)."""
    import cn2an

    return cast(Callable[[str, str], Any], cn2an.cn2an)


def _fmt(value: float) -> str:
    """`1.0` → `1`, `2.5` → `2.5` (for ratio units)."""
    return str(int(value)) if value == int(value) else str(value)


_FACTORS = {
    "万亿": 10**12,
    "千亿": 10**11,
    "百亿": 10**10,
    "十亿": 10**9,
    "亿": 10**8,
    "千万": 10**7,
    "百万": 10**6,
    "十万": 10**5,
    "万": 10**4,
    "千": 10**3,
}
_UNIT_SET = frozenset(_UNITS)


def normalised(value: float | None, unit: str | None) -> tuple[float | None, str | None]:
    """The value in its base unit with the magnitude folded in: (1.1, 万亿元) → (1.1e12, 元),
    (2750, 万千瓦) → (2.75e7, 千瓦), (110, 万) → (1.1e6, None), (70, %) → (70, %)."""
    if value is None or unit is None or unit in _UNIT_SET:
        return value, unit
    for magnitude, factor in _FACTORS.items():
        rest = unit[len(magnitude) :]
        if unit.startswith(magnitude) and (rest in _UNIT_SET or not rest):
            scaled = Decimal(repr(value)) * factor
            return float(scaled), rest or None
    return value, unit


def year_value(text: str) -> int:
    """`2025` or `二〇二五` as an int."""
    if text.isdigit():
        return int(text)
    return int("".join(str("〇一二三四五六七八九".index(c.replace("零", "〇"))) for c in text))


def period_years(numeral: str) -> tuple[int, int]:
    """(year before, last year) of the Nth five-year plan: 十三五 → (2015, 2020)."""
    n = 10 + "一二三四五六".index(numeral) + 1
    first = 2006 + 5 * (n - 11)
    return first - 1, first + 4
