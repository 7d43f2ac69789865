"""Evidence files (佐证材料) of a progress report: upload, download, removal."""

from __future__ import annotations

from typing import Literal

from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Status, UploadedFile
from ninja.errors import HttpError
from ninja.params.functions import File

from planwatch.api.auth import caller
from planwatch.api.implementation.common import (
    CONTENT_TYPES,
    OCTET,
    act,
    download,
    evidence_out,
    require_csrf,
    service_errors,
)
from planwatch.api.implementation_schemas import EvidenceOut
from planwatch.api.schemas import ErrorOut
from planwatch.reports.evidence import EvidenceLost, evidence_add, evidence_open, evidence_remove
from planwatch.reports.models import Evidence
from planwatch.reports.permissions import access_report

EVIDENCE_FILE = File(..., description="The evidence file.")
EVIDENCE = (
    "PDF, images (png, jpg, gif) and office documents (doc, docx, xls, xlsx, ppt, pptx, wps, "
    "ofd), recognised by extension and content, within the size limit (20 MB by default)"
)


@act(
    "/reports/{report_id}/evidence",
    EvidenceOut,
    status=201,
    summary="Upload an evidence file (佐证材料)",
    description="Access: the reporter of the reporting unit (else 404). Multipart `file`: "
    f"{EVIDENCE}. 422 names the failed check (type, content, size, empty); 409 when the "
    "report is submitted or accepted.",
)
def evidence_upload(
    request: HttpRequest,
    report_id: int,
    file: UploadedFile = EVIDENCE_FILE,
) -> Status[EvidenceOut]:
    report = access_report(caller(request), report_id, action="edit")
    require_csrf(request)
    with service_errors():
        evidence = evidence_add(
            report=report, actor=caller(request), name=file.name or "", content=file
        )
    return Status(201, EvidenceOut.model_validate(evidence_out(evidence)))


def _access_evidence(
    request: HttpRequest, report_id: int, evidence_id: int, *, action: Literal["view", "edit"]
) -> Evidence:
    report = access_report(caller(request), report_id, action=action)
    evidence = report.evidence.filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    evidence.report = report
    return evidence


@download(
    "/reports/{report_id}/evidence/{evidence_id}",
    sorted({*CONTENT_TYPES.values(), OCTET}),
    summary="Download an evidence file",
    description="Access: signed in, whoever may see the report (else 404). The stored bytes, "
    "as an attachment with the content type of its kind. 410 when the file is listed but its "
    "bytes are no longer in storage (an administrator must restore them).",
    url_name="report_evidence_file",
    errors={410: ErrorOut},
)
def evidence_download(request: HttpRequest, report_id: int, evidence_id: int) -> FileResponse:
    evidence = _access_evidence(request, report_id, evidence_id, action="view")
    try:
        handle = evidence_open(evidence)
    except EvidenceLost:
        raise HttpError(410, _("佐证材料文件已丢失，请联系管理员。")) from None
    content_type = CONTENT_TYPES.get(evidence.kind, OCTET)
    return FileResponse(
        handle, as_attachment=True, filename=evidence.name, content_type=content_type
    )


@act(
    "/reports/{report_id}/evidence/{evidence_id}",
    None,
    method="DELETE",
    status=204,
    summary="Remove an evidence file",
    description="Access: the reporter of the reporting unit (else 404). 409 when the report is "
    "submitted or accepted. The stored bytes are kept (other reports may hold the same file).",
)
def evidence_delete(request: HttpRequest, report_id: int, evidence_id: int) -> Status[None]:
    evidence = _access_evidence(request, report_id, evidence_id, action="edit")
    require_csrf(request)
    with service_errors():
        evidence_remove(evidence=evidence, actor=caller(request))
    return Status(204, None)
