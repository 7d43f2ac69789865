"""The system page for administrators (/system/jobs/): the queue, the worker's heartbeat,
the daily supervision runs with a button to run one now, recent uploads."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from planwatch.audit.models import AuditEvent
from planwatch.plans.models import IngestJob
from planwatch.supervision import scheduled

pytestmark = pytest.mark.django_db


def test_administrators_see_the_queue_and_the_worker_heartbeat(admin: Client) -> None:
    from huey.contrib.djhuey import HUEY

    HUEY.get(scheduled.HEARTBEAT_KEY)  # reading without peek removes: no beat yet
    url = reverse("pages:system_jobs")
    html = admin.get(url).content.decode()
    assert "sqlite queue &#x27;planwatch&#x27;" in html and "嵌入式" in html
    assert 'data-pending="0"' in html
    assert "尚无：作业进程未运行过定时检查" in html
    scheduled.supervise_check.call_local()  # what the worker does every minute
    html = admin.get(url).content.decode()
    beat = scheduled.worker_heartbeat()
    assert beat is not None and (timezone.now() - beat).total_seconds() < 60
    local = timezone.localtime(beat).strftime("%Y-%m-%dT%H:%M:%S")
    assert f'data-heartbeat="{local}' in html
    assert "尚无：作业进程未运行过定时检查" not in html


def test_run_now_enqueues_the_job_and_its_run_is_listed(admin: Client) -> None:
    response = admin.post(reverse("pages:system_supervise_now"), follow=True)
    html = response.content.decode()
    assert "督办作业已加入队列" in html
    run = AuditEvent.objects.get(action="supervise.run")  # the test queue runs it at once
    assert run.target_label == timezone.localdate().isoformat()
    assert run.target_label in html


def test_recent_uploads_are_listed_with_their_status(admin: Client, admin_user: Any) -> None:
    IngestJob.objects.create(
        name="bad.docx",
        sha256="0" * 64,
        status="failed",
        error="bad.docx：文件已损坏",
        requested_by=admin_user,
    )
    html = admin.get(reverse("pages:system_jobs")).content.decode()
    assert "bad.docx" in html and 'data-job-status="failed"' in html and "文件已损坏" in html


def test_nobody_else_sees_or_runs_it(planner: Client, yibin_reporter: Client, anon: Client) -> None:
    for client in (planner, yibin_reporter):
        assert client.get(reverse("pages:system_jobs")).status_code == 404
        assert client.post(reverse("pages:system_supervise_now")).status_code == 404
        assert reverse("pages:system_jobs") not in client.get(reverse("home")).content.decode()
    response = anon.post(reverse("pages:system_supervise_now"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not AuditEvent.objects.filter(action="supervise.run").exists()
