"""The audit events the demo writes itself for what it writes in bulk (see the package
docstring): here, each simulated report's creation, evidence and review steps."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from planwatch.audit.services import AuditEntry
from planwatch.pages.demo.common import demo_values
from planwatch.pages.demo.review import review_steps
from planwatch.reports.models import Evidence, ProgressReport


def report_events(
    reports: list[ProgressReport], evidence: dict[int, Evidence], names: dict[int, str]
) -> Iterable[AuditEntry]:
    """What the report services would have logged: each report's creation with its values,
    its evidence, then its review steps (status before and after), at the simulated times —
    those of its history rows (`review_steps`)."""
    for r in reports:
        kind, label = "reports.progressreport", f"{r.task.title[:60]} · {names[r.unit_id]}"
        label = f"{label} · {r.period_label}"
        values: dict[str, Any] = {"period": r.period_label, "completion": str(r.completion)}
        values |= {"progress_status": r.progress_status, "narrative": r.narrative}
        yield AuditEntry("progress_report.create", kind, r.pk, label, new=demo_values(values))
        if (e := evidence.get(r.pk)) is not None:
            values = {"report": r.pk, "sha256": e.sha256, "size": e.size, "kind": e.kind}
            new = demo_values(values)
            yield AuditEntry("evidence.add", "reports.evidence", e.pk, e.name, new=new)
        for before, step, at in review_steps(r):
            yield AuditEntry(
                f"progress_report.{step}",
                kind,
                r.pk,
                label,
                old={"status": before},
                new=demo_values({"status": step}, at),
            )
