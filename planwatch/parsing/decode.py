"""Bytes → (reader input, format, encoding): the first step of every parse.

`decode` checks the size, recognises binary formats by their signature (DOCX, PDF) and
refuses other binary data, finds the text encoding (BOMs and strict UTF-8 first, then UTF-16
without a BOM, then charset-normalizer, each answer checked for plausibility so that random
bytes never become "Chinese"), and decides which reader the text needs. Every refusal is a
`ParseError` whose message names the file and the problem in one line.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import PurePath
from typing import get_args

from charset_normalizer import from_bytes

from planwatch.parsing.errors import ParseError
from planwatch.parsing.model import SourceFormat
from planwatch.parsing.readers.text import display_width

# 100 MB: the largest plan documents are a few MB; a 200 MB upload is a wrong file.
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
# Environment override of the size limit, in bytes (e.g. for a deployment taking larger scans).
MAX_BYTES_ENV = "PLANWATCH_PARSE_MAX_BYTES"

# A DOCX whose parts expand beyond this is refused before it is unpacked.
MAX_EXPANDED_BYTES = 1024 * 1024 * 1024

FORMATS: tuple[SourceFormat, ...] = get_args(SourceFormat)
BINARY_FORMATS: frozenset[SourceFormat] = frozenset({"docx", "pdf"})

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# Signatures of binary files people upload by mistake, with the advice to give.
_FOREIGN_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0", "legacy Word/Excel 97-2003 file (.doc/.xls); save it as DOCX first"),
    (b"\x89PNG", "PNG image, not a document; OCR it first"),
    (b"\xff\xd8\xff", "JPEG image, not a document; OCR it first"),
    (b"GIF8", "GIF image, not a document"),
    (b"II*\x00", "TIFF image, not a document; OCR it first"),
    (b"MM\x00*", "TIFF image, not a document; OCR it first"),
    (b"\x1f\x8b", "gzip archive; unpack it first"),
    (b"7z\xbc\xaf", "7-Zip archive; unpack it first"),
    (b"Rar!", "RAR archive; unpack it first"),
    (b"\x7fELF", "executable, not a document"),
    (b"{\\rtf", "RTF document; save it as DOCX first"),
)

_EXTENSIONS: dict[str, SourceFormat] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".csv": "csv",
    ".tsv": "csv",
    ".docx": "docx",
    ".pdf": "pdf",
}

_FOOTER = re.compile(r"^\s*[—－-]\s*\d{1,4}\s*[—－-]\s*$")
_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAG = re.compile(r"<(?:body|p|div|h[1-6]|table|br)\b[^>]*>", re.IGNORECASE)
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE)
_MD_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$", re.MULTILINE)
_DECLARED_CHARSET = re.compile(
    rb"<(?:meta|\?xml)[^>]{0,200}?(?:charset|encoding)\s*=\s*[\"']?([A-Za-z0-9_.:-]{2,30})",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Latin-1 symbols that occur in Chinese plan text. Accented letters are left out on purpose:
# random bytes read as cp1252/latin-1 are mostly accented letters (mojibake).
_LATIN1_SYMBOLS = frozenset("\u00a0°±×÷·§©®µ¥²³¼½¾")
_SENTENCE_END = tuple("。！？；：”」』）)")


def max_bytes_default() -> int:
    """The size limit: `PLANWATCH_PARSE_MAX_BYTES` when set to a positive integer, else 100 MB."""
    raw = os.environ.get(MAX_BYTES_ENV, "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_MAX_BYTES


def decode(
    data: bytes, name: str, format: str | None = None, *, max_bytes: int | None = None
) -> tuple[str | bytes, SourceFormat, str | None]:
    """Return (content for the reader, format, encoding) for the input `data` named `name`.

    Content is `str` for text formats and the bytes themselves for DOCX and PDF. `format`
    forces a format (one of `FORMATS`) instead of detecting it."""
    limit = max_bytes_default() if max_bytes is None else max_bytes
    check_size(data, name, limit)
    forced = _check_format_name(format, name)
    binary = _binary_format(data, name)
    if binary is not None:
        if forced is not None and forced not in BINARY_FORMATS:
            raise ParseError(name, f"file is a {binary.upper()}, not {forced}")
        return data, binary, None
    if forced in BINARY_FORMATS:
        raise ParseError(name, f"not a {str(forced).upper()} file (wrong signature)")
    suffix = PurePath(name).suffix.lower()
    if forced is None and suffix in {".docx", ".pdf"} and _binary_bytes(data[:4096]):
        # Named a DOCX or PDF, binary, but without the format's signature: a damaged file
        # (or another format renamed), not a text document to decode.
        kind = suffix[1:].upper()
        raise ParseError(name, f"truncated or corrupt {kind} (no {kind} signature)")
    text, encoding = decode_text(data, name)
    return text, forced or detect_text_format(text, name), encoding


def _binary_bytes(head: bytes) -> bool:
    """Whether bytes hold NULs or many control characters (no text encoding does)."""
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 9 or 13 < byte < 32)
    return controls > max(4, len(head) // 100)


def check_size(data: bytes, name: str, limit: int) -> None:
    """Refuse empty input and input over the size limit before any real work."""
    check_size_on_disk(len(data), name, limit)


def check_size_on_disk(size: int, name: str, limit: int) -> None:
    """Refuse an empty file or one over the size limit, knowing only its size."""
    if size == 0:
        raise ParseError(name, "file is empty")
    if size > limit:
        raise ParseError(
            name, f"file is too large: {_human(size)} over the limit of {_human(limit)}"
        )


def _human(size: int) -> str:
    """`size` bytes as a short human figure (MB with one decimal above 1 MB)."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB ({size} bytes)"
    return f"{size} bytes"


def _check_format_name(format: str | None, name: str) -> SourceFormat | None:
    """Validate a forced format name."""
    if format is None:
        return None
    if format not in FORMATS:
        raise ParseError(name, f"unknown format {format!r} (expected one of {', '.join(FORMATS)})")
    return format


def _binary_format(data: bytes, name: str) -> SourceFormat | None:
    """The format "pdf" or "docx" for their signatures (checked for truncation), None for
    text-like data; raises for other binary formats. A PDF header may follow up to 1 KB of
    junk (the PDF specification tolerates it)."""
    head = data[:8]
    if head.startswith(b"%PDF-") or _junk_before_pdf_header(data[:1024]):
        _check_pdf_complete(data, name)
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        _check_docx(data, name)
        return "docx"
    for signature, problem in _FOREIGN_SIGNATURES:
        if head.startswith(signature):
            raise ParseError(name, problem)
    return None


def _junk_before_pdf_header(head: bytes) -> bool:
    """A “%PDF-” header after binary junk (control bytes), as some download tools leave it;
    a text that merely mentions “%PDF-” has no control bytes before it."""
    at = head.find(b"%PDF-")
    return at > 0 and any(byte < 9 or 13 < byte < 32 for byte in head[:at])


def _check_pdf_complete(data: bytes, name: str) -> None:
    """A PDF must end with its %%EOF marker (possibly followed by a little padding)."""
    if b"%%EOF" not in data[-4096:]:
        raise ParseError(name, "truncated or corrupt PDF (no %%EOF end marker)")


def _check_docx(data: bytes, name: str) -> None:
    """The zip must open, hold word/document.xml and pass its CRC checks."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                raise ParseError(name, _zip_kind(names))
            expanded = sum(info.file_size for info in archive.infolist())
            if expanded > MAX_EXPANDED_BYTES:
                raise ParseError(name, f"DOCX expands to {_human(expanded)}; refused as a ZIP bomb")
            bad = archive.testzip()
    except zipfile.BadZipFile:
        raise ParseError(name, "truncated or corrupt DOCX (damaged ZIP archive)") from None
    except (OSError, EOFError, ValueError, NotImplementedError, RuntimeError, zlib.error):
        raise ParseError(name, "truncated or corrupt DOCX (unreadable ZIP archive)") from None
    if bad is not None:
        raise ParseError(name, f"truncated or corrupt DOCX (bad CRC in {bad})")


def _zip_kind(names: Iterable[str]) -> str:
    """What a ZIP that is not a DOCX probably is, as an error message."""
    listed = set(names)
    if "xl/workbook.xml" in listed:
        return "Excel workbook (XLSX), not a plan document; export the text first"
    if "ppt/presentation.xml" in listed:
        return "PowerPoint file (PPTX), not a plan document"
    if "content.xml" in listed:
        return "OpenDocument file; save it as DOCX first"
    return "ZIP archive that is not a DOCX (no word/document.xml)"


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode text bytes, returning (text with newlines normalised to \\n, encoding name)."""
    decoded = _decode_bom(data) or _decode_utf8(data) or _decode_utf16(data)
    if decoded is None:
        if b"\x00" in data:
            raise ParseError(name, "binary file (contains NUL bytes), not a text document")
        decoded = _decode_declared(data) or _decode_detected(data)
    if decoded is None:
        raise ParseError(name, "undecodable bytes: not UTF-8, GB18030/GBK, UTF-16 or known text")
    text, encoding = decoded
    if "\x00" in text or not _looks_like_text(text):
        raise ParseError(name, "binary file (control characters), not a text document")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ParseError(name, "file is empty (only white space)")
    return text, encoding


def _decode_bom(data: bytes) -> tuple[str, str] | None:
    """Text after a byte-order mark, decoded in the encoding the mark names."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding.removesuffix("-sig")), encoding
            except UnicodeDecodeError:
                return None
    return None


def _decode_utf8(data: bytes) -> tuple[str, str] | None:
    """Strict UTF-8: any invalid sequence means another encoding."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return None


def _decode_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM: accepted only when one byte order gives clearly plausible text
    (ASCII characters put NULs on alternate bytes; CJK text must be mostly common hanzi)."""
    if len(data) % 2 or len(data) < 4:
        return None
    best: tuple[float, str, str] | None = None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = plausibility(text)
        if score >= 0.9 and (best is None or score > best[0]):
            best = (score, text, encoding)
    return (best[1], best[2]) if best else None


def _decode_declared(data: bytes) -> tuple[str, str] | None:
    """The charset an HTML/XML file declares (<meta charset="gb2312">, <?xml encoding=…?>),
    when the bytes decode under it and read as plausible text. Pages declaring GB2312 often
    hold GBK characters, so the GB family is decoded as GB18030 (its superset)."""
    found = _DECLARED_CHARSET.search(data[:4096])
    if found is None:
        return None
    declared = found.group(1).decode("ascii").lower()
    codec = "gb18030" if declared in ("gb2312", "gbk", "gb18030", "x-gbk") else declared
    try:
        text = data.decode(codec)
    except (LookupError, UnicodeDecodeError):
        return None
    if plausibility(text) < 0.8:
        return None
    return text, _gb_family(data, codec)


def _decode_detected(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer's guess, checked against strict GBK/GB18030 (the usual encodings of
    Chinese government files), keeping whichever reads as more plausible Chinese text."""
    candidates: list[tuple[str, str]] = []
    best = from_bytes(data).best()
    if best is not None:
        candidates.append((str(best), _encoding_name(best.encoding)))
    for encoding in ("gbk", "gb18030"):
        try:
            candidates.append((data.decode(encoding), encoding))
            break
        except UnicodeDecodeError:
            continue
    scored = [(plausibility(text), -i, text, enc) for i, (text, enc) in enumerate(candidates)]
    scored = [item for item in scored if item[0] >= 0.8]
    if not scored:
        return None
    _, _, text, encoding = max(scored)
    return text, _gb_family(data, encoding)


def _gb_family(data: bytes, encoding: str) -> str:
    """The narrowest name of a GB-family answer: "gbk" when the bytes are valid GBK (GB2312
    included), else "gb18030"; other encodings unchanged."""
    if encoding not in ("gb2312", "gbk", "gb18030"):
        return encoding
    try:
        data.decode("gbk")
    except UnicodeDecodeError:
        return "gb18030"
    return "gbk"


def _encoding_name(python_name: str) -> str:
    """charset-normalizer's codec name in the usual spelling (gb18030, utf-16-le …)."""
    return python_name.replace("_", "-").lower()


def _looks_like_text(text: str) -> bool:
    """False when more than 1 % of the characters are control characters other than
    tab/newline/carriage return/form feed."""
    return len(_CONTROL.findall(text)) <= len(text) // 100


def plausibility(text: str) -> float:
    """Share (0–1) of `text` that looks like real text: printable ASCII, white space, common
    punctuation and — weighted by how common they are — Chinese characters. Random bytes read
    as GB18030 or UTF-16 give mostly rare hanzi or unassigned code points and score low."""
    if not text:
        return 0.0
    text = _sample(text)
    good = 0.0
    hanzi = common = 0
    for ch in text:
        code = ord(ch)
        if 0x4E00 <= code <= 0x9FFF:
            hanzi += 1
            common += _is_common_hanzi(ch)
        elif (32 <= code < 127) or ch in "\t\n\r\f" or _is_text_punctuation(code):
            good += 1
    if hanzi:
        good += hanzi * min(1.0, (common / hanzi) / 0.8)
    return good / len(text)


def _sample(text: str, size: int = 60_000) -> str:
    """Beginning, middle and end of a long text: enough to judge it, quick on 100 MB."""
    if len(text) <= 3 * size:
        return text
    middle = len(text) // 2
    return text[:size] + text[middle : middle + size] + text[-size:]


def _is_common_hanzi(ch: str) -> bool:
    """In GB2312 (the 6,763 hanzi of everyday simplified Chinese)."""
    try:
        return len(ch.encode("gb2312")) == 2
    except UnicodeEncodeError:
        return False


def _is_text_punctuation(code: int) -> bool:
    """Code points of punctuation and symbols that real Chinese text uses."""
    return (
        0x2000 <= code <= 0x206F  # general punctuation: — “ ” … ‰
        or 0x3000 <= code <= 0x303F  # CJK punctuation: 、。〔〕《》 and U+3000
        or 0xFF01 <= code <= 0xFF5E  # full-width ASCII forms: ，（）：；％
        or 0xFFE0 <= code <= 0xFFE6  # full-width ￥ ￡
        or chr(code) in _LATIN1_SYMBOLS
        or 0x2150 <= code <= 0x218F  # number forms: Ⅲ
        or 0x2460 <= code <= 0x24FF  # circled numbers ①
        or 0x25A0 <= code <= 0x25FF  # geometric shapes ■ ○
        or code in (0xFEFF, 0x2116, 0x2103)  # BOM, №, ℃
    )


def detect_text_format(text: str, name: str) -> SourceFormat:
    """The reader a decoded text needs: by file extension first (.md, .html, .csv), else by
    content: HTML markup, Markdown headings/tables, raw PDF text (—N— footers or wrapped
    lines one blank apart), or plain text with one paragraph per line."""
    by_extension = _EXTENSIONS.get(PurePath(name).suffix.lower())
    if by_extension is not None and by_extension not in BINARY_FORMATS:
        return by_extension
    head = text[:65536]
    if _HTML_START.match(head) or len(_HTML_TAG.findall(head)) >= 3:
        return "html"
    # Each line-anchored pattern only when the text holds what it needs (# ; ---): they are
    # tried at every position of the 64 KB head otherwise.
    if ("#" in head and _MD_HEADING.search(head)) or (
        "---" in head and _MD_TABLE_RULE.search(head)
    ):
        return "markdown"
    return "pdf-text" if looks_like_pdf_text(text) else "text"


def looks_like_pdf_text(text: str) -> bool:
    """True for the raw text layer of a PDF (see seed-format.md): a —N— footer line, or visual
    lines one blank line apart of which many run to the full line width and stop
    mid-sentence. Plain text with a blank line between paragraphs ends its long lines with
    sentence punctuation instead, and its short headings do not count."""
    lines = text.split("\n")
    if any(_FOOTER.match(line) for line in lines):
        return True
    nonblank = [line.strip() for line in lines if line.strip()]
    if len(nonblank) < 6:
        return False
    followed_by_blank = sum(
        1 for i, line in enumerate(lines[:-1]) if line.strip() and not lines[i + 1].strip()
    )
    widths = sorted(display_width(line) for line in nonblank)
    full = 0.8 * widths[(len(widths) * 9) // 10]
    wrapped = sum(
        1 for line in nonblank if display_width(line) >= full and not line.endswith(_SENTENCE_END)
    )
    return followed_by_blank >= 0.6 * len(nonblank) and wrapped >= 0.3 * len(nonblank)
