"""The PDF is LibreOffice's conversion of the same DOCX: pages, the title's text, the page
numbers. Skipped, with the reason shown, where LibreOffice is not installed (.ci/run
installs it, so CI runs these)."""

from __future__ import annotations

import io
import re
from typing import Any

import pdfplumber
import pytest
from django.contrib.auth.models import User

from planwatch.documents import services
from planwatch.documents.pdf import docx_to_pdf, soffice

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        soffice() is None, reason="LibreOffice (soffice) is not installed: no PDF conversion"
    ),
]


def test_annual_report_pdf(monitored: dict[str, Any], chuannan_planner_user: User) -> None:
    doc = services.document_build(
        kind="annual", actor=chuannan_planner_user, year=2024, plan=monitored["plan"]
    )
    data = docx_to_pdf(services.document_bytes(doc))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) > 0
        first = pdf.pages[0]
        text = re.sub(r"\s+", "", first.extract_text() or "")
        assert "川南经济区2024年度规划实施监测报告" in text
        assert "四川省发展和改革委员会文件" in text
        assert "—1—" in text
        width_mm = first.width / 72 * 25.4
        assert round(width_mm) == 210
        if len(pdf.pages) > 1:
            assert "—2—" in re.sub(r"\s+", "", pdf.pages[1].extract_text() or "")
