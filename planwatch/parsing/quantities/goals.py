"""Goals without a number: the clauses of a goal paragraph that state an aim
(“跻身全国科技创新第一方阵”, “完成省上下达的目标任务”), kept as qualitative targets.

Every clause of a goal section is a goal in these plans; a clause is dropped only when nothing
is left once its time phrase is removed (`到2025年`, `展望2035年`). A clause that makes several
listed indicators meet one aim (`A、B以及C等指标完成省上下达的目标任务`) gives one target per
indicator, since each is monitored on its own."""

from __future__ import annotations

import re

from planwatch.parsing.model import Quantity, as_comparator, locate
from planwatch.parsing.quantities.extract import Context, split_list
from planwatch.parsing.quantities.phrases import take_times
from planwatch.parsing.quantities.text import NormText

_CJK = re.compile(r"[\u4e00-\u9fff]")
_OPENERS = re.compile(
    r"^(?:展望|力争|努力|全面|同时|并|且|使|推动|确保|今后五年|未来五年|今后一个时期|今年|全年)+"
)
_PREDICATE = re.compile(
    r"更加|持续|显著|明显|基本|全面|加快|进一步|不断|大幅|逐步|有效|稳步|稳定|得到|取得|实现|达到"
    r"|迈上|迈出|跃居|跻身|保持|高于|低于|快于|完成|形成|提升|提高|增强|建成|初步|率先|成为|位居"
    r"|走在|总体|趋于|成熟|进入|普遍|深入|接近|缩小|改善|优化|健全|完善|扩大|降低|下降|切实|充分"
    r"|再上|日益|蓬勃|跨上|跨入|加速|稳中|大力|积极|全部|满足|迈向|建立"
)
# Clauses that open with their verb (`培育形成…`, `打造成为…`) have no subject to name them.
_VERB_FIRST = re.compile(
    r"^(?:基本实现|基本形成|培育|打造|建成|基本建成|形成|成为|高水平|推进|探索|实现|创建|成功创建|跻身|建设)"
)
# `经济区实现经济总量再上新台阶`: the zone is the plan's own subject, the aim is what it achieves.
_ZONE_ACHIEVES = re.compile(r"^[\u4e00-\u9fff]{0,6}?经济区实现")
# A table or box caption standing as a paragraph (`表1“十四五”时期…主要指标`) is no goal.
_CAPTION = re.compile(r"^(?:表\s*\d+|专栏\s*\d+)|主要指标$")
_SUBJECT_LEAD = re.compile(r"^(?:我国|全国|全省|全市)(?=.{2})")
_LISTED_AIM = re.compile(
    r"^(?P<list>.+?)(?:等(?:主要|约束性)?指标)?(?:完成|达到|实现)(?:省上|省|国家)?下达的?(?:目标任务|目标|任务)"
)
_HIGHER = re.compile(r"高于|快于|超过|优于")
_LOWER = re.compile(r"低于|慢于")


def qualitative_targets(norm: NormText, start: int, end: int, ctx: Context) -> list[Quantity]:
    """Qualitative targets of the clause `norm.text[start:end]` (none for a bare time phrase)."""
    year, _, words = take_times(norm.text[start:end])
    words = _OPENERS.sub("", words.strip(" ,、")).strip(" ,、")
    if len(_CJK.findall(words)) < 3 or _CAPTION.match(words):
        return []
    offset = start + (len(norm.text[start:end]) - len(norm.text[start:end].lstrip(" ")))
    line, page = locate(ctx.spans, norm.origin[offset], ctx.default_place)
    text = norm.source(start, end)
    comparator = ">" if _HIGHER.search(words) else "<" if _LOWER.search(words) else None
    return [
        Quantity(
            text=text,
            indicator=name,
            value=None,
            unit=None,
            year=year or ctx.paragraph_year or ctx.default_year,
            comparator=as_comparator(comparator),
            kind="qualitative",
            attribute=None,
            line=line,
            page=page,
            origin=ctx.origin,
            year_stated=bool(year or ctx.paragraph_year),
        )
        for name in _names(words)
    ]


def _names(words: str) -> list[str]:
    """Indicator names of a qualitative clause: the listed indicators of a shared aim, or the
    subject before the first predicate word, or (no subject, `跻身…`) the clause itself."""
    listed = _LISTED_AIM.match(words)
    if listed:
        items = split_list(listed["list"])
        if len(items) > 1:
            return items
    words = _ZONE_ACHIEVES.sub("", words) if len(words) > 8 else words
    if _VERB_FIRST.match(words):
        return [words]
    predicate = next(
        (
            m
            for m in _PREDICATE.finditer(words)
            if m.start() >= 2 and words[m.start() - 1] not in "、和"
        ),
        None,
    )
    if predicate:
        return [_SUBJECT_LEAD.sub("", words[: predicate.start()]).rstrip("的在将再要")]
    return [words]
