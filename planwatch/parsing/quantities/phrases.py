"""Reading the words around a number: which verb leads to it (comparator, kind), which noun
phrase names it (indicator), and which time phrase dates it.

Comparators (documented rule, parse-contract "Target"):
  超过 突破 大于 高于 多于 逾, N余/N多        → ">"
  N以上, 不低于 不少于 至少 力争达到          → ">="
  达到 达 提高到 提升至 增至 … (reach)       → ">=" in a goal, "=" in a fact (a fact is a level)
  为 是 调整为 保持在 (state)                → "="
  约 近 接近, N左右                          → "~"
  不超过 不高于 控制在, N以内 N以下            → "<="
  低于 少于 小于                             → "<"
  降至 缩小至 下降到 … (reach downwards)       → "<=" in a goal, "=" in a fact"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planwatch.parsing.quantities.numbers import PERIOD, YEAR, period_years, year_value

# (pattern at the end of the words before a number, goal comparator, fact comparator, kind)
_VERBS: list[tuple[str, str | None, str | None, str | None]] = [
    ("力争达到", ">=", "=", None),
    ("不低于|不少于|至少", ">=", ">=", None),
    ("不超过|不高于|控制在", "<=", "<=", None),
    ("超过|突破|大于|高于|多于|逾|超", ">", ">", None),
    ("低于|少于|小于", "<", "<", None),
    ("约|接近|近", "~", "~", None),
    ("(?:下降|降低|减少|缩小|压减)(?:到|至)|降至|降到", "<=", "=", None),
    ("(?:增加|增长|提高|提升|上升|扩大|增)(?:到|至)|达到|达", ">=", "=", None),
    ("调整为|保持在|保持|稳定在|维持在|为|是", "=", "=", None),
    ("年均增长|年均增速|年均增幅|年均提高|年均", None, None, "growth"),
    ("下降|降低|减少|削减|压减|减排", None, None, "reduction"),
    ("增长|增速|增幅|提高|提升|增加|上升", None, None, "growth"),
]
_VERB_RES = [(re.compile(f"(?:{p})$"), g, f, k) for p, g, f, k in _VERBS]
_FILLER_END = re.compile(
    r"(?:分别|累计|力争|先后|相继|均|已|共|实现|总计|合计|的|在|,|、|拟按|拟安排|安排|拟)$"
)
_CONTEXT = re.compile(r"现行标准下|按可比价格计算|按可比价|其中|同时|另外|此外")
_LEAD = re.compile(
    r"^(?:[、,和及与并且]|以及|[\u4e00-\u9fff]{0,6}?经济区"
    r"|区域内|区域|全区|全域|全市|全省|全国|我国|实现|拥有|建成|成功创建|创建|成功|新设|获批|累计|力争|全面|基本(?!养老|医疗|公共|农田)"
    r"|共有|共|形成|实施|达到|到|至|建设|争创|培育|推广|稳定|确保|探索"
    r"|全年|今年|拟安排|安排|开工建设|新开工改造|新开工|开工|新改建|新建改造|新建|治理|完成|将|把)"
)
_MID_VERB = re.compile(r"^(.{2,}?)(?:形成|拥有|新设|创建)(.{2,})$")
_COMPARE = re.compile(r"(?:较|比)(?:上年|基期|同期)的?$|较$")
# `由/从` right before the start value, or before the measure it is stated in
# (`起征点从月销售额10万元提高到15万元`).
_FROM = re.compile(r"(?:由|从)(?:月|年|日|人均)?(?:销售额|收入|产值|营业收入)?$")


@dataclass
class Lead:
    """What the words before a number say about it."""

    indicator: str
    comparator: str | None
    kind: str | None
    year: int | None
    base_year: int | None
    from_marker: bool  # ends with 由/从: the number is the start of a from-to pair
    period_start: int | None = None  # `“十三五”期间…年均增长`: growth counted from 2015
    # The verb that set the comparator (else the kind) as written: `控制在`, `不低于`, `增长`.
    verb: str = ""


def read_lead(words: str, *, goal: bool) -> Lead:
    """Split the words before a number into indicator, comparator, kind and time."""
    period = PERIOD.search(words) if "五" in words else None
    period_start = period_years(period["n"])[0] if period and period["when"] != "末" else None
    year, base_year, words = take_times(words)
    comparator: str | None = None
    kind: str | None = None
    from_marker = False
    verb = kind_verb = ""
    while True:
        stripped = _strip_verb(words, goal)
        if stripped is None:
            if compare := _COMPARE.search(words):
                base_year = base_year or _compare_year(compare.group(0))
                words = words[: compare.start()]
                continue
            if (m := _FROM.search(words)) is None:
                break
            from_marker, words = True, words[: m.start()]
            continue
        rest, verb_comparator, verb_kind = stripped
        if verb_comparator and not comparator:
            verb = words[len(rest) :]
        if verb_kind and not kind:
            kind_verb = words[len(rest) :]
        words = rest
        comparator = comparator or verb_comparator
        kind = kind or verb_kind
    return Lead(
        clean_indicator(words),
        comparator,
        kind,
        year,
        base_year,
        from_marker,
        period_start,
        verb or kind_verb,
    )


def _strip_verb(words: str, goal: bool) -> tuple[str, str | None, str | None] | None:
    """Remove one verb or filler word from the end of `words`; None when nothing matched."""
    for regex, goal_cmp, fact_cmp, kind in _VERB_RES:
        m = regex.search(words)
        if m:
            return words[: m.start()], (goal_cmp if goal else fact_cmp), kind
    m = _FILLER_END.search(words)
    if m:
        return words[: m.start()], None, None
    return None


def clean_indicator(words: str) -> str:
    """The noun phrase of `words`: leading connectors, subjects (经济区…) and verbs dropped."""
    if ":" in words.strip(":"):  # `主要预期目标是:地区生产总值`: the name follows the colon
        words = words.strip(":").rsplit(":", 1)[1]
    words = _balance_quotes(_CONTEXT.sub("", words).strip(" ,、;:"))
    for _ in range(4):
        m = _LEAD.match(words)
        if not m or len(words) - m.end() == 1:
            break
        words = words[m.end() :]
    mid = _MID_VERB.match(words)
    if mid:
        words = mid.group(2)
    return _balance_quotes(words.strip(" ,、;:的"))


def _balance_quotes(words: str) -> str:
    """Drop a stray opening or closing quote at either end (`“鱼米之乡` keeps its pair)."""
    if words.startswith("“") and "”" not in words:
        words = words[1:]
    if words.endswith("”") and "“" not in words:
        words = words[:-1]
    if words.endswith("“"):
        words = words[:-1]
    return words


def take_times(words: str) -> tuple[int | None, int | None, str]:
    """(year, base year, words without time phrases) of the words before a number.

    A year after 由/从/较/比/是 (`由2015年的`, `较“十二五”末`) dates the start or reference value
    (the comparison marker goes with it); any other year dates the value itself; a period's
    end (`“十二五”末`) counts as its last year."""
    year: int | None = None
    base_year: int | None = None
    pieces: list[str] = []
    last = 0
    for m in sorted(_times(words), key=lambda m: m.start()):
        if m.start() < last:
            continue
        value = _time_value(m)
        head = words[last : m.start()]
        if head.endswith(_BASE_MARKERS):
            base_year = base_year or value
            head = head[:-1] if head.endswith(("较", "比")) else head
        elif value is not None and (m.re is YEAR or m["when"] in ("末", "期末")):
            year = year or value
        pieces.append(head + _kept_verb(m))
        last = m.end()
    pieces.append(words[last:])
    return year, base_year, "".join(pieces)


_BASE_MARKERS = ("由", "从", "较", "比", "是")


def _kept_verb(m: re.Match[str]) -> str:
    """The 到/至 a YEAR match swallowed: in `增加到2020年的` it belongs to the verb."""
    if m.re is YEAR and m.group(0).startswith(("到", "至")):
        return m.group(0)[0]
    return ""


def _time_value(m: re.Match[str]) -> int | None:
    """The year a YEAR or PERIOD match stands for (a period: its last year)."""
    if m.re is YEAR:
        return year_value(m["year"])
    return period_years(m["n"])[1]


def _times(words: str) -> list[re.Match[str]]:
    """The YEAR matches, then the PERIOD matches, of `words`. Each pattern is run only when
    the text holds a character every match of it needs (年; 五): the patterns open with an
    optional word, so a search tries them at every position, and most words have neither."""
    found = [*YEAR.finditer(words)] if "年" in words else []
    if "五" in words:
        found += PERIOD.finditer(words)
    return found


def _compare_year(phrase: str) -> int | None:
    """Year of a `较“十二五”末` / `较2015年` comparison."""
    if "年" in phrase and (m := YEAR.search(phrase)):
        return year_value(m["year"])
    if "五" in phrase and (m := PERIOD.search(phrase)):
        return period_years(m["n"])[1]
    return None


def sentence_time(words: str) -> tuple[int | None, int | None]:
    """(point year, period start year) stated anywhere in `words`: `2020年末` → (2020, None),
    `“十三五”时期` → (2020, 2015)."""
    if "年" in words and (m := YEAR.search(words)):  # 年 and 五: see `_times`
        return year_value(m["year"]), None
    for m in PERIOD.finditer(words) if "五" in words else ():
        first, last = period_years(m["n"])
        return last, first
    return None, None
