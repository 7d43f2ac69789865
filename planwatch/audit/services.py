"""Writing the audit log. Every service that changes data calls `audit_record` inside its
own transaction, so the change and its record commit or roll back together; work that
changes thousands of rows at once (`planwatch demo`) calls `audit_record_many`.

Both lock the single chain-head row for the whole append, so events are inserted — and get
their ids — in chain order, and no two writers can chain to the same predecessor."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from planwatch.audit.anchor import (
    GENESIS,
    Checkpoint,
    all_keys,
    checkpoints_from_lines,
    current_key,
    event_mac,
    keyring_path,
    mac_matches,
    read_checkpoints,
)
from planwatch.audit.middleware import current_request_id
from planwatch.audit.models import AuditChainHead, AuditEvent
from planwatch.core.bulk import table_insert
from planwatch.core.types import Actor

# json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str),
# without building an encoder per call
_encode = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
).encode


def _canonical(value: Any) -> str:
    return _encode(value)


def _string_keys(value: Any) -> bool:
    """Whether every mapping in `value` has only str keys. Then its canonical JSON is the
    canonical JSON of what the database gives back (the JSON round trip of `_fields`):
    another key (an int, None…) becomes a string there and may sort elsewhere."""
    kind = type(value)
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str:
                return False
            if type(item) not in _LEAVES and not _string_keys(item):
                return False
    elif kind is list or kind is tuple:
        for item in value:
            if type(item) not in _LEAVES and not _string_keys(item):
                return False
    elif isinstance(value, dict | list | tuple):
        return False  # a subclass: not worth a walk of its own, the round trip decides
    return True


# Values that hold no mapping (the walk above need not call itself for them).
_LEAVES = frozenset({str, int, float, bool, type(None)})


def _stored_json(value: Any) -> str | None:
    """The canonical JSON of `value` after the database's round trip (what `_fields` keeps
    and `event_digest` encodes): the text `audit_record_many` stores and hashes. One
    encoding, unless a key is not a string (then decoded and encoded again)."""
    if value is None:
        return None
    text = _encode(value)
    return text if _string_keys(value) else _encode(json.loads(text))


def event_digest(
    *,
    prev_hash: str,
    created_at: datetime,
    actor_label: str,
    action: str,
    target_type: str,
    target_id: str,
    target_label: str,
    old: Any,
    new: Any,
    request_id: str,
) -> str:
    """The hash of one event's content and its predecessor's hash."""
    payload = _canonical(
        [
            prev_hash,
            created_at.astimezone(UTC).isoformat(),
            actor_label,
            action,
            target_type,
            target_id,
            target_label,
            old,
            new,
            request_id,
        ]
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _actor_parts(actor: Actor) -> tuple[Any, str]:
    if actor is None or not actor.is_authenticated:
        return None, "system" if actor is None else "anonymous"
    return actor, actor.get_username()


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One event for `audit_record_many`: the arguments of `audit_record` but the actor."""

    action: str
    target_type: str
    target_id: str | int = ""
    target_label: str = ""
    old: Any = None
    new: Any = None


def _lock_head() -> AuditChainHead:
    """The chain head, locked until the surrounding transaction ends (created if absent)."""
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"last_hash": GENESIS}
    )
    return head


def _fields(entry: AuditEntry, *, label: str, now: datetime, request_id: str) -> dict[str, Any]:
    # JSON round trip: what is hashed is exactly what the database stores.
    return {
        "created_at": now,
        "actor_label": label,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": str(entry.target_id),
        "target_label": entry.target_label[:255],
        "old": json.loads(_canonical(entry.old)) if entry.old is not None else None,
        "new": json.loads(_canonical(entry.new)) if entry.new is not None else None,
        "request_id": request_id,
    }


def audit_record(
    *,
    actor: Actor,
    action: str,
    target_type: str,
    target_id: str | int = "",
    target_label: str = "",
    old: Any = None,
    new: Any = None,
    request_id: str = "",
) -> AuditEvent:
    """Append one event. `actor=None` means the system itself (set-up, scheduled jobs).
    Without an explicit `request_id`, the id of the request being served (if any) is used."""
    request_id = request_id or current_request_id.get()
    user, label = _actor_parts(actor)
    entry = AuditEntry(action, target_type, target_id, target_label, old, new)
    with transaction.atomic():
        head = _lock_head()
        fields = _fields(entry, label=label, now=timezone.now(), request_id=request_id)
        digest = event_digest(prev_hash=head.last_hash, **fields)
        kid, key = current_key()  # after the lock: a rotation in progress has finished
        event = AuditEvent.objects.create(
            actor=user,
            prev_hash=head.last_hash,
            hash=digest,
            mac=event_mac(digest, key),
            key_id=kid,
            **fields,
        )
        AuditChainHead.objects.filter(pk=1).update(last_hash=digest, count=head.count + 1)
    return event


# The content of an event (what `_fields` gives), in the column order of a bulk insert.
_CONTENT = (
    *("created_at", "actor_label", "action", "target_type", "target_id", "target_label"),
    *("old", "new", "request_id"),
)
_COLUMNS = ("actor", *_CONTENT, "prev_hash", "hash", "mac", "key_id")


def _insert(rows: list[tuple[Any, ...]]) -> None:
    """INSERT the rows in order, so their ids follow the chain (`core.bulk.table_insert`:
    COPY on PostgreSQL, executemany elsewhere). Not the ORM: its bulk_create spends ten
    times longer compiling the statement than the database takes to run it, which is most
    of the cost of a demo's hundred thousand events."""
    meta = AuditEvent._meta
    column = {f.name: f.column or f.attname for f in meta.concrete_fields}
    table_insert(meta.db_table, [str(column[name]) for name in _COLUMNS], rows)


def audit_record_many(
    *,
    actor: Actor,
    entries: Iterable[AuditEntry],
    request_id: str = "",
    batch_size: int = 2000,
) -> int:
    """Append many events by one actor, chained in the order given, with the hashing of
    `audit_record`; returns how many. They share one time (when they were written) and are
    inserted `batch_size` at a time while the chain head stays locked, so a concurrent
    `audit_record` waits and then chains to the last of them. `entries` may be a generator:
    it is consumed batch by batch, never held whole."""
    request_id = request_id or current_request_id.get()
    user, label = _actor_parts(actor)
    actor_pk = user.pk if user is not None else None
    written = 0
    with transaction.atomic():
        head = _lock_head()
        kid, key = current_key()
        prev, now = head.last_hash, timezone.now()
        when = AuditEvent._meta.get_field("created_at").get_db_prep_save(now, connection)
        at, tail = now.astimezone(UTC).isoformat(), f",{_encode(request_id)}]"
        batch: list[tuple[Any, ...]] = []
        for entry in entries:
            # event_digest's payload, each JSON value encoded once: the fields of `_fields`
            # (old and new as stored, `_stored_json`) in its order
            target_id, target_label = str(entry.target_id), entry.target_label[:255]
            old, new = _stored_json(entry.old), _stored_json(entry.new)
            fixed = _encode(
                [prev, at, label, entry.action, entry.target_type, target_id, target_label]
            )
            payload = f"{fixed[:-1]},{old or 'null'},{new or 'null'}{tail}"
            digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
            mac = event_mac(digest, key)
            batch.append(
                (
                    *(actor_pk, when, label, entry.action, entry.target_type, target_id),
                    *(target_label, old, new, request_id, prev, digest, mac, kid),
                )
            )
            prev = digest
            if len(batch) >= batch_size:
                _insert(batch)
                written, batch = written + len(batch), []
        _insert(batch)
        written += len(batch)
        if written:
            AuditChainHead.objects.filter(pk=1).update(last_hash=prev, count=head.count + written)
    return written


def _digest_of(ev: AuditEvent) -> str:
    return event_digest(
        prev_hash=ev.prev_hash,
        created_at=ev.created_at,
        actor_label=ev.actor_label,
        action=ev.action,
        target_type=ev.target_type,
        target_id=ev.target_id,
        target_label=ev.target_label,
        old=ev.old,
        new=ev.new,
        request_id=ev.request_id,
    )


@dataclass(slots=True)
class _Keyed:
    """What the walk over the chain learns about the events' MACs."""

    keys: dict[str, str]
    keyed: int = 0
    bad: list[int] = field(default_factory=list)
    unkeyed_after_keyed: list[int] = field(default_factory=list)
    unkeyed_prefix: int = 0
    # key id → [how many events, first event id] for keys not in the keyring
    missing: dict[str, list[int]] = field(default_factory=dict)
    rank: dict[str, int] = field(default_factory=dict)
    newest_rank: int = -1
    out_of_order: list[tuple[int, str]] = field(default_factory=list)

    def see(self, ev: AuditEvent, position: int) -> None:
        if not ev.mac:
            if self.keyed:
                self.unkeyed_after_keyed.append(ev.pk)
            else:
                self.unkeyed_prefix = position
            return
        self.keyed += 1
        key = self.keys.get(ev.key_id)
        if key is None:
            self.missing.setdefault(ev.key_id, [0, ev.pk])[0] += 1
            return
        if not mac_matches(ev.hash, ev.mac, key):
            self.bad.append(ev.pk)
            return
        # Keys sign in the order they were in use: an event signed with a retired key after
        # one signed with its successor was forged by someone who kept the old key.
        rank = self.rank.setdefault(ev.key_id, list(self.keys).index(ev.key_id))
        if rank < self.newest_rank:
            self.out_of_order.append((ev.pk, ev.key_id))
        self.newest_rank = max(self.newest_rank, rank)

    def problems(self, covered: int) -> list[str]:
        bad, unkeyed = self.bad, self.unkeyed_after_keyed
        found: list[str] = []
        if bad and len(bad) == self.keyed and self.keyed > 1:
            found.append(
                f"no event's keyed hash matches ({len(bad)} events): the audit key is not the "
                "one the log was written with, or every event was rewritten"
            )
        else:
            found += [f"event {pk}: keyed hash does not match (rewritten)" for pk in bad]
        found += [f"event {pk}: keyed hash removed (rewritten)" for pk in unkeyed]
        found += [
            f"event {pk}: signed with retired audit key {kid} after a newer key was in use "
            "(forged with an old key)"
            for pk, kid in self.out_of_order
        ]
        for kid, (count, first) in self.missing.items():
            found.append(
                f"{count} events (from id {first}) were signed with audit key {kid or '(none)'}, "
                f"which is not in the keyring: the audit key is not the one the log was "
                f"written with, or that retired key was removed from {keyring_path()} "
                "(restore it from the key backup)"
            )
        if self.unkeyed_prefix > covered:
            found.append(
                f"the first {self.unkeyed_prefix} events have no keyed hash and no checkpoint "
                "covers them (run `planwatch audit checkpoint` once after upgrading)"
            )
        return found


def audit_verify(
    *, checkpoints_past_end: bool = False, extra_lines: list[str] | None = None
) -> tuple[int, list[str]]:
    """Recompute the chain, check each event's keyed hash (under the key named on it) and
    check the chain against every checkpoint written outside the database: the checkpoint
    file's and `extra_lines` (checkpoint lines taken from the administrators' e-mails).
    Returns the number of events checked and a list of problems (empty when the log is
    intact). `checkpoints_past_end` accepts checkpoints beyond the end of the chain: a
    restore of an older backup knowingly lacks the newest events (those it has must still
    match)."""
    keys = all_keys()
    checkpoints, problems = read_checkpoints()
    if extra_lines:
        mailed, mail_problems = checkpoints_from_lines(
            extra_lines, where="checkpoint from e-mail", keys=keys
        )
        checkpoints += mailed
        problems += mail_problems
    at: dict[int, list[Checkpoint]] = {}
    for cp in checkpoints:
        at.setdefault(cp.count, []).append(cp)
    keyed = _Keyed(keys)
    prev, checked, covered = GENESIS, 0, 0
    for cp in at.get(0, []):
        if cp.head != GENESIS:
            problems.append(f"checkpoint of {cp.at}: an empty chain with a head (altered)")
    # On a live system events keep coming while the log is read. The head is read first: the
    # events it counts committed with it, so the passes below see every one of them, and it
    # is compared with the event at its own position. Events committed after a pass began are
    # read by a further pass (a few at most: a log that never stops growing is checked as far
    # as those passes reach).
    head = AuditChainHead.objects.filter(pk=1).first()
    at_head = GENESIS if head is None or head.count == 0 else None
    last_pk = 0
    for _pass in range(20):
        seen = 0
        for ev in (
            AuditEvent.objects.filter(pk__gt=last_pk).order_by("id").iterator(chunk_size=2000)
        ):
            seen += 1
            checked += 1
            if ev.prev_hash != prev:
                problems.append(
                    f"event {ev.pk}: chain broken (an event before it was removed or altered)"
                )
            if _digest_of(ev) != ev.hash:
                problems.append(f"event {ev.pk}: content does not match its hash (altered)")
            keyed.see(ev, checked)
            for cp in at.get(checked, []):
                if cp.head != ev.hash:
                    problems.append(
                        f"checkpoint of {cp.at}: event {checked} of the chain (id {ev.pk}) is "
                        "not the one written down then (the log was rewritten)"
                    )
                else:
                    covered = max(covered, checked)
            if head is not None and checked == head.count:
                at_head = ev.hash
            prev, last_pk = ev.hash, ev.pk
        if not seen:
            break
    for cp in checkpoints:
        if cp.count > checked and not checkpoints_past_end:
            problems.append(
                f"checkpoint of {cp.at} counted {cp.count} events; {checked} remain "
                "(the newest events were removed)"
            )
    problems += keyed.problems(covered)
    if head is not None and at_head != head.last_hash:
        problems.append("the newest events were removed (chain head does not match)")
    return checked, problems
