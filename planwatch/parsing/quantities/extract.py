"""Quantities of one paragraph: numbers found per clause, named by the words before them,
paired (`由 A 增加至 B`, `X、Y分别达 4 个、15 个`), dated and grounded to their input line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from planwatch.parsing.model import Quantity, QuantityOrigin, TargetKind, as_comparator, locate
from planwatch.parsing.quantities.actions import is_action_target, split_items
from planwatch.parsing.quantities.numbers import (
    COUNT_UNITS,
    YEAR,
    Number,
    find_numbers,
    normalised,
)
from planwatch.parsing.quantities.phrases import (
    Lead,
    clean_indicator,
    read_lead,
    sentence_time,
    take_times,
)
from planwatch.parsing.quantities.text import NormText, normalise, split_clauses

Spans = list[tuple[int, int, int | None]]

# Between the two numbers of `由 A 增加至 B` / `从 A 提高到 2020 年的 B`.
_FROM_TO_MID = re.compile(
    r"^(?:增加|增长|提高|提升|上升|扩大|下降|降低|减少|缩小|调整|发展|增)?(?:至|到|为)"
    r"(?:(?:19|20)\d\d年(?:末|底)?(?:的)?)?$"
)
_GROUP_JOIN = re.compile(r"^(?:、|和|及|与|以及)$")
_LIST_SPLIT = re.compile(r"、|以及|和|及(?!以上|以下)|与")
_SHARE = re.compile(r"比重|占比|^占|占.*比")
_RATE_OF_GROWTH = re.compile(r"(?:涨幅|增速|增幅|增长率)$")
_POST_STOP = re.compile(
    r"[,。;、!?:(]|全部|如期|实现|启动|完成|达到|建成|获批|开工|投运|通车|纳入|入选|列入|被|已|均"
    r"|基本|脱贫|摘帽|退出|范围|的"
)
_DELIMITERS = frozenset(",。;、!?:(")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_MAGNITUDES = ("万亿", "千亿", "百亿", "十亿", "亿", "千万", "百万", "十万", "万", "千")


@dataclass
class Context:
    """What one paragraph's extraction knows beyond the paragraph: goal or fact wording, the
    default year, a year set for the rest of the paragraph (`到2035年,…`), and the subject of
    the last named quantity (`…地区生产总值…,占全省比重…` names the second after the first)."""

    goal: bool
    default_year: int | None
    paragraph_year: int | None = None
    subject: str = ""
    spans: Spans = field(default_factory=list)
    default_place: tuple[int, int | None] = (0, None)
    # Year of an unstated start value in a goal (`由63%提高到70%`): the plan's base year.
    base_year: int | None = None
    # Where the paragraph stands (the `origin` of its quantities).
    origin: QuantityOrigin | None = None
    # An action paragraph: keep only the numbers that state something to reach (see
    # `is_action_target`); a target list: split clauses into their 、-separated items.
    action: bool = False
    items: bool = False


@dataclass
class Sentence:
    """Time stated so far in the current sentence."""

    year: int | None = None
    period_start: int | None = None


@dataclass
class Clause:
    """One clause of a paragraph with the quantities found in it."""

    start: int
    end: int
    quantities: list[Quantity]


def extract_quantities(
    text: str,
    *,
    spans: Spans,
    default_line: int,
    default_page: int | None,
    year_default: int | None,
    goal: bool = False,
) -> list[Quantity]:
    """Every quantity stated in `text` (one paragraph), grounded through `spans`.

    `year_default` dates quantities whose sentence states no year; `goal` selects the goal
    reading of reach verbs (`达到` → ">=") over the fact reading ("=")."""
    ctx = Context(goal, year_default, spans=spans, default_place=(default_line, default_page))
    return [q for clause in scan(normalise(text), ctx) for q in clause.quantities]


def scan(norm: NormText, ctx: Context) -> list[Clause]:
    """All clauses of a paragraph in order, each with its quantities."""
    clauses: list[Clause] = []
    for sentence in split_clauses(norm.text):
        state = Sentence()
        if ctx.items:
            sentence = split_items(norm.text, sentence)
        for start, end in sentence:
            numbers = find_numbers(norm.text, start, end)
            if not numbers:
                _note_time(norm.text[start:end], state, ctx)
            found = _clause_quantities(norm, start, end, numbers, state, ctx) if numbers else []
            clauses.append(Clause(start, end, found))
    return clauses


def _note_time(words: str, state: Sentence, ctx: Context) -> None:
    """Record the year a clause states: `到/展望 YYYY年` for the rest of the paragraph, any
    other year or period (`2020年末`, `“十三五”时期`) for the rest of the sentence."""
    year, period_start = sentence_time(words)
    if year is None:
        return
    m = YEAR.search(words) if "年" in words else None  # a YEAR match needs 年
    opens = m and m.group(0).startswith(("到", "至", "展望")) and not words[: m.start()].strip()
    if opens and not ctx.action:  # in action text a milestone dates its own sentence only
        ctx.paragraph_year = year
    state.year, state.period_start = year, period_start or state.period_start


def _clause_quantities(
    norm: NormText, start: int, end: int, numbers: list[Number], state: Sentence, ctx: Context
) -> list[Quantity]:
    """Quantities of one clause: leads read, from-to pairs merged, 分别 lists paired."""
    text = norm.text
    leads, posted = _read_leads(text, start, numbers, ctx.goal)
    leaders = _leaders(text, numbers)
    names = _respectively(text[start : numbers[0].start], leaders)
    clause_text = norm.source(start, end)
    place = _clause_place(norm, start, ctx)
    out: list[Quantity] = []
    i = 0
    while i < len(numbers):
        number, lead, base = numbers[i], leads[i], None
        if leaders[i] != i and not lead.indicator and not lead.comparator and not lead.kind:
            leader = leads[leaders[i]]
            lead = replace(leader, indicator="", from_marker=False, period_start=None)
        if (
            lead.from_marker
            and i + 1 < len(numbers)
            and _FROM_TO_MID.match(text[number.end : numbers[i + 1].start])
        ):
            base, number = number, numbers[i + 1]
            lead = _merge_from_to(lead, leads[i + 1])
            i += 1
        name = names[i] if names else None
        if ctx.action and not is_action_target(
            text, start, number, lead, posted[i], state.year, ctx.base_year
        ):
            i += 1
            continue
        found = _quantity(norm, number, lead, base, name, clause_text, state, ctx)
        found.line, found.page = place
        out += _industry_shares(found, number, base)
        i += 1
    return out


def _industry_shares(found: Quantity, number: Number, base: Number | None) -> list[Quantity]:
    """`三次产业结构…18.9:35.0:46.1` becomes the three sector shares (in %, they sum to 100);
    any other three-part ratio stays one quantity without a value (its text keeps it)."""
    ratio = number.ratio
    if not ratio or len(ratio) != 3 or "产业" not in found.indicator or abs(sum(ratio) - 100) > 1:
        return [found]
    base_ratio = base.ratio if base and base.ratio and len(base.ratio) == 3 else None
    shares = []
    for i, sector in enumerate(("第一产业", "第二产业", "第三产业")):
        share = replace(
            found,
            indicator=f"{sector}增加值比重",
            value=ratio[i],
            unit="%",
            kind="share",
            base_value=base_ratio[i] if base_ratio else None,
        )
        shares.append(share)
    return shares


def _read_leads(
    text: str, start: int, numbers: list[Number], goal: bool
) -> tuple[list[Lead], list[bool]]:
    """The lead of each number: the words since the previous number, or since the noun that
    followed it (`新设1个临时口岸、4个综合保税区`: 综合保税区 is not named by 临时口岸); and
    whether each number is named by the noun after it."""
    leads: list[Lead] = []
    posted: list[bool] = []
    bound = start
    for number in numbers:
        lead = read_lead(text[bound : number.start], goal=goal)
        post = _post_name(text, number, lead)
        if post:
            lead = replace(lead, indicator=post)
        leads.append(lead)
        posted.append(bool(post))
        bound = number.end + len(post)
    return leads, posted


def _clause_place(norm: NormText, start: int, ctx: Context) -> tuple[int, int | None]:
    """Input line and page where a clause starts (the contract grounds a target there)."""
    while start < len(norm.text) and norm.text[start] == " ":
        start += 1
    return locate(ctx.spans, norm.origin[start], ctx.default_place)


def _leaders(text: str, numbers: list[Number]) -> list[int]:
    """For each number, the index of the first number of its group: numbers joined only by
    、/和 (`4个、15个、7个`, `30.3%和86%`) share the verb and the names list of the first."""
    leaders: list[int] = []
    for i, number in enumerate(numbers):
        joined = i > 0 and _GROUP_JOIN.match(text[numbers[i - 1].end : number.start])
        leaders.append(leaders[-1] if joined else i)
    return leaders


def _merge_from_to(first: Lead, second: Lead) -> Lead:
    """The lead of `由 A … 至 B`: the indicator from A's words, time and verb from B's."""
    return Lead(
        indicator=first.indicator,
        comparator=second.comparator if second.comparator != ">=" else "=",
        kind=None,
        year=second.year,
        base_year=first.base_year or first.year,
        from_marker=True,
        verb=second.verb,
    )


def _respectively(words: str, leaders: list[int]) -> list[str] | None:
    """Indicator per number for `A、B和C分别达 x、y、z` (None without 分别).

    Each group of joined numbers pairs with the listed names. A single `城乡…` name splits
    into its 城镇 and 农村 halves for a pair of values."""
    if "分别" not in words:
        return None
    _, _, head = take_times(words[: words.index("分别")])
    items = split_list(clean_indicator(head))
    names: list[str] = []
    for leader in sorted(set(leaders)):
        names += _pair(items, leaders.count(leader))
    return names


def split_list(words: str) -> list[str]:
    """`A、B(C)和D` → [A, B(C), D]; a one-character piece (`国、省考核断面`) joins the next."""
    pieces = [p for p in _LIST_SPLIT.split(words) if p]
    merged: list[str] = []
    carry = ""
    for piece in pieces:
        if len(piece) == 1:
            carry += piece + "、"
            continue
        merged.append(carry + piece)
        carry = ""
    return merged or [words]


def _pair(items: list[str], size: int) -> list[str]:
    """Names for a group of `size` values given the listed `items`."""
    if len(items) == size:
        return _shared_head(items)
    if len(items) == 1 and size == 2 and items[0].startswith("城乡"):
        rest = items[0][2:]
        return ["城镇" + rest, "农村" + rest]
    return ["、".join(items)] * size


_HEAD = re.compile(r"[\u4e00-\u9fff]{0,4}(?:率|比重|覆盖度|面积|产量|规模|总量|指数|浓度)$")


_PER_UNIT = re.compile(r"^单位(?:地区|国内)生产总值")


def _shared_head(items: list[str]) -> list[str]:
    """`果蔬、肉制品冷链流通率`: short leading items share the last item's head noun;
    `单位地区生产总值能耗和二氧化碳排放`: later items share the first one's `单位…生产总值`."""
    if per := _PER_UNIT.match(items[0]):
        return [items[0]] + [i if i.startswith("单位") else per.group(0) + i for i in items[1:]]
    head = _HEAD.search(items[-1])
    if len(items) < 2 or not head or head.start() == 0:
        return items
    if any(len(item) > 3 or _HEAD.search(item) for item in items[:-1]):
        return items
    return [item + head.group(0) for item in items[:-1]] + [items[-1]]


def _quantity(
    norm: NormText,
    number: Number,
    lead: Lead,
    base: Number | None,
    name: str | None,
    clause_text: str,
    state: Sentence,
    ctx: Context,
) -> Quantity:
    """Assemble one Quantity; updates the paragraph subject and the sentence year."""
    indicator = _resolve_name(name, lead, ctx)
    if lead.year and not lead.from_marker:
        state.year = lead.year
    kind = _kind(lead.kind, number.unit, indicator)
    year = lead.year or state.year or ctx.paragraph_year or ctx.default_year
    base_year = lead.base_year
    if kind == "growth" and base_year is None and not base:
        base_year = lead.period_start or state.period_start
    if base and base_year is None and ctx.goal:
        base_year = ctx.base_year
    comparator = _comparator(lead.comparator, number)
    scaled, scaled_unit = normalised(number.value, number.unit)
    return Quantity(
        text=clause_text,
        indicator=indicator,
        value=number.value,
        unit=number.unit,
        year=year,
        comparator=as_comparator(comparator),
        kind=kind,
        attribute=_attribute(clause_text),
        line=ctx.default_place[0],
        page=ctx.default_place[1],
        base_value=base.value if base else None,
        base_year=base_year,
        origin=ctx.origin,
        value_text=_value_text(norm.text, number),
        normalised_value=scaled,
        normalised_unit=scaled_unit,
        comparator_text=_comparator_text(lead, number) if comparator else None,
        year_stated=bool(lead.year or state.year or ctx.paragraph_year),
    )


def _value_text(text: str, number: Number) -> str:
    """The number and unit as written (normalised spacing), without 以上/左右/…."""
    written = text[number.start : number.end]
    return written[: len(written) - len(number.post)] if number.post else written


def _comparator_text(lead: Lead, number: Number) -> str:
    """`控制在…以内`, `增长…左右`, `不低于`, `以上`: the words that set the comparator."""
    after = number.post or ("余" if number.more else "")
    if lead.verb and after:
        return f"{lead.verb}…{after}"
    return lead.verb or after


def _attribute(clause: str) -> str | None:
    """预期性/约束性 when the clause states it (`单位GDP能耗降低13.5%(约束性)`)."""
    for attribute in ("约束性", "预期性"):
        if attribute in clause:
            return attribute
    return None


def _resolve_name(name: str | None, lead: Lead, ctx: Context) -> str:
    """The indicator: the 分别 name, else the lead's; a missing or partial one (`占全省比重`,
    `年均增长7.5%`) is completed with the paragraph's subject, a full one becomes it."""
    indicator = name or lead.indicator
    if not indicator or _SHARE.match(indicator) or indicator in ("比重", "总量", "增速", "规模"):
        return ctx.subject + indicator
    if not name:
        ctx.subject = indicator
    return indicator


def _post_name(text: str, number: Number, lead: Lead) -> str:
    """The noun after the number when it names the quantity: after a counted number with no
    name before it (`新设1个临时口岸`, `110万贫困人口全部脱贫`), or after an attributive one
    with no verb before it (`自贡50万亩“双低”油菜产业基地、…`)."""
    counted = _is_count(number.unit) or number.unit in _MAGNITUDES
    attributive = (
        lead.comparator is None
        and lead.kind is None
        and not lead.from_marker
        and number.unit != "%"
    )
    if (lead.indicator and not attributive) or (not lead.indicator and not counted):
        return ""
    tail = text[number.end : number.end + 24]
    stop = _POST_STOP.search(tail)
    phrase = tail[: stop.start()] if stop else tail
    if lead.indicator and not (stop and stop.group(0) in _DELIMITERS and len(phrase) >= 2):
        return ""
    if len(phrase) == 1:  # `10个县启动实施集中供暖`: 县 alone says too little
        phrase = re.split(r"[,。;、!?]", tail)[0]
    if re.search(r"\d", phrase):
        return ""
    return phrase if _CJK.match(phrase[:1]) or phrase[:1] == "“" else ""


def _is_count(unit: str | None) -> bool:
    """True for units of counted things, with or without a magnitude (`万张`, `个`)."""
    if unit is None:
        return False
    for magnitude in _MAGNITUDES:
        if unit.startswith(magnitude) and unit[len(magnitude) :] in COUNT_UNITS:
            return True
    return unit in COUNT_UNITS


def _kind(lead_kind: str | None, unit: str | None, indicator: str) -> TargetKind:
    """growth/reduction from the verb; share for a percentage of a whole; count for counted
    things; level otherwise."""
    if lead_kind == "growth":
        return "growth"
    if lead_kind == "reduction":
        return "reduction"
    if unit in ("%", "‰") and _SHARE.search(indicator):
        return "share"
    if unit == "%" and _RATE_OF_GROWTH.search(indicator):
        return "growth"  # `居民消费价格涨幅3%左右`: the indicator is itself a growth rate
    if _is_count(unit) or unit in _MAGNITUDES:
        return "count"
    return "level"


def _comparator(stated: str | None, number: Number) -> str | None:
    """The lead's comparator adjusted by what follows the number (以上, 以下, 左右, 余)."""
    if number.more:
        return ">"
    if number.post == "以上":
        return ">" if stated == ">" else ">="
    if number.post in ("以下", "以内"):
        return "<" if stated == "<" else "<="
    if number.post == "左右":
        return "~"
    return stated
