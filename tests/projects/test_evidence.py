"""Evidence files of monthly 调度 reports: a real PDF (reportlab) and a real docx
(python-docx) uploaded by the filler through the page and the API, downloaded byte for byte
by the reviewer and read back by pypdf / python-docx; wrong types, fake content, the size
limit, other units and reports no longer editable are refused; audit events labelled."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from planwatch.api.services import api_token_create
from planwatch.audit.labels import action_label
from planwatch.audit.models import AuditEvent
from planwatch.core.workflow import ServiceError
from planwatch.projects import evidence as ev
from planwatch.projects import services as s
from planwatch.projects.models import MonthlyEvidence
from tests.factories.personas import logged_in

pytestmark = pytest.mark.django_db


def _pdf() -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.drawString(72, 720, "Chengziyi HSR March progress")
    c.showPage()
    c.save()
    return out.getvalue()


def _docx() -> bytes:
    d = docx.Document()
    d.add_paragraph("成自宜高铁宜宾段三月形象进度")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def draft(cheng_zi_yi, yibin_reporter_user):
    _p, _zg, yb = cheng_zi_yi
    return s.monthly_report_start(
        project=cheng_zi_yi[0], segment=yb, year=2026, month=3, actor=yibin_reporter_user
    )


def test_service_checks_type_content_size_unit_and_state(
    draft, settings, yibin_reporter_user, zigong_reporter_user, yibin_reviewer_user
):
    pdf = _pdf()
    e = ev.monthly_evidence_add(
        report=draft, actor=yibin_reporter_user, name="C:\\docs\\三月.pdf", content=io.BytesIO(pdf)
    )
    assert e.name == "三月.pdf" and e.size == len(pdf)
    assert e.sha256 == hashlib.sha256(pdf).hexdigest() and ev.kind_of(e) == "pdf"
    with ev.monthly_evidence_open(e) as fh:
        assert fh.read() == pdf
    with pytest.raises(ValidationError, match="不支持的文件类型"):
        ev.monthly_evidence_add(
            report=draft, actor=yibin_reporter_user, name="x.exe", content=io.BytesIO(b"MZ")
        )
    with pytest.raises(ValidationError, match="不符"):
        ev.monthly_evidence_add(
            report=draft, actor=yibin_reporter_user, name="x.docx", content=io.BytesIO(pdf)
        )
    settings.PLANWATCH_EVIDENCE_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="大小限制"):
        ev.monthly_evidence_add(
            report=draft, actor=yibin_reporter_user, name="big.pdf", content=io.BytesIO(pdf)
        )
    with pytest.raises(PermissionDenied):
        ev.monthly_evidence_add(
            report=draft, actor=zigong_reporter_user, name="a.pdf", content=io.BytesIO(pdf)
        )
    settings.PLANWATCH_EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
    s.monthly_report_update(
        report=draft,
        actor=yibin_reporter_user,
        version=draft.version,
        values={"invested_month": 1, "invested_ytd": 1, "invested_total": 1, "progress_text": "x"},
    )
    s.monthly_report_submit(report=draft, actor=yibin_reporter_user)
    with pytest.raises(ServiceError):
        ev.monthly_evidence_add(
            report=draft, actor=yibin_reporter_user, name="b.pdf", content=io.BytesIO(pdf)
        )
    with pytest.raises(ServiceError):
        ev.monthly_evidence_remove(evidence=e, actor=yibin_reporter_user)
    event = AuditEvent.objects.get(action="monthly_evidence.add")
    assert action_label(event.action).startswith("上传调度报告佐证材料")


def test_upload_and_download_through_the_page(draft, yibin_reporter_user, yibin_reviewer_user):
    filler = logged_in(yibin_reporter_user)
    url = reverse("projects:report_evidence", args=[draft.pk])
    filler.post(url, {"file": SimpleUploadedFile("进度.docx", _docx())})
    e = MonthlyEvidence.objects.get(report=draft)
    page = filler.get(reverse("projects:report", args=[draft.pk])).content.decode()
    assert "进度.docx" in page and 'enctype="multipart/form-data"' in page

    got = logged_in(yibin_reviewer_user).get(
        reverse("projects:report_evidence_file", args=[draft.pk, e.pk])
    )
    assert got.status_code == 200 and "attachment" in got["Content-Disposition"]
    read = docx.Document(io.BytesIO(b"".join(got.streaming_content)))
    assert read.paragraphs[0].text == "成自宜高铁宜宾段三月形象进度"

    filler.post(reverse("projects:report_evidence_delete", args=[draft.pk, e.pk]))
    assert not MonthlyEvidence.objects.filter(report=draft).exists()


def test_upload_and_download_through_the_api(draft, yibin_reporter_user, zigong_reporter_user):
    token = api_token_create(user=yibin_reporter_user, name="t", actor=None)[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    url = f"/api/v1/projects/reports/{draft.pk}/evidence"
    c = Client()
    up = c.post(url, {"file": SimpleUploadedFile("march.pdf", _pdf())}, **auth)
    assert up.status_code == 201, up.content
    body = up.json()
    assert body["kind"] == "pdf" and body["content_type"] == "application/pdf"
    bad = c.post(url, {"file": SimpleUploadedFile("march.pdf", b"not a pdf")}, **auth)
    assert bad.status_code == 422
    other = api_token_create(user=zigong_reporter_user, name="t", actor=None)[1]
    denied = c.post(
        url,
        {"file": SimpleUploadedFile("m.pdf", _pdf())},
        HTTP_AUTHORIZATION=f"Bearer {other}",
    )
    assert denied.status_code == 404
    got = c.get(body["download_url"], **auth)
    assert got.status_code == 200 and got["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(b"".join(got.streaming_content)))
    assert "Chengziyi HSR March progress" in pdf.pages[0].extract_text()
    detail = c.get(f"/api/v1/projects/reports/{draft.pk}", **auth).json()
    assert [x["name"] for x in detail["evidence"]] == ["march.pdf"]
    assert c.get(body["download_url"], HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 404
