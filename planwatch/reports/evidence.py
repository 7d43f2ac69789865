"""Evidence files (佐证材料): only PDF, images and office documents, recognised by their
extension AND their first bytes (and, for zip-based formats, their inner layout), within a
size limit; stored under MEDIA_ROOT by sha256 so the same file is kept once."""

from __future__ import annotations

import hashlib
import io
import logging
import posixpath
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from planwatch.accounts.choices import Role
from planwatch.audit.services import audit_record
from planwatch.core import hooks
from planwatch.core.types import Actor, actor_user
from planwatch.core.workflow import ServiceError
from planwatch.reports.models import Evidence, ProgressReport
from planwatch.reports.permissions import holds_report_role

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
# extension → (accepted leading bytes, for zip formats the member that must exist)
SIGNATURES: dict[str, tuple[tuple[bytes, ...], str]] = {
    "pdf": ((b"%PDF-",), ""),
    "png": ((b"\x89PNG\r\n\x1a\n",), ""),
    "jpg": ((b"\xff\xd8\xff",), ""),
    "jpeg": ((b"\xff\xd8\xff",), ""),
    "gif": ((b"GIF87a", b"GIF89a"), ""),
    "doc": ((OLE,), ""),
    "xls": ((OLE,), ""),
    "ppt": ((OLE,), ""),
    "wps": ((OLE,), ""),
    "docx": ((ZIP,), "word/"),
    "xlsx": ((ZIP,), "xl/"),
    "pptx": ((ZIP,), "ppt/"),
    "ofd": ((ZIP,), "OFD.xml"),
}


def max_bytes() -> int:
    return int(getattr(settings, "PLANWATCH_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def _zip_has(data: bytes, member: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return any(n == member or n.startswith(member) for n in zf.namelist())
    except zipfile.BadZipFile:
        return False


def evidence_kind(name: str, data: bytes) -> str:
    """The file's type if its extension is allowed and its content matches it; else
    ValidationError saying which check failed."""
    ext = posixpath.splitext(name.lower())[1].lstrip(".")
    if ext not in SIGNATURES:
        allowed = _("、").join(sorted(SIGNATURES))
        raise ValidationError(
            _("不支持的文件类型“%(ext)s”，允许：%(a)s") % {"ext": ext, "a": allowed}
        )
    magics, member = SIGNATURES[ext]
    ok = any(data.startswith(m) for m in magics) and (not member or _zip_has(data, member))
    if not ok:
        raise ValidationError(_("文件内容与扩展名“%(ext)s”不符。") % {"ext": ext})
    return ext


NAME_MAX = 200


def evidence_name(name: str, limit: int = NAME_MAX) -> str:
    """The file name kept for an upload: its last path part, shortened to `limit`
    characters by cutting the stem, never the extension (a long name of a PDF stays a .pdf,
    so its type is still checked as one)."""
    base = posixpath.basename(name.replace("\\", "/")).strip() or "file"
    if len(base) <= limit:
        return base
    stem, ext = posixpath.splitext(base)
    if not stem or len(ext) > 16:  # no extension worth keeping
        return base[:limit]
    return stem[: limit - len(ext)].rstrip() + ext


def _read_limited(content: IO[bytes]) -> bytes:
    limit = max_bytes()
    data = content.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(_("文件超过大小限制（%(mb).0f MB）。") % {"mb": limit / 1024 / 1024})
    if not data:
        raise ValidationError(_("文件为空。"))
    return data


@dataclass(frozen=True)
class StoredFile:
    """An accepted upload, its bytes stored once under MEDIA_ROOT by sha256."""

    name: str
    data: bytes
    kind: str
    sha256: str
    path: str


def evidence_store(name: str, content: IO[bytes]) -> StoredFile:
    """Check an uploaded file (name kept with its extension, size limit, type by extension
    and content) and store its bytes by sha256 unless already there; ValidationError says
    which check failed. Used by progress reports and by monthly project reports."""
    clean_name = evidence_name(name)
    data = _read_limited(content)
    kind = evidence_kind(clean_name, data)
    sha = hashlib.sha256(data).hexdigest()
    path = f"evidence/{sha[:2]}/{sha}.{kind}"
    if not default_storage.exists(path):
        path = default_storage.save(path, ContentFile(data))
    return StoredFile(clean_name, data, kind, sha, path)


def _figures_changed(report: ProgressReport) -> None:
    """A returned report with or without evidence counts differently in reporting health:
    the summaries are told (core.hooks.figures_changed), inside the caller's transaction."""
    hooks.figures_changed.send(
        plan_id=report.task.plan_id,
        year=report.task.year,
        period_start=report.period_start,
        unit_id=report.unit_id,
    )


def evidence_add(
    *, report: ProgressReport, actor: Actor, name: str, content: IO[bytes]
) -> Evidence:
    """Attach a file to a draft or returned report of the actor's unit."""
    if not holds_report_role(actor, report, Role.REPORTER):
        raise PermissionDenied(_("只有本单位填报人可以上传佐证材料。"))
    if report.status not in ("draft", "returned"):
        raise ServiceError(_("报告已报送或已采纳，不能再上传材料。"))
    stored = evidence_store(name, content)
    with transaction.atomic():
        evidence = Evidence.objects.create(
            report=report,
            file=stored.path,
            name=stored.name,
            sha256=stored.sha256,
            size=len(stored.data),
            kind=stored.kind,
            uploaded_by=actor_user(actor),
        )
        _figures_changed(report)
        audit_record(
            actor=actor,
            action="evidence.add",
            target_type="reports.evidence",
            target_id=evidence.pk,
            target_label=stored.name,
            new={
                "report": report.pk,
                "sha256": stored.sha256,
                "size": len(stored.data),
                "kind": stored.kind,
            },
        )
    return evidence


def evidence_remove(*, evidence: Evidence, actor: Actor) -> None:
    """Detach a file from a report still being written. The stored file is kept: other
    reports (or earlier revisions) may hold the same bytes."""
    report = evidence.report
    if not holds_report_role(actor, report, Role.REPORTER):
        raise PermissionDenied(_("只有本单位填报人可以删除佐证材料。"))
    if report.status not in ("draft", "returned"):
        raise ServiceError(_("报告已报送或已采纳，不能删除材料。"))
    with transaction.atomic():
        old: dict[str, Any] = {"report": report.pk, "name": evidence.name, "sha": evidence.sha256}
        pk = evidence.pk
        evidence.delete()
        _figures_changed(report)
        audit_record(
            actor=actor,
            action="evidence.remove",
            target_type="reports.evidence",
            target_id=pk,
            target_label=evidence.name,
            old=old,
        )


def evidence_verify(evidence: Evidence) -> bool:
    """Whether the stored file still has the sha256 recorded at upload."""
    digest = hashlib.sha256()
    with default_storage.open(str(evidence.file.name), "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest() == evidence.sha256


class EvidenceLost(Exception):
    """An evidence row whose stored bytes are gone (a restore without the media folder, a disk
    fault): not the user's fault and not theirs to fix."""


def evidence_open(evidence: Evidence) -> IO[bytes]:
    """The stored bytes of an evidence file, opened for reading. Raises EvidenceLost — after
    logging, for the operator, what to restore (the stored name is the file's sha256)."""
    try:
        return default_storage.open(str(evidence.file.name), "rb")
    except FileNotFoundError:
        log.error(
            "evidence %s of report %s: stored file %s is missing",
            evidence.pk,
            evidence.report_id,
            evidence.file.name,
        )
        raise EvidenceLost(evidence.name) from None
