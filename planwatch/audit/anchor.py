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

import email
import hashlib
import hmac
import json
import logging
import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from planwatch.audit.checkpoint_mail import checkpoint_mail_send
from planwatch.audit.models import AuditChainHead

logger = logging.getLogger("planwatch.audit.checkpoint")

GENESIS = "0" * 64


def key_id(key: str) -> str:
    """The identifier of an audit key: a fingerprint that names the key (on each event, each
    checkpoint and in the keyring) without revealing it."""
    return hashlib.sha256(b"planwatch-audit-key-id:" + key.encode("utf-8")).hexdigest()[:12]


_file_cache: dict[str, tuple[tuple[int, int, int], str]] = {}


def current_key() -> tuple[str, str]:
    """(key id, key) of the key new events and checkpoints are signed with. When the key is
    kept in a file (`settings.PLANWATCH_AUDIT_KEY_FILE`), the file is read again whenever it
    changed, so every process switches to a rotated key at its next write; a key from the
    environment is `settings.PLANWATCH_AUDIT_KEY`."""
    path = getattr(settings, "PLANWATCH_AUDIT_KEY_FILE", None)
    key = str(settings.PLANWATCH_AUDIT_KEY)
    if path:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            pass
        else:
            stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
            cached = _file_cache.get(str(path))
            if cached is None or cached[0] != stamp:
                text = Path(path).read_text(encoding="ascii").strip()
                cached = (stamp, text)
                _file_cache[str(path)] = cached
            key = cached[1] or key
    return key_id(key), key


def keyring_path() -> Path:
    return Path(settings.PLANWATCH_AUDIT_KEYRING)


def read_keyring(path: Path | None = None) -> dict[str, str]:
    """The retired keys kept to verify what they signed: key id → key (one JSON line each,
    written by `rotate_key`). No file: no key was ever retired."""
    path = path or keyring_path()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return {}
    keys: dict[str, str] = {}
    for raw in lines:
        if not raw.strip():
            continue
        try:
            key = str(json.loads(raw)["key"])
        except (ValueError, KeyError, TypeError):
            continue  # an unreadable line names no key: its events are reported as keyless
        keys[key_id(key)] = key
    return keys


def all_keys() -> dict[str, str]:
    """Every key verify can use, by key id, in the order they were in use: the retired ones
    (oldest first) and the current one."""
    keys = read_keyring()
    kid, key = current_key()
    keys.pop(kid, None)
    keys[kid] = key  # last: the keys are in the order they were used
    return keys


def _mac(key: str, message: bytes) -> str:
    return hmac.new(key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def event_mac(digest: str, key: str | None = None) -> str:
    """The keyed hash of one event: HMAC-SHA256 of its chain hash (which covers its content
    and, through its predecessor's hash, every event before it), under `key` (default: the
    current key)."""
    return _mac(key if key is not None else current_key()[1], digest.encode("ascii"))


def mac_matches(digest: str, mac: str, key: str | None = None) -> bool:
    return hmac.compare_digest(event_mac(digest, key), mac)


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """The chain as it stood at `at`: `count` events, the newest with hash `head`, MACed
    under the key `kid` ("" on lines written before keys had ids)."""

    count: int
    head: str
    at: str
    mac: str
    kid: str = ""

    @staticmethod
    def message(count: int, head: str, at: str) -> bytes:
        return f"planwatch-audit-checkpoint:{count}:{head}:{at}".encode("ascii")

    def genuine_under(self, key: str) -> bool:
        want = _mac(key, self.message(self.count, self.head, self.at))
        return hmac.compare_digest(want, self.mac)

    def genuine(self, keys: dict[str, str] | None = None) -> bool:
        keys = keys if keys is not None else all_keys()
        if self.kid:
            return self.kid in keys and self.genuine_under(keys[self.kid])
        return any(self.genuine_under(key) for key in keys.values())

    def line(self) -> str:
        data: dict[str, Any] = {"count": self.count, "head": self.head, "at": self.at}
        if self.kid:
            data["kid"] = self.kid
        data["mac"] = self.mac
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def parse(cls, raw: str) -> Checkpoint:
        """A checkpoint from its line; ValueError when it is not one."""
        try:
            data = json.loads(raw)
            return cls(
                int(data["count"]),
                str(data["head"]),
                str(data["at"]),
                str(data["mac"]),
                str(data.get("kid", "")),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValueError("not a checkpoint") from exc

    def problem(self, keys: dict[str, str], where: str) -> str | None:
        """Why this line is not a genuine checkpoint (None when it is)."""
        if self.kid and self.kid not in keys:
            return (
                f"{where}: written under audit key {self.kid}, which is not in the keyring "
                "(the audit key is wrong, or that retired key was removed)"
            )
        if not self.genuine(keys):
            return (
                f"{where}: its keyed hash does not match "
                "(altered, or the audit key is not the one it was written with)"
            )
        return None


def checkpoint_path() -> Path:
    return Path(settings.PLANWATCH_AUDIT_CHECKPOINTS)


def read_checkpoints(path: Path | None = None) -> tuple[list[Checkpoint], list[str]]:
    """The checkpoints written so far, oldest first, and a problem for each line that is not a
    genuine checkpoint (altered, or written under a key that is not in the keyring). No file:
    none yet."""
    path = path or checkpoint_path()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return [], []
    return checkpoints_from_lines(lines, where=f"checkpoint file {path}")


def checkpoints_from_lines(
    lines: list[str], *, where: str, keys: dict[str, str] | None = None
) -> tuple[list[Checkpoint], list[str]]:
    keys = keys if keys is not None else all_keys()
    found: list[Checkpoint] = []
    problems: list[str] = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            cp = Checkpoint.parse(raw)
        except ValueError:
            problems.append(f"{where}, line {number}: not a checkpoint")
            continue
        problem = cp.problem(keys, f"{where}, line {number}")
        if problem:
            problems.append(problem)
            continue
        found.append(cp)
    return found, problems


_LINE = re.compile(r"\{[^{}]*\"mac\"[^{}]*\}")


def checkpoint_lines_in(text: str) -> list[str]:
    """The checkpoint lines found in a text: saved e-mails (a message, an mbox, or their
    bodies pasted into a file) or a copy of the checkpoint file. Each is a JSON object with a
    "mac"; MIME encodings (quoted-printable, base64) are undone first."""
    bodies = [text]
    if re.search(r"^(From|Subject|Content-Type):", text, re.MULTILINE):
        chunks = re.split(r"^From .*$", text, flags=re.MULTILINE)
        for chunk in chunks:
            message = email.message_from_string(chunk.lstrip("\n"))
            for part in message.walk():
                if part.get_content_maintype() != "text":
                    continue
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes):
                    charset = part.get_content_charset() or "utf-8"
                    bodies.append(payload.decode(charset, errors="replace"))
    seen: list[str] = []
    for body in bodies:
        for match in _LINE.findall(body):
            line = re.sub(r"\s+", "", match)
            if line not in seen:
                seen.append(line)
    return seen


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
    kid, key = current_key()
    cp = Checkpoint(count, last, at, _mac(key, Checkpoint.message(count, last, at)), kid)
    _append(path, cp.line())
    logger.info("audit checkpoint %s", cp.line())
    if getattr(settings, "PLANWATCH_AUDIT_CHECKPOINT_MAIL", True) and (
        force or _mail_due(now or timezone.now())
    ):
        checkpoint_mail_send(cp)
        _mailed_path().write_text(at + "\n", encoding="utf-8")
    return cp


def _mailed_path() -> Path:
    """When a checkpoint was last mailed (beside the checkpoint file)."""
    path = checkpoint_path()
    return path.with_name(path.name + ".mailed")


def _mail_due(now: datetime) -> bool:
    """Whether the worker's checkpoint is mailed: none mailed yet, or the last one at least
    PLANWATCH_AUDIT_CHECKPOINT_MAIL_HOURS ago (0: every checkpoint). Administrators get one
    line a day, not one every ten minutes of a busy day."""
    hours = getattr(settings, "PLANWATCH_AUDIT_CHECKPOINT_MAIL_HOURS", 24)
    if hours <= 0:
        return True
    try:
        last = datetime.fromisoformat(_mailed_path().read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return True
    return now - last >= timedelta(hours=hours)
