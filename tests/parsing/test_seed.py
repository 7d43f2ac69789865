"""Acceptance figures of the parser on the bundled five-plan file (seed-format.md)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from planwatch.parsing import ParseResult
from planwatch.parsing.model import Node, locate
from planwatch.parsing.readers import pdftext
from planwatch.parsing.splitting import split_toc
from tests.parsing.conftest import node_at, walk

TITLES = [
    ("成都平原经济区“十四五”一体化发展规划", 588, 17),
    ("川南经济区“十四五”一体化发展规划", 2524, 66),
    ("川东北经济区“十四五”振兴发展规划", 4410, 112),
    ("攀西经济区“十四五”转型升级发展规划", 6040, 152),
    ("川西北生态示范区“十四五”发展规划", 7497, 188),
]


def _count(result: ParseResult, kind: str) -> list[int]:
    return [sum(1 for n in walk(plan.nodes) if n.kind == kind) for plan in result.plans]


def _boxes(result: ParseResult, plan: int) -> list[Node]:
    return [n for n in walk(result.plans[plan].nodes) if n.kind == "box"]


def test_source(seed: ParseResult, seed_path: Path) -> None:
    data = seed_path.read_bytes()
    assert seed.source.sha256 == hashlib.sha256(data).hexdigest()
    assert seed.source.format == "pdf-text"
    assert seed.source.encoding == "utf-8"
    assert seed.source.chars == 130652
    assert seed.source.pages == 225


def test_five_plans_with_title_line_and_page(seed: ParseResult) -> None:
    assert [(p.title, p.line, p.page) for p in seed.plans] == TITLES


def test_chapters_and_sections(seed: ParseResult) -> None:
    assert _count(seed, "chapter") == [12, 12, 11, 11, 12]
    assert _count(seed, "section") == [36, 39, 38, 33, 40]
    chapters = [n for n in seed.plans[0].nodes if n.kind == "chapter"]
    assert [c.number for c in chapters] == list(range(1, 13))
    assert (chapters[0].label, chapters[0].title, chapters[0].line) == ("第一章", "发展背景", 608)
    assert chapters[7].page == 45 and chapters[7].line == 1748  # a chapter on a joined line


def test_toc_never_in_body(seed: ParseResult) -> None:
    """The five TOCs (lines 28–584) are only used for the check."""
    assert all(n.line >= 588 for plan in seed.plans for n in walk(plan.nodes))


def test_toc_cross_check_finds_the_one_mismatch(seed: ParseResult) -> None:
    """Titles and pages of all 58 chapters and 186 sections agree with their TOC entries,
    except 攀西 ch.5 s.1 whose TOC says 现代农业 where the body says 农业现代化."""
    mismatches = [w for w in seed.warnings if w.code == "toc-body-mismatch"]
    assert len(mismatches) == 1
    assert mismatches[0].line == 6550
    assert "建设安宁河谷现代农业示范区" in mismatches[0].message
    assert "建设安宁河谷农业现代化示范区" in mismatches[0].message


def test_wrapped_toc_entry_matches_body(seed: ParseResult) -> None:
    section = node_at(seed.plans[2].nodes, 5541, ("section",))
    assert section.title == "做好乡镇行政区划和村级建制调整改革“后半篇”文章"
    assert section.page == 139


def test_pages_of_joined_and_footer_lines(seed: ParseResult) -> None:
    p2 = seed.plans[1]
    preamble = p2.nodes[0]
    assert (preamble.kind, preamble.line, preamble.page) == ("paragraph", 2525, 67)
    # The sentence cut by footer —99— (p.99) continues on p.100.
    provision = node_at(p2.nodes, 3939, ("provision", "paragraph"))
    assert "引导社会资本入乡。建立城市人才下乡激励机制" in provision.text
    offset = provision.text.index("立城市人才")
    assert locate(provision.spans, offset, (0, None)) == (3939, 100)


def test_text_joined_across_footers(seed: ParseResult) -> None:
    p3 = seed.plans[2].nodes
    assert "调整为2020年的18.9：35.0：46.1。" in node_at(p3, 4452, ("provision",)).text
    assert "“菜篮子”市长负责制" in node_at(p3, 5000, ("provision",)).text
    assert "发展瓶颈" in node_at(p3, 5604, ("provision",)).text
    assert "土地、人才" in node_at(seed.plans[3].nodes, 7474, ("section",)).text
    assert node_at(seed.plans[3].nodes, 7496, ("section",)).end_line == 7496  # not into P5


def test_numbers_split_across_lines_are_joined(seed: ParseResult) -> None:
    first = node_at(seed.plans[0].nodes, 620, ("provision",))
    assert first.title == "经济实力大幅提升"
    assert "占全省比重超过60%。" in first.text
    assert "城乡居民收入比缩小至2.4：1。" in first.text
    assert "突破7000列" in node_at(seed.plans[0].nodes, 678, ("provision",)).text


def test_paragraphs_continue_over_sentence_ends(seed: ParseResult) -> None:
    """Lines ending in 。 that are still mid-paragraph, and one-sentence tails."""
    for plan, first, then in [(0, 1096, 1098), (1, 3245, 3247), (4, 8437, 8439)]:
        nodes = seed.plans[plan].nodes
        assert node_at(nodes, first, ("provision",)) is node_at(nodes, then, ("provision",))
    for plan, tail in [(3, 6362), (4, 8223)]:
        node = node_at(seed.plans[plan].nodes, tail, ("provision",))
        assert node.line < tail == node.end_line


def test_provisions_per_plan(seed: ParseResult) -> None:
    assert _count(seed, "provision") == [89, 96, 95, 86, 93]
    leads = [n.title for n in walk(seed.plans[0].nodes) if n.kind == "provision"][:3]
    assert leads == ["经济实力大幅提升", "创新能力持续增强", "基础设施明显改善"]


def test_boxes_and_items(seed: ParseResult) -> None:
    assert _count(seed, "box") == [10, 8, 10, 7, 7]
    assert _count(seed, "box_item") == [45, 39, 33, 27, 22]
    for plan in range(5):
        boxes = _boxes(seed, plan)
        assert [b.number for b in boxes] == list(range(1, len(boxes) + 1))
        for box in boxes:
            assert [i.number for i in box.children] == list(range(1, len(box.children) + 1))


def test_box_ends_without_marker(seed: ParseResult) -> None:
    boxes = _boxes(seed, 0)
    assert [(b.number, b.end_line) for b in boxes if b.number in (2, 3, 6)] == [
        (2, 1288),
        (3, 1332),
        (6, 1843),
    ]
    after_box_2 = node_at(seed.plans[0].nodes, 1290, ("provision",))
    assert (after_box_2.title, after_box_2.line) == ("发展壮大现代服务业", 1290)


def test_box_item_title_text_and_projects(seed: ParseResult) -> None:
    item = _boxes(seed, 0)[0].children[0]
    assert (item.title, item.line, item.end_line) == ("重大科技基础设施", 1188, 1192)
    assert item.text.startswith("加快建设大型低速风洞、转化医学研究设施")
    rail = _boxes(seed, 0)[6].children[0]
    assert rail.projects == ["成都至自贡至宜宾高铁", "成都至达州至万州高铁", "成渝中线高铁"]
    p2_rail = _boxes(seed, 1)[4].children[0]
    assert p2_rail.projects is not None and "成自宜高铁" in p2_rail.projects


def test_figures(seed: ParseResult) -> None:
    figures = [n for n in walk(seed.plans[0].nodes) if n.kind == "figure"]
    assert [(f.number, f.line) for f in figures] == [(1, 1845), (2, 1846), (3, 1867), (4, 2255)]
    assert figures[3].title == "成都平原经济区生态安全格局示意图"
    section = node_at(seed.plans[0].nodes, 2255, ("section",))
    assert figures[3] in section.children and section.label == "第一节"


def test_chapter_intro_is_chapter_text(seed: ParseResult) -> None:
    chapters = [n for n in seed.plans[0].nodes if n.kind == "chapter"]
    assert chapters[0].text.startswith("“十三五”以来,经济区经济社会发展成效明显")
    assert chapters[1].text == ""  # P1 ch.2 goes straight to 第一节


def test_every_node_is_grounded(seed: ParseResult) -> None:
    for plan in seed.plans:
        for node in walk(plan.nodes):
            assert node.line <= node.end_line and node.page is not None
            assert all(child.level == node.level + 1 for child in node.children)
            if node.text:
                assert node.spans and node.spans[0][0] == 0
                assert all(a[0] < b[0] for a, b in zip(node.spans, node.spans[1:], strict=False))


def test_cleaning_applied(seed: ParseResult) -> None:
    texts = [n.text + n.title for plan in seed.plans for n in walk(plan.nodes)]
    assert not any("\u3000" in t or "． " in t for t in texts)
    assert sum(t.count(" ") for t in texts) < 20  # only spaces between two Latin words remain


def test_toc_entries_per_plan(seed_lines: list[str]) -> None:
    blocks = pdftext.read("\n".join(seed_lines), "seed").blocks
    _, tocs = split_toc(blocks)
    assert [group.title for group in tocs] == [title for title, _, _ in TITLES]
    assert [len(group.entries) for group in tocs] == [48, 51, 49, 44, 52]
    assert sum(1 for group in tocs for e in group.entries if e.kind == "chapter") == 58


def test_covering_notice_is_left_out_with_a_note(seed: ParseResult) -> None:
    [note] = [w for w in seed.warnings if w.code == "front-matter"]
    assert note.line == 2 and "lines 2–22" in note.message
    assert [w.code for w in seed.warnings] == ["front-matter", "toc-body-mismatch"]
