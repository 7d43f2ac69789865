"""Text normalisation shared by the readers and the structure builder (parse-contract, "Text is
cleaned"): `N． M` → `N.M`, the U+3000 + space pairs of headings dropped, the artificial ASCII
spaces a PDF text layer puts around numbers, brackets and quotes removed.

Punctuation is otherwise kept as printed (ASCII commas stay ASCII). Spaces between two Latin
words or numbers are kept, since they are real word breaks (“Made in China”, “2 3”).

Also holds `em_width`, the printed width of a PDF text line measured in body-font em, which
the PDF-text reader uses to tell paragraph-first lines (indented) and box lines (smaller font)
from full body lines."""

from __future__ import annotations

import re

Spans = list[tuple[int, int, int | None]]

# digit + FULLWIDTH FULL STOP (+ space) + digit: every decimal of the PDF text layer.
# The full stop comes first in each pattern (its look-behind after it) so that the regex
# engine can skip to the next full stop instead of trying the pattern at every position.
_DECIMAL = re.compile(r"．(?<=\d．) ?(?=\d)")
_DECIMAL_JOINED = re.compile(r"．(?<=\d．)(?=\d)")
_DIRTY = re.compile(r"[ \u3000\u00a0\t．]")
# Runs of ideographic and ASCII spaces (the U+3000 is always followed by an ASCII space).
_SPACES = re.compile(r"[ \u3000\u00a0\t][ \u3000\u00a0\t]*")
# A space between two characters survives only between two Latin letters/digits; these are the
# characters after/before which a space is artificial (CJK, full-width forms, ASCII punctuation
# that hugs its neighbour).
# Whole runs only (look-behind: the run's start; possessive: no backtracking into it), so the
# cost stays linear even in a line of ten thousand spaces.
# The pattern opens with the space class and checks the run's start by a look-behind over the
# space just taken (`(?<!S S)` after it = `(?<!S)` before it): a pattern that opens with a
# character class lets the engine skip to the next space; one that opens with a look-behind is
# tried at every position of the line (measured three times slower on the bundled file).
_ARTIFICIAL_SPACE = re.compile(
    r"[ \u3000\u00a0\t](?:"
    # a run not followed by Latin
    r"(?<![ \u3000\u00a0\t][ \u3000\u00a0\t])[ \u3000\u00a0\t]*+(?![A-Za-z0-9])"
    # a run not preceded by Latin
    r"|(?<![A-Za-z0-9 \u3000\u00a0\t][ \u3000\u00a0\t])[ \u3000\u00a0\t]*+"
    r")"
)
# `[\u3000\u00a0\t]| {2}` (a run that is not one plain space), opening with one class.
_NEEDS_ONE_SPACE = re.compile(r"[ \u3000\u00a0\t](?:(?<=[\u3000\u00a0\t])| )")
_CLUTTER = re.compile(
    r"^(【?字体[:：]?\s*[大中小\s]+】?|打印本页|关闭窗口|【打印】|【关闭】|分享到[:：]?.*|"
    r"版权所有.*|.*ICP备\d+号.*|.*公网安备\d+号.*|扫一扫在手机打开当前页.*|"
    r"本文内容采用.*协议.*|.*转载请注明出处.*|本页面最后修订于.*|责任编辑[:：].*|"
    r"(信息)?来源[:：].{0,30}|发布时间[:：].{0,40}|浏览次数[:：].*|【?(返回顶部|我要纠错)】?)$"
)

# Measured on the bundled PDF text (least squares over 2,300 lines, seed-format §2.3):
# widths in body-font em of the glyph classes the text layer produces.
_WIDTH_DIGIT = 0.45
_WIDTH_ASCII_PUNCT = 0.5
_WIDTH_CJK_PUNCT = 0.5
_WIDTH_QUOTE = 0.66
# One character class each, counted with `findall` (C level; `str.translate` with a deletion
# table of non-ASCII characters is a per-character dictionary lookup, four times slower).
_CJK_PUNCT_CHARS = "、。《》：；！？（）．％…·〔〕，"
_QUOTE_CHARS = "“”‘’"
_MARKS = re.compile(f"[{_CJK_PUNCT_CHARS}{_QUOTE_CHARS}]")
_QUOTES = re.compile(f"[{_QUOTE_CHARS}]")
# The ASCII bytes that are neither letters, digits nor the space (deleted by bytes.translate).
_NOT_ALNUM = bytes(b for b in range(128) if not (chr(b).isalnum() or b == 0x20))


def em_width(line: str) -> float:
    """Printed width of a PDF text line in em of the body font.

    CJK ideographs count 1; full-width punctuation (compressed by the typesetter) 0.5; curly
    quotes 0.66; ASCII letters, digits and spaces 0.45; ASCII punctuation 0.5. With these
    weights full body lines measure 27.5–28.5 em, paragraph-first lines (2 em indent) 25–26.5,
    and 专栏 box lines (smaller font) 33–37. Counted with C-level string methods: this runs
    on every line of the input."""
    text = line.strip().replace("\u3000 ", "\u3000")
    ascii_only = text.encode("ascii", "ignore")
    alnum = len(ascii_only.translate(None, _NOT_ALNUM)) if ascii_only else 0
    punct = len(ascii_only) - alnum
    # One pass for both classes of marks; the quotes are counted apart only when present.
    cjk_punct = len(_MARKS.findall(text))
    quotes = 0
    if cjk_punct and ("“" in text or "”" in text or "‘" in text or "’" in text):
        quotes = len(_QUOTES.findall(text))
        cjk_punct -= quotes
    wide = len(text) - len(ascii_only) - cjk_punct - quotes
    return (
        wide
        + alnum * _WIDTH_DIGIT
        + punct * _WIDTH_ASCII_PUNCT
        + cjk_punct * _WIDTH_CJK_PUNCT
        + quotes * _WIDTH_QUOTE
    )


def clean_text(text: str) -> str:
    """Cleaned form of one line or one joined paragraph (idempotent)."""
    if "．" in text:
        text = _DECIMAL.sub(".", text)
    if " " not in text and "\u3000" not in text and "\u00a0" not in text and "\t" not in text:
        return text
    # Two C-level passes instead of a Python callback per space run: drop every run that
    # touches a non-Latin character (or the text's ends), then make the survivors — runs
    # between two Latin letters/digits — one plain space.
    text = _ARTIFICIAL_SPACE.sub("", text)
    return _SPACES.sub(" ", text) if _NEEDS_ONE_SPACE.search(text) else text


def clean_spanned(text: str, spans: Spans) -> tuple[str, Spans]:
    """Clean `text` stretch by stretch so that its `spans` stay true: each stretch (one input
    line) is cleaned alone, then the stretches are concatenated; empty stretches vanish.
    A decimal split across two stretches (`18．` | `9`) is mended without moving offsets."""
    if not spans:
        return clean_text(text), []
    if not _DIRTY.search(text):
        return text, spans
    bounds = [s[0] for s in spans[1:]] + [len(text)]
    return _clean_stretches([text[s[0] : end] for s, end in zip(spans, bounds, strict=True)], spans)


def clean_lines(lines: list[str], spans: Spans) -> tuple[str, Spans]:
    """`clean_spanned("".join(lines), spans)` for a text given as its stretches, one per span
    (a reader's lines): the same result without slicing the joined text back into them."""
    joined = "".join(lines)
    if not _DIRTY.search(joined):
        return joined, spans
    return _clean_stretches(lines, spans)


def _clean_stretches(stretches: list[str], spans: Spans) -> tuple[str, Spans]:
    """The body of `clean_spanned`: each stretch cleaned alone, then concatenated."""
    pieces: list[str] = []
    out: Spans = []
    offset = 0
    for stretch, (_, line, page) in zip(stretches, spans, strict=True):
        piece = clean_text(stretch)
        if not piece:
            continue
        if pieces and pieces[-1][-1].isascii():  # `_join_piece` only after an ASCII character
            piece = _join_piece(pieces[-1], piece)
        out.append((offset, line, page))
        pieces.append(piece)
        offset += len(piece)
    joined = "".join(pieces)
    return _mend_decimals(joined), out


def _join_piece(previous: str, piece: str) -> str:
    """Prefix `piece` with a space when it continues a Latin word across a line break."""
    if previous[-1:].isascii() and previous[-1:].isalpha() and piece[:1].isascii():
        return " " + piece if piece[:1].isalpha() else piece
    return piece


def _mend_decimals(text: str) -> str:
    """`1．91` left over where the decimal point ended a line (same length: offsets hold)."""
    return _DECIMAL_JOINED.sub(".", text) if "．" in text else text


def is_clutter(text: str) -> bool:
    """True for web-page furniture that is never plan text (font-size switches, print/close
    links, copyright and ICP licence lines)."""
    return len(text) <= 80 and _CLUTTER.match(text.strip()) is not None
