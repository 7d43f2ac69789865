"""The audit chain anchored outside the database (planwatch/audit/anchor.py): someone who can
write to the database but holds neither the audit key nor the checkpoint file rewrites or cuts
the log, recomputing every plain hash as they go, and `planwatch audit verify` still finds it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from planwatch.audit import services
from planwatch.audit.anchor import audit_checkpoint, checkpoint_path, event_mac, read_checkpoints
from planwatch.audit.models import AuditChainHead, AuditEvent
from planwatch.audit.scheduled import _audit_checkpoint_check
from planwatch.audit.services import AuditEntry, audit_record_many, audit_verify, event_digest
from tests.audit.test_verify import run_verify, write_events

pytestmark = pytest.mark.django_db
TABLE = AuditEvent._meta.db_table


def rewrite_from(position: int, *, keep_mac: bool = True, blank_mac: bool = False) -> None:
    """Change the action of every event from `position` (1-based) on and recompute the plain
    hash chain and the head row, as a database writer without the key can."""
    events = list(AuditEvent.objects.order_by("id"))
    prev = events[position - 2].hash if position > 1 else "0" * 64
    with connection.cursor() as cursor:
        for ev in events[position - 1 :]:
            digest = event_digest(
                prev_hash=prev,
                created_at=ev.created_at,
                actor_label=ev.actor_label,
                action="forged",
                target_type=ev.target_type,
                target_id=ev.target_id,
                target_label=ev.target_label,
                old=ev.old,
                new=ev.new,
                request_id=ev.request_id,
            )
            mac = "" if blank_mac else ev.mac
            cursor.execute(
                f"UPDATE {TABLE} SET action = %s, prev_hash = %s, hash = %s, mac = %s "
                "WHERE id = %s",
                ["forged", prev, digest, mac, ev.pk],
            )
            prev = digest
    AuditChainHead.objects.filter(pk=1).update(last_hash=prev)


def delete_after(position: int) -> None:
    """Delete every event after `position` and set the head row to match."""
    events = list(AuditEvent.objects.order_by("id"))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id > %s", [events[position - 1].pk])
    AuditChainHead.objects.filter(pk=1).update(last_hash=events[position - 1].hash, count=position)


def test_every_event_carries_the_keyed_hash_of_its_hash() -> None:
    events = write_events(2)
    audit_record_many(actor=None, entries=[AuditEntry("test.bulk", "thing", i) for i in range(3)])
    stored = list(AuditEvent.objects.order_by("id"))
    assert {ev.pk for ev in events} <= {ev.pk for ev in stored}
    assert all(ev.mac == event_mac(ev.hash) for ev in stored)
    assert audit_verify() == (len(stored), [])


def test_checkpoint_command_appends_a_line_and_verify_uses_it() -> None:
    write_events(3)
    assert run_verify()[0] == 0
    call_command("audit", "checkpoint")
    call_command("audit", "checkpoint")
    checkpoints, problems = read_checkpoints()
    head = AuditChainHead.objects.get(pk=1)
    assert problems == []
    assert [(cp.count, cp.head) for cp in checkpoints] == [(head.count, head.last_hash)] * 2
    assert run_verify()[0] == 0


def test_rewritten_tail_with_recomputed_hashes_is_detected() -> None:
    write_events(3)
    audit_checkpoint()
    write_events(2)  # the tail not yet written down: only the keyed hashes guard it
    rewrite_from(AuditEvent.objects.count() - 1)
    _checked, problems = audit_verify()
    last_two = list(AuditEvent.objects.order_by("id"))[-2:]
    assert problems == [f"event {ev.pk}: keyed hash does not match (rewritten)" for ev in last_two]
    assert run_verify()[0] == 1


def test_rewritten_tail_with_the_keyed_hashes_removed_is_detected() -> None:
    write_events(5)
    rewrite_from(AuditEvent.objects.count() - 1, blank_mac=True)
    _checked, problems = audit_verify()
    last_two = list(AuditEvent.objects.order_by("id"))[-2:]
    assert problems == [f"event {ev.pk}: keyed hash removed (rewritten)" for ev in last_two]


def test_whole_chain_rewritten_without_keyed_hashes_is_caught_by_the_checkpoint() -> None:
    write_events(4)
    audit_checkpoint()
    rewrite_from(1, blank_mac=True)
    _checked, problems = audit_verify()
    assert any("is not the one written down then" in p for p in problems)
    assert any("no checkpoint covers them" in p for p in problems)


def test_tail_deleted_after_a_checkpoint_is_detected() -> None:
    write_events(5)
    audit_checkpoint()
    count = AuditEvent.objects.count()
    delete_after(count - 2)
    _checked, problems = audit_verify()
    assert len(problems) == 1
    assert f"counted {count} events; {count - 2} remain" in problems[0]
    assert audit_verify(checkpoints_past_end=True) == (count - 2, [])


def test_a_wrong_key_is_detected(settings: Any) -> None:
    write_events(3)
    audit_checkpoint()
    settings.PLANWATCH_AUDIT_KEY = "not-the-key"
    _checked, problems = audit_verify()
    kid = AuditEvent.objects.first().key_id  # type: ignore[union-attr]
    assert any(f"signed with audit key {kid}" in p for p in problems)
    assert any("the audit key is not the one" in p for p in problems)
    assert any(
        p.startswith("checkpoint file") and f"written under audit key {kid}, which is not" in p
        for p in problems
    )


def test_an_altered_checkpoint_line_is_detected() -> None:
    write_events(3)
    audit_checkpoint()
    path: Path = checkpoint_path()
    data = json.loads(path.read_text(encoding="utf-8"))
    data["count"] -= 1
    path.write_text(json.dumps(data) + "\n", encoding="utf-8")
    _checked, problems = audit_verify()
    assert problems == [
        f"checkpoint file {path}, line 1: its keyed hash does not match "
        "(altered, or the audit key is not the one it was written with)"
    ]


def test_events_from_before_the_key_need_a_checkpoint() -> None:
    events = write_events(3)
    with connection.cursor() as cursor:  # as an upgraded installation's old events are
        cursor.execute(f"UPDATE {TABLE} SET mac = '' WHERE id <= %s", [events[1].pk])
    unkeyed = AuditEvent.objects.filter(mac="").count()
    _checked, problems = audit_verify()
    assert problems == [
        f"the first {unkeyed} events have no keyed hash and no checkpoint covers them "
        "(run `planwatch audit checkpoint` once after upgrading)"
    ]
    audit_checkpoint()
    assert audit_verify()[1] == []


def test_the_periodic_job_writes_a_checkpoint_only_when_the_chain_grew() -> None:
    write_events(2)
    assert _audit_checkpoint_check() is not None
    assert _audit_checkpoint_check() is None
    write_events(1)
    assert _audit_checkpoint_check() is not None
    checkpoints, _problems = read_checkpoints()
    assert [cp.count for cp in checkpoints] == [
        AuditEvent.objects.count() - 1,
        AuditEvent.objects.count(),
    ]


def test_events_committed_while_verify_reads_the_log_are_not_a_problem(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On a live system (and in `rotate-key`'s own check) writers keep appending while the
    log is read: the head row then counts events the first pass did not see; they are read
    too, instead of being reported as removed."""
    write_events(3)
    real = services._digest_of
    appended: list[int] = []

    def digest_while_another_writer_commits(ev: AuditEvent) -> str:
        if not appended:
            appended.extend(new.pk for new in write_events(2))
        return real(ev)

    monkeypatch.setattr(services, "_digest_of", digest_while_another_writer_commits)
    assert audit_verify() == (AuditEvent.objects.count(), [])
    assert len(appended) == 2


def test_a_log_that_never_stops_growing_is_not_a_problem(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A writer commits a new event each time verify reaches the newest one, so every pass
    finds more (a busy system during `rotate-key`'s own check): verify stops after a few
    passes without calling the events it did not reach removed, and what it read is sound."""
    write_events(3)
    real = services._digest_of
    appended: list[int] = []

    def digest_while_the_log_grows(ev: AuditEvent) -> str:
        newest = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
        if ev.pk == newest and len(appended) < 100:
            appended.extend(new.pk for new in write_events(1))
        return real(ev)

    monkeypatch.setattr(services, "_digest_of", digest_while_the_log_grows)
    checked, problems = audit_verify()
    assert problems == []
    assert 3 < checked < AuditEvent.objects.count() and len(appended) >= 10
    monkeypatch.undo()
    assert audit_verify() == (AuditEvent.objects.count(), [])
