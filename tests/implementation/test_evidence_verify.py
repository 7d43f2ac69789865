"""`planwatch evidence verify`: every stored file checked against its recorded sha256; a
missing or altered file is named with its row, and the command fails."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from planwatch.reports.evidence import evidence_add
from planwatch.reports.services import progress_report_start
from planwatch.tasks.models import AnnualList
from tests.factories.implementation import Units

pytestmark = pytest.mark.django_db


def test_verify_names_missing_and_altered_files(
    issued: AnnualList, units: Units, yibin_reporter_user: Any
) -> None:
    task = issued.tasks.get(seq=1)
    report = progress_report_start(
        task=task, unit=units.yibin, period_start=date(2024, 1, 1), actor=yibin_reporter_user
    )
    kept, altered, lost = (
        evidence_add(
            report=report,
            actor=yibin_reporter_user,
            name=f"{n}.pdf",
            content=io.BytesIO(b"%PDF-1.4\n" + n.encode() * 50),
        )
        for n in ("kept", "altered", "lost")
    )
    out = io.StringIO()
    call_command("evidence", "verify", stdout=out)
    assert "checked 3 stored files (3 against their sha256): OK" in out.getvalue()

    media = Path(settings.MEDIA_ROOT)
    (media / altered.file.name).write_bytes(b"%PDF-1.4\nchanged")
    (media / lost.file.name).unlink()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("evidence", "verify", stdout=out)
    text = out.getvalue()
    assert "2 problem(s)" in text
    assert f"reports.Evidence {altered.pk} ({altered.file.name}): altered" in text
    assert f"reports.Evidence {lost.pk} ({lost.file.name}): missing" in text
    assert f"reports.Evidence {kept.pk}" not in text
