"""Documents drafted, written, reviewed and issued. Every change of state is audited; an
issued document is frozen (its DOCX stored with the sha256 of its bytes and the data
snapshot it came from) and a reissue is a new edition drafted afresh."""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from planwatch.audit.services import audit_record
from planwatch.core.workflow import ServiceError, check_transition, conditional_update
from planwatch.documents import charts, gongwen, meetings, notices, reports
from planwatch.documents.choices import REPORT_KINDS, DocumentKind, DocumentStatus
from planwatch.documents.models import CoIssuer, Document, JointMeeting
from planwatch.documents.permissions import can_cosign, require_manager
from planwatch.documents.reports import Draft
from planwatch.indicators.services import current_method
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.supervision.models import SupervisionCase

AUTHORITY = "四川省发展和改革委员会"
NUMBER_PREFIX = "川发改"
NUMBER_RE = re.compile(r"^\S{1,20}〔\d{4}〕\d{1,5}号$")
ALLOWED: dict[str, dict[str, str]] = {
    DocumentStatus.DRAFT: {DocumentStatus.REVIEWED: "review"},
    DocumentStatus.REVIEWED: {DocumentStatus.ISSUED: "issue", DocumentStatus.DRAFT: "return"},
}
DEFAULT_CC = "省人民政府办公厅"


def _audit(actor: Any, action: str, doc: Document, **kw: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        target_type="documents.document",
        target_id=doc.pk,
        target_label=doc.title[:200],
        **kw,
    )


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _draft(
    kind: str,
    plan: Plan | None,
    year: int,
    quarter: int | None,
    case: Any,
    meeting: JointMeeting | None = None,
) -> Draft:
    if kind in REPORT_KINDS:
        if plan is None:
            raise ValidationError({"plan": _("评估报告需要指定规划。")})
        return reports.evaluation_report(kind=kind, plan=plan, year=year)
    if kind == DocumentKind.BULLETIN:
        if plan is None or quarter is None or not 1 <= quarter <= 4:
            raise ValidationError({"quarter": _("季度通报需要指定规划和季度（1—4）。")})
        return notices.bulletin(plan=plan, year=year, quarter=quarter)
    if kind == DocumentKind.TASK_LIST:
        if plan is None:
            raise ValidationError({"plan": _("任务清单通知需要指定规划。")})
        try:
            return notices.task_list_notice(plan=plan, year=year)
        except ValueError as exc:
            raise ServiceError(str(exc)) from None
    if kind == DocumentKind.SUPERVISION:
        if case is None:
            raise ValidationError({"case": _("督办通知单需要指定督办事项。")})
        return notices.supervision_notice(case=case)
    if kind == DocumentKind.MINUTES:
        if meeting is None:
            raise ValidationError({"meeting": _("会议纪要需要指定联席会议。")})
        return meetings.minutes(meeting=meeting)
    raise ValidationError({"kind": _("文种无效。")})


def spec_of(doc: Document, *, day: date | None = None) -> gongwen.Spec:
    """The document's 版头, body and 版记 as the engine renders them."""
    snap = doc.snapshot
    day = day or (
        timezone.localtime(doc.issued_at).date() if doc.issued_at else timezone.localdate()
    )
    authority = list(doc.authorities) or [AUTHORITY]
    spec: gongwen.Spec = {
        "authority": authority,
        "number": doc.number,
        "number_prefix": f"{NUMBER_PREFIX}〔{day.year}〕",
        "title": doc.title,
        "addressee": snap.get("addressee", ""),
        "blocks": snap.get("blocks", []),
        "attachments": snap.get("attachments", []),
        "date": cn_date(day),
        "cc": doc.cc,
        "printer": f"{authority[0]}办公室",
        "print_date": cn_date(day),
    }
    return spec


def render(doc: Document, *, day: date | None = None) -> bytes:
    return gongwen.render_docx(spec_of(doc, day=day), doc.texts, charts.draw)


def placeholders_left(doc: Document) -> dict[str, str]:
    """key → prompt of the passages not written yet."""
    wanted = gongwen.placeholders_in(doc.snapshot.get("blocks", []))
    return {k: p for k, p in wanted.items() if not (doc.texts.get(k) or "").strip()}


def _store(doc: Document, data: bytes) -> None:
    """Save the DOCX under a new name (a draft's earlier rendering is removed)."""
    old = doc.file.name if doc.file else ""
    name = default_storage.save(
        f"documents/{doc.pk}/{doc.kind}-{doc.year}-e{doc.edition}.docx", ContentFile(data)
    )
    doc.file.name = name
    doc.sha256 = hashlib.sha256(data).hexdigest()
    Document.objects.filter(pk=doc.pk).update(file=name, sha256=doc.sha256)
    if old and old != name:
        default_storage.delete(old)


@transaction.atomic
def document_build(
    *,
    kind: str,
    actor: Any,
    year: int,
    plan: Plan | None = None,
    quarter: int | None = None,
    case: SupervisionCase | None = None,
    meeting: JointMeeting | None = None,
    supersedes: Document | None = None,
    now: datetime | None = None,
) -> Document:
    """Draft a document from the data stored now: its blocks and every figure with the query
    and records behind it (the snapshot), rendered to DOCX."""
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("年度无效。")})
    zone: OrgUnit | None
    if meeting is not None:
        plan, zone = meeting.plan, meeting.zone
    else:
        zone = (
            plan.org_unit
            if plan is not None
            else (case.plan.org_unit if case and case.plan else None)
        )
    require_manager(actor, zone)
    draft = _draft(kind, plan, year, quarter, case, meeting)
    now = now or timezone.now()
    snapshot = {
        "kind": kind,
        "addressee": draft.addressee,
        "attachments": draft.attachments,
        "blocks": draft.blocks,
        "figures": draft.figures.items,
        "built_at": now.isoformat(),
        "indicator_method": current_method().version,
        "plan": {"id": plan.pk, "slug": plan.slug, "title": plan.title} if plan else None,
        "year": year,
        "quarter": quarter,
    }
    doc = Document.objects.create(
        kind=kind,
        plan=plan if plan is not None else (case.plan if case else None),
        zone=zone,
        case=case,
        meeting=meeting,
        year=year,
        quarter=quarter,
        title=draft.title,
        authorities=[AUTHORITY],
        cc=DEFAULT_CC,
        edition=(supersedes.edition + 1) if supersedes else 1,
        supersedes=supersedes,
        snapshot=snapshot,
        texts=dict(supersedes.texts) if supersedes else {},
        created_by=actor if getattr(actor, "pk", None) else None,
        created_at=now,
    )
    _store(doc, render(doc))
    _audit(
        actor,
        "document.create",
        doc,
        new={"kind": kind, "year": year, "edition": doc.edition, "sha256": doc.sha256},
    )
    return doc


def _require_editable(doc: Document) -> None:
    if doc.is_frozen:
        raise ServiceError(_("公文已印发，不能修改；如需更正请重新印发新版本。"))


@transaction.atomic
def document_texts_set(*, document: Document, actor: Any, texts: dict[str, str]) -> Document:
    """The planner writes the marked passages; a reviewed document goes back to draft."""
    require_manager(actor, document.zone)
    _require_editable(document)
    known = gongwen.placeholders_in(document.snapshot.get("blocks", []))
    unknown = sorted(set(texts) - set(known))
    if unknown:
        raise ValidationError({"texts": _("未知的待撰写段落：%s") % "、".join(unknown)})
    merged = {**document.texts, **{k: v.strip() for k, v in texts.items()}}
    before = dict(document.texts)
    conditional_update(
        document,
        expected={"status": document.status},
        values={"texts": merged, "status": DocumentStatus.DRAFT},
    )
    # the content changed: co-issuers approve it again
    CoIssuer.objects.filter(document=document).update(approved_by=None, approved_at=None)
    _store(document, render(document))
    _audit(actor, "document.texts", document, old=before, new=merged)
    return document


def _transition(doc: Document, actor: Any, target: str, values: dict[str, Any]) -> None:
    check_transition(ALLOWED, current=doc.status, target=target)
    old = doc.status
    conditional_update(doc, expected={"status": old}, values={"status": target, **values})


@transaction.atomic
def document_review(*, document: Document, actor: Any) -> Document:
    require_manager(actor, document.zone)
    left = placeholders_left(document)
    if left:
        raise ServiceError(
            _("尚有%(n)d处待撰写内容：%(p)s") % {"n": len(left), "p": "；".join(left.values())}
        )
    _transition(
        document,
        actor,
        DocumentStatus.REVIEWED,
        {"reviewed_by": actor, "reviewed_at": timezone.now()},
    )
    _audit(actor, "document.review", document, new={"status": document.status})
    return document


@transaction.atomic
def document_issue(
    *,
    document: Document,
    actor: Any,
    number: str,
    cc: str | None = None,
    now: datetime | None = None,
) -> Document:
    """Issue with its 文号: rendered a last time with the number and the date, stored with the
    sha256 of the bytes; from then on frozen."""
    require_manager(actor, document.zone)
    _require_editable(document)
    number = number.strip()
    if not NUMBER_RE.match(number):
        raise ValidationError({"number": _("文号格式应为“川发改〔2024〕15号”。")})
    left = placeholders_left(document)
    if left:
        raise ServiceError(_("尚有%(n)d处待撰写内容，不能印发。") % {"n": len(left)})
    waiting = [c.unit.name for c in document.co_issuers.select_related("unit") if not c.approved_at]
    if waiting:
        raise ServiceError(_("联合发文机关尚未会签：%s") % "、".join(waiting))
    now = now or timezone.now()
    values: dict[str, Any] = {"number": number, "issued_by": actor, "issued_at": now}
    if cc is not None:
        values["cc"] = cc.strip()
    try:
        with transaction.atomic():
            _transition(document, actor, DocumentStatus.ISSUED, values)
    except IntegrityError:
        raise ValidationError({"number": _("该文号已被其他公文使用。")}) from None
    _store(document, render(document, day=timezone.localtime(now).date()))
    _audit(
        actor,
        "document.issue",
        document,
        new={"number": number, "sha256": document.sha256, "file": document.file.name},
    )
    return document


@transaction.atomic
def document_co_issuers_set(*, document: Document, actor: Any, units: list[OrgUnit]) -> Document:
    """联合行文: the authorities issuing the draft with the drafting one, in the order given
    (the drafting authority stays first on the 版头 and 署名)."""
    require_manager(actor, document.zone)
    if document.status != DocumentStatus.DRAFT:
        raise ServiceError(_("只有草稿可以变更联合发文机关。"))
    names = [u.name for u in units]
    if len(set(names)) != len(names) or AUTHORITY in names:
        raise ValidationError({"units": _("联合发文机关不能重复。")})
    before = list(document.authorities)
    CoIssuer.objects.filter(document=document).delete()
    CoIssuer.objects.bulk_create(
        CoIssuer(document=document, unit=u, position=i) for i, u in enumerate(units, 1)
    )
    authorities = [AUTHORITY, *names]
    conditional_update(
        document, expected={"status": DocumentStatus.DRAFT}, values={"authorities": authorities}
    )
    _store(document, render(document))
    _audit(actor, "document.co_issuers", document, old=before, new=authorities)
    return document


@transaction.atomic
def document_cosign(*, document: Document, actor: Any, unit: OrgUnit) -> CoIssuer:
    """A co-issuer approves (会签) the reviewed document; issuing waits for every one."""
    row = CoIssuer.objects.filter(document=document, unit=unit).first()
    if row is None or not can_cosign(actor, unit):
        raise PermissionDenied(_("您不能代表该单位会签。"))
    if document.status != DocumentStatus.REVIEWED:
        raise ServiceError(_("公文审核通过后方可会签。"))
    if row.approved_at is not None:
        raise ServiceError(_("该单位已会签。"))
    now = timezone.now()
    rows = CoIssuer.objects.filter(pk=row.pk, approved_at__isnull=True).update(
        approved_by=actor, approved_at=now
    )
    if rows != 1:
        raise ServiceError(_("该单位已会签。"))
    row.approved_by, row.approved_at = actor, now
    _audit(actor, "document.cosign", document, new={"unit": unit.name})
    return row


@transaction.atomic
def document_return(*, document: Document, actor: Any) -> Document:
    require_manager(actor, document.zone)
    _transition(document, actor, DocumentStatus.DRAFT, {})
    _audit(actor, "document.return", document, new={"status": document.status})
    return document


@transaction.atomic
def document_reissue(*, document: Document, actor: Any) -> Document:
    """A new edition of an issued document, drafted afresh from today's data with the
    passages written for the old one; the old edition stays as issued."""
    if not document.is_frozen:
        raise ServiceError(_("只有已印发的公文可以重新印发。"))
    if document.reissues.exists():
        raise ServiceError(_("该公文已有新版本。"))
    new = document_build(
        kind=document.kind,
        actor=actor,
        year=document.year,
        plan=document.plan if document.case is None else None,
        quarter=document.quarter,
        case=document.case,
        meeting=document.meeting,
        supersedes=document,
    )
    units = [c.unit for c in document.co_issuers.select_related("unit")]
    if units:
        document_co_issuers_set(document=new, actor=actor, units=units)
    return new


def document_bytes(doc: Document) -> bytes:
    """The stored DOCX; an issued one is checked against its sha256."""
    with default_storage.open(str(doc.file.name), "rb") as fh:
        data: bytes = fh.read()
    if doc.is_frozen and hashlib.sha256(data).hexdigest() != doc.sha256:
        raise ServiceError(_("公文文件与印发时的校验值不符，可能已被篡改。"))
    return data
