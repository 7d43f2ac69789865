"""Typed helpers that read settings from environment variables (every one is listed in
`.env.example`)."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return default if raw is None or raw == "" else int(raw)


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def s3_options() -> dict[str, object]:
    """django-storages' S3Storage options from PLANWATCH_S3_* (unset ones left to boto3's own
    lookup: its environment variables, ~/.aws, an instance role). Files are never overwritten
    (a clash gets a new name, as on the disk) and never public (no ACL, signed URLs)."""
    endpoint = env_str("PLANWATCH_S3_ENDPOINT_URL", "")
    options: dict[str, object] = {
        "bucket_name": env_str("PLANWATCH_S3_BUCKET", ""),
        "location": env_str("PLANWATCH_S3_PREFIX", ""),
        "file_overwrite": False,
        "default_acl": None,
        "querystring_auth": True,
        # Servers other than AWS (MinIO, Ceph, moto) address buckets by path, not by host.
        "addressing_style": env_str("PLANWATCH_S3_ADDRESSING_STYLE", "path" if endpoint else ""),
    }
    for key, name in (
        ("endpoint_url", "PLANWATCH_S3_ENDPOINT_URL"),
        ("access_key", "PLANWATCH_S3_ACCESS_KEY"),
        ("secret_key", "PLANWATCH_S3_SECRET_KEY"),
        ("region_name", "PLANWATCH_S3_REGION"),
    ):
        if env_str(name, ""):
            options[key] = env_str(name, "")
    if not options["addressing_style"]:
        del options["addressing_style"]
    return options


def secret_key_from_file(path: Path) -> str:
    """The secret key stored at `path`, created once (owner-only, 0600) when absent.

    Several processes may start at once (gunicorn workers, the queue's worker, `setup`): each
    writes a candidate key to a private temporary file and links it into place; `os.link` fails
    when the file already exists, so exactly one candidate wins and every process reads it."""
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        key = ""
    if key:
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    candidate = secrets.token_urlsafe(50)
    fd, tmp = tempfile.mkstemp(prefix=".secret_key.", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, candidate.encode("ascii") + b"\n")
        os.fsync(fd)
        os.close(fd)
        with contextlib.suppress(FileExistsError):  # another process was first: read its key
            os.link(tmp, path)
    finally:
        os.unlink(tmp)
    key = path.read_text(encoding="ascii").strip()
    if not key:
        raise RuntimeError(f"{path} is empty: remove it and start again")
    return key


def secret_key(var_dir: Path) -> str:
    """PLANWATCH_SECRET_KEY when set; else the key kept in `var_dir/secret_key`."""
    return os.environ.get("PLANWATCH_SECRET_KEY", "") or secret_key_from_file(
        var_dir / "secret_key"
    )


def audit_key(var_dir: Path) -> str:
    """PLANWATCH_AUDIT_KEY when set; else the key kept in PLANWATCH_AUDIT_KEY_FILE (default
    `var_dir/audit_key`), made once like the secret key. It keys the audit log's MACs and
    checkpoints (docs/decisions/0031-audit-anchor.md), so it must never be in the database."""
    path = audit_key_file(var_dir)
    return os.environ.get("PLANWATCH_AUDIT_KEY", "") or secret_key_from_file(
        path or var_dir / "audit_key"
    )


def audit_key_file(var_dir: Path) -> Path | None:
    """The file the audit key is kept in: PLANWATCH_AUDIT_KEY_FILE (default
    `var_dir/audit_key`); None when the key comes from PLANWATCH_AUDIT_KEY."""
    if os.environ.get("PLANWATCH_AUDIT_KEY", ""):
        return None
    return Path(os.environ.get("PLANWATCH_AUDIT_KEY_FILE", "") or var_dir / "audit_key")
