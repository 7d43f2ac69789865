"""Unit lists and deadlines as task-division notices write them.

`split_units("区发改局、区财政局,各县、市、区政府等")` → `["区发改局", "区财政局",
"各县、市、区政府"]`; `deadline("6月底前", year=2025)` → `{"text": "6月底前",
"period_end": "2025-06-30", "ongoing": False}`."""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from planwatch.parsing.extract import Line

_SEPARATORS = "、，,；;/及"
_OPEN = "（(【[《"
_CLOSE = "）)】]》"
_ADMIN_PIECE = re.compile(r"^[市区县乡镇州](?:（[^）]*）|\([^)]*\))?(?:人民)?(?:政府)?$")
_TRAILING = re.compile(r"(?:等|等单位|等部门|按职责分工负责|负责|配合|参与)$")
_LEAD_MARK = re.compile(r"[（(]牵头[）)]$")


# Traditional characters of the words extraction looks for (labels, rules, 牵头 notes,
# deadlines), one for one so offsets in a line stay the same: notices reach the office in
# traditional characters too (a Hong Kong or Taiwan mirror of a mainland page).
_TRADITIONAL = "牽頭單責參與協時間節點為領導負職門務於內長堅續進後應當並關區縣級辦發計劃達"
_SIMPLIFIED = "牵头单责参与协时间节点为领导负职门务于内长坚续进后应当并关区县级办发计划达"
T2S = str.maketrans(_TRADITIONAL, _SIMPLIFIED)
# A stored copy's pinyin annotations: 「藍(lán)」.
_PINYIN = re.compile(r"\([a-zü\u00e0-\u01dc]{1,6}\)")


def simplified(text: str) -> str:
    """`text` with the traditional characters of `_TRADITIONAL` simplified, same length."""
    return text.translate(T2S)


class Deadline(TypedDict):
    text: str
    period_end: str | None
    ongoing: bool


def split_top(value: str, separators: str = _SEPARATORS) -> list[str]:
    """`value` split at `separators` outside brackets (「各县（市、区）」 stays whole)."""
    parts: list[str] = []
    depth = 0
    current = ""
    for ch in value:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        if ch in separators and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [part.strip() for part in parts if part.strip()]


def split_units(value: str) -> list[str]:
    """The unit names of a 牵头单位/责任单位 value, in order, without 「等」 and duplicates;
    「各县、市、区政府」 (one group written with 、) is kept as one name."""
    names: list[str] = []
    for part in split_top(_PINYIN.sub("", clean_value(value))):
        part = part.strip(" \u3000。.")
        while (cut := _TRAILING.search(simplified(part))) and cut.start() >= 2:
            part = part[: cut.start()].strip()
        if not part:
            continue
        if names and _ADMIN_PIECE.match(part) and re.search(r"[县市区乡镇]$", names[-1]):
            names[-1] = f"{names[-1]}、{part}"
            continue
        if part not in names:
            names.append(part)
    return names


def lead_marked(name: str) -> tuple[str, bool]:
    """`("市发改委", True)` for 「市发改委（牵头）」; the name unchanged otherwise."""
    if _LEAD_MARK.search(name):
        return _LEAD_MARK.sub("", name).strip(), True
    return name, False


def clean_value(value: str) -> str:
    """A field's value without the brackets and punctuation that close an inline note."""
    value = value.strip().strip(" \u3000")
    value = re.sub(r"^[（(【\[]+", "", value)
    value = re.sub(r"[）)】\]。；;，,.\s]+$", "", value)
    return value


_ONGOING = re.compile(r"长期坚持|持续推进|长期|持续|常态化|动态|每年|每季度|每月|逐年")
_QUARTERS = {"一": 3, "二": 6, "三": 9, "四": 12, "1": 3, "2": 6, "3": 9, "4": 12}


def deadline(text: str, *, year: int | None) -> Deadline:
    """The deadline as written and the last day of the period it names, when it names one
    (the document's `year` fills in 「6月底前」 and 「年底前」)."""
    text = clean_value(text)
    end = _period_end(simplified(text), year)
    ongoing = end is None and bool(_ONGOING.search(simplified(text)))
    return {"text": text, "period_end": end, "ongoing": ongoing}


def _period_end(text: str, year: int | None) -> str | None:
    explicit = re.search(r"(20\d{2})\s*年", text)
    y = int(explicit.group(1)) if explicit else year
    if y is None:
        return None
    day = re.search(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日", text)
    if day:
        return _iso(y, int(day.group(1)), int(day.group(2)))
    month = re.search(r"(\d{1,2})\s*月", text)
    if month:
        return _month_end(y, int(month.group(1)))
    quarter = re.search(r"第?([一二三四1-4])\s*季度", text)
    if quarter:
        return _month_end(y, _QUARTERS[quarter.group(1)])
    if "上半年" in text:
        return _month_end(y, 6)
    if re.search(r"下半年|年底|年末|年内|全年|年前|底前", text) or (explicit and _bare(text)):
        return _month_end(y, 12)
    return None


def _bare(text: str) -> bool:
    """「2025年」 or 「2025年完成」: a year and nothing that names a shorter period."""
    return re.fullmatch(r"(?:20\d{2}\s*年)(?:完成|前完成|建成|实现)?", text) is not None


def _month_end(y: int, m: int) -> str | None:
    if not 1 <= m <= 12:
        return None
    return _iso(y, m, calendar.monthrange(y, m)[1])


def _iso(y: int, m: int, d: int) -> str | None:
    if not (1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def first_sentence(text: str) -> str:
    """The item's title: its words up to the first 。 or ；, at most 80 characters."""
    first = re.split(r"(?<=[。；;])", text, maxsplit=1)[0].rstrip("。；;")
    return first if len(first) <= 80 else first[:79] + "…"


def document_year(lines: Sequence[Line]) -> int | None:
    """The year a notice is for: the first 「20XX年」 of a title line naming 工作/任务/报告,
    else the commonest year of its first lines."""
    head = lines[:40]
    for line in head:
        match = re.search(
            r"(20\d{2})\s*年(?:度)?[^。，,]{0,30}(?:工作|任务|报告|清单|方案)",
            simplified(line.text),
        )
        if match:
            return int(match.group(1))
    years = Counter(int(y) for line in head for y in re.findall(r"(20\d{2})\s*年", line.text))
    return years.most_common(1)[0][0] if years else None
