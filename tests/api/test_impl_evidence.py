"""Evidence files (佐证材料) through the API: upload of a real PDF and a real PNG, their
listing in the report detail and their download byte for byte; the web's rules (extension
and content must agree, size limit, only the reporting unit's reporter, only while the report
is a draft or returned); removal; the denied paths (other unit's reporter, the unit reviewer,
the leader, anonymous callers, sessions without CSRF). Every JSON body is validated against
docs/openapi.json."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from PIL import Image
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from planwatch.api.services import api_token_create
from planwatch.reports.models import Evidence
from planwatch.reports.services import progress_report_submit
from tests.api.schema import document
from tests.api.test_implementation import World, world

pytestmark = pytest.mark.django_db
API = "/api/v1"
__all__ = ["world"]  # the fixture, shared with the other implementation API tests


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def real_pdf() -> bytes:
    """A one-page PDF made by reportlab, readable by any PDF reader."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.drawString(72, 720, "Yibin-Luzhou intercity railway: feasibility study approved")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def real_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 12), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


# The first bytes of a Windows executable (DOS header and stub), then padding.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(112)


def conforms(response: HttpResponse, method: str, status: int) -> Any:
    """Assert the status, validate a JSON body against the schema the document declares for
    the operation and status, and return the parsed body (None when there is none)."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    path = response.wsgi_request.path  # type: ignore[attr-defined]
    for template, methods in document()["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and method in methods:
            declared = methods[method]["responses"][str(status)]
            if "content" not in declared:
                assert not response.content
                return None
            content_type = response["Content-Type"].split(";")[0]
            assert content_type in declared["content"], (content_type, list(declared["content"]))
            if content_type != "application/json":
                return None
            body = response.json()
            schema = {**declared["content"]["application/json"]["schema"]}
            schema["components"] = document()["components"]
            jsonschema.Draft202012Validator(schema).validate(body)
            return body
    raise AssertionError(f"{method.upper()} {path} is not in the OpenAPI document")


def upload(client: Client, report_id: int, name: str, data: bytes, status: int = 201) -> Any:
    response = client.post(
        f"{API}/reports/{report_id}/evidence", {"file": SimpleUploadedFile(name, data)}
    )
    return conforms(response, "post", status)


def test_reporter_uploads_a_real_pdf_and_png_listed_and_downloaded_byte_for_byte(
    world: World, yibin_reporter: Client, leader: Client, new_audit_events: Any
) -> None:
    report = world.yibin_report
    pdf, png = real_pdf(), real_png()
    first = upload(yibin_reporter, report.pk, "可研批复.pdf", pdf)
    second = upload(yibin_reporter, report.pk, "现场照片.png", png)
    assert first["sha256"] == hashlib.sha256(pdf).hexdigest() and first["size"] == len(pdf)
    assert (first["kind"], first["content_type"]) == ("pdf", "application/pdf")
    assert (second["kind"], second["content_type"]) == ("png", "image/png")
    detail = conforms(yibin_reporter.get(f"{API}/reports/{report.pk}"), "get", 200)
    assert [e["name"] for e in detail["evidence"]] == ["可研批复.pdf", "现场照片.png"]
    assert detail["evidence"] == [first, second]
    # The leader of the province may read the report, so may download its files.
    for client in (yibin_reporter, leader):
        got = client.get(first["download_url"])
        conforms(got, "get", 200)
        data = b"".join(got.streaming_content)  # type: ignore[attr-defined]
        assert data == pdf and len(PdfReader(io.BytesIO(data)).pages) == 1
        assert got["Content-Disposition"].startswith("attachment")
    got = yibin_reporter.get(second["download_url"])
    assert got["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(b"".join(got.streaming_content)))  # type: ignore[attr-defined]
    assert image.size == (16, 12)
    events = new_audit_events().filter(action="evidence.add")
    assert [e.target_label for e in events] == ["可研批复.pdf", "现场照片.png"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("批复.pdf", EXE, "文件内容与扩展名“pdf”不符。"),
        ("批复.pdf", "这是一个文本文件，不是 PDF。".encode(), "文件内容与扩展名“pdf”不符。"),
        ("setup.exe", EXE, "不支持的文件类型“exe”"),
        ("照片.png", real_pdf(), "文件内容与扩展名“png”不符。"),
        ("空.pdf", b"", "文件为空。"),
    ],
)
def test_files_whose_type_or_content_is_wrong_are_refused(
    world: World,
    yibin_reporter: Client,
    new_audit_events: Any,
    name: str,
    data: bytes,
    message: str,
) -> None:
    body = upload(yibin_reporter, world.yibin_report.pk, name, data, 422)
    assert body["error"]["message"].startswith(message)
    assert not Evidence.objects.exists() and not new_audit_events().exists()


def test_a_file_over_the_size_limit_is_refused(
    world: World, yibin_reporter: Client, settings: Any
) -> None:
    pdf = real_pdf()
    settings.PLANWATCH_EVIDENCE_MAX_BYTES = len(pdf) - 1
    body = upload(yibin_reporter, world.yibin_report.pk, "批复.pdf", pdf, 422)
    assert body["error"]["message"].startswith("文件超过大小限制")
    assert not Evidence.objects.exists()
    settings.PLANWATCH_EVIDENCE_MAX_BYTES = len(pdf)
    upload(yibin_reporter, world.yibin_report.pk, "批复.pdf", pdf)


def test_a_submitted_report_takes_no_file_and_keeps_its_files(
    world: World, yibin_reporter: Client, yibin_reporter_user: User
) -> None:
    report = world.yibin_report
    kept = upload(yibin_reporter, report.pk, "批复.pdf", real_pdf())
    progress_report_submit(report=report, actor=yibin_reporter_user)
    body = upload(yibin_reporter, report.pk, "补充.png", real_png(), 409)
    assert body["error"]["message"] == "报告已报送或已采纳，不能再上传材料。"
    response = yibin_reporter.delete(f"{API}/reports/{report.pk}/evidence/{kept['id']}")
    assert (
        conforms(response, "delete", 409)["error"]["message"]
        == "报告已报送或已采纳，不能删除材料。"
    )
    assert list(Evidence.objects.values_list("pk", flat=True)) == [kept["id"]]


def test_only_the_reporting_units_reporter_may_upload(
    world: World,
    luzhou_reporter: Client,
    yibin_reviewer: Client,
    leader: Client,
    anon: Client,
    new_audit_events: Any,
) -> None:
    report_id = world.yibin_report.pk
    missing = upload(luzhou_reporter, 99_999_999, "批复.pdf", real_pdf(), 404)
    for client in (luzhou_reporter, yibin_reviewer, leader):
        assert upload(client, report_id, "批复.pdf", real_pdf(), 404) == missing
    upload(anon, report_id, "批复.pdf", real_pdf(), 401)
    assert not Evidence.objects.exists() and not new_audit_events().exists()


def test_reporter_removes_a_file_others_cannot(
    world: World,
    yibin_reporter: Client,
    luzhou_reporter: Client,
    yibin_reviewer: Client,
    leader: Client,
    anon: Client,
    new_audit_events: Any,
) -> None:
    report_id = world.yibin_report.pk
    ev = upload(yibin_reporter, report_id, "批复.pdf", real_pdf())
    url = f"{API}/reports/{report_id}/evidence/{ev['id']}"
    conforms(luzhou_reporter.get(url), "get", 404)
    for client in (luzhou_reporter, yibin_reviewer, leader):
        conforms(client.delete(url), "delete", 404)
    conforms(anon.delete(url), "delete", 401)
    assert Evidence.objects.filter(pk=ev["id"]).exists()
    conforms(yibin_reporter.delete(url), "delete", 204)
    assert conforms(yibin_reporter.get(f"{API}/reports/{report_id}"), "get", 200)["evidence"] == []
    conforms(yibin_reporter.get(url), "get", 404)
    conforms(yibin_reporter.delete(url), "delete", 404)
    removed = new_audit_events().filter(action="evidence.remove")
    assert [e.target_id for e in removed] == [str(ev["id"])]


def test_evidence_of_another_report_is_not_reached_through_this_one(
    world: World, luzhou_reporter: Client, yibin_reporter: Client
) -> None:
    theirs = upload(luzhou_reporter, world.luzhou_report.pk, "泸州.pdf", real_pdf())
    url = f"{API}/reports/{world.yibin_report.pk}/evidence/{theirs['id']}"
    conforms(yibin_reporter.get(url), "get", 404)
    conforms(yibin_reporter.delete(url), "delete", 404)
    assert Evidence.objects.filter(pk=theirs["id"]).exists()


def test_sessions_need_csrf_tokens_do_not(world: World, yibin_reporter_user: User) -> None:
    session = Client(enforce_csrf_checks=True)
    session.force_login(yibin_reporter_user)
    body = upload(session, world.yibin_report.pk, "批复.pdf", real_pdf(), 403)
    assert body["error"]["message"] == "CSRF verification failed"
    secret = api_token_create(user=yibin_reporter_user, name="t", actor=None)[1]
    script = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {secret}")
    ev = upload(script, world.yibin_report.pk, "批复.pdf", real_pdf())
    response = session.delete(f"{API}/reports/{world.yibin_report.pk}/evidence/{ev['id']}")
    conforms(response, "delete", 403)
    assert Evidence.objects.count() == 1


def test_an_upload_without_a_file_is_422(world: World, yibin_reporter: Client) -> None:
    response = yibin_reporter.post(f"{API}/reports/{world.yibin_report.pk}/evidence", {})
    assert "file" in conforms(response, "post", 422)["error"]["message"]


def test_a_file_missing_from_storage_is_410_and_logged(
    world: World,
    yibin_reporter: Client,
    leader: Client,
    luzhou_reporter: Client,
    settings: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The row is there, the bytes are not (deleted from MEDIA_ROOT): a clear 410, not a 500."""
    ev = upload(yibin_reporter, world.yibin_report.pk, "批复.pdf", real_pdf())
    stored = Path(settings.MEDIA_ROOT) / Evidence.objects.get(pk=ev["id"]).file.name
    assert stored.is_file()
    stored.unlink()
    caplog.set_level("ERROR", logger="planwatch.api")
    for client in (yibin_reporter, leader):
        body = conforms(client.get(ev["download_url"]), "get", 410)
        assert body == {"error": {"code": "gone", "message": "佐证材料文件已丢失，请联系管理员。"}}
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 2
    assert str(ev["id"]) in errors[0].getMessage() and stored.name in errors[0].getMessage()
    assert "Traceback" not in caplog.text  # refused on purpose, not a crash
    # Outside the report's scope it is still the 404 of a missing object, telling nothing.
    conforms(luzhou_reporter.get(ev["download_url"]), "get", 404)
    # The listing still names the file, so it can be removed or replaced.
    detail = conforms(yibin_reporter.get(f"{API}/reports/{world.yibin_report.pk}"), "get", 200)
    assert [e["id"] for e in detail["evidence"]] == [ev["id"]]
