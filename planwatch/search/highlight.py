"""Snippets with the matched words marked: the plan text is HTML-escaped and only the
`<mark>` tags are markup, so a snippet can be shown as is (and sent in JSON as is)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from planwatch.search.segment import QueryGroup, normalize

SNIPPET_CHARS = 120
ELLIPSIS = "…"


def terms_of(groups: Sequence[QueryGroup]) -> list[str]:
    """The strings to mark: each word, and each phrase written without its spaces."""
    terms = {"".join(g.tokens) for g in groups}
    # A lone Latin letter or digit (the "5" of PM2.5, cut as pm2 / 5) would mark every 5 in
    # the snippet; the longer pieces are marked instead.
    return sorted((t for t in terms if t and not _lone_ascii(t)), key=len, reverse=True)


def _lone_ascii(term: str) -> bool:
    return len(term) == 1 and term.isascii()


def _pattern(terms: Sequence[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)


def contains_any(text: str, terms: Sequence[str]) -> bool:
    pattern = _pattern(terms)
    return bool(pattern and pattern.search(normalize(text)))


def _window(text: str, first: int, width: int) -> tuple[int, int]:
    start = max(0, first - width // 4)
    end = min(len(text), start + width)
    start = max(0, end - width)
    return start, end


def snippet(text: str, terms: Sequence[str], *, width: int = SNIPPET_CHARS) -> SafeString:
    """A window of about `width` characters of `text` around its first match, escaped,
    with every match wrapped in <mark>."""
    text = " ".join(normalize(text).split())
    pattern = _pattern(terms)
    matches = list(pattern.finditer(text)) if pattern else []
    start, end = _window(text, matches[0].start() if matches else 0, width)
    parts: list[str] = [ELLIPSIS] if start > 0 else []
    pos = start
    for m in matches:
        if m.start() < pos or m.start() >= end:
            continue
        stop = min(m.end(), end)
        parts.append(escape(text[pos : m.start()]))
        parts.append("<mark>" + escape(text[m.start() : stop]) + "</mark>")
        pos = stop
    parts.append(escape(text[pos:end]))
    if end < len(text):
        parts.append(ELLIPSIS)
    # Safe: every piece of plan text above went through escape().
    return mark_safe("".join(parts))
