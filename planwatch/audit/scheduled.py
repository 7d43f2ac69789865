"""The audit checkpoint on the queue (planwatch/core/queue.py): every ten minutes the worker
writes down the chain head (`anchor.audit_checkpoint`), skipping it when nothing was recorded
since the last one. Events deleted from the end of the log after a checkpoint are then found
by `planwatch audit verify`; ten minutes bounds what can go unnoticed
(docs/decisions/0031-audit-anchor.md)."""

from __future__ import annotations

from typing import Any, cast

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from planwatch.audit.anchor import audit_checkpoint


def _audit_checkpoint_check() -> str | None:
    cp = audit_checkpoint()
    return None if cp is None else f"checkpoint: {cp.count} events, head {cp.head}"


audit_checkpoint_check = cast(
    Any,
    db_periodic_task(crontab(minute="*/10"), name="audit_checkpoint.check")(
        _audit_checkpoint_check
    ),
)
