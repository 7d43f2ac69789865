"""Shapes of the implementation endpoints (tasks, annual lists, progress reports, their
evidence files, 督办 cases): one output schema per object, one input schema per kind of
workflow action."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from planwatch.api.schemas import PageMeta, PlanRef, UnitRef
from planwatch.reports.choices import ProgressStatus
from planwatch.tasks.choices import ReportingFrequency


class TaskOut(Schema):
    id: int
    plan: PlanRef
    list_id: int
    year: int
    seq: int
    title: str
    clause_key: str
    lead_unit: UnitRef | None
    responsible_units: list[UnitRef]
    start: date | None
    deadline: date | None
    deadline_text: str = Field(
        "",
        description="长期坚持 or 持续推进 for a task without an end date (then `deadline` is "
        "null and the task is supervised by reporting period); empty otherwise.",
    )
    status: str
    version: int = Field(description="Send back with workflow actions; stale versions get 409.")


class TaskDetailOut(TaskOut):
    content: str
    criterion: str
    weight: float
    supporting_units: list[UnitRef]
    co_lead_units: list[UnitRef] = Field(
        default_factory=list,
        description="Further lead units when the list names several; `lead_unit` is the first.",
    )


class TaskPage(PageMeta):
    items: list[TaskOut]


class AnnualListOut(Schema):
    id: int
    plan: PlanRef
    year: int
    status: str
    frequency: str
    issued_number: int
    issued_at: datetime | None
    version: int


class AnnualListDetailOut(AnnualListOut):
    task_count: int


class AnnualListPage(PageMeta):
    items: list[AnnualListOut]


class AnnualListCreateIn(Schema):
    plan_id: int = Field(ge=1, le=2_000_000_000, description="A plan the caller plans.")
    year: int = Field(ge=2000, le=2100)
    frequency: ReportingFrequency = Field(
        ReportingFrequency.QUARTERLY, description="How often the units report (报送频次)."
    )


class GenerateOut(Schema):
    created: int = Field(description="Draft tasks added, one per clause that had none.")
    skipped: int = Field(description="Clauses that already had a task in the list.")
    list: AnnualListDetailOut


class ImportOut(Schema):
    created: int = Field(description="Rows with a new 序号: tasks added.")
    updated: int = Field(description="Rows that changed their task.")
    unchanged: int
    list: AnnualListDetailOut


class ReportOut(Schema):
    id: int
    task_id: int
    task_title: str
    unit: UnitRef
    period_start: date
    period_end: date
    period_label: str
    due: date
    revision: int
    is_current: bool
    completion: float | None
    progress_status: str
    status: str
    version: int


class EvidenceOut(Schema):
    id: int
    name: str
    size: int = Field(description="Bytes.")
    kind: str = Field(description="The file type its extension and content agree on, e.g. pdf.")
    content_type: str
    sha256: str
    uploaded_at: datetime
    download_url: str = Field(description="Path of the file on this server (GET).")


class ReportDetailOut(ReportOut):
    narrative: str
    return_reason: str
    submitted_at: datetime | None
    accepted_at: datetime | None
    evidence: list[EvidenceOut] = Field(description="Evidence files (佐证材料), oldest first.")


class ReportPage(PageMeta):
    items: list[ReportOut]


class CaseOut(Schema):
    id: int
    task_id: int | None = Field(description="The task the case stands on (null: a subject).")
    task_title: str = Field(description="The case's title (its task's, or its subject's).")
    title: str = Field(description="What the case is about: its task's or its subject's title.")
    subject_type: str | None = Field(
        description="The kind of subject a case without a task stands on "
        "(app_label.model, e.g. indicators.indicatorwarning)."
    )
    subject_id: int | None
    subject_url: str = Field(description='The page of the task or subject ("" if none).')
    plan_id: int | None
    year: int | None
    status: str
    light: str
    unit: UnitRef | None
    ack_due: date | None
    feedback_due: date | None
    opened_at: datetime
    closed_at: datetime | None
    version: int


class CaseDetailOut(CaseOut):
    reason: str
    feedback: str


class CasePage(PageMeta):
    items: list[CaseOut]


class VersionIn(Schema):
    version: int = Field(ge=1, le=2_000_000_000, description="The version the caller read.")


class ReasonIn(VersionIn):
    reason: str = Field(min_length=1, max_length=2000, description="Why it is returned.")


class ReopenIn(VersionIn):
    reason: str = Field(
        min_length=1, max_length=2000, description="Why the list is revised (修订原因)."
    )


class FrequencyIn(Schema):
    version: int | None = Field(
        None,
        ge=1,
        le=2_000_000_000,
        description="The version the caller read; when sent, a stale one gets 409.",
    )
    frequency: ReportingFrequency = Field(description="How often the units report (报送频次).")


class CaseActionIn(VersionIn):
    note: str = Field(
        "", max_length=4000, description="Feedback (反馈) or the reason a 复核 fails."
    )
    passed: bool = Field(True, description="For `review`: whether the 复核 passes.")


class ReportStartIn(Schema):
    unit: str = Field(
        max_length=64, description="Code of the reporting unit (the lead or a responsible unit)."
    )
    period_start: date = Field(description="First day of the period (a month or a quarter).")


class ReportUpdateIn(VersionIn):
    completion: float | None = Field(None, ge=0, le=100, description="Completion in %.")
    progress_status: ProgressStatus
    narrative: str = Field("", max_length=20_000)
