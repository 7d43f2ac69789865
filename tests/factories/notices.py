"""A task-division notice for the 川南 plan's units (written for the tests, in the shape of
the real notices of tests/fixtures/extract/tasks): the comma rule, 完成时限 lines, a group
(各市（州）人民政府) and two names the organisation tree does not know (市发展改革委, 各街道)."""

from __future__ import annotations

import io

import docx

NOTICE_LINES = [
    "川南经济区2025年重点工作任务分解方案",
    "责任单位中,逗号前为牵头单位,下同。",
    "一、交通互联",
    "1.推进宜宾至泸州城际铁路建设。",
    "责任单位:宜宾市,泸州市、省交通运输厅",
    "完成时限:2025年底前",
    "2.加强长江生态保护修复。",
    "责任单位:省生态环境厅,各市(州)人民政府",
    "完成时限:长期坚持",
    "二、机制建设",
    "3.建立川南联席会议制度。",
    "牵头单位:市发展改革委",
    "责任单位:各街道",
    "完成时限:6月底前",
]
UNKNOWN = ["市发展改革委", "各街道"]


def notice_text() -> str:
    return "\n".join(NOTICE_LINES) + "\n"


def notice_docx() -> bytes:
    """The notice as a Word document, one paragraph a line."""
    document = docx.Document()
    for line in NOTICE_LINES:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
