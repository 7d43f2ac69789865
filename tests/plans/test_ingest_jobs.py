"""Uploads ingested on the job queue (planwatch/plans/ingest_jobs.py): the page accepts each
file as a job and polls; the worker's side claims a job once, stores the plans or records the
failure, and keeps the bytes of a failed job for a retry. The worker as a separate process:
tests/queue/test_worker_process.py."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from planwatch.plans import services
from planwatch.plans.choices import IngestJobStatus
from planwatch.plans.ingest_jobs import ingest_job_retryable, ingest_job_run
from planwatch.plans.models import IngestJob, SourceDocument
from tests.factories.plans import SOUTH_TITLE, db_snapshot, sample_parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(monkeypatch: pytest.MonkeyPatch) -> bytes:
    """Bytes whose parse is the hand-made sample (other bytes go to the real parser)."""
    data, parsed = sample_parse()
    real = services.parse_bytes

    def parse(raw: bytes, *, name: str, format: str | None = None) -> Any:
        return parsed if raw == data else real(raw, name=name)

    monkeypatch.setattr(services, "parse_bytes", parse)
    return data


def _upload(client: Client, name: str, data: bytes) -> Any:
    return client.post(
        reverse("plan_upload"),
        {"documents": [SimpleUploadedFile(name, data)]},
        headers={"HX-Request": "true"},
    )


def _queued(user: Any, name: str, data: bytes) -> IngestJob:
    """A job as the upload page leaves it when a worker will run it later."""
    import hashlib

    return IngestJob.objects.create(
        name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        content=data,
        requested_by=user,
    )


def _jobs_page(client: Client, *jobs: IngestJob, status: int = 200) -> str:
    ids = ",".join(str(j.pk) for j in jobs)
    response = client.get(reverse("plan_upload_jobs"), {"ids": ids})
    assert response.status_code == status
    return response.content.decode()


def test_a_queued_upload_is_shown_pending_and_polled_until_the_worker_is_done(
    planner: Client, planner_user: Any, orgunits: Any, sample: bytes
) -> None:
    job = _queued(planner_user, "sample.txt", sample)
    html = _jobs_page(planner, job)
    assert "排队中" in html and "sample.txt" in html
    assert 'hx-trigger="every 2s"' in html and f"ids={job.pk}" in html
    assert not SourceDocument.objects.exists()

    assert ingest_job_run(job.pk) == "done"  # the worker's side
    job.refresh_from_db()
    assert job.status == IngestJobStatus.DONE and job.attempts == 1
    assert job.document is not None and job.document.sha256 == job.sha256
    assert bytes(job.content) == b""  # the document holds the bytes now
    assert job.outcome["created"] is True
    assert [v["title"] for v in job.outcome["versions"]] == [
        v.title for v in job.document.versions.order_by("index_in_document")
    ]
    html = _jobs_page(planner, job)
    assert "已导入" in html and SOUTH_TITLE in html
    assert "hx-trigger" not in html  # finished: polling stops


def test_a_job_is_run_once_even_when_two_workers_take_it(
    planner_user: Any, orgunits: Any, sample: bytes
) -> None:
    job = _queued(planner_user, "sample.txt", sample)
    assert ingest_job_run(job.pk) == "done"
    assert ingest_job_run(job.pk) == "skipped"
    assert SourceDocument.objects.count() == 1
    job.refresh_from_db()
    assert job.attempts == 1


def test_upload_returns_the_jobs_and_the_page_lists_unfinished_ones(
    planner: Client, planner_user: Any, orgunits: Any, sample: bytes
) -> None:
    # In the test suite the queue runs jobs as they are enqueued: the answer shows the result.
    html = _upload(planner, "sample.txt", sample).content.decode()
    assert "已导入" in html and 'data-job-status="done"' in html
    job = IngestJob.objects.get(name="sample.txt")
    assert job.requested_by == planner_user
    # A pending upload is shown again when the planner comes back to the page.
    pending = _queued(planner_user, "later.txt", b"x")
    page = planner.get(reverse("plan_upload")).content.decode()
    assert "later.txt" in page and f"ids={pending.pk}" in page
    assert 'data-job-status="done"' not in page  # finished jobs are in the documents table


def test_a_failed_job_keeps_its_bytes_changes_nothing_and_can_be_retried(
    planner: Client,
    planner_user: Any,
    orgunits: Any,
    sample: bytes,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    working = services.parse_bytes  # the sample's parse

    def broken(raw: bytes, *, name: str, format: str | None = None) -> Any:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "parse_bytes", broken)
    before = db_snapshot()
    html = _upload(planner, "sample.txt", sample).content.decode()
    assert "失败" in html and "导入时发生内部错误" in html and "重试" in html
    assert db_snapshot() == before
    job = IngestJob.objects.get(name="sample.txt")
    assert job.status == IngestJobStatus.FAILED and bytes(job.content) == sample

    monkeypatch.setattr(services, "parse_bytes", working)  # the fault has passed
    response = planner.post(
        reverse("plan_upload_retry", args=[job.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "已导入" in response.content.decode()
    job.refresh_from_db()
    assert job.status == IngestJobStatus.DONE and job.attempts == 2
    assert SourceDocument.objects.get().sha256 == job.sha256


def test_a_parse_error_names_the_file(planner: Client, orgunits: Any) -> None:
    before = db_snapshot()
    html = _upload(planner, "garbage.bin", b"\x00\x01\x02" * 100).content.decode()
    assert "失败" in html and "garbage.bin" in html
    assert db_snapshot() == before
    assert IngestJob.objects.get().status == IngestJobStatus.FAILED


def test_only_a_job_that_failed_or_lost_its_worker_is_retried(
    planner: Client, planner_user: Any, orgunits: Any, sample: bytes
) -> None:
    job = _queued(planner_user, "sample.txt", sample)
    assert not ingest_job_retryable(job)
    assert planner.post(reverse("plan_upload_retry", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.status == IngestJobStatus.QUEUED and job.attempts == 0

    now = timezone.now()
    IngestJob.objects.filter(pk=job.pk).update(
        status=IngestJobStatus.RUNNING, started_at=now - timedelta(minutes=5)
    )
    job.refresh_from_db()
    assert not ingest_job_retryable(job, now=now)
    assert ingest_job_retryable(job, now=now + timedelta(minutes=40))


def test_jobs_are_seen_and_retried_only_by_who_uploaded_them(
    planner_user: Any,
    chuannan_planner: Client,
    yibin_reporter: Client,
    anon: Client,
    orgunits: Any,
    sample: bytes,
) -> None:
    job = _queued(planner_user, "sample.txt", sample)
    html = _jobs_page(chuannan_planner, job)
    assert "sample.txt" not in html
    retry = reverse("plan_upload_retry", args=[job.pk])
    assert chuannan_planner.post(retry).status_code == 404
    _jobs_page(yibin_reporter, job, status=404)
    assert yibin_reporter.post(retry).status_code == 404
    response = anon.get(reverse("plan_upload_jobs"), {"ids": str(job.pk)})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # No ids, or junk: not found, not an error.
    assert chuannan_planner.get(reverse("plan_upload_jobs")).status_code == 404
    assert chuannan_planner.get(reverse("plan_upload_jobs"), {"ids": "x,;"}).status_code == 404
    job.refresh_from_db()
    assert job.status == IngestJobStatus.QUEUED


@pytest.mark.parametrize(
    "name,data",
    [
        ("规划.docx", bytes(range(256)) * 8),  # binary, no ZIP signature
        ("规划.docx", b"PK\x03\x04" + bytes(range(256)) * 4),  # a cut ZIP
        ("规划.pdf", b"\x00\x01%PDF-1.7\n" + b"\x00" * 300),  # no end marker
    ],
    ids=["docx-not-zip", "docx-truncated", "pdf-truncated"],
)
def test_a_damaged_document_is_reported_as_damaged_in_chinese(
    planner: Client, orgunits: Any, name: str, data: bytes
) -> None:
    """Issue 9 item 14: a broken .docx said “binary file (contains NUL bytes)”."""
    html = _upload(planner, name, data).content.decode()
    job = IngestJob.objects.get()
    assert job.status == IngestJobStatus.FAILED
    assert job.error == f"{name}：文件已损坏，无法读取。请确认文件能正常打开，重新保存后再上传。"
    assert "文件已损坏，无法读取" in html
    assert "NUL" not in html and "binary" not in html


def _dead_worker() -> str:
    """The identity of a worker process on this host that has exited."""
    import socket
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return f"{socket.gethostname()}:{proc.pid}"


def test_a_job_whose_worker_died_is_retried_at_once(
    planner: Client, planner_user: Any, orgunits: Any, sample: bytes
) -> None:
    """Issue 9 item 14: after the worker was killed the job stayed 解析中 for 30 minutes and
    重试 did nothing. A job naming a dead worker on this host is retryable at once, even with
    a fresh heartbeat; the retry runs it."""
    job = _queued(planner_user, "sample.txt", sample)
    now = timezone.now()
    IngestJob.objects.filter(pk=job.pk).update(
        status=IngestJobStatus.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=1,
        worker=_dead_worker(),
    )
    job.refresh_from_db()
    assert ingest_job_retryable(job)
    assert "重试" in _jobs_page(planner, job)
    planner.post(reverse("plan_upload_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == IngestJobStatus.DONE and job.attempts == 2


def test_a_worker_elsewhere_is_lost_when_its_heartbeat_is_stale(
    planner_user: Any, orgunits: Any, sample: bytes
) -> None:
    job = _queued(planner_user, "sample.txt", sample)
    now = timezone.now()
    IngestJob.objects.filter(pk=job.pk).update(
        status=IngestJobStatus.RUNNING,
        started_at=now - timedelta(minutes=3),
        heartbeat_at=now - timedelta(seconds=20),
        worker="another-host.example:4242",
    )
    job.refresh_from_db()
    assert not ingest_job_retryable(job, now=now)  # beating: still running over there
    assert ingest_job_retryable(job, now=now + timedelta(minutes=2))  # silent for 2 minutes
