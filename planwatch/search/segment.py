"""Chinese word segmentation for the search index and for queries.

One rjieba segmenter per process, with a user dictionary built from what the database
knows: the gazetteer's place, region and composite names, the names of the organisation
units, and the project names printed in the plans' 专栏 boxes. Without it 成自宜高铁,
成德眉资, 天府新区 and 成渝地区双城经济圈 are cut into pieces and cannot be found as words.

The index and the queries must be cut with the same dictionary, in every process. The
dictionary is therefore derived from the database alone and rebuilt whenever a cheap
fingerprint of that data changes (a new plan version or organisation unit). HMM guessing of
unknown words is off on both sides: it depends on context, so a word guessed in a document
might not be guessed in a two-word query.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import rjieba

from planwatch.orgunits.models import OrgUnit
from planwatch.parsing.gazetteer import segmentation_words
from planwatch.plans.models import Node, Plan

# Region words that the plans use as names but no division list contains. The gazetteer
# supplies most of them once it is present; these keep search right without it.
REGION_WORDS = (
    "成渝地区双城经济圈",
    "成德眉资",
    "成德眉资同城化",
    "天府新区",
    "四川天府新区",
    "成都平原经济区",
    "川南经济区",
    "川东北经济区",
    "攀西经济区",
    "川西北生态示范区",
    "成都都市圈",
    "成渝主轴",
    "成渝中线高铁",
    "成自宜高铁",
    "成达万高铁",
    "渝昆高铁",
    "川藏铁路",
    "成兰铁路",
    "西部陆海新通道",
    "长江经济带",
    "内自同城化",
    "攀西战略资源创新开发试验区",
)

# Typed as operators, read as nothing (lower-case "and" stays a word).
OPERATOR_WORDS = frozenset({"AND", "OR", "NOT", "NEAR"})

# Tokens longer than this are junk for the index (a pasted hash, a URL) and would only make
# the query fail on PostgreSQL's lexeme limit.
MAX_TOKEN_CHARS = 64
# Sub-words are looked for in words up to this long (a long run of Latin letters or digits
# has none worth finding, and the search is quadratic).
MAX_SUBWORD_SOURCE = 24


# Control and format characters (Unicode categories Cc and Cf): NUL, escapes, zero-width
# spaces and joiners, direction marks, the byte-order mark.
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)


_ALNUM = re.compile(r"[^\W_]")

# How many words' search tokens a segmenter remembers (a bound on its memory).
_EXPANDED_KEEP = 200_000


@dataclass(frozen=True)
class QueryGroup:
    """One unit of a search: a word that must occur, or — for a run of single characters
    that the dictionary could not join (同/城/化) — a phrase of adjacent characters."""

    tokens: tuple[str, ...]

    @property
    def is_phrase(self) -> bool:
        return len(self.tokens) > 1


# ------------------------------------------------------- the base dictionary, ahead of time

# Loading rjieba's base dictionary is a fixed cost of every segmenter (about 0.2 s; rjieba
# releases the GIL meanwhile). An ingest asks for it (`prefetch_base`, through the
# plan_ingest_storing hook) before its database writes, so that the load runs beside them;
# the next Segmenter built takes that instance. One spare at most; an instance is used once,
# since a user dictionary is added to it.
_spare_lock = threading.Lock()
_spare: list[rjieba.Jieba] = []
_spare_thread: threading.Thread | None = None


def prefetch_base(**_: object) -> None:
    """Start loading a base-dictionary rjieba instance in a background thread (unless one
    is loaded or loading already)."""
    global _spare_thread
    with _spare_lock:
        if _spare or _spare_thread is not None:
            return
        thread = threading.Thread(target=_load_spare, name="rjieba-prefetch", daemon=True)
        _spare_thread = thread
    thread.start()


def _load_spare() -> None:
    global _spare_thread
    jieba = None
    try:
        jieba = rjieba.Jieba()
    finally:
        with _spare_lock:
            if jieba is not None:
                _spare.append(jieba)
            _spare_thread = None


def _base_jieba() -> rjieba.Jieba:
    """A fresh instance with the base dictionary only: the prefetched one if there is one
    (waiting for its load to finish), else loaded now."""
    with _spare_lock:
        thread = _spare_thread
    if thread is not None:
        thread.join()
    with _spare_lock:
        if _spare:
            return _spare.pop()
    return rjieba.Jieba()


class Segmenter:
    """An rjieba instance with a user dictionary."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self._jieba = _base_jieba()
        self.words: frozenset[str] = frozenset(w for w in (_clean_word(x) for x in words) if w)
        for word in sorted(self.words):
            self._jieba.add_word(word, None, None)
        # A word's search tokens, worked out once: the dictionary does not change after
        # this point, and the same words come back in node after node.
        self._expanded: dict[str, tuple[str, ...]] = {}
        # The same for the index: a raw token of the cut → its lower-cased search tokens
        # (none for a token that `is_word` rejects), one dictionary lookup per token.
        self._indexed: dict[str, tuple[str, ...]] = {}

    def cut(self, text: str) -> list[str]:
        return [t for t in self._jieba.cut(normalize(text), False) if is_word(t)]

    def cut_for_search(self, text: str) -> list[str]:
        """Each word of the precise cut preceded by every dictionary word inside it, of any
        length. (jieba's own search mode looks only at two- and three-character sub-words,
        so 四川天府新区 would not give 天府新区.)"""
        tokens: list[str] = []
        expanded = self._expanded
        for word in self.cut(text):
            found = expanded.get(word)
            if found is None:
                if len(expanded) >= _EXPANDED_KEEP:
                    expanded.clear()
                found = expanded[word] = self._expand(word)
            tokens.extend(found)
        return tokens

    def index_tokens(self, text: str) -> list[str]:
        """`cut_for_search` lower-cased (the index's tokens), with the filter, the sub-words
        and the lower-casing of each distinct token worked out once."""
        tokens: list[str] = []
        indexed = self._indexed
        for raw in self._jieba.cut(normalize(text), False):
            found = indexed.get(raw)
            if found is None:
                if len(indexed) >= _EXPANDED_KEEP:
                    indexed.clear()
                found = indexed[raw] = (
                    tuple(t.lower() for t in self._expand(raw)) if is_word(raw) else ()
                )
            tokens.extend(found)
        return tokens

    def _expand(self, word: str) -> tuple[str, ...]:
        has_word = self._jieba.has_word
        n = len(word)
        subwords: list[str] = []
        if 2 < n <= MAX_SUBWORD_SOURCE:
            subwords.extend(
                word[i : i + size]
                for size in range(2, n)
                for i in range(n - size + 1)
                if has_word(word[i : i + size])
            )
        subwords.append(word)
        return tuple(subwords)


def normalize(text: str) -> str:
    """NFKC (full-width letters and digits to ASCII), control characters and unpaired
    surrogates removed — PostgreSQL refuses NUL and UTF-8 refuses surrogates."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    return _CONTROL.sub(" ", unicodedata.normalize("NFKC", text))


def is_word(token: str) -> bool:
    """Whether a segmenter token is worth indexing: it has a letter or digit (not only
    punctuation, spaces or emoji) and is not absurdly long."""
    if not 0 < len(token) <= MAX_TOKEN_CHARS:
        return False
    # Most tokens are all letters (CJK words): one C-level test; else look for one character
    # that str.isalnum accepts (`[^\W_]` is exactly that set in a str pattern).
    return token.isalnum() or _ALNUM.search(token) is not None


def _clean_word(word: str) -> str:
    word = normalize(word).strip()
    return word if 2 <= len(word) <= MAX_TOKEN_CHARS and " " not in word else ""


def _is_single_cjk(token: str) -> bool:
    return len(token) == 1 and "\u3400" <= token <= "\u9fff"


def group_query_tokens(tokens: list[str]) -> list[QueryGroup]:
    """Words stay words; runs of two or more single Chinese characters become phrases."""
    groups: list[QueryGroup] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if token and _is_single_cjk(token):
            run.append(token)
            continue
        if run:
            groups.append(QueryGroup(tuple(run)))
            run = []
        if token:
            groups.append(QueryGroup((token,)))
    return groups


# ---------------------------------------------------------------- process-wide segmenter

_lock = threading.RLock()
_current: tuple[object, Segmenter] | None = None


def dictionary_fingerprint() -> object:
    """A cheap summary of the data the user dictionary is built from: one query, run before
    every search, so that a plan ingested by another process is seen at once."""
    from django.db import connection

    units, plans = OrgUnit._meta.db_table, Plan._meta.db_table
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT (SELECT COUNT(*) FROM {units}), (SELECT MAX(id) FROM {units}),"
            f" (SELECT COUNT(current_version_id) FROM {plans}),"
            f" (SELECT MAX(current_version_id) FROM {plans})"
        )
        row = cur.fetchone()
    return (*row, _gazetteer_size())


def dictionary_words(*, exclude_plans: Iterable[int] = ()) -> set[str]:
    """Every word of the user dictionary, read from the database and the gazetteer
    (without the project names of the plans `exclude_plans`, when given)."""

    words: set[str] = set(REGION_WORDS)
    words.update(_gazetteer_words())
    for name, short in OrgUnit.objects.values_list("name", "short_name"):
        words.update((name, short))
    plans = Plan.objects.exclude(current_version=None)
    excluded = set(exclude_plans)
    if excluded:
        plans = plans.exclude(pk__in=excluded)
    current = plans.values("current_version_id")
    for projects in (
        Node.objects.filter(version_id__in=current).exclude(projects=[]).values_list("projects")
    ):
        words.update(project_names(projects[0]))
    return {w for w in words if _clean_word(w)}


def project_names(value: object) -> list[str]:
    """Project names as Node.projects stores them: a list of strings (or of objects with a
    `name`)."""
    names: list[str] = []
    if isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                names.append(item)
            elif isinstance(item, dict) and isinstance(item.get("name"), str):
                names.append(item["name"])
    return names


def _gazetteer_words() -> list[str]:
    try:
        return list(segmentation_words())
    except NotImplementedError:
        return []


_gazetteer_count: int | None = None


def _gazetteer_size() -> int:
    global _gazetteer_count
    if _gazetteer_count is None:
        _gazetteer_count = len(_gazetteer_words())
    return _gazetteer_count


_built: dict[frozenset[str], Segmenter] = {}
_BUILT_KEEP = 2


def segmenter_for(words: Iterable[str]) -> Segmenter:
    """A segmenter for exactly these words; the last few are kept, since building one
    takes about 0.2 s and the same dictionary is asked for again and again."""
    key = frozenset(w for w in (_clean_word(x) for x in words) if w)
    with _lock:
        seg = _built.get(key)
        if seg is None:
            seg = Segmenter(key)
            while len(_built) >= _BUILT_KEEP:
                _built.pop(next(iter(_built)))
            _built[key] = seg
        return seg


def segmenter() -> Segmenter:
    """The process's segmenter, rebuilt when the dictionary data has changed."""
    global _current
    key = dictionary_fingerprint()
    current = _current
    if current is not None and current[0] == key:
        return current[1]
    seg = segmenter_for(dictionary_words())
    _current = (key, seg)
    return seg


def reset() -> None:
    """Forget the process's segmenter (tests; after loading reference data)."""
    global _current, _gazetteer_count
    with _lock:
        _current = None
        _gazetteer_count = None


def tokens_for_index(text: str, seg: Segmenter | None = None) -> list[str]:
    """Search-mode tokens of a document: every dictionary word and its shorter
    dictionary sub-words (成渝地区双城经济圈 → 成渝, 地区, 双城, 经济, 经济圈 and the
    whole word)."""
    return (seg or segmenter()).index_tokens(text)


def tokens_for_query(q: str, seg: Segmenter | None = None) -> list[str]:
    """Precise-mode tokens of what a user typed, lower-cased, punctuation and markup
    characters dropped, and the search-engine operators people type out of habit (AND, OR,
    NOT, NEAR in capitals) left out: every remaining word must occur. Never raises."""
    return [t.lower() for t in (seg or segmenter()).cut(q) if t not in OPERATOR_WORDS]
