"""Rotating the audit key (`planwatch audit rotate-key`, docs/decisions/0031-audit-anchor.md).

The old key is not thrown away: it is appended to the keyring (`PLANWATCH_AUDIT_KEYRING`,
var/audit_keys), since the events and checkpoints it signed are verified with it for ever;
each event and checkpoint names its key by id (`anchor.key_id`). The new key replaces the key
file, which every running process re-reads at its next write. The rotation is itself
recorded: a checkpoint under the old key, the event `audit.key_rotate` (the first signed with
the new key, naming both ids), and a checkpoint under the new key — both checkpoints mailed
to the administrators."""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from planwatch.audit.anchor import (
    Checkpoint,
    _append,
    audit_checkpoint,
    current_key,
    key_id,
    keyring_path,
    read_keyring,
)
from planwatch.audit.services import _lock_head, audit_record, audit_verify
from planwatch.core.types import Actor


class RotationRefused(RuntimeError):
    """The key cannot be rotated now; the message says why."""


@dataclass(frozen=True, slots=True)
class Rotation:
    old_kid: str
    new_kid: str
    before: Checkpoint
    after: Checkpoint


def _replace_key_file(path: Path, key: str) -> None:
    """Write `key` to a private temporary file beside `path` and rename it over `path`: a
    reader sees the old key or the new one, never a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".audit_key.", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, key.encode("ascii") + b"\n")
        os.fsync(fd)
        os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def rotate_key(*, actor: Actor = None, force: bool = False) -> Rotation:
    """Replace the audit key by a new one, keeping the old one in the keyring. Refused when
    the key comes from the environment (set a new PLANWATCH_AUDIT_KEY yourself: see the
    decision record) or, unless `force`, when `audit verify` finds problems (rotating would
    hide nothing, but the old key should be known good before it is retired)."""
    path = settings.PLANWATCH_AUDIT_KEY_FILE
    if not path:
        raise RotationRefused(
            "the audit key comes from the environment (PLANWATCH_AUDIT_KEY): rotate-key can "
            "only replace a key kept in a file (PLANWATCH_AUDIT_KEY_FILE, var/audit_key)"
        )
    path = Path(path)
    if not force:
        _checked, problems = audit_verify()
        if problems:
            raise RotationRefused(
                f"audit verify finds {len(problems)} problem(s); resolve them, or rotate with "
                "--force"
            )
    old_kid, old_key = current_key()
    new_key = secrets.token_urlsafe(50)
    new_kid = key_id(new_key)
    with transaction.atomic():
        _lock_head()  # no event is written while the key changes
        before = audit_checkpoint(force=True)
        assert before is not None
        if old_kid not in read_keyring():
            line = json.dumps(
                {"kid": old_kid, "key": old_key, "retired_at": timezone.now().isoformat()},
                separators=(",", ":"),
            )
            _append(keyring_path(), line)
        _replace_key_file(path, new_key)
        audit_record(
            actor=actor,
            action="audit.key_rotate",
            target_type="audit_key",
            target_id=new_kid,
            target_label=new_kid,
            old={"key_id": old_kid},
            new={"key_id": new_kid},
        )
    after = audit_checkpoint(force=True)
    assert after is not None
    return Rotation(old_kid, new_kid, before, after)
