"""Evidence files of monthly 调度 reports, handled like progress-report evidence
(planwatch/reports/evidence.py): the same allowed types recognised by extension and content,
the same size limit, stored under MEDIA_ROOT by sha256; only the reporting unit's filler
adds or removes them while the report is draft or returned; whoever may see the report
downloads them."""

from __future__ import annotations

import logging
import posixpath
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from planwatch.audit.services import audit_record
from planwatch.core.workflow import ServiceError
from planwatch.projects.models import MonthlyEvidence, MonthlyReport
from planwatch.projects.permissions import can_fill
from planwatch.reports.evidence import EvidenceLost, evidence_store

log = logging.getLogger(__name__)
EDITABLE = ("draft", "returned")


def kind_of(evidence: MonthlyEvidence) -> str:
    return posixpath.splitext(evidence.name.lower())[1].lstrip(".")


def monthly_evidence_add(
    *, report: MonthlyReport, actor: Any, name: str, content: IO[bytes]
) -> MonthlyEvidence:
    """Attach a file to a draft or returned monthly report of the actor's unit."""
    if not can_fill(actor, report):
        raise PermissionDenied(_("只有本单位填报人可以上传佐证材料。"))
    if report.status not in EDITABLE:
        raise ServiceError(_("报告已报送或已采纳，不能再上传材料。"))
    stored = evidence_store(name, content)
    with transaction.atomic():
        evidence = MonthlyEvidence.objects.create(
            report=report,
            file=stored.path,
            name=stored.name,
            sha256=stored.sha256,
            size=len(stored.data),
            uploaded_by=actor,
        )
        audit_record(
            actor=actor,
            action="monthly_evidence.add",
            target_type="projects.monthlyevidence",
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


def monthly_evidence_remove(*, evidence: MonthlyEvidence, actor: Any) -> None:
    """Detach a file from a report still being written (the stored bytes are kept)."""
    report = evidence.report
    if not can_fill(actor, report):
        raise PermissionDenied(_("只有本单位填报人可以删除佐证材料。"))
    if report.status not in EDITABLE:
        raise ServiceError(_("报告已报送或已采纳，不能删除材料。"))
    with transaction.atomic():
        pk, name = evidence.pk, evidence.name
        old = {"report": report.pk, "name": name, "sha": evidence.sha256}
        evidence.delete()
        audit_record(
            actor=actor,
            action="monthly_evidence.remove",
            target_type="projects.monthlyevidence",
            target_id=pk,
            target_label=name,
            old=old,
        )


def monthly_evidence_open(evidence: MonthlyEvidence) -> IO[bytes]:
    """The stored bytes; EvidenceLost (logged for the operator) when they are gone."""
    try:
        return default_storage.open(str(evidence.file.name), "rb")
    except FileNotFoundError:
        log.error(
            "evidence %s of monthly report %s: stored file %s is missing",
            evidence.pk,
            evidence.report_id,
            evidence.file.name,
        )
        raise EvidenceLost(evidence.name) from None
