"""Property tests: whatever bytes or text arrive, `parse_bytes` returns a result or raises
`ParseError` — never another exception (parse-contract, Errors: no traceback)."""

from __future__ import annotations

from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planwatch.parsing import ParseResult, parse_bytes
from planwatch.parsing.errors import ParseError
from planwatch.parsing.readers import text as text_reader
from tests.parsing.fixtures.documents import hard_wrap, make_docx, make_pdf

NAMES = st.sampled_from(["plan.txt", "plan.md", "plan.html", "plan.csv", "plan", "plan.docx"])
PIECES = [
    "第一篇", "第一章", "第十二章", "第三节", "一、", "十二、", "（一）", "（十）", "1．", "2.",
    "（1）", "①", "专栏 1", "专栏2", "01", "图 1", "—3—", "—21—", "目　 录", "……………… 18",
    "　", " ", "\t", "。", "，", ",", "“", "”", "《", "》", "%", "2025 年", "18． 9",
    "发展规划", "总体要求", "到2025年，常住人口城镇化率达到65%", "预期性", "约束性",
    "# ", "## ", "| a | b |", "|---|---|", "1. ", "- ", "**", "<p>", "</p>", "<h2>",
    "<table><tr><td rowspan=3 colspan=2>", "</td></tr></table>", "<br>", "<script>",
    "&nbsp;", '"', "\r", "\x00", "\ufeff", "𠀀", "Ⅲ", "±",
]  # fmt: skip
FRAGMENTS = st.sampled_from(PIECES)
PLANISH = st.lists(st.lists(FRAGMENTS, max_size=8).map("".join), max_size=40).map("\n".join)
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def parses_or_refuses(data: bytes, name: str) -> None:
    """The property: a ParseResult, or a one-line ParseError naming the file."""
    try:
        result = parse_bytes(data, name=name)
    except ParseError as exc:
        assert str(exc).startswith(f"{name}: ")
        assert "\n" not in str(exc)
        return
    assert isinstance(result, ParseResult)
    assert result.plans


@FUZZ
@given(text=st.text(max_size=3000), name=NAMES)
def test_arbitrary_text(text: str, name: str) -> None:
    parses_or_refuses(text.encode("utf-8", "surrogatepass"), name)


@FUZZ
@given(text=PLANISH, name=NAMES, encoding=st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_plan_like_text(text: str, name: str, encoding: str) -> None:
    parses_or_refuses(text.encode(encoding, "replace"), name)


@FUZZ
@given(data=st.binary(max_size=4000), name=NAMES)
def test_arbitrary_bytes(data: bytes, name: str) -> None:
    parses_or_refuses(data, name)


@FUZZ
@given(
    body=st.binary(max_size=2000),
    signature=st.sampled_from([b"%PDF-1.7\n", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe"]),
)
def test_bytes_behind_a_known_signature(body: bytes, signature: bytes) -> None:
    parses_or_refuses(signature + body + b"\n%%EOF\n", "plan.bin")


@cache
def _documents() -> tuple[bytes, bytes]:
    return make_docx(), make_pdf()


@settings(FUZZ, max_examples=60)
@given(
    which=st.sampled_from([0, 1]),
    flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=6),
)
def test_damaged_docx_and_pdf(which: int, flips: list[tuple[float, int]]) -> None:
    data = bytearray(_documents()[which])
    for where, value in flips:
        data[int(where * len(data))] = value
    parses_or_refuses(bytes(data), ("plan.docx", "plan.pdf")[which])


WRAPPED = st.builds(
    hard_wrap,
    st.lists(
        st.text(alphabet="数字经济发展推进ab XY12，。、　", min_size=120, max_size=300),
        min_size=3,
        max_size=10,
    ).map("\n".join),
    st.integers(20, 40),
)


@FUZZ
@given(text=st.one_of(PLANISH, WRAPPED))
def test_text_reader_grounds_every_stretch_on_its_line(text: str) -> None:
    """Each stretch of a block's text is exactly its source line (stripped) — followed by
    the one space that joins two Latin words across a wrap —, so that an extractor can
    always point back at the input line."""
    lines = text.split("\n")
    for block in text_reader.read(text, "plan.txt").blocks:
        bounds = [offset for offset, _, _ in block.spans[1:]] + [len(block.text)]
        for (offset, line, _), end in zip(block.spans, bounds, strict=True):
            stretch = block.text[offset:end]
            assert stretch.removesuffix(" ") == text_reader.strip_line(lines[line - 1])
        assert block.line == block.spans[0][1] and block.end_line == block.spans[-1][1]
