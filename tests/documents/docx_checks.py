"""Reading a generated DOCX back with python-docx, for the tests."""

from __future__ import annotations

import io
from typing import Any

from docx import Document as open_docx
from docx.oxml.ns import qn

EMU_PER_MM = 36000


def load(data: bytes) -> Any:
    return open_docx(io.BytesIO(data))


def mm(emu: int | None) -> float:
    assert emu is not None
    return round(emu / EMU_PER_MM, 1)


def texts(doc: Any) -> list[str]:
    return [p.text for p in doc.paragraphs]


def east_asia(el: Any) -> str | None:
    rpr = el.find(qn("w:rPr"))
    if rpr is None:
        return None
    fonts = rpr.find(qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def run_fonts(paragraph: Any) -> set[tuple[str | None, float | None]]:
    return {
        (east_asia(r._r), r.font.size.pt if r.font.size else None)
        for r in paragraph.runs
        if r.text.strip()
    }


def table_rows(table: Any) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]
