"""Normalised view of a paragraph for quantity extraction, with a map back to the original.

The structure builder already cleans text (parse-contract), but extraction must not depend on
it: NFKC folds full-width digits and punctuation (`１．９１` → `1.91`, `：` → `:`), and every
whitespace run is dropped unless it separates two Latin letters/digits, so leftovers such as
`1． 91 万亿元` or `60% 。` read the same as clean text. Each normalised character remembers the
offset of the original character it came from, so a match can be grounded through the node's
`spans` and quoted as printed."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
# Sentence ends and clause separators (after NFKC: ， → ,  ； → ;  ！ → !  ？ → ?).
SENTENCE_END = frozenset("。;!?")
CLAUSE_END = frozenset(",")
_OPEN = {"(": ")", "“": "”", "《": "》", "[": "]", "〔": "〕", "【": "】", "「": "」"}
_CLOSE = {v: k for k, v in _OPEN.items()}


@dataclass(frozen=True)
class NormText:
    """`text` is the normalised paragraph; `origin[i]` the offset in the original of the
    character that produced `text[i]` (with one sentinel entry for the end)."""

    text: str
    origin: list[int]
    original: str

    def source(self, start: int, end: int) -> str:
        """The original text behind normalised `[start, end)`, trimmed of spaces."""
        return self.original[self.origin[start] : self.origin[end]].strip()


# Extraction asks for the same node texts several times (goal sections, action targets,
# leads); the result is immutable by convention (callers only read it), so it is kept.
@lru_cache(maxsize=4096)
def normalise(original: str) -> NormText:
    """NFKC the text and drop artificial whitespace, keeping the offset map.

    Works run by run (a run of whitespace or of anything else): a run whose NFKC form has the
    same length maps character to character; only the rare others are folded one by one."""
    kept: list[str] = []
    origin: list[int] = []
    for run in _RUNS.finditer(original):
        start, piece = run.start(), run.group(0)
        if piece[0].isspace():
            after = original[run.end() : run.end() + 1]
            if (
                kept
                and _ASCII_ALNUM.match(kept[-1][-1])
                and _ASCII_ALNUM.match(unicodedata.normalize("NFKC", after)[:1] or " ")
            ):
                kept.append(" ")
                origin.append(start)
            continue
        folded = unicodedata.normalize("NFKC", piece)
        if len(folded) == len(piece):
            kept.append(folded)
            origin.extend(range(start, run.end()))
            continue
        for index, char in enumerate(piece, start):
            one = unicodedata.normalize("NFKC", char)
            kept.append(one)
            origin.extend([index] * len(one))
    origin.append(len(original))
    return NormText("".join(kept), origin, original)


_RUNS = re.compile(r"\s+|\S+")
# Every character `split_clauses` reacts to (openers, closers, sentence and clause ends).
_CLAUSE_MARKS = re.compile(
    "[" + re.escape("".join(sorted({*_OPEN, *_CLOSE, *SENTENCE_END, *CLAUSE_END}))) + "]"
)


def split_clauses(text: str) -> list[list[tuple[int, int]]]:
    """Sentences of `text`, each a list of `(start, end)` clauses.

    Sentences end at 。；！？; clauses at a comma. Separators inside brackets, quotes or book
    titles do not count, so `中国(四川,成都)` or a quoted slogan stays whole."""
    sentences: list[list[tuple[int, int]]] = []
    clauses: list[tuple[int, int]] = []
    depth: list[str] = []
    start = 0
    # Only brackets, quotes and separators move the state: visit those characters alone.
    for found in _CLAUSE_MARKS.finditer(text):
        pos, char = found.start(), found.group()
        if char in _OPEN and not (char == "“" and depth and depth[-1] == "”"):
            depth.append(_OPEN[char])
        elif depth and char == depth[-1]:
            depth.pop()
        elif char in _CLOSE and depth:
            depth.clear()  # unbalanced closer: resynchronise rather than swallow the rest
        elif not depth and (char in SENTENCE_END or char in CLAUSE_END):
            clauses.append((start, pos))
            start = pos + 1
            if char in SENTENCE_END:
                sentences.append(clauses)
                clauses = []
    if start < len(text):
        clauses.append((start, len(text)))
    if clauses:
        sentences.append(clauses)
    return [[c for c in s if c[1] > c[0]] for s in sentences if any(c[1] > c[0] for c in s)]
