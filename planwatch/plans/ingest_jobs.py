"""Ingest of uploaded plan documents on the job queue (planwatch/core/queue.py).

The upload page stores each file as an IngestJob (bytes, sha256, who) and returns at once;
the worker parses and stores it (`plans.services.plan_ingest`, all or nothing) and records
the outcome on the job, which the page polls. A parse of a large document no longer holds a
web worker, and nothing uploaded is lost: a job that failed keeps its bytes and can be run
again (`ingest_job_retry`), as can one whose worker died while running it.

With the queue in immediate mode (tests) the job runs inside `ingest_job_submit`. Job rows
are the record of uploads; what they store in the plans is audited by `plan_ingest` itself
(`plan.ingest`).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from huey.contrib.djhuey import HUEY, db_task

from planwatch.accounts.permissions import is_planner
from planwatch.core.queue import identity_alive, worker_identity
from planwatch.core.types import Actor, actor_user
from planwatch.parsing import ParseError
from planwatch.plans.choices import IngestJobStatus
from planwatch.plans.models import IngestJob
from planwatch.plans.services import IngestResult, plan_ingest

log = logging.getLogger(__name__)

# A job "running" for longer than this without a heartbeat (jobs from before heartbeats) is
# taken to have lost its worker and may be retried.
STALE_AFTER = timedelta(minutes=30)
# A running job's worker stamps its heartbeat this often (PLANWATCH_JOB_HEARTBEAT_SECONDS); a
# heartbeat older than STALE_HEARTBEATS of these means the worker is gone.
HEARTBEAT_SECONDS = 15.0
STALE_HEARTBEATS = 4
# A job whose worker died this many times is failed rather than resumed again.
MAX_ATTEMPTS = 3


def _outcome(result: IngestResult) -> dict[str, Any]:
    """What the upload page shows of a finished ingest (plain JSON, stored on the job)."""
    return {
        "created": result.created,
        "sha256": result.document.sha256,
        "versions": [
            {
                "slug": v.plan.slug,
                "title": v.title,
                "number": v.number,
                "previous": bool((v.diff or {}).get("previous")),
                "added": len((v.diff or {}).get("added", [])),
                "removed": len((v.diff or {}).get("removed", [])),
                "changed": len((v.diff or {}).get("changed", [])),
            }
            for v in result.versions
        ],
        "unchanged": [{"slug": p.slug, "title": p.title} for p in result.unchanged],
        "warnings": result.warnings,
    }


def parse_error_message(exc: ParseError, name: str) -> str:
    """What the upload page says of a file the parser refused, in the reader's language (the
    parser's own message is English, for the command line): damaged files, empty files and
    binary files that are no document are named as such; anything else keeps the parser's
    detail after a sentence saying what happened."""
    problem = exc.problem
    lowered = problem.lower()
    if "corrupt" in lowered or "truncated" in lowered or "zip bomb" in lowered:
        message = _("文件已损坏，无法读取。请确认文件能正常打开，重新保存后再上传。")
    elif lowered.startswith("file is empty"):
        message = _("文件为空。")
    elif lowered.startswith(("binary file", "undecodable")):
        message = _("不是可读取的文档：请上传 DOCX、PDF、TXT、Markdown 或 HTML 格式的规划文本。")
    elif lowered.startswith("file is too large"):
        message = _("文件超过大小限制。")
    else:
        message = _("无法识别为规划文本（%(detail)s）。") % {"detail": problem}
    return f"{name}：{message}"


def ingest_job_run(job_id: int) -> str:
    """Run one queued job (the worker's side). Claimed by a conditional update, so two
    workers never run the same job. Returns the job's final status."""
    now = timezone.now()
    claimed = IngestJob.objects.filter(pk=job_id, status=IngestJobStatus.QUEUED).update(
        status=IngestJobStatus.RUNNING,
        started_at=now,
        attempts=F("attempts") + 1,
        worker=worker_identity(),
        heartbeat_at=now,
    )
    if not claimed:
        return "skipped"
    job = IngestJob.objects.select_related("requested_by").get(pk=job_id)
    fields: dict[str, Any] = {}
    try:
        with _heartbeat(job.pk):
            result = plan_ingest(data=bytes(job.content), name=job.name, actor=job.requested_by)
    except ParseError as exc:
        fields |= {"status": IngestJobStatus.FAILED, "error": parse_error_message(exc, job.name)}
    except PermissionDenied as exc:
        fields |= {"status": IngestJobStatus.FAILED, "error": f"{job.name}：{exc}"}
    except Exception:
        log.exception("ingest job %s (%s) failed", job.pk, job.name)
        fields |= {
            "status": IngestJobStatus.FAILED,
            "error": _("%(name)s：导入时发生内部错误，数据库未作更改。") % {"name": job.name},
        }
    else:
        # The document now holds the bytes; the job keeps only its outcome.
        fields |= {
            "status": IngestJobStatus.DONE,
            "outcome": _outcome(result),
            "document": result.document,
            "content": b"",
            "error": "",
        }
    fields["finished_at"] = timezone.now()
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=list(fields))
    return str(job.status)


def heartbeat_every() -> float:
    return float(getattr(settings, "PLANWATCH_JOB_HEARTBEAT_SECONDS", HEARTBEAT_SECONDS))


@contextmanager
def _heartbeat(job_id: int) -> Iterator[None]:
    """While the block runs, a thread stamps the job's heartbeat every few seconds, so a
    job whose worker was killed is seen as orphaned once its heartbeat is stale."""
    if HUEY.immediate:  # in-process (tests, memory://): no worker to lose
        yield
        return
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(heartbeat_every()):
                try:
                    IngestJob.objects.filter(pk=job_id, status=IngestJobStatus.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError:  # busy (the ingest's own transaction): beat again later
                    log.info("ingest job %s: heartbeat deferred", job_id)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"ingest-heartbeat-{job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def ingest_job_orphaned(job: IngestJob, *, now: Any = None, starting: str = "") -> bool:
    """Whether a running job has lost its worker: the worker process is gone (same host), its
    heartbeat is stale, or — for a job from before heartbeats — it started too long ago.
    `starting` is the identity of a worker that is starting: a job that names a dead process
    on this host is then orphaned whatever its heartbeat says."""
    if job.status != IngestJobStatus.RUNNING:
        return False
    now = now or timezone.now()
    if job.worker and job.worker == starting:
        return True  # the starting process cannot be running it: its pid was reused
    alive = identity_alive(job.worker) if job.worker else None
    if alive is False:
        return True
    last = job.heartbeat_at or job.started_at
    if last is None:
        return False
    if alive is True or job.heartbeat_at is None:
        # The worker runs on this host (a long transaction may hold up its heartbeat), or the
        # job is from before heartbeats: only a very old job is taken as lost.
        return bool(now - last > STALE_AFTER)
    return bool(now - last > timedelta(seconds=STALE_HEARTBEATS * heartbeat_every()))


def ingest_jobs_recover(*, worker: str) -> str:
    """Receiver of hooks.worker_started: every job left running by a dead worker is queued
    again (resumed: the ingest is all or nothing, so nothing of the lost run was stored), or
    failed once it has been tried MAX_ATTEMPTS times; the failed job can still be retried
    from the upload page. Returns a line for the worker's log."""
    resumed = failed = 0
    for job in IngestJob.objects.filter(status=IngestJobStatus.RUNNING).defer("content"):
        if not ingest_job_orphaned(job, starting=worker):
            continue
        if job.attempts >= MAX_ATTEMPTS:
            failed += IngestJob.objects.filter(pk=job.pk, status=IngestJobStatus.RUNNING).update(
                status=IngestJobStatus.FAILED,
                finished_at=timezone.now(),
                error=_("%(name)s：作业进程中断，已尝试 %(n)d 次仍未完成；可以重试。")
                % {"name": job.name, "n": job.attempts},
            )
            continue
        if IngestJob.objects.filter(pk=job.pk, status=IngestJobStatus.RUNNING).update(
            status=IngestJobStatus.QUEUED, started_at=None, heartbeat_at=None, worker=""
        ):
            resumed += 1
            _dispatch(job)
    if not (resumed or failed):
        return ""
    return f"ingest jobs of a worker that died: {resumed} resumed, {failed} failed"


# huey's decorators are untyped: the registered task is typed as a plain callable here.
ingest_job_task = cast(Any, db_task(name="plans.ingest")(ingest_job_run))


def _dispatch(job: IngestJob) -> None:
    if HUEY.immediate:
        ingest_job_run(job.pk)
    else:
        # The worker must see the committed row.
        transaction.on_commit(lambda: ingest_job_task(job.pk))


def ingest_job_submit(*, name: str, data: bytes, actor: Actor) -> IngestJob:
    """Accept an upload: store it as a queued job and hand it to the worker."""
    if not is_planner(actor):
        raise PermissionDenied(_("只有规划处室人员可以导入规划。"))
    job = IngestJob.objects.create(
        name=(name or "file")[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        content=data,
        requested_by=actor_user(actor),
    )
    _dispatch(job)
    job.refresh_from_db()
    return job


def ingest_job_retryable(job: IngestJob, *, now: Any = None) -> bool:
    now = now or timezone.now()
    if job.status == IngestJobStatus.FAILED:
        return True
    return ingest_job_orphaned(job, now=now)


def ingest_job_retry(*, job: IngestJob, actor: Actor) -> IngestJob:
    """Queue a failed job again (or one whose worker died mid-run), with the same bytes."""
    if actor is None or not is_planner(actor) or job.requested_by_id != actor.pk:
        raise PermissionDenied(_("只能重试自己上传的文件。"))
    if not ingest_job_retryable(job):
        raise PermissionDenied(_("该文件不需要重试。"))
    IngestJob.objects.filter(pk=job.pk, status=job.status).update(
        status=IngestJobStatus.QUEUED,
        error="",
        started_at=None,
        finished_at=None,
        worker="",
        heartbeat_at=None,
    )
    job.refresh_from_db()
    _dispatch(job)
    job.refresh_from_db()
    return job
