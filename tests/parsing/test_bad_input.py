"""Input that cannot be parsed gives one `ParseError` whose message names the file and the
problem in one line (parse-contract, Errors) — through the whole pipeline, not just decode."""

from __future__ import annotations

import io
import zipfile

import pytest

from planwatch.parsing import parse_bytes
from planwatch.parsing.decode import MAX_BYTES_ENV, check_size, decode, max_bytes_default
from planwatch.parsing.errors import ParseError
from tests.parsing.fixtures.documents import (
    make_docx,
    make_encrypted_pdf,
    make_image_pdf,
    make_pdf,
)


def refusal(data: bytes, name: str) -> str:
    """The one-line message parse_bytes refuses `data` with."""
    with pytest.raises(ParseError) as caught:
        parse_bytes(data, name=name)
    message = str(caught.value)
    assert message.startswith(f"{name}: ")
    assert "\n" not in message
    return message.removeprefix(f"{name}: ")


def zipped(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, content in files.items():
            archive.writestr(path, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "file is empty"),
        (b" \n\r\n\t\xe3\x80\x80\n", "file is empty (only white space)"),
        (b"\xef\xbb\xbf", "file is empty"),
        (bytes(range(256)) * 8, "binary file (contains NUL bytes), not a text document"),
        (b"\x01\x02\x03\x04\x05\x06abc\x07\x08" * 20, "binary file (control characters)"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "PNG image, not a document; OCR it first"),
        (b"\xff\xd8\xff\xe0" + bytes(100), "JPEG image, not a document; OCR it first"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "legacy Word/Excel 97-2003 file"),
        (b"\x1f\x8b\x08\x00" + bytes(50), "gzip archive; unpack it first"),
        (bytes(range(0x80, 0x100)) * 4, "undecodable bytes"),
    ],
)
def test_unusable_bytes(data: bytes, problem: str) -> None:
    assert refusal(data, "input.bin").startswith(problem)


def test_truncated_docx() -> None:
    data = make_docx()
    message = refusal(data[: len(data) // 2], "plan.docx")
    assert message == "truncated or corrupt DOCX (damaged ZIP archive)"


def test_zip_that_is_not_a_docx() -> None:
    workbook = zipped({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
    assert refusal(workbook, "plan.docx").startswith("Excel workbook (XLSX)")
    other = zipped({"readme.txt": "hello"})
    assert refusal(other, "plan.zip") == "ZIP archive that is not a DOCX (no word/document.xml)"


def test_docx_that_expands_too_far_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import planwatch.parsing.decode as decode_module

    monkeypatch.setattr(decode_module, "MAX_EXPANDED_BYTES", 1000)
    message = refusal(make_docx(), "bomb.docx")
    assert message.startswith("DOCX expands to ") and message.endswith("refused as a ZIP bomb")


def test_docx_with_broken_xml() -> None:
    broken = zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document"})
    assert refusal(broken, "plan.docx").startswith("corrupt DOCX")


def test_truncated_pdf() -> None:
    data = make_pdf()
    assert refusal(data[: len(data) // 2], "plan.pdf") == (
        "truncated or corrupt PDF (no %%EOF end marker)"
    )


def test_pdf_with_a_damaged_body() -> None:
    damaged = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer<<>>\n%%EOF\n"
    assert refusal(damaged, "plan.pdf").startswith("truncated or corrupt PDF")


def test_password_protected_pdf() -> None:
    assert refusal(make_encrypted_pdf(), "secret.pdf") == (
        "PDF is password-protected; remove the protection first"
    )


def test_pdf_without_pages() -> None:
    empty = (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    assert refusal(empty, "empty.pdf") == "PDF has no pages"


def test_image_only_pdf() -> None:
    assert refusal(make_image_pdf(), "scan.pdf") == (
        "PDF has no text layer (scanned image?); OCR it first"
    )


def test_size_limit_names_the_size_and_the_limit() -> None:
    with pytest.raises(ParseError) as caught:
        decode("第一章 总则\n".encode() * 20, "big.txt", max_bytes=100)
    assert str(caught.value) == (
        "big.txt: file is too large: 340 bytes over the limit of 100 bytes"
    )


def test_size_limit_default_is_100_mb_and_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MAX_BYTES_ENV, raising=False)
    assert max_bytes_default() == 100 * 1024 * 1024
    with pytest.raises(ParseError, match=r"file is too large: 100\.0 MB \(104857601 bytes\) over"):
        check_size(b"x" * (100 * 1024 * 1024 + 1), "huge.txt", max_bytes_default())
    monkeypatch.setenv(MAX_BYTES_ENV, "20")
    data = "第一章 总则\n第一节 目的\n".encode()
    assert refusal(data, "small.txt") == (
        f"file is too large: {len(data)} bytes over the limit of 20 bytes"
    )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("notes.txt", "今天天气很好。\n我们去公园散步。\n".encode()),
        ("page.html", b"<html><head><script>var a = 1;</script></head><body></body></html>"),
        (
            "page.html",
            "<html><body><nav>首页</nav><p>【字体：大 中 小】</p></body></html>".encode(),
        ),
        ("list.csv", b"id,value\n1,2\n3,4\n"),
        ("empty.md", b"---\n\n***\n"),
    ],
)
def test_no_recognisable_structure(name: str, data: bytes) -> None:
    assert "no recognisable plan structure" in refusal(data, name)
