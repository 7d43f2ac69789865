"""Targets stated outside the goal sections: in action paragraphs (`…规模控制在10万亩以内`,
`建成省级园区15个`) and in lists of expected targets (`主要预期目标是：A增长7%左右、B 5.5%左右；
C 1100万人以上`).

An action paragraph is written in the future tense, so a quantity in it is a target unless it
reads as something else (documented rule, decision 0016):

- a fact: its clause dates it in or before the base year (`2020年…达到…`), or says it already
  is (`已`, `现有`, `拥有`);
- a qualifier: the number is followed by 的 or 范围 (`镇区常住人口20万以上的特大镇`,
  `岸线1公里范围内`), i.e. it describes which things a rule applies to;
- a project's size in a list of projects: named by the noun after it (`自贡50万亩“双低”油菜
  产业基地、…`) with no action verb before it in the clause (`建成…3个“半小时”交通圈` keeps).

A list of expected targets splits at 、 into items (each named before its value and grounded
on its own line) when both sides hold a value and the next item names its own; a clause with
分别 pairs names and values instead and is not split."""

from __future__ import annotations

import re

from planwatch.parsing.quantities.numbers import Number, find_numbers
from planwatch.parsing.quantities.phrases import Lead

_ACTION_VERB = re.compile(
    r"建成|建设|新建|创建|争创|培育|新增|推广|治理|实施|完成|开工|安排|改造|修复|管护|打造|引进"
    r"|发展|种植|造林|育林|种草|实现|达到|形成|提高|提升|增加|扩大|稳定|保持|确保|力争|突破|超过"
    r"|新开|开行|开通|布局|建立|认定|评定|打通|贯通|整治|恢复|补充|新改建|扩建|发放|投入|筹集"
)
_PAST = re.compile(r"已|现有|拥有")
_QUALIFIER = ("的", "范围")
_OPEN = {"(": ")", "“": "”", "《": "》", "[": "]", "〔": "〕", "【": "】", "「": "」"}
# A list of expected targets: `主要预期目标是：…`, `主要目标是：…`, `预期目标为：…`.
TARGET_LIST = re.compile(r"(?:主要)?预期目标(?:是|为)?[:：]|主要目标(?:是|为)[:：]")


def is_action_target(
    text: str,
    clause_start: int,
    number: Number,
    lead: Lead,
    posted: bool,
    sentence_year: int | None,
    base_year: int | None,
) -> bool:
    """True when a quantity found in an action paragraph states a target."""
    year = lead.year or sentence_year
    if year is not None and base_year is not None and year <= base_year:
        return False
    if text.startswith(_QUALIFIER, number.end):
        return False
    before = text[clause_start : number.start]
    if _PAST.search(before):
        return False
    return not (posted and not _ACTION_VERB.search(before))


def split_items(text: str, clauses: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Clauses split at 、 into items `A增长7%左右`, `B 5.5%左右` (see the module docstring)."""
    out: list[tuple[int, int]] = []
    for start, end in clauses:
        if "、" not in text[start:end] or "分别" in text[start:end]:
            out.append((start, end))
            continue
        pieces = _pieces(text, start, end)
        current = pieces[0]
        for piece in pieces[1:]:
            if _has_value(text, *current) and _named_value(text, *piece):
                out.append(current)
                current = piece
            else:
                current = (current[0], piece[1])
        out.append(current)
    return out


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """`text[start:end]` cut at each 、 outside brackets and quotes."""
    pieces: list[tuple[int, int]] = []
    depth: list[str] = []
    begin = start
    for pos in range(start, end):
        char = text[pos]
        if char in _OPEN:
            depth.append(_OPEN[char])
        elif depth and char == depth[-1]:
            depth.pop()
        elif char == "、" and not depth:
            pieces.append((begin, pos))
            begin = pos + 1
    pieces.append((begin, end))
    return pieces


def _has_value(text: str, start: int, end: int) -> bool:
    return bool(find_numbers(text, start, end))


def _named_value(text: str, start: int, end: int) -> bool:
    """The piece holds a value with words before it (`城镇调查失业率5.5%左右`, not `15个`)."""
    found = find_numbers(text, start, end)
    return bool(found) and found[0].start - start >= 2
