"""Numbering systems of Chinese plan documents: 第一篇 / 第一章 / 第一节, 一、 → （一） → 1． →
（1） → ①, plus 专栏 N and 图 N. Recognising a block's numbering is what makes it a heading;
unnumbered short lines never become headings (unless markup says so).

`match_numbering` returns the numbering of a line, or None; `cn_number` converts Chinese
numerals up to 九千九百九十九 (enough for any chapter or item number)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from planwatch.parsing.model import NodeKind

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUM = "零〇一二两三四五六七八九十百千"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# Separator between a label and its title: U+3000 (+ space), spaces, or nothing.
_LABEL_SPACES = re.compile(r"[\u3000 \u00a0]+")
_SEP = r"[\u3000 \u00a0]*"
_TITLE = r"(?P<title>.*)"


@dataclass(frozen=True)
class Numbering:
    """The numbering found at the start of a line.

    `style` names the numbering system ("part", "chapter", "section", "cn", "paren_cn",
    "arabic", "paren_arabic", "circled", "box", "figure"); `kind` is the node kind it
    gives; `rank` orders the fixed styles (篇 < 章 < 节) and is None for the list styles,
    whose nesting the builder learns from the order they appear in."""

    style: str
    kind: NodeKind
    number: int
    label: str
    title: str
    rank: int | None


def cn_number(text: str) -> int | None:
    """二十三 → 23, 十二 → 12, 一〇五 → 105, 12 → 12; None when `text` is not a number."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        return None
    if not any(ch in _UNITS for ch in text):
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
    return total + (digit or 0)


_PATTERNS: list[tuple[str, NodeKind, int | None, re.Pattern[str]]] = [
    ("part", "part", 1, re.compile(rf"^(?P<label>第(?P<n>[{CN_NUM}\d]{{1,4}})篇){_SEP}{_TITLE}$")),
    (
        "chapter",
        "chapter",
        2,
        re.compile(rf"^(?P<label>第(?P<n>[{CN_NUM}\d]{{1,4}})章){_SEP}{_TITLE}$"),
    ),
    (
        "section",
        "section",
        3,
        re.compile(rf"^(?P<label>第(?P<n>[{CN_NUM}\d]{{1,4}})节){_SEP}{_TITLE}$"),
    ),
    ("box", "box", None, re.compile(rf"^(?P<label>专栏{_SEP}(?P<n>\d{{1,3}})){_SEP}{_TITLE}$")),
    (
        "figure",
        "figure",
        None,
        re.compile(rf"^(?P<label>图{_SEP}(?P<n>\d{{1,3}}))[\u3000 \u00a0]+{_TITLE}$"),
    ),
    (
        "cn",
        "heading",
        None,
        re.compile(rf"^(?P<label>(?P<n>[{CN_NUM}]{{1,4}})[、.．]){_SEP}{_TITLE}$"),
    ),
    (
        "paren_cn",
        "heading",
        None,
        re.compile(rf"^(?P<label>[（(](?P<n>[{CN_NUM}]{{1,4}})[）)]){_SEP}{_TITLE}$"),
    ),
    (
        "arabic",
        "item",
        None,
        re.compile(rf"^(?P<label>(?P<n>\d{{1,2}})(?:[．、]|\.(?!\d))){_SEP}{_TITLE}$"),
    ),
    ("bare_arabic", "item", None, re.compile(rf"^(?P<label>(?P<n>\d{{1,2}}))\u3000 ?{_TITLE}$")),
    (
        "paren_arabic",
        "item",
        None,
        re.compile(rf"^(?P<label>[（(](?P<n>\d{{1,2}})[）)]){_SEP}{_TITLE}$"),
    ),
    ("circled", "item", None, re.compile(rf"^(?P<label>(?P<n>[{_CIRCLED}])){_SEP}{_TITLE}$")),
]


_Pattern = tuple[str, NodeKind, int | None, re.Pattern[str]]


def _patterns(*styles: str) -> list[_Pattern]:
    return [entry for entry in _PATTERNS if entry[0] in styles]


# Patterns worth trying for each first character: most lines are rejected by one dict lookup.
_DIGIT_PATTERNS = _patterns("arabic", "bare_arabic")
_BY_FIRST: dict[str, list[_Pattern]] = {
    "第": _patterns("part", "chapter", "section"),
    "专": _patterns("box"),
    "图": _patterns("figure"),
    "（": _patterns("paren_cn", "paren_arabic"),
    "(": _patterns("paren_cn", "paren_arabic"),
    **{ch: _patterns("cn") for ch in CN_NUM},
    **{ch: _patterns("circled") for ch in _CIRCLED},
}


def match_numbering(line: str) -> Numbering | None:
    """The numbering a line opens with, or None. `line` should be stripped of indentation."""
    if not line:
        return None
    first = line[0]
    if first not in _BY_FIRST and not first.isdigit():
        return None  # most lines: one dictionary lookup
    return _match_candidates(line)


# The reader, the splitter and the tree builder ask about the same lines again; a Numbering is
# immutable, so the answer is kept (for the few lines that get past the first character).
@lru_cache(maxsize=2048)
def _match_candidates(line: str) -> Numbering | None:
    candidates = _BY_FIRST.get(line[0], _DIGIT_PATTERNS)
    for style, kind, rank, pattern in candidates:
        found = pattern.match(line)
        if found is None:
            continue
        raw = found.group("n")
        number = _CIRCLED.index(raw) + 1 if style == "circled" else cn_number(raw)
        if number is None or number == 0:
            continue
        label = _LABEL_SPACES.sub("", found.group("label"))
        if style == "box":
            label = f"专栏 {number}"
        elif style == "figure":
            label = f"图 {number}"
        return Numbering(style, kind, number, label, found.group("title").strip(), rank)
    return None
