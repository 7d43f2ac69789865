"""Notification e-mails as queue jobs with retries, and the alert to administrators when the
worker's heartbeat stops (issue 15, item 4)."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from planwatch.core.models import Notification
from planwatch.core.notify import notification_send
from planwatch.supervision import scheduled

pytestmark = pytest.mark.django_db


class FlakyBackend(EmailBackend):
    """Refuses every message while the setting MAIL_DOWN_FOR_TEST is true, like a mail server
    in an outage (a setting, since Django may import this module under another name)."""

    def send_messages(self, messages: Any) -> int:
        if getattr(django_settings, "MAIL_DOWN_FOR_TEST", False):
            raise ConnectionRefusedError("mail server down")
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings: Any) -> Any:
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    settings.MAIL_DOWN_FOR_TEST = True
    HUEY.flush()
    yield settings
    HUEY.flush()


def test_a_refused_email_is_retried_by_the_queue_and_sent_once(
    flaky: Any, yibin_reporter_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    yibin_reporter_user.email = "clerk@example.com"
    yibin_reporter_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        notes = notification_send(
            recipients=[yibin_reporter_user],
            kind="reminder",
            key="reminder:1",
            title="请报送进展",
            body="第一季度进展待报送",
            now=timezone.now(),
        )
    note = Notification.objects.get(pk=notes[0].pk)
    assert not note.emailed and mail.outbox == []
    # the failed job waits in the queue's schedule for its retry
    waiting = HUEY.scheduled()
    assert len(waiting) == 1 and waiting[0].name == "notify.email" and waiting[0].retries == 4

    flaky.MAIL_DOWN_FOR_TEST = False
    retry = waiting[0]
    assert retry.eta > timezone.now().replace(tzinfo=None) + timedelta(seconds=200)
    # the worker runs it once its time has come (the clock passed in, not waited for)
    HUEY.execute(retry, timestamp=retry.eta)
    note.refresh_from_db()
    assert note.emailed
    assert [m.to for m in mail.outbox] == [["clerk@example.com"]]
    # a retry of the same job later mails nobody twice
    HUEY.execute(retry, timestamp=retry.eta)
    assert len(mail.outbox) == 1


def test_administrators_are_alerted_once_when_the_heartbeat_stops(
    admin_user: Any, yibin_reporter_user: Any, settings: Any
) -> None:
    settings.PLANWATCH_WORKER_STALE_MINUTES = 10
    admin_user.email = "ops@example.com"
    admin_user.save()
    HUEY.flush()
    now = timezone.now()
    out = io.StringIO()
    call_command("worker_check", stdout=out)
    assert "no worker has run" in out.getvalue()

    HUEY.put(scheduled.HEARTBEAT_KEY, (now - timedelta(minutes=3)).isoformat())
    out = io.StringIO()
    call_command("worker_check", stdout=out)
    assert "worker alive" in out.getvalue()
    assert not Notification.objects.filter(kind="worker.stopped").exists()

    HUEY.put(scheduled.HEARTBEAT_KEY, (now - timedelta(minutes=25)).isoformat())
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("worker_check", stdout=out)
    assert "1 administrator(s) alerted now" in out.getvalue()
    alert = Notification.objects.get(kind="worker.stopped")
    assert alert.recipient == admin_user and alert.emailed
    assert "任务队列的工作进程已停止" in mail.outbox[-1].subject
    # the same outage alerts once
    with pytest.raises(CommandError):
        call_command("worker_check", stdout=io.StringIO())
    assert Notification.objects.filter(kind="worker.stopped").count() == 1
    assert not Notification.objects.filter(recipient=yibin_reporter_user).exists()
    HUEY.flush()
