"""Rotating the audit key (planwatch/audit/rotation.py): events and checkpoints name their
key; `planwatch audit verify` checks the old ones with the retired key kept in the keyring and
the new ones with the new key, names a retired key that went missing, and catches an event
forged after the rotation with a leaked old key."""

from __future__ import annotations

import json
import os
import threading
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from planwatch.audit import rotation as rotation_module
from planwatch.audit.anchor import (
    Checkpoint,
    audit_checkpoint,
    checkpoint_path,
    current_key,
    event_mac,
    key_id,
    keyring_path,
    read_keyring,
)
from planwatch.audit.labels import action_label
from planwatch.audit.models import AuditEvent
from planwatch.audit.rotation import rotate_key
from planwatch.audit.services import audit_record, audit_verify
from tests.audit.test_anchor import TABLE
from tests.audit.test_checkpoint_mail import administrators, mailed_line, verify
from tests.audit.test_verify import write_events

pytestmark = pytest.mark.django_db
__all__ = ["administrators"]  # a fixture used here
OLD_KEY = "the-first-audit-key-" + "k" * 40


@pytest.fixture
def key_file(settings: Any, tmp_path: Path) -> Path:
    """The key kept in a file of the test's own, as in a default installation."""
    path = tmp_path / "audit_key"
    path.write_text(OLD_KEY + "\n", encoding="ascii")
    settings.PLANWATCH_AUDIT_KEY = OLD_KEY
    settings.PLANWATCH_AUDIT_KEY_FILE = path
    return path


def rotate(*args: str) -> str:
    out = StringIO()
    call_command("audit", "rotate-key", *args, stdout=out)
    return out.getvalue()


def test_rotation_keeps_the_old_key_and_verify_uses_each_key_for_its_events(
    key_file: Path, administrators: list[str]
) -> None:
    before = write_events(3)
    old_kid = key_id(OLD_KEY)
    assert {ev.key_id for ev in before} == {old_kid}
    mail.outbox.clear()
    out = rotate()
    new_key = key_file.read_text(encoding="ascii").strip()
    new_kid = key_id(new_key)
    assert new_key != OLD_KEY and f"audit key rotated: {old_kid} -> {new_kid}" in out
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert read_keyring() == {old_kid: OLD_KEY}
    assert oct(os.stat(keyring_path()).st_mode & 0o777) == "0o600"
    assert current_key() == (new_kid, new_key)

    after = write_events(2)
    events = list(AuditEvent.objects.filter(pk__gte=before[0].pk).order_by("id"))
    rotation = events[3]
    assert (
        rotation.action == "audit.key_rotate"
        and str(action_label(rotation.action)) == "轮换审计密钥（audit.key_rotate）"
    )
    assert (rotation.old, rotation.new) == ({"key_id": old_kid}, {"key_id": new_kid})
    assert [ev.key_id for ev in events] == [old_kid] * 3 + [new_kid] * 3
    assert all(ev.mac == event_mac(ev.hash, new_key) for ev in after)
    assert before[0].mac == event_mac(before[0].hash, OLD_KEY)

    # the rotation is bracketed by a checkpoint under each key, both mailed
    lines = checkpoint_path().read_text(encoding="utf-8").splitlines()
    cps = [Checkpoint.parse(line) for line in lines]
    rotated_at = AuditEvent.objects.filter(pk__lte=rotation.pk).count()
    assert [(cp.count, cp.kid) for cp in cps] == [(rotated_at - 1, old_kid), (rotated_at, new_kid)]
    assert sorted(mailed_line(m) for m in mail.outbox) == sorted(lines * len(administrators))
    assert audit_verify() == (AuditEvent.objects.count(), [])
    assert verify("--checkpoint-line", lines[0], "--checkpoint-line", lines[1])[0] == 0


def test_a_removed_old_key_fails_verify_naming_its_id(key_file: Path) -> None:
    write_events(3)
    audit_checkpoint()
    rotate()
    write_events(1)
    old_kid = key_id(OLD_KEY)
    keyring_path().unlink()
    status, out = verify()
    assert status == 1
    assert (
        f"3 events (from id {AuditEvent.objects.order_by('id').first().pk}) were signed "  # type: ignore[union-attr]
        f"with audit key {old_kid}, which is not in the keyring" in out
    )
    assert f"that retired key was removed from {keyring_path()}" in out
    assert f"line 1: written under audit key {old_kid}, which is not in the keyring" in out
    # only the old key's events and checkpoints are in question
    assert out.count("not in the keyring") == 3  # the events, and two checkpoints under it
    # a restore (which accepts checkpoints past the backup's end) fails the same way
    _checked, problems = audit_verify(checkpoints_past_end=True)
    assert any(
        f"signed with audit key {old_kid}, which is not in the keyring" in p for p in problems
    )


def test_an_event_forged_after_the_rotation_with_the_leaked_old_key_is_detected(
    key_file: Path,
) -> None:
    write_events(2)
    rotate()
    write_events(2)
    last = AuditEvent.objects.order_by("id").last()
    assert last is not None
    with connection.cursor() as cursor:  # re-signed with the old key, labelled as such
        cursor.execute(
            f"UPDATE {TABLE} SET mac = %s, key_id = %s WHERE id = %s",
            [event_mac(last.hash, OLD_KEY), key_id(OLD_KEY), last.pk],
        )
    assert audit_verify()[1] == [
        f"event {last.pk}: signed with retired audit key {key_id(OLD_KEY)} after a newer key "
        "was in use (forged with an old key)"
    ]


def test_a_running_process_picks_up_the_rotated_key_file(key_file: Path) -> None:
    write_events(1)
    assert AuditEvent.objects.get().key_id == key_id(OLD_KEY)
    # another process rotated: the file changed under this one
    tmp = key_file.with_suffix(".new")
    tmp.write_text("a-key-made-elsewhere\n", encoding="ascii")
    os.replace(tmp, key_file)
    write_events(1)
    assert AuditEvent.objects.order_by("id").last().key_id == key_id("a-key-made-elsewhere")  # type: ignore[union-attr]


def test_rotation_is_refused_for_a_key_from_the_environment_or_a_failing_log(
    key_file: Path, settings: Any
) -> None:
    write_events(3)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET action = 'forged' WHERE id = %s",
            [AuditEvent.objects.order_by("id").first().pk],
        )  # type: ignore[union-attr]
    with pytest.raises(CommandError, match=r"audit verify finds 1 problem\(s\)"):
        rotate()
    assert key_file.read_text(encoding="ascii").strip() == OLD_KEY
    assert not keyring_path().exists()
    rotate("--force")
    assert key_file.read_text(encoding="ascii").strip() != OLD_KEY

    settings.PLANWATCH_AUDIT_KEY_FILE = None
    with pytest.raises(CommandError, match="comes from the environment"):
        rotate()


def test_checkpoint_lines_from_before_key_ids_still_verify(key_file: Path) -> None:
    write_events(2)
    cp = audit_checkpoint()
    assert cp is not None
    data = json.loads(cp.line())
    del data["kid"]  # as written before this change
    checkpoint_path().write_text(json.dumps(data) + "\n", encoding="utf-8")
    rotate()
    assert audit_verify()[1] == []


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (real concurrent writers)"
)
@pytest.mark.django_db(transaction=True, available_apps=["planwatch.audit"])
def test_a_rotation_among_concurrent_writers_splits_the_chain_in_key_order(
    key_file: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writers in other threads (as other processes would, each reading the key file) keep
    appending before, during and after a rotation: every event before the rotation event
    carries the old key, every event after it the new one, the rotation's own check is not
    upset by the events arriving meanwhile, and the whole log verifies."""
    settings.PLANWATCH_AUDIT_CHECKPOINT_MAIL = False
    locked = threading.Event()
    replace = rotation_module._replace_key_file

    def slow_replace(path: Path, key: str) -> None:
        locked.set()  # the chain head is locked now: the writers wait for the commit
        time.sleep(0.3)
        replace(path, key)

    monkeypatch.setattr(rotation_module, "_replace_key_file", slow_replace)
    barrier = threading.Barrier(3)
    errors: list[str] = []

    def run(write: Any) -> None:
        try:
            barrier.wait()
            write()
        except Exception as exc:  # reported, not swallowed: the test asserts on it
            errors.append(repr(exc))
        finally:
            connection.close()

    def singles(tag: str) -> Any:
        def write() -> None:
            for i in range(60):
                if i == 40:
                    assert locked.wait(10)
                audit_record(actor=None, action=f"single.{tag}", target_type="thing", target_id=i)

        return write

    threads = [
        threading.Thread(target=run, args=(w,)) for w in (singles("a"), singles("b"), rotate_key)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    new_kid = key_id(key_file.read_text(encoding="ascii").strip())
    events = list(AuditEvent.objects.order_by("id"))
    at = next(i for i, ev in enumerate(events) if ev.action == "audit.key_rotate")
    assert {ev.key_id for ev in events[:at]} == {key_id(OLD_KEY)}
    assert {ev.key_id for ev in events[at:]} == {new_kid}
    assert len(events) - at > 1  # writers did write under the new key
    assert audit_verify() == (121, [])
