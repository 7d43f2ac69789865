"""Each audit checkpoint mailed to the administrators (planwatch/audit/checkpoint_mail.py),
by queue jobs retried while the mail server refuses, and `planwatch audit verify` checking
the lines taken from those e-mails: the administrators' mailboxes are a copy of the
checkpoints that whoever can write to the database and the checkpoint file cannot change."""

from __future__ import annotations

import mailbox
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from planwatch.accounts.choices import Role
from planwatch.audit import scheduled
from planwatch.audit.anchor import Checkpoint, audit_checkpoint, checkpoint_path
from planwatch.audit.models import AuditEvent
from tests.audit.test_anchor import delete_after
from tests.audit.test_verify import write_events
from tests.factories.personas import make_user

pytestmark = pytest.mark.django_db


class FlakyBackend(EmailBackend):
    """Refuses every message while the setting MAIL_DOWN_FOR_TEST is true (a mail server in
    an outage)."""

    def send_messages(self, messages: Any) -> int:
        if getattr(django_settings, "MAIL_DOWN_FOR_TEST", False):
            raise ConnectionRefusedError("mail server down")
        return super().send_messages(messages)


@pytest.fixture
def administrators(persona_units: dict[str, Any], admin_user: Any) -> list[str]:
    """A superuser and a holder of the administrator role (who receive the checkpoints); an
    administrator without an address, an inactive one and a reporter (who do not)."""
    admin_user.email = "root@example.cn"
    admin_user.save()
    make_user("sysadmin", (persona_units["510000"], Role.ADMIN), email="ops@example.cn")
    make_user("noaddress", (persona_units["510000"], Role.ADMIN), email="")
    make_user("gone", (persona_units["510000"], Role.ADMIN), email="gone@example.cn")
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username="gone").update(is_active=False)
    make_user("clerk", (persona_units["511500"], Role.REPORTER), email="clerk@example.cn")
    return ["ops@example.cn", "root@example.cn"]


@pytest.fixture
def flaky(settings: Any) -> Any:
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    settings.MAIL_DOWN_FOR_TEST = True
    HUEY.flush()
    yield settings
    HUEY.flush()


def verify(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue()
    return 0, out.getvalue()


def mailed_line(message: Any) -> str:
    lines = [line for line in message.body.splitlines() if line.startswith('{"count"')]
    assert len(lines) == 1
    return lines[0]


def test_each_checkpoint_is_mailed_to_every_administrator_in_chinese(
    administrators: list[str],
) -> None:
    write_events(3)
    mail.outbox.clear()
    call_command("audit", "checkpoint", stdout=StringIO())
    cp = Checkpoint.parse(checkpoint_path().read_text(encoding="utf-8").splitlines()[-1])
    assert sorted(m.to[0] for m in mail.outbox) == administrators
    assert all(len(m.to) == 1 for m in mail.outbox)
    message = mail.outbox[0]
    assert message.subject.startswith(f"[planwatch] 审计检查点：{cp.count} 条记录")
    assert "这是审计日志的检查点" in message.body
    assert f"链头哈希：{cp.head}" in message.body
    assert f"校验码（HMAC）：{cp.mac}" in message.body
    assert f"密钥编号：{cp.kid}" in message.body
    assert mailed_line(message) == cp.line()


def test_the_mail_can_be_turned_off(administrators: list[str], settings: Any) -> None:
    settings.PLANWATCH_AUDIT_CHECKPOINT_MAIL = False
    write_events(1)
    mail.outbox.clear()
    assert audit_checkpoint() is not None
    assert mail.outbox == []


def test_a_refused_checkpoint_mail_is_retried_by_the_worker(
    administrators: list[str], flaky: Any
) -> None:
    write_events(2)
    cp = audit_checkpoint()
    assert cp is not None and mail.outbox == []
    # one job per administrator waits in the queue's schedule for its retry
    waiting = sorted(HUEY.scheduled(), key=lambda task: task.args[2])
    assert [(t.name, t.args[2], t.retries) for t in waiting] == [
        ("mail.send", address, 4) for address in administrators
    ]
    assert all(t.eta > timezone.now().replace(tzinfo=None) for t in waiting)

    # the worker's scheduler takes the jobs whose time has come (the clock passed in, not
    # waited for) and runs them: still down, each fails again and waits once more
    eta = max(t.eta for t in waiting)
    due = HUEY.read_schedule(eta)
    assert sorted(t.id for t in due) == sorted(t.id for t in waiting)
    for task in due:
        HUEY.execute(task, timestamp=eta)
    again = sorted(HUEY.scheduled(), key=lambda task: task.args[2])
    assert [(t.args[2], t.retries) for t in again] == [(a, 3) for a in administrators]
    assert mail.outbox == []

    flaky.MAIL_DOWN_FOR_TEST = False
    eta = max(t.eta for t in again)
    for task in HUEY.read_schedule(eta):
        HUEY.execute(task, timestamp=eta)
    assert HUEY.scheduled() == []
    assert sorted(m.to[0] for m in mail.outbox) == administrators
    assert {mailed_line(m) for m in mail.outbox} == {cp.line()}
    # the line taken from the mail checks out against the chain
    assert verify("--checkpoint-line", mailed_line(mail.outbox[0]))[0] == 0


def test_a_mailed_line_finds_a_tail_cut_after_the_checkpoint_file_was_rewritten(
    administrators: list[str], tmp_path: Path
) -> None:
    write_events(5)
    mail.outbox.clear()
    audit_checkpoint()
    line = mailed_line(mail.outbox[0])
    count = AuditEvent.objects.count()
    assert verify("--checkpoint-line", line) == (
        0,
        f"checked {count} audit events, 1 checkpoint(s) from e-mail: OK\n",
    )
    wrapped = line[:70] + "\n  " + line[70:140] + "\r\n" + line[140:]  # as a mail client wraps it
    assert verify("--checkpoint-line", wrapped)[0] == 0
    # someone with the database and the server cuts the tail and removes the checkpoint file
    delete_after(count - 2)
    checkpoint_path().unlink()
    assert verify()[0] == 0  # the database and the server alone no longer tell
    status, out = verify("--checkpoint-line", line)
    assert status == 1
    assert f"counted {count} events; {count - 2} remain (the newest events were removed)" in out

    # the same from the saved e-mails: one message, and an mbox holding both
    eml = tmp_path / "checkpoint.eml"
    eml.write_bytes(mail.outbox[0].message().as_bytes())
    box = mailbox.mbox(tmp_path / "audit.mbox")
    for message in mail.outbox:
        box.add(mailbox.mboxMessage(message.message().as_bytes()))
    box.close()
    for saved in (eml, tmp_path / "audit.mbox"):
        status, out = verify("--checkpoint-mail", str(saved))
        assert status == 1 and f"counted {count} events" in out


def test_a_mailed_line_altered_or_missing_is_reported(
    administrators: list[str], tmp_path: Path
) -> None:
    write_events(3)
    mail.outbox.clear()
    audit_checkpoint()
    line = mailed_line(mail.outbox[0])
    forged = line.replace('"count":', '"count":1', 1)
    status, out = verify("--checkpoint-line", forged)
    assert status == 1
    assert "checkpoint from e-mail, line 1: its keyed hash does not match" in out
    empty = tmp_path / "empty.txt"
    empty.write_text("no checkpoint here\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no checkpoint line found"):
        call_command("audit", "verify", "--checkpoint-mail", str(empty), stdout=StringIO())


def test_the_worker_writes_and_mails_a_checkpoint_every_ten_minutes(
    administrators: list[str],
) -> None:
    # what the worker's scheduler asks the queue each minute: the job is due on every tenth
    at = timezone.now().replace(second=0, microsecond=0, tzinfo=None)
    for minute, due in ((0, True), (10, True), (20, True), (50, True), (5, False), (25, False)):
        names = {task.name for task in HUEY.read_periodic(at.replace(minute=minute))}
        assert ("audit_checkpoint.check" in names) is due, minute
    write_events(2)
    mail.outbox.clear()
    assert scheduled._audit_checkpoint_check() is not None
    assert len(mail.outbox) == 2
    assert scheduled._audit_checkpoint_check() is None  # nothing new: no line, no mail
    assert len(mail.outbox) == 2


def test_the_worker_mails_one_checkpoint_a_day_and_a_command_each_time(
    administrators: list[str], settings: Any
) -> None:
    # the ten-minute checkpoints of a busy day: the first is mailed, the next ones only after
    # PLANWATCH_AUDIT_CHECKPOINT_MAIL_HOURS; each is still written to the file
    start = timezone.now()
    write_events(1)
    mail.outbox.clear()
    assert audit_checkpoint(now=start) is not None
    assert len(mail.outbox) == 2
    for minutes in (10, 20, 23 * 60):
        write_events(1)
        assert audit_checkpoint(now=start + timedelta(minutes=minutes)) is not None
    assert len(mail.outbox) == 2
    write_events(1)
    cp = audit_checkpoint(now=start + timedelta(hours=24))
    assert cp is not None and len(mail.outbox) == 4
    assert mailed_line(mail.outbox[-1]) == cp.line()
    assert len(checkpoint_path().read_text(encoding="utf-8").splitlines()) == 5
    # a checkpoint asked for by a command is mailed at once
    write_events(1)
    call_command("audit", "checkpoint", stdout=StringIO())
    assert len(mail.outbox) == 6
    # 0 hours: every checkpoint
    settings.PLANWATCH_AUDIT_CHECKPOINT_MAIL_HOURS = 0
    write_events(1)
    assert audit_checkpoint(now=start + timedelta(hours=24, minutes=10)) is not None
    assert len(mail.outbox) == 8
