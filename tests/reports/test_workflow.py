"""Progress reports: the review workflow, optimistic locking, locking of accepted periods,
corrections, evidence files, and who may do each step."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from planwatch.audit.models import AuditEvent
from planwatch.core.workflow import ConcurrentUpdate, InvalidTransition, ServiceError
from planwatch.reports.evidence import evidence_add, evidence_remove, evidence_verify
from planwatch.reports.models import Evidence, ProgressReport
from planwatch.reports.permissions import access_report
from planwatch.reports.services import (
    progress_report_accept,
    progress_report_approve,
    progress_report_correct,
    progress_report_return,
    progress_report_start,
    progress_report_submit,
    progress_report_transition,
    progress_report_update,
)
from planwatch.tasks.models import AnnualList, Task
from planwatch.tasks.services import task_drafts_generate
from tests.factories.implementation import Units

Q1 = date(2024, 1, 1)
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def task(issued: AnnualList) -> Task:
    return issued.tasks.get(clause_key="c3.p1")


@pytest.fixture
def report(task: Task, units: Units, yibin_reporter_user: Any) -> ProgressReport:
    return progress_report_start(
        task=task, unit=units.yibin, period_start=Q1, actor=yibin_reporter_user
    )


def _fill(report: ProgressReport, actor: Any, completion: Any = 30) -> ProgressReport:
    return progress_report_update(
        report=report,
        actor=actor,
        version=report.version,
        completion=completion,
        progress_status="in_progress",
        narrative="已完成可研批复，正在开展初步设计。",
    )


def _to_unit_approved(report: ProgressReport, reporter: Any, reviewer: Any) -> None:
    _fill(report, reporter)
    progress_report_submit(report=report, actor=reporter)
    progress_report_approve(report=report, actor=reviewer)


def test_start_sets_the_period_and_is_audited(report: ProgressReport) -> None:
    assert (report.period_label, report.period_end, report.due) == (
        "2024Q1",
        date(2024, 3, 31),
        date(2024, 4, 5),
    )
    assert report.status == "draft" and report.revision == 1 and report.is_current
    assert AuditEvent.objects.filter(action="progress_report.create").count() == 1


def test_start_denied_and_refused(
    task: Task,
    units: Units,
    yibin_reporter_user: Any,
    luzhou_reporter_user: Any,
    plan: Any,
    chuannan_planner_user: Any,
) -> None:
    with pytest.raises(PermissionDenied):  # a 泸州 reporter cannot report for 宜宾
        progress_report_start(
            task=task, unit=units.yibin, period_start=Q1, actor=luzhou_reporter_user
        )
    with pytest.raises(PermissionDenied):  # 宜宾 is not responsible for it
        progress_report_start(
            task=task, unit=units.ndrc, period_start=Q1, actor=yibin_reporter_user
        )
    with pytest.raises(ValidationError):  # not the start of a quarter
        progress_report_start(
            task=task, unit=units.yibin, period_start=date(2024, 2, 1), actor=yibin_reporter_user
        )
    Task.objects.filter(pk=task.pk).update(start=date(2024, 4, 1))
    task.refresh_from_db()
    with pytest.raises(ValidationError):  # before the task starts
        progress_report_start(
            task=task, unit=units.yibin, period_start=Q1, actor=yibin_reporter_user
        )
    Task.objects.filter(pk=task.pk).update(start=date(2024, 1, 1))
    task.refresh_from_db()
    progress_report_start(task=task, unit=units.yibin, period_start=Q1, actor=yibin_reporter_user)
    with pytest.raises(ServiceError):  # one current report per period
        progress_report_start(
            task=task, unit=units.yibin, period_start=Q1, actor=yibin_reporter_user
        )
    draft = task_drafts_generate(plan=plan, year=2025, actor=chuannan_planner_user).annual_list
    with pytest.raises(ServiceError):  # not issued yet
        progress_report_start(
            task=draft.tasks.first(),
            unit=units.yibin,
            period_start=date(2025, 1, 1),
            actor=yibin_reporter_user,
        )


def test_full_review_path_with_returns(
    report: ProgressReport,
    yibin_reporter_user: Any,
    yibin_reviewer_user: Any,
    chuannan_planner_user: Any,
) -> None:
    _fill(report, yibin_reporter_user)
    progress_report_submit(report=report, actor=yibin_reporter_user)
    with pytest.raises(ValidationError):
        progress_report_return(report=report, actor=yibin_reviewer_user, reason="  ")
    progress_report_return(report=report, actor=yibin_reviewer_user, reason="缺少佐证材料")
    assert report.status == "returned" and report.return_reason == "缺少佐证材料"
    evidence_add(report=report, actor=yibin_reporter_user, name="批复.pdf", content=io.BytesIO(PDF))
    progress_report_submit(report=report, actor=yibin_reporter_user)
    progress_report_approve(report=report, actor=yibin_reviewer_user)
    progress_report_return(report=report, actor=chuannan_planner_user, reason="进度与项目库不一致")
    _fill(report, yibin_reporter_user, completion="35.0")
    progress_report_submit(report=report, actor=yibin_reporter_user)
    progress_report_approve(report=report, actor=yibin_reviewer_user)
    progress_report_accept(report=report, actor=chuannan_planner_user)

    report.refresh_from_db()
    assert report.status == "accepted" and report.completion == Decimal("35.0")
    from planwatch.core.models import Notification

    heard = Counter((n.recipient.username, n.kind) for n in Notification.objects.all())
    assert heard == {
        ("yibin_reviewer", "report.submitted"): 3,
        ("chuannan_planner", "report.unit_approved"): 2,
        ("yibin_reporter", "report.returned"): 2,
        ("yibin_reporter", "report.accepted"): 1,
    }
    steps = [(h.from_status, h.to_status) for h in report.history.all()]
    assert steps == [
        ("draft", "submitted"),
        ("submitted", "returned"),
        ("returned", "submitted"),
        ("submitted", "unit_approved"),
        ("unit_approved", "returned"),
        ("returned", "submitted"),
        ("submitted", "unit_approved"),
        ("unit_approved", "accepted"),
    ]
    actions = list(
        AuditEvent.objects.filter(target_type="reports.progressreport")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions.count("progress_report.submitted") == 3
    assert actions.count("progress_report.returned") == 2
    assert actions[-1] == "progress_report.accepted"
    assert report.first_submitted_at is not None and report.submitted_at is not None
    assert report.first_submitted_at < report.submitted_at


def test_submit_needs_completion_and_narrative(
    report: ProgressReport, yibin_reporter_user: Any
) -> None:
    with pytest.raises(ValidationError) as exc:
        progress_report_submit(report=report, actor=yibin_reporter_user)
    assert set(exc.value.message_dict) == {"completion", "narrative"}
    for bad in (101, -1, "abc"):
        with pytest.raises(ValidationError):
            _fill(report, yibin_reporter_user, completion=bad)


def test_each_step_denied_to_the_wrong_people(
    report: ProgressReport,
    yibin_reporter_user: Any,
    yibin_reviewer_user: Any,
    luzhou_reporter_user: Any,
    luzhou_reviewer_user: Any,
    chuannan_planner_user: Any,
    panxi_planner_user: Any,
    chuannan_leader_user: Any,
) -> None:
    for actor in (
        luzhou_reporter_user,
        yibin_reviewer_user,
        chuannan_planner_user,
        chuannan_leader_user,
    ):
        with pytest.raises(PermissionDenied):
            _fill(report, actor)
    _fill(report, yibin_reporter_user)
    for actor in (luzhou_reporter_user, yibin_reviewer_user, chuannan_planner_user):
        with pytest.raises(PermissionDenied):
            progress_report_submit(report=report, actor=actor)
    progress_report_submit(report=report, actor=yibin_reporter_user)
    for actor in (luzhou_reviewer_user, yibin_reporter_user, chuannan_leader_user):
        with pytest.raises(PermissionDenied):
            progress_report_approve(report=report, actor=actor)
    with pytest.raises(InvalidTransition):  # a planner cannot skip the unit's review
        progress_report_accept(report=report, actor=chuannan_planner_user)
    progress_report_approve(report=report, actor=yibin_reviewer_user)
    for actor in (
        yibin_reviewer_user,
        panxi_planner_user,
        chuannan_leader_user,
        yibin_reporter_user,
    ):
        with pytest.raises(PermissionDenied):
            progress_report_accept(report=report, actor=actor)
    with pytest.raises(InvalidTransition):
        progress_report_transition(report=report, actor=chuannan_planner_user, target="draft")
    assert report.status == "unit_approved"


def test_two_editors_never_silently_overwrite(
    report: ProgressReport, yibin_reporter_user: Any, units: Units
) -> None:
    from tests.factories.personas import make_user

    colleague = make_user("yb_reporter2", (units.yibin, "reporter"))  # type: ignore[arg-type]
    mine = ProgressReport.objects.get(pk=report.pk)
    theirs = ProgressReport.objects.get(pk=report.pk)
    opened_at = mine.version
    progress_report_update(
        report=theirs,
        actor=colleague,
        version=opened_at,
        completion=50,
        progress_status="in_progress",
        narrative="同事的版本",
    )
    with pytest.raises(ConcurrentUpdate):
        progress_report_update(
            report=mine,
            actor=yibin_reporter_user,
            version=opened_at,
            completion=20,
            progress_status="delayed",
            narrative="我的版本",
        )
    # Even a caller that forgets to pass the version it read is caught by the stored one.
    with pytest.raises(ConcurrentUpdate):
        progress_report_update(
            report=mine,
            actor=yibin_reporter_user,
            version=mine.version,
            completion=20,
            progress_status="delayed",
            narrative="我的版本",
        )
    report.refresh_from_db()
    assert report.narrative == "同事的版本" and report.version == opened_at + 1


def test_concurrent_review_steps_conflict(
    report: ProgressReport, yibin_reporter_user: Any, yibin_reviewer_user: Any, units: Units
) -> None:
    from tests.factories.personas import make_user

    other_reviewer = make_user("yb_reviewer2", (units.yibin, "unit_reviewer"))  # type: ignore[arg-type]
    _fill(report, yibin_reporter_user)
    progress_report_submit(report=report, actor=yibin_reporter_user)
    first = ProgressReport.objects.get(pk=report.pk)
    second = ProgressReport.objects.get(pk=report.pk)
    progress_report_approve(report=first, actor=yibin_reviewer_user)
    with pytest.raises(ConcurrentUpdate):
        progress_report_return(report=second, actor=other_reviewer, reason="材料不全")
    report.refresh_from_db()
    assert report.status == "unit_approved" and report.history.count() == 2


def test_accepted_period_is_locked_and_corrected_as_new_revision(
    report: ProgressReport,
    yibin_reporter_user: Any,
    yibin_reviewer_user: Any,
    chuannan_planner_user: Any,
) -> None:
    evidence_add(report=report, actor=yibin_reporter_user, name="a.pdf", content=io.BytesIO(PDF))
    _to_unit_approved(report, yibin_reporter_user, yibin_reviewer_user)
    progress_report_accept(report=report, actor=chuannan_planner_user)
    with pytest.raises(ServiceError):
        _fill(report, yibin_reporter_user, completion=90)
    with pytest.raises(ServiceError):
        evidence_add(
            report=report, actor=yibin_reporter_user, name="b.pdf", content=io.BytesIO(PDF)
        )
    with pytest.raises(PermissionDenied):
        progress_report_correct(report=report, actor=yibin_reporter_user, reason="数据有误")
    with pytest.raises(ValidationError):
        progress_report_correct(report=report, actor=chuannan_planner_user, reason="")

    new = progress_report_correct(report=report, actor=chuannan_planner_user, reason="统计口径调整")

    report.refresh_from_db()
    assert report.status == "accepted" and not report.is_current and report.completion == 30
    assert new.revision == 2 and new.is_current and new.status == "draft"
    assert new.supersedes == report and new.evidence.count() == 1
    assert new.first_submitted_at == report.first_submitted_at
    event = AuditEvent.objects.get(action="progress_report.correct")
    assert event.new is not None and event.new["reason"] == "统计口径调整"
    with pytest.raises(ServiceError):
        progress_report_correct(report=report, actor=chuannan_planner_user, reason="再次")
    _fill(new, yibin_reporter_user, completion=40)
    assert ProgressReport.objects.get(pk=report.pk).completion == 30  # never overwritten


def test_accepting_full_completion_by_every_unit_completes_the_task(
    task: Task,
    units: Units,
    yibin_reporter_user: Any,
    yibin_reviewer_user: Any,
    luzhou_reporter_user: Any,
    luzhou_reviewer_user: Any,
    chuannan_planner_user: Any,
) -> None:
    people = [
        (units.yibin, yibin_reporter_user, yibin_reviewer_user),
        (units.luzhou, luzhou_reporter_user, luzhou_reviewer_user),
    ]
    for i, (unit, reporter, reviewer) in enumerate(people):
        report = progress_report_start(task=task, unit=unit, period_start=Q1, actor=reporter)
        _fill(report, reporter, completion=100)
        progress_report_submit(report=report, actor=reporter)
        progress_report_approve(report=report, actor=reviewer)
        progress_report_accept(report=report, actor=chuannan_planner_user)
        task.refresh_from_db()
        assert task.status == ("active" if i == 0 else "completed")  # both units must finish
    assert AuditEvent.objects.filter(action="task.complete").count() == 1


def test_evidence_stored_by_sha256_and_checked(
    report: ProgressReport, yibin_reporter_user: Any, settings: Any
) -> None:
    ev = evidence_add(
        report=report, actor=yibin_reporter_user, name="C:\\docs\\批复.pdf", content=io.BytesIO(PDF)
    )
    sha = hashlib.sha256(PDF).hexdigest()
    assert ev.name == "批复.pdf" and ev.sha256 == sha and ev.size == len(PDF) and ev.kind == "pdf"
    stored = Path(settings.MEDIA_ROOT) / ev.file.name
    assert stored.read_bytes() == PDF and ev.file.name == f"evidence/{sha[:2]}/{sha}.pdf"
    assert evidence_verify(ev)
    again = evidence_add(
        report=report, actor=yibin_reporter_user, name="副本.pdf", content=io.BytesIO(PDF)
    )
    assert again.file.name == ev.file.name  # same bytes kept once
    assert AuditEvent.objects.filter(action="evidence.add").count() == 2
    evidence_remove(evidence=again, actor=yibin_reporter_user)
    assert AuditEvent.objects.filter(action="evidence.remove").count() == 1


def _zip(member: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(member, "<x/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "ok"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, True),
        ("photo.JPG", b"\xff\xd8\xff\xe0" + b"0" * 20, True),
        ("report.docx", _zip("word/document.xml"), True),
        ("table.xlsx", _zip("xl/workbook.xml"), True),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 20, True),
        ("e-doc.ofd", _zip("OFD.xml"), True),
        ("fake.pdf", b"MZ\x90\x00 an executable", False),
        ("fake.docx", _zip("payload/evil.bin"), False),
        ("virus.exe", b"MZ\x90\x00", False),
        ("noext", PDF, False),
        ("empty.pdf", b"", False),
    ],
)
def test_evidence_type_by_extension_and_magic_bytes(
    report: ProgressReport, yibin_reporter_user: Any, name: str, data: bytes, ok: bool
) -> None:
    if ok:
        evidence_add(report=report, actor=yibin_reporter_user, name=name, content=io.BytesIO(data))
    else:
        with pytest.raises(ValidationError):
            evidence_add(
                report=report, actor=yibin_reporter_user, name=name, content=io.BytesIO(data)
            )
        assert not Evidence.objects.exists()


def test_evidence_size_limit_and_permission(
    report: ProgressReport, yibin_reporter_user: Any, luzhou_reporter_user: Any, settings: Any
) -> None:
    settings.PLANWATCH_EVIDENCE_MAX_BYTES = 32
    with pytest.raises(ValidationError):
        evidence_add(
            report=report,
            actor=yibin_reporter_user,
            name="big.pdf",
            content=io.BytesIO(PDF + b"x" * 64),
        )
    with pytest.raises(PermissionDenied):
        evidence_add(
            report=report, actor=luzhou_reporter_user, name="a.pdf", content=io.BytesIO(PDF)
        )
    assert not Evidence.objects.exists()


def test_access_report_is_404_alike(
    report: ProgressReport,
    yibin_reporter_user: Any,
    yibin_reviewer_user: Any,
    luzhou_reporter_user: Any,
    chuannan_planner_user: Any,
    chuannan_leader_user: Any,
) -> None:
    assert access_report(yibin_reporter_user, report.pk, action="edit") == report
    assert access_report(yibin_reviewer_user, report.pk, action="review") == report
    assert access_report(chuannan_planner_user, report.pk, action="accept") == report
    assert access_report(chuannan_leader_user, report.pk, action="view") == report
    for user, action in (
        (luzhou_reporter_user, "view"),
        (yibin_reporter_user, "review"),
        (yibin_reviewer_user, "edit"),
        (chuannan_leader_user, "accept"),
    ):
        with pytest.raises(Http404):
            access_report(user, report.pk, action=action)  # type: ignore[arg-type]
    with pytest.raises(Http404):
        access_report(chuannan_planner_user, 10**9, action="view")
