"""Text cleaning (parse-contract “Text is cleaned”) and the spans that survive it."""

from __future__ import annotations

import random

from planwatch.parsing.cleaning import clean_lines, clean_spanned, clean_text, is_clutter


def test_pdf_spacing_artifacts() -> None:
    assert clean_text("到 2025 年,经济总量突破 4 万亿元") == "到2025年,经济总量突破4万亿元"
    assert clean_text("1． 91 万亿元增加至 2． 95 万亿元") == "1.91万亿元增加至2.95万亿元"
    assert clean_text("细颗粒物(PM2． 5 )平均浓度") == "细颗粒物(PM2.5)平均浓度"
    assert clean_text("占比达 57． 6% 。 建成") == "占比达57.6%。建成"
    assert clean_text("第一章　 发展背景") == "第一章发展背景"
    assert clean_text("“科创通” “盈创动力”") == "“科创通”“盈创动力”"
    assert clean_text("4K / 8K 超高清, ( IPv6)") == "4K/8K超高清,(IPv6)"
    assert clean_text("省比重 从 15． 9% 提 高 到 16． 2% 。") == "省比重从15.9%提高到16.2%。"


def test_latin_word_spaces_kept() -> None:
    assert clean_text("Made in China 2025 行动") == "Made in China 2025行动"


def test_spans_follow_the_cleaned_text() -> None:
    raw = "城乡居民人均可支配" + " 收入年均增长 9． 0% ,城乡居民收入比缩小至 2． 4：1。"
    text, spans = clean_spanned(raw, [(0, 630, 18), (9, 631, 19)])
    assert text == "城乡居民人均可支配收入年均增长9.0%,城乡居民收入比缩小至2.4：1。"
    assert spans == [(0, 630, 18), (9, 631, 19)]
    text, spans = clean_spanned(
        "调整为 2020 年的 18．" + " 9：35。", [(0, 4452, 112), (15, 4457, 113)]
    )
    assert text == "调整为2020年的18.9：35。"
    assert spans == [(0, 4452, 112), (12, 4457, 113)]


def test_clean_lines_is_clean_spanned_of_the_joined_lines() -> None:
    """The PDF-text reader cleans a paragraph from its lines (`clean_lines`), without joining
    and slicing them again: the result must be `clean_spanned`'s, empty lines, Latin words
    and decimals across a line break, spaces and clean paragraphs included."""
    cases = [
        ["城乡居民人均可支配", " 收入年均增长 9． 0% ,城乡居民收入比缩小至 2． 4：1。"],
        ["调整为 2020 年的 18．", " 9：35。"],
        ["Made in", "China 2025 行动", "", "　 "],
        ["没有空格的一行。", "第二行。"],
    ]
    rng = random.Random(15)
    alphabet = "ab12 \u3000\u00a0\t．。中“”A9"
    for _ in range(3000):
        count = rng.randrange(1, 5)
        cases.append(
            ["".join(rng.choice(alphabet) for _ in range(rng.randrange(8))) for _ in range(count)]
        )
    for lines in cases:
        spans, offset = [], 0
        for no, line in enumerate(lines, start=1):
            spans.append((offset, no, no // 2 or None))
            offset += len(line)
        assert clean_lines(lines, spans) == clean_spanned("".join(lines), spans), lines
    assert clean_lines(cases[0], [(0, 630, 18), (9, 631, 19)])[0] == (
        "城乡居民人均可支配收入年均增长9.0%,城乡居民收入比缩小至2.4：1。"
    )


def test_web_clutter() -> None:
    assert is_clutter("【字体：大 中 小】") and is_clutter("蜀ICP备05003828号-1")
    assert not is_clutter("打印机产业园建设")


def test_licence_and_page_furniture_are_clutter() -> None:
    lines = [
        "本文内容采用 CC BY-SA 协议，转载请注明出处。",
        "本页面最后修订于2023年5月2日",
        "来源：四川省人民政府",
    ]
    assert all(is_clutter(line) for line in lines)
    assert not is_clutter(
        "资金来源：省级财政预算安排的专项资金，以及各市州配套资金，确保项目按期建成投用。"
    )


def test_long_space_runs_clean_in_linear_time() -> None:
    """The space pattern once backtracked into runs: 2,000 spaces took 3 s, 200,000 now
    take milliseconds."""
    assert clean_text("a" + " " * 200_000 + "b") == "a b"
    assert clean_text("中" + " " * 200_000 + "b") == "中b"
