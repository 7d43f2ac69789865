"""Lead sentences: the bold opening sentence of most plan paragraphs (“经济实力大幅提升。”).

A paragraph that opens with a lead becomes a `provision` node whose title is the lead without
its final 。 and whose text is the rest of the paragraph (title + 。 + text gives the paragraph
back; nothing is stored twice).

What makes a lead, measured on the five bundled plans: it is the first sentence, it is short
(2–30 characters; the longest real lead is 26), it is a headline rather than a clause of
running prose, so it has at most one comma and that comma joins two short parallel halves
(“共建共享,合作共赢。”), and it is followed by more text. It does not open with a time or
condition phrase (“到2025年,…。”, “同时,…。”), which is how ordinary sentences start."""

from __future__ import annotations

import re

LEAD_MAX = 30
_SENTENCE_END = "。"
_COMMAS = ",，;；"
_NOT_LEAD_START = re.compile(
    r"^(到|至|截至|截止|在|从|自|随着|同时|此外|其中|另外|对于|通过|按照|依托)"
)
_YEAR = re.compile(r"\d{4}年")
_COMMA = re.compile(f"[{_COMMAS}]")
_NOT_LEAD_CHARS = re.compile(r"[:：、“”《》()（）]")


def split_lead(text: str) -> tuple[str, str] | None:
    """(lead without its final 。, remainder) when `text` opens with a lead sentence."""
    end = _first_sentence_end(text, LEAD_MAX + 1)
    if end is None:
        return None
    lead, rest = text[:end].lstrip("—-－ "), text[end + 1 :].lstrip(" ")
    if len(lead) < 2 or not rest or not _headline(lead):
        return None
    return lead, rest


def _first_sentence_end(text: str, limit: int) -> int | None:
    """Index of the first sentence-ending mark within `limit` characters, else None."""
    for index, ch in enumerate(text[:limit]):
        if ch in _SENTENCE_END:
            return index
    return None


def _headline(lead: str) -> bool:
    """A lead reads as a headline: no time/condition opening, no list or quotation marks
    of running prose, and either no comma or one comma between two short halves."""
    if _NOT_LEAD_START.match(lead) or _YEAR.search(lead):
        return False
    if _NOT_LEAD_CHARS.search(lead) and len(lead) > 16:
        return False
    parts = _COMMA.split(lead)
    if len(parts) == 1:
        return True
    return len(parts) == 2 and all(2 <= len(part) <= 12 for part in parts)
