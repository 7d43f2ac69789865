"""The audit chain anchored outside the database (docs/decisions/0031-audit-anchor.md).

The hash chain alone proves nothing against someone who can write to the database: they can
rewrite the newest events and recompute every hash after them. Two things they cannot reach
close that gap:

- a key (`settings.PLANWATCH_AUDIT_KEY`, from the environment or var/audit_key, never in the
  database) with which each event's hash is MACed (HMAC-SHA256) as it is written, so a
  rewritten event needs the key to look genuine;
- checkpoints: the chain's length and head hash at a moment, MACed and appended to a file
  (`settings.PLANWATCH_AUDIT_CHECKPOINTS`) and to the log, so events deleted from the end, or
  a chain rewritten whole with the MACs removed, no longer match what was written down.

`audit_verify` (planwatch/audit/services.py) checks both.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from planwatch.audit.models import AuditChainHead

logger = logging.getLogger("planwatch.audit.checkpoint")

GENESIS = "0" * 64


def _key() -> bytes:
    return str(settings.PLANWATCH_AUDIT_KEY).encode("utf-8")


def event_mac(digest: str) -> str:
    """The keyed hash of one event: HMAC-SHA256 of its chain hash (which covers its content
    and, through its predecessor's hash, every event before it)."""
    return hmac.new(_key(), digest.encode("ascii"), hashlib.sha256).hexdigest()


def mac_matches(digest: str, mac: str) -> bool:
    return hmac.compare_digest(event_mac(digest), mac)


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """The chain as it stood at `at`: `count` events, the newest with hash `head`."""

    count: int
    head: str
    at: str
    mac: str

    @staticmethod
    def message(count: int, head: str, at: str) -> bytes:
        return f"planwatch-audit-checkpoint:{count}:{head}:{at}".encode("ascii")

    def genuine(self) -> bool:
        want = hmac.new(_key(), self.message(self.count, self.head, self.at), hashlib.sha256)
        return hmac.compare_digest(want.hexdigest(), self.mac)

    def line(self) -> str:
        return json.dumps(
            {"count": self.count, "head": self.head, "at": self.at, "mac": self.mac},
            separators=(",", ":"),
        )


def checkpoint_path() -> Path:
    return Path(settings.PLANWATCH_AUDIT_CHECKPOINTS)


def read_checkpoints(path: Path | None = None) -> tuple[list[Checkpoint], list[str]]:
    """The checkpoints written so far, oldest first, and a problem for each line that is not a
    genuine checkpoint (altered, or written under another key). No file: none yet."""
    path = path or checkpoint_path()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return [], []
    found: list[Checkpoint] = []
    problems: list[str] = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
            cp = Checkpoint(int(data["count"]), str(data["head"]), str(data["at"]), data["mac"])
        except (ValueError, KeyError, TypeError):
            problems.append(f"checkpoint file {path}, line {number}: not a checkpoint")
            continue
        if not cp.genuine():
            problems.append(
                f"checkpoint file {path}, line {number}: its keyed hash does not match "
                "(altered, or the audit key is not the one it was written with)"
            )
            continue
        found.append(cp)
    return found, problems


def _append(path: Path, line: str) -> None:
    """Append one line and flush it to disk; O_APPEND, so concurrent writers never interleave
    inside a line and nothing already written is touched."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def audit_checkpoint(*, now: datetime | None = None, force: bool = False) -> Checkpoint | None:
    """Write down the chain head as committed now: append it to the checkpoint file and log it.
    Returns the checkpoint, or None when the chain has not grown since the last one (unless
    `force`), so an idle system does not fill the file."""
    head = AuditChainHead.objects.filter(pk=1).first()
    count, last = (head.count, head.last_hash) if head is not None else (0, GENESIS)
    path = checkpoint_path()
    if not force:
        previous, _problems = read_checkpoints(path)
        if previous and previous[-1].count == count and previous[-1].head == last:
            return None
    at = (now or timezone.now()).isoformat()
    mac = hmac.new(_key(), Checkpoint.message(count, last, at), hashlib.sha256).hexdigest()
    cp = Checkpoint(count, last, at, mac)
    _append(path, cp.line())
    logger.info("audit checkpoint %s", cp.line())
    return cp
