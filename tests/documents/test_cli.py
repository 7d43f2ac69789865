"""`planwatch document build`: the DOCX, its sidecar JSON, and --pdf (clear failure when
LibreOffice is missing)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from planwatch.documents import pdf
from planwatch.documents.models import Document
from tests.documents.docx_checks import load

pytestmark = pytest.mark.django_db


def test_build_writes_docx_and_sidecar(monitored: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "annual.docx"
    call_command(
        "document",
        "build",
        "--kind",
        "annual",
        "--plan",
        "chuannan",
        "--year",
        "2024",
        "-o",
        str(out),
    )
    doc = Document.objects.get()
    assert load(out.read_bytes()).paragraphs
    sidecar = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert sidecar["sha256"] == doc.sha256
    assert sidecar["figures"] == doc.snapshot["figures"]


def test_pdf_without_libreoffice_fails_clearly(
    monitored: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    with pytest.raises(CommandError, match="LibreOffice"):
        call_command(
            "document",
            "build",
            "--kind",
            "bulletin",
            "--plan",
            "chuannan",
            "--year",
            "2024",
            "-o",
            str(tmp_path / "b.docx"),
            "--pdf",
        )


def test_unknown_plan(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no plan"):
        call_command(
            "document",
            "build",
            "--kind",
            "annual",
            "--plan",
            "nope",
            "--year",
            "2024",
            "-o",
            str(tmp_path / "x.docx"),
        )
