"""Backup and restore of a whole planwatch: the database, the stored files (evidence,
source documents) and a manifest to check the copy against (issue 15, item 5).

A backup is one tar archive holding

- `database.sqlite3` — SQLite's online backup API (a consistent copy while others write), or
  `database.pgdump` — `pg_dump --format=custom` run on a snapshot exported by the same
  REPEATABLE READ transaction that hashes the tables, so the dump and its manifest describe the
  same moment;
- `media/…` — every file of the default storage (read through Django's storage API, so an
  object store works the same);
- `manifest.json` — the database vendor, per table its row count and a SHA-256 of its rows in
  primary-key order, per file its size and SHA-256.

`restore` refuses anything but an empty database and an empty storage, loads the archive, then
checks what it loaded against the manifest (every table, every file) and the audit log's hash
chain, and names every difference. The secret key is not in the archive: keep
`var/secret_key` (or PLANWATCH_SECRET_KEY) with the backups; a restore under another key loses
only the sessions. Nor are the audit key and checkpoint file (var/audit_key,
var/audit-checkpoints.log, decision record 0031): they anchor the audit log outside the
database and are backed up apart from it; the restore's audit check needs the same key, and
accepts checkpoints newer than the backup.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.db import connection, connections

from planwatch.audit.services import audit_verify

FORMAT = 1
CHUNK = 2000


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


@dataclass
class Manifest:
    vendor: str
    created_at: str
    tables: dict[str, dict[str, Any]]
    files: dict[str, dict[str, Any]]
    format: int = FORMAT

    def to_json(self) -> bytes:
        return json.dumps(self.__dict__, ensure_ascii=False, indent=1, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        data = json.loads(raw)
        if data.get("format") != FORMAT:
            raise BackupError(f"manifest format {data.get('format')!r} is not {FORMAT}")
        return cls(**data)


@dataclass
class RestoreReport:
    tables: int = 0
    rows: int = 0
    files: int = 0
    audit_events: int = 0
    problems: list[str] = field(default_factory=list)


# -- hashing -------------------------------------------------------------------------------


def _canonical(value: Any) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, bytes | bytearray | memoryview):
        return "b:" + bytes(value).hex()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return str(value.isoformat())
    if isinstance(value, dt.date | dt.time):
        return str(value.isoformat())
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, uuid.UUID):
        return str(value)
    return str(value)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table_names(cursor: Any, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    else:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        )
    return [row[0] for row in cursor.fetchall()]


def _columns(cursor: Any, vendor: str, table: str) -> tuple[list[str], list[str]]:
    """(all columns in order, primary-key columns in order)."""
    if vendor == "sqlite":
        cursor.execute(f"PRAGMA table_info({_quote(table)})")
        rows = cursor.fetchall()
        cols = [r[1] for r in rows]
        pk = [r[1] for r in sorted((r for r in rows if r[5]), key=lambda r: r[5])]
        return cols, pk
    cursor.execute(
        "SELECT a.attname, COALESCE(array_position(i.indkey::int2[], a.attnum), 0) "
        "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary "
        "WHERE c.relname = %s AND n.nspname = current_schema() AND a.attnum > 0 "
        "AND NOT a.attisdropped ORDER BY a.attnum",
        [table],
    )
    rows = cursor.fetchall()
    cols = [r[0] for r in rows]
    pk = [r[0] for r in sorted((r for r in rows if r[1]), key=lambda r: r[1])]
    return cols, pk


def table_digests(cursor: Any, vendor: str) -> dict[str, dict[str, Any]]:
    """Per table: row count and the SHA-256 of its rows in primary-key order (all columns in
    order where a table has no primary key)."""
    out: dict[str, dict[str, Any]] = {}
    for table in _table_names(cursor, vendor):
        cols, pk = _columns(cursor, vendor, table)
        order = ", ".join(_quote(c) for c in (pk or cols))
        select = ", ".join(_quote(c) for c in cols)
        cursor.execute(f"SELECT {select} FROM {_quote(table)} ORDER BY {order}")
        digest, count = hashlib.sha256(), 0
        while rows := cursor.fetchmany(CHUNK):
            for row in rows:
                digest.update("\x1f".join(_canonical(v) for v in row).encode() + b"\x1e")
            count += len(rows)
        out[table] = {"rows": count, "sha256": digest.hexdigest()}
    return out


# -- files ---------------------------------------------------------------------------------


def _walk(storage: Storage, prefix: str = "") -> Iterator[str]:
    try:
        dirs, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{prefix}{name}"
    for name in sorted(dirs):
        yield from _walk(storage, f"{prefix}{name}/")


def file_digests(storage: Storage | None = None) -> dict[str, dict[str, Any]]:
    storage = storage or default_storage
    out: dict[str, dict[str, Any]] = {}
    for name in _walk(storage):
        digest, size = hashlib.sha256(), 0
        with storage.open(name, "rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
        out[name] = {"size": size, "sha256": digest.hexdigest()}
    return out


# -- PostgreSQL ------------------------------------------------------------------------------


def _pg_env(alias: str = "default") -> tuple[dict[str, str], list[str]]:
    db = connections[alias].settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    args += ["--dbname", str(db["NAME"])]
    return env, args


def _run(cmd: list[str], env: dict[str, str]) -> None:
    if shutil.which(cmd[0]) is None:
        raise BackupError(f"{cmd[0]} is not installed (Debian: postgresql-client)")
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{cmd[0]} failed: {done.stderr.strip()[:2000]}")


# -- backup --------------------------------------------------------------------------------


def backup(out: Path, *, storage: Storage | None = None) -> Manifest:
    """Write a backup archive to `out` (written beside it, then renamed into place)."""
    storage = storage or default_storage
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups of {vendor} are not supported")
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".backup-") as tmp_name:
        tmp = Path(tmp_name)
        if vendor == "sqlite":
            db_file = tmp / "database.sqlite3"
            connection.ensure_connection()
            source = connection.connection
            target = sqlite3.connect(db_file)
            try:
                source.backup(target)
            finally:
                target.close()
            # read the copy as Django reads the database (its type converters), as `verify` does
            copy = sqlite3.connect(
                db_file, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
            )
            try:
                tables = table_digests(copy.cursor(), "sqlite")
            finally:
                copy.close()
        else:
            db_file = tmp / "database.pgdump"
            tables = _pg_dump(db_file)
        files = file_digests(storage)
        manifest = Manifest(
            vendor=vendor,
            created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            tables=tables,
            files=files,
        )
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            tar.add(db_file, arcname=db_file.name)
            for name in files:
                info = tarfile.TarInfo(f"media/{name}")
                info.size = files[name]["size"]
                with storage.open(name, "rb") as fh:
                    tar.addfile(info, fh)
            raw = manifest.to_json()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(raw)
            with tempfile.TemporaryFile() as fh:
                fh.write(raw)
                fh.seek(0)
                tar.addfile(info, fh)
        os.replace(partial, out)
    return manifest


def _pg_connect() -> psycopg.Connection[Any]:
    """A plain psycopg connection to the configured database: the backup and `verify` read
    the rows through the same driver settings, so their digests compare."""
    db = connection.settings_dict
    conninfo = {
        k: v
        for k, v in {
            "host": db.get("HOST"),
            "port": db.get("PORT"),
            "user": db.get("USER"),
            "password": db.get("PASSWORD"),
            "dbname": db.get("NAME"),
        }.items()
        if v
    }
    return psycopg.connect(**conninfo)


def _pg_dump(target: Path) -> dict[str, dict[str, Any]]:
    env, args = _pg_env()
    with _pg_connect() as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        row = conn.execute("SELECT pg_export_snapshot()").fetchone()
        assert row is not None
        _run(
            [
                "pg_dump",
                *args,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={row[0]}",
                "--file",
                str(target),
            ],
            env,
        )
        with conn.cursor() as cursor:
            tables = table_digests(cursor, "postgresql")
        conn.rollback()
    return tables


# -- restore -------------------------------------------------------------------------------


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        return not _table_names(cursor, connection.vendor)


def _storage_is_empty(storage: Storage) -> bool:
    return next(_walk(storage), None) is None


def read_manifest(archive: Path) -> Manifest:
    try:
        with tarfile.open(archive, "r") as tar:
            member = tar.extractfile("manifest.json")
            if member is None:
                raise BackupError(f"{archive}: no manifest.json")
            return Manifest.from_json(member.read())
    except (tarfile.TarError, KeyError, OSError, ValueError) as exc:
        raise BackupError(f"{archive}: not a planwatch backup ({exc})") from exc


def restore(archive: Path, *, storage: Storage | None = None) -> RestoreReport:
    """Load `archive` into the configured (empty) database and storage, then check it."""
    storage = storage or default_storage
    manifest = read_manifest(archive)
    vendor = connection.vendor
    if manifest.vendor != vendor:
        raise BackupError(f"the backup is of {manifest.vendor}, this database is {vendor}")
    if not _database_is_empty():
        raise BackupError("the database is not empty: restore only into an empty database")
    if not _storage_is_empty(storage):
        raise BackupError("the file storage is not empty: restore only into an empty storage")
    with tempfile.TemporaryDirectory(prefix="planwatch-restore-") as tmp_name:
        tmp = Path(tmp_name)
        with tarfile.open(archive, "r") as tar:
            db_name = "database.sqlite3" if vendor == "sqlite" else "database.pgdump"
            tar.extract(db_name, tmp, filter="data")
            if vendor == "sqlite":
                _sqlite_load(tmp / db_name)
            else:
                env, args = _pg_env()
                connection.close()
                _run(
                    [
                        "pg_restore",
                        *args,
                        "--no-owner",
                        "--no-privileges",
                        "--exit-on-error",
                        "--single-transaction",
                        str(tmp / db_name),
                    ],
                    env,
                )
            for member in tar.getmembers():
                if not member.isfile() or not member.name.startswith("media/"):
                    continue
                name = member.name.removeprefix("media/")
                fh = tar.extractfile(member)
                if fh is None:
                    continue
                saved = storage.save(name, File(fh, name=name))
                if saved != name:
                    raise BackupError(f"the storage stored {name} as {saved}")
    return verify(manifest, storage=storage)


def _sqlite_load(source_file: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(source_file)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


def verify(manifest: Manifest, *, storage: Storage | None = None) -> RestoreReport:
    """Compare the database and the storage with `manifest`, and verify the audit log."""
    report = RestoreReport()
    if connection.vendor == "postgresql":
        with _pg_connect() as conn, conn.cursor() as cursor:
            tables = table_digests(cursor, "postgresql")
    else:
        connection.ensure_connection()
        tables = table_digests(connection.connection.cursor(), "sqlite")
    for name, want in sorted(manifest.tables.items()):
        got = tables.get(name)
        if got is None:
            report.problems.append(f"table {name}: missing")
        elif got != want:
            report.problems.append(
                f"table {name}: {got['rows']} rows (backup {want['rows']}), content differs"
                if got["sha256"] != want["sha256"]
                else f"table {name}: {got['rows']} rows (backup {want['rows']})"
            )
    for name in sorted(set(tables) - set(manifest.tables)):
        report.problems.append(f"table {name}: not in the backup")
    files = file_digests(storage)
    for name, want in sorted(manifest.files.items()):
        got = files.get(name)
        if got is None:
            report.problems.append(f"file {name}: missing")
        elif got["sha256"] != want["sha256"]:
            report.problems.append(f"file {name}: content differs")
    report.tables = len(tables)
    report.rows = sum(t["rows"] for t in tables.values())
    report.files = len(files)
    # A backup is older than the newest checkpoints: those past its end are expected.
    checked, problems = audit_verify(checkpoints_past_end=True)
    report.audit_events = checked
    report.problems += [f"audit: {p}" for p in problems]
    return report
