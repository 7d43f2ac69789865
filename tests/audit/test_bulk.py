"""`audit_record_many`: many events appended at once with the same hashing and chain as
`audit_record` (so `planwatch audit verify` passes across single and bulk appends), in the
order given, and — on PostgreSQL, with real concurrent writers — without forking the chain."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction

from planwatch.audit.models import AuditChainHead, AuditEvent
from planwatch.audit.services import (
    GENESIS,
    AuditEntry,
    _digest_of,
    audit_record,
    audit_record_many,
    audit_verify,
    event_digest,
)


def entries(n: int, action: str = "bulk.test") -> Iterator[AuditEntry]:
    for i in range(n):
        yield AuditEntry(
            action=action,
            target_type="thing",
            target_id=i,
            target_label=f"第 {i} 号",
            old={"value": i} if i % 2 else None,
            new={"value": i + 1, "名称": "宜宾", "demo": True},
        )


def chain() -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("id"))


@pytest.mark.django_db
def test_bulk_between_single_appends_verifies_and_keeps_order() -> None:
    actor = User.objects.create_user("bulk_writer")
    audit_record(actor=None, action="single.before", target_type="thing")
    assert audit_record_many(actor=actor, entries=entries(7), batch_size=3) == 7
    audit_record(actor=None, action="single.after", target_type="thing")
    events = chain()[-9:]
    assert [e.action for e in events] == ["single.before", *["bulk.test"] * 7, "single.after"]
    bulk = events[1:8]
    assert [e.target_id for e in bulk] == [str(i) for i in range(7)]
    assert {(e.actor_id, e.actor_label) for e in bulk} == {(actor.pk, "bulk_writer")}
    assert bulk[0].new == {"value": 1, "名称": "宜宾", "demo": True} and bulk[0].old is None
    for before, event in pairwise(events):
        assert event.prev_hash == before.hash
    checked, problems = audit_verify()
    assert problems == [] and checked == AuditEvent.objects.count()
    head = AuditChainHead.objects.get(pk=1)
    assert (head.last_hash, head.count) == (events[-1].hash, checked)


@pytest.mark.django_db
def test_bulk_hash_is_the_single_event_hash() -> None:
    """The same content hashes the same whichever function wrote it."""
    audit_record_many(actor=None, entries=entries(1))
    event = AuditEvent.objects.get()
    assert event.prev_hash == GENESIS and event.actor_label == "system"
    assert event.hash == event_digest(
        prev_hash=GENESIS,
        created_at=event.created_at,
        actor_label="system",
        action="bulk.test",
        target_type="thing",
        target_id="0",
        target_label="第 0 号",
        old=None,
        new={"value": 1, "名称": "宜宾", "demo": True},
        request_id="",
    )


@pytest.mark.django_db
def test_nothing_to_write_leaves_the_head_alone() -> None:
    audit_record(actor=None, action="single", target_type="thing")
    head = AuditChainHead.objects.values_list("last_hash", "count").get(pk=1)
    assert audit_record_many(actor=None, entries=iter(())) == 0
    assert AuditChainHead.objects.values_list("last_hash", "count").get(pk=1) == head


@pytest.mark.django_db
def test_a_rolled_back_bulk_append_leaves_an_intact_chain() -> None:
    audit_record(actor=None, action="single", target_type="thing")
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record_many(actor=None, entries=entries(5))
        raise RuntimeError("the caller's work failed")
    assert AuditEvent.objects.count() == 1
    audit_record(actor=None, action="single.again", target_type="thing")
    assert audit_verify() == (2, [])


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (real concurrent writers)"
)
@pytest.mark.django_db(transaction=True, available_apps=["planwatch.audit"])
def test_concurrent_bulk_and_single_writers_do_not_fork_the_chain() -> None:
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

    def bulk(tag: str) -> Any:
        return lambda: audit_record_many(actor=None, entries=entries(300, tag), batch_size=50)

    def singles() -> None:
        for i in range(30):
            audit_record(actor=None, action="single", target_type="thing", target_id=i)

    threads = [threading.Thread(target=run, args=(w,)) for w in (bulk("a"), bulk("b"), singles)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert audit_verify() == (630, [])
    actions = [e.action for e in chain()]
    for tag in ("a", "b"):  # each bulk append is one unbroken run of the chain
        first = actions.index(tag)
        assert actions[first : first + 300] == [tag] * 300


@pytest.mark.django_db
def test_bulk_payloads_of_every_kind_hash_as_stored_and_verify() -> None:
    """`audit_record_many` encodes each old/new value once (a second time only when a key
    is not a string) and builds the hashed payload from those texts: every event's hash is
    `event_digest` of the event as the database gives it back, and the chain verifies —
    keys that JSON turns into strings (and re-sorts), dates, decimals, tuples, subclasses
    of dict, nesting and text in any script included."""
    import datetime as dt
    from collections import OrderedDict
    from decimal import Decimal

    values: list[Any] = [
        {10: "十", 2: "二"},  # sorted 2, 10 before the round trip, "10", "2" after
        {"nested": [{3: None, 20: [1.5, -2, 10**20]}], "t": (1, "二")},
        {"when": dt.date(2026, 3, 4), "amount": Decimal("12.50"), "ok": False},
        OrderedDict([("z", 1), ("a", {"k": "值"})]),
        ["list", {"k": 1}, None],
        "just text",
        7,
        {},
    ]
    audit_record(actor=None, action="single", target_type="thing")
    audit_record_many(
        actor=None,
        entries=(
            AuditEntry("bulk.kinds", "thing", i, f"第 {i} 号", old=v, new=values[-1 - i])
            for i, v in enumerate(values)
        ),
        request_id="req-1",
    )
    events = chain()[1:]
    assert len(events) == len(values)
    for ev, v in zip(events, values, strict=True):
        assert ev.old == json.loads(json.dumps(v, default=str))
        assert ev.hash == _digest_of(ev)
    assert events[0].old == {"10": "十", "2": "二"}
    assert audit_verify() == (len(values) + 1, [])
