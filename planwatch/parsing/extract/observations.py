"""Statistical communiqués (统计公报) and economic overviews → proposed observations.

A communiqué states its figures in sentences — 「全市实现地区生产总值1403.24亿元,比上年增长
11.3%」 — and sometimes in tables flattened into lines (「地区生产总值 亿元 1403.24 11.3」).
Each statement of a value of an indicator in the vocabulary below becomes one proposed
observation: the indicator as written and its canonical name, the value and unit as written
and normalised to the indicator's unit, and the growth rate as an observation of its own
kind (indicator + 增速). The place comes from the issuing government or the title, the year
from the document's year, the revision stage is 初步核算 unless the text says 最终核实.

Nothing here is stored: the web app shows the proposals to a data clerk who confirms them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planwatch.parsing.extract.docread import (
    FILE_KINDS,
    Document,
    NothingFound,
    NotText,
    line_at,
    page_at,
    read_path,
    simplified,
    spreadsheet_kind_of,
)
from planwatch.parsing.gazetteer import load_gazetteer
from planwatch.parsing.model import Block

# Canonical indicator → (unit, synonyms as communiqués write them). Longer, more specific
# names win over the shorter ones they contain (人均地区生产总值 over 地区生产总值).
VOCABULARY: dict[str, tuple[str, tuple[str, ...]]] = {
    "地区生产总值": (
        "亿元",
        ("地区生产总值", "生产总值", "GDP", "国内生产总值", "经济总量", "本市生产总值"),
    ),
    "人均地区生产总值": ("元", ("人均地区生产总值", "人均GDP", "人均生产总值")),
    "第一产业增加值": ("亿元", ("第一产业增加值",)),
    "第二产业增加值": ("亿元", ("第二产业增加值",)),
    "第三产业增加值": ("亿元", ("第三产业增加值",)),
    "规模以上工业增加值": ("亿元", ("规模以上工业增加值", "规上工业增加值")),
    "社会消费品零售总额": ("亿元", ("社会消费品零售总额", "社零总额")),
    "常住人口": ("万人", ("常住人口", "年末常住人口")),
    "户籍人口": ("万人", ("户籍人口", "户籍总人口")),
    "城镇化率": ("%", ("城镇化率", "常住人口城镇化率", "城镇化水平")),
    "固定资产投资": ("亿元", ("固定资产投资", "全社会固定资产投资")),
    "一般公共预算收入": (
        "亿元",
        (
            "一般公共预算收入",
            "地方一般公共预算收入",
            "公共财政预算收入",
            "一般预算收入",
            "财政一般预算收入",
            "地方财政一般预算收入",
        ),
    ),
    "一般公共预算支出": (
        "亿元",
        ("一般公共预算支出", "公共财政预算支出", "一般预算支出", "财政一般预算支出"),
    ),
    "居民人均可支配收入": ("元", ("居民人均可支配收入", "全体居民人均可支配收入")),
    "城镇居民人均可支配收入": ("元", ("城镇居民人均可支配收入", "城市居民人均可支配收入")),
    "农村居民人均可支配收入": ("元", ("农村居民人均可支配收入", "农民人均可支配收入")),
    "进出口总额": ("亿元", ("进出口总额", "外贸进出口总额", "货物进出口总额")),
    "粮食总产量": ("万吨", ("粮食总产量", "粮食产量")),
}

# Unit as written → (family, factor to the family's base unit).
UNITS: dict[str, tuple[str, float]] = {
    "万亿元": ("yuan", 1e12),
    "亿元": ("yuan", 1e8),
    "万元": ("yuan", 1e4),
    "元": ("yuan", 1.0),
    "亿人": ("person", 1e8),
    "万人": ("person", 1e4),
    "人": ("person", 1.0),
    "万吨": ("ton", 1e4),
    "吨": ("ton", 1.0),
    "%": ("percent", 1.0),
}
_UNIT_RE = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
_NUM = r"-?\d+(?:\.\d+)?"
_LEVEL = re.compile(rf"(?P<num>{_NUM})\s*(?P<unit>{_UNIT_RE})(?![\u4e00-\u9fff]*(?:美元))")
_GROWTH = re.compile(rf"(?P<verb>增长|增加|上升|下降|减少|回落|提高)(?:了)?\s*(?P<num>{_NUM})\s*%")
# A growth clause that does not state this year's growth over last year.
_NOT_ANNUAL = re.compile(
    r"平均|年均|贡献率|拉动|百分点|高于|低于|快于|慢于|比全国|比全省|季度|月份"
)
# Words around a value that name no indicator.
_FILLER = re.compile(
    r"\d{4}年(?:末|底)?|初步核算|初步测算|据初步|经[^,]{0,8}审定|按可比价格计算|按现价计算|"
    r"全年|年末|年底|全市|全县|全区|全省|全州|全川|全国|全部|本市|本县|其中|实现|完成|达到|达|"
    r"为|是|累计|共|比上年(?:同期|末)?|同比|较上年(?:同期|末)?|上年|比|共计|合计|总计|约|"
    r"预计|增长|增速|全体|年|的|及|和|,|:|\(|\)|\s"
)
_DIVIDERS = re.compile(r"[。;!?]")
_CLAUSE = re.compile(r"[,:]")
_FOOTNOTE = re.compile(
    r"[\u2460-\u2473\u00b9\u00b2\u00b3\u2070-\u2079*※]|\[\d{1,2}\]|〔\d{1,2}〕|\(注\d?\)"
)
_SPLIT_DECIMAL = re.compile(r"(\d)\s*\.\s+(\d)|(\d)\s+\.\s*(\d)")
_GAZ_SUFFIX = re.compile(r"(?:省|市|州|县|区|旗|自治州|自治县)$")
_TITLE_PLACE = re.compile(
    r"([\u4e00-\u9fff]{2,12}?(?:省|市|州|县|区|旗))(?:\d{4}年)?(?:国民经济和社会发展统计公报|"
    r"统计公报|国民经济和社会发展|经济运行)"
)
_ISSUER_PLACE = re.compile(r"^([\u4e00-\u9fff]{2,12}?(?:省|市|州|县|区|旗))统计局")
_BODY_PLACE = re.compile(r"\d{4}年,?((?![全本我该])[\u4e00-\u9fff]{2,6}?(?:省|市|州|县|区))")
_TITLE_YEAR = re.compile(r"(\d{4})年(?:国民经济和社会发展)?统计公报")
_YEAR = re.compile(r"(?<!\d)(\d{4})年(?!\d{1,2}月)")
_LOOKED_FOR = (
    "no statements of indicator values found (looked for 统计公报 sentences such as "
    "「地区生产总值N亿元,比上年增长N%」 naming " + "、".join(list(VOCABULARY)[:8]) + " …)"
)

_SECTORS_RESPECTIVELY = re.compile(
    r"(?:第?一、(?:第?二)、(?:第?三)产业|三次产业)增加值分别(?:为|是|实现|达到)?"
)
_GROWTH_RESPECTIVELY = re.compile(r"分别(?:比上年)?(?P<verb>增长|下降)")
# Row names of a communiqué's GDP table (「第一产业 | 37.11 | 2.6」), read in tables only.
TABLE_SYNONYMS = {
    "第一产业": "第一产业增加值",
    "第二产业": "第二产业增加值",
    "第三产业": "第三产业增加值",
}
_HEADER_UNIT = re.compile(rf"\((?P<unit>{_UNIT_RE})\)")
# A name qualified so that it measures something else than the canonical indicator.
# 「占GDP的」「对GDP增长的」: the value is a share of or a contribution to the indicator.
_SHARE_OF = re.compile(r"[占对]$|[占对]全")
_OTHER_MEASURE = re.compile(r"户籍(?!人口|总人口)|城镇人口|乡村人口")

_TABLE_ROW = re.compile(
    rf"(?P<name>[^\d\s][^\d]*?)\s*(?:\((?P<u1>{_UNIT_RE})\))?\s+"
    rf"(?:(?P<u2>{_UNIT_RE})\s+)?(?P<v>{_NUM})(?:\s+(?P<g>{_NUM}))?"
)

_SYNONYMS: list[tuple[str, str]] = sorted(
    ((syn, canon) for canon, (_u, syns) in VOCABULARY.items() for syn in syns),
    key=lambda pair: len(pair[0]),
    reverse=True,
)


@dataclass
class _Named:
    canonical: str
    written: str


def clean(text: str) -> str:
    """Simplified characters, ASCII digits and punctuation, footnote marks removed and
    decimals split by stray spaces (「1403. 24」) joined."""
    text = _FOOTNOTE.sub("", simplified(text))
    return _SPLIT_DECIMAL.sub(lambda m: f"{m[1] or m[3]}.{m[2] or m[4]}", text)


def find_name(segment: str, places: tuple[str, ...] = ()) -> _Named | None:
    """The indicator the text before a value names: the synonym ending latest in it (the
    longest of those that end there), followed by nothing but filler words (「对GDP增长的
    贡献率为」 names a contribution, not GDP)."""
    best: tuple[int, int, str, str] | None = None
    for syn, canon in _SYNONYMS:
        pos = segment.rfind(syn)
        if pos < 0:
            continue
        key = (pos + len(syn), len(syn))
        if best is None or key > best[:2]:
            best = (key[0], key[1], syn, canon)
    if best is None:
        return None
    end, _length, _syn, canon = best
    if segment[end : end + 1] == ")":
        end += 1
    if _FILLER.sub("", segment[end:]) or _SHARE_OF.search(segment[: end - _length]):
        return None
    written = _written(segment[:end], places)
    if _OTHER_MEASURE.search(written) and canon not in ("户籍人口", "城镇化率"):
        return None
    return _Named(canon, written)


def _written(head: str, places: tuple[str, ...] = ()) -> str:
    """The indicator's name as written: the segment up to the synonym's end without the
    filler words and the document's own place name in front."""
    text = head.strip()
    while True:
        for place in places:
            if place and text.startswith(place):
                text = text[len(place) :]
        m = _FILLER.match(text)
        if not m or not m.group(0):
            return text
        text = text[m.end() :]


def _names_something(segment: str) -> bool:
    """Whether text before a value names some quantity outside the vocabulary."""
    rest = _FILLER.sub("", segment)
    return len(re.findall(r"[\u4e00-\u9fffA-Za-z]", rest)) >= 2


def normalise(value: float, unit: str, canonical: str) -> tuple[float, str] | None:
    """`value unit` in the indicator's own unit, or None when the units do not convert."""
    target = VOCABULARY[canonical][0]
    src, dst = UNITS.get(unit), UNITS.get(target)
    if src is None or dst is None or src[0] != dst[0]:
        return None
    return round(value * src[1] / dst[1], 6), target


class _Reader:
    """Walks the blocks, keeping the indicator a growth clause refers back to."""

    def __init__(self, doc: Document, stage: str, places: tuple[str, ...]) -> None:
        self.doc = doc
        self.stage = stage
        self.places = places
        self.header_unit: str | None = None
        self.items: list[dict[str, Any]] = []
        self.warnings: list[dict[str, Any]] = []

    def run(self) -> None:
        for block in self.doc.blocks:
            if block.table:
                for row in block.table:
                    self.table_line(" ".join(c for c in row if c.strip()), block, 0)
                self.header_unit = None
            else:
                self.block(block)

    def block(self, block: Block) -> None:
        if self.table_line(block.text, block, 0):
            return
        self.header_unit = None
        text = block.text
        start = 0
        for m in [*_DIVIDERS.finditer(text), None]:
            end = m.start() if m else len(text)
            if text[start:end].strip():
                self.sentence(text[start:end], block, start)
            start = end + 1

    def table_line(self, raw: str, block: Block, offset: int) -> bool:
        """A table row flattened into a line: name, unit, value and growth (%) apart; or
        the table's header, whose 「(亿元)」 is the unit of rows that state none."""
        line = clean(raw).replace("|", " ").strip()
        header = _HEADER_UNIT.search(line)
        if header and "增长" in line and not re.search(r"\d", _HEADER_UNIT.sub("", line)):
            self.header_unit = header["unit"] if header["unit"] != "%" else None
            return True
        m = _TABLE_ROW.fullmatch(line)
        if not m:
            return False
        name = m["name"].strip()
        named = find_name(name, self.places)
        if name in TABLE_SYNONYMS:
            named = _Named(TABLE_SYNONYMS[name], name)
        elif named is not None and _written(name, self.places) != named.written:
            named = None
        unit = m["u1"] or m["u2"] or self.header_unit
        if named is None or unit is None:
            return unit is not None
        where = (line_at(block, offset), page_at(block, offset))
        self.add(named, "level", m["v"], unit, raw, where)
        if m["g"] is not None:
            self.add(named, "growth", m["g"], "%", raw, where)
        return True

    def sentence(self, raw: str, block: Block, offset: int) -> None:
        current: _Named | None = None
        listed: list[_Named] = []
        pos = 0
        for clause in _CLAUSE.split(raw):
            where = (line_at(block, offset + pos), page_at(block, offset + pos))
            pos += len(clause) + 1
            text = clean(clause)
            if "分别" in text:
                # 「一、二、三产业增加值分别为A、B和C」, then 「分别增长x、y和z」: the three
                # sectors in order; any other 分别 list (places, sub-items) is not read.
                listed = self.respectively(text, listed, raw, where)
                current = None
                continue
            listed = []
            current = self.clause(text, current, raw, where)

    def respectively(
        self, text: str, listed: list[_Named], raw: str, where: tuple[int, int | None]
    ) -> list[_Named]:
        m = _SECTORS_RESPECTIVELY.search(text)
        if m:
            values = _LEVEL.findall(text[m.end() :])
            names = [_Named(c, c) for c in ("第一产业增加值", "第二产业增加值", "第三产业增加值")]
            if len(values) == 3 and not _NOT_ANNUAL.search(text[: m.start()]):
                for named, (number, unit) in zip(names, values, strict=True):
                    self.add(named, "level", number, unit, raw, where)
                return names
            return []
        growth = _GROWTH_RESPECTIVELY.search(text)
        if listed and growth and not _NOT_ANNUAL.search(text):
            numbers = re.findall(rf"({_NUM})\s*%", text[growth.end() :])
            if len(numbers) == len(listed):
                sign = "-" if growth["verb"] == "下降" else ""
                for named, number in zip(listed, numbers, strict=True):
                    self.add(named, "growth", sign + number, "%", raw, where)
        return []

    def clause(
        self, text: str, current: _Named | None, raw: str, where: tuple[int, int | None]
    ) -> _Named | None:
        matches = sorted(
            [("level", m) for m in _LEVEL.finditer(text)]
            + [("growth", m) for m in _GROWTH.finditer(text)],
            key=lambda pair: pair[1].start(),
        )
        last = 0
        for kind, m in matches:
            if m.start() < last:
                continue
            segment = text[last : m.start()]
            last = m.end()
            named = find_name(segment, self.places)
            if named is not None:
                current = named
            elif _names_something(segment):
                current = None
            if current is None:
                continue
            if kind == "level":
                self.add(current, "level", m["num"], m["unit"], raw, where)
            elif not _NOT_ANNUAL.search(segment):
                sign = "-" if m["verb"] in ("下降", "减少", "回落") else ""
                self.add(current, "growth", sign + m["num"].lstrip("-"), "%", raw, where)
        return current

    def add(
        self,
        named: _Named,
        kind: str,
        number: str,
        unit: str,
        raw: str,
        where: tuple[int, int | None],
    ) -> None:
        value = float(number)
        if kind == "level":
            converted = normalise(value, unit, named.canonical)
            if converted is None:
                self.warnings.append(
                    {"line": where[0], "message": f"{named.written}: unit {unit} not converted"}
                )
                return
            norm_value, norm_unit = converted
        else:
            norm_value, norm_unit = value, "%"
        self.items.append(
            {
                "indicator": named.canonical,
                "indicator_as_written": named.written,
                "kind": kind,
                "value": norm_value,
                "unit": norm_unit,
                "value_as_written": number,
                "unit_as_written": unit,
                "stage": self.stage,
                "line": where[0],
                "page": where[1],
                "text": raw.strip()[:300],
            }
        )


def _dedupe(items: list[dict[str, Any]], warnings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One proposal per indicator and kind: the first statement; a later one that differs
    is reported (a communiqué repeats its headline figures in its tables)."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for item in items:
        key = (item["indicator"], item["kind"])
        first = seen.get(key)
        if first is None:
            seen[key] = item
        elif abs(first["value"] - item["value"]) > 1e-9:
            warnings.append(
                {
                    "line": item["line"],
                    "message": f"{item['indicator']} ({item['kind']}) also stated as "
                    f"{item['value_as_written']}{item['unit_as_written']}; "
                    f"kept line {first['line']}",
                }
            )
    return list(seen.values())


def find_place(texts: list[str]) -> dict[str, Any] | None:
    """The issuing government's place: from the title, the issuing bureau, or the opening
    sentence; resolved to an adcode through the gazetteer when it names a unit there."""
    for pattern in (_TITLE_PLACE, _ISSUER_PLACE, _BODY_PLACE):
        for text in texts:
            m = pattern.search(text)
            if m:
                # 「2022年中江县…」: the title's year runs into the lazy match.
                return _place(re.sub(r"^\d*年", "", m[1]))
    return None


def _place(name: str) -> dict[str, Any]:
    gaz = load_gazetteer()
    keys = gaz.lookup(name) or gaz.lookup(_GAZ_SUFFIX.sub("", name))
    key = keys[0] if len(keys) == 1 else None
    return {
        "name": name,
        "adcode": key.adcode if key else None,
        "level": key.level if key else None,
    }


def find_year(texts: list[str]) -> int | None:
    """The year the communiqué reports: the title's, else the year named most in its
    opening (a publication date 「2012年3月19日」 does not count)."""
    for text in texts[:8]:
        m = _TITLE_YEAR.search(text)
        if m:
            return int(m[1])
    counts = Counter(int(y) for text in texts[:30] for y in _YEAR.findall(text))
    return counts.most_common(1)[0][0] if counts else None


def extract_document(doc: Document) -> dict[str, Any]:
    texts = [clean(b.text) for b in doc.blocks if b.text]
    whole = "".join(texts)
    stage = "final" if "最终核实" in whole else "preliminary"
    place = find_place(texts[:12])
    year = find_year(texts)
    places: tuple[str, ...] = ()
    if place is not None:
        places = (place["name"], _GAZ_SUFFIX.sub("", place["name"]))
    reader = _Reader(doc, stage, places)
    reader.run()
    items = _dedupe(reader.items, reader.warnings)
    if not items:
        raise NothingFound(doc.name, _LOOKED_FOR)
    if place is None:
        reader.warnings.append({"line": None, "message": "issuing place not found"})
    if year is None:
        reader.warnings.append({"line": None, "message": "year not found"})
    return {
        "kind": "observations",
        "file": doc.name,
        "place": place,
        "year": year,
        "stage": stage,
        "items": items,
        "warnings": reader.warnings,
    }


def extract(path: Path) -> dict[str, Any]:
    """Proposed observations of the communiqué at `path`; `ParseError` when it holds none,
    `NotText` (naming the file's kind and what was looked for) for a spreadsheet or a
    presentation."""
    path = Path(path)
    what = spreadsheet_kind_of(path)
    if what is not None:
        raise NotText(
            path.name, what, f"{FILE_KINDS[what]}, not a statistical communiqué; {_LOOKED_FOR}"
        )
    return extract_document(read_path(path))
