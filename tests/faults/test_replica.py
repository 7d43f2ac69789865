"""Reads from a streaming replica (issue 15, item 6): a real PostgreSQL primary and a hot
standby made from it with `pg_basebackup -R`, each on a port of its own, started by this
test (as the `postgres` system user, where the machine has one and lets root switch to it).

With replay paused on the replica, a plan created on the primary is not on its dashboard —
the dashboard reads the replica — while the signed-in administrator's session (written a
moment before) is read from the primary; a write made during a read-only request goes to the
primary. Once replay resumes and the replica catches up, the dashboard shows the plan."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_basebackup"))
    return found[-1].parent if found else None


def _as_postgres(*args: str) -> None:
    done = subprocess.run(
        ["runuser", "-u", "postgres", "--", *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"{args[0]}: {done.stdout}{done.stderr}"


@pytest.fixture(scope="module")
def pair() -> Iterator[tuple[str, str]]:
    if connection.vendor != "postgresql":
        pytest.skip("the replica test runs in the PostgreSQL pass")
    pg = _pg_bin()
    if pg is None or shutil.which("runuser") is None or os.geteuid() != 0:
        pytest.skip("needs PostgreSQL's server binaries and root (to run them as postgres)")
    # not under pytest's own temporary directory: that one is closed to other users
    base = Path(tempfile.mkdtemp(prefix="planwatch-pgpair-"))
    primary_port, standby_port = _free_port(), _free_port()
    os.chmod(base, 0o755)
    shutil.chown(base, "postgres")
    primary, standby = base / "primary", base / "standby"
    _as_postgres(
        str(pg / "initdb"),
        "-D",
        str(primary),
        "-A",
        "trust",
        "-U",
        "postgres",
        "--no-sync",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
    )
    with (primary / "pg_hba.conf").open("a") as hba:
        hba.write("host replication all 127.0.0.1/32 trust\n")
    opts = f"-k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
    _as_postgres(
        str(pg / "pg_ctl"),
        "-D",
        str(primary),
        "-o",
        f"-p {primary_port} {opts}",
        "-l",
        str(base / "primary.log"),
        "-w",
        "start",
    )
    try:
        _as_postgres(
            str(pg / "pg_basebackup"),
            "-h",
            "127.0.0.1",
            "-p",
            str(primary_port),
            "-U",
            "postgres",
            "-D",
            str(standby),
            "-R",
            "-X",
            "stream",
        )
        _as_postgres(
            str(pg / "pg_ctl"),
            "-D",
            str(standby),
            "-o",
            f"-p {standby_port} {opts}",
            "-l",
            str(base / "standby.log"),
            "-w",
            "start",
        )
        try:
            yield (
                f"postgresql://postgres@127.0.0.1:{primary_port}/postgres",
                f"postgresql://postgres@127.0.0.1:{standby_port}/postgres",
            )
        finally:
            _as_postgres(str(pg / "pg_ctl"), "-D", str(standby), "-m", "immediate", "stop")
    finally:
        _as_postgres(str(pg / "pg_ctl"), "-D", str(primary), "-m", "immediate", "stop")
        shutil.rmtree(base, ignore_errors=True)


def _env(var: Path, urls: tuple[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DATABASE_URL=urls[0],
        DATABASE_REPLICA_URL=urls[1],
        PLANWATCH_VAR_DIR=str(var),
        PLANWATCH_SECRET_KEY="replica-test-secret-key-" + "r" * 40,
        PYTHONPATH=str(ROOT),
        PLANWATCH_QUEUE_URL="memory://",
    )
    return env


def _child(env: dict[str, str], step: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.faults.replica_child", step],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _caught_up(urls: tuple[str, str]) -> bool:
    with psycopg.connect(urls[0]) as p, psycopg.connect(urls[1]) as s:
        row = p.execute("SELECT pg_current_wal_lsn()").fetchone()
        target = row[0] if row else None
        got = s.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]).fetchone()
        return bool(got and got[0])


def test_read_only_pages_read_the_replica_and_writes_go_to_the_primary(
    pair: tuple[str, str], tmp_path: Path
) -> None:
    env = _env(tmp_path, pair)
    migrate = subprocess.run(
        [str(BIN / "planwatch"), "migrate", "-v0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert migrate.returncode == 0, migrate.stderr
    deadline = time.monotonic() + 60
    while not _caught_up(pair):
        assert time.monotonic() < deadline, "the replica did not catch up with the migrations"
        time.sleep(0.2)

    with psycopg.connect(pair[1], autocommit=True) as standby:
        standby.execute("SELECT pg_wal_replay_pause()")
        seen = _child(env, "write")
        assert seen["read_on_primary"] is True and seen["written_on_primary"] is True
        # the dashboard read the paused replica: the new plan is not there yet
        assert seen["dashboard"] == 404
        assert seen["read_in_read_only"] is False
        assert seen["router_in_read_only"] == "replica"
        assert seen["router"] == "default"
        standby.execute("SELECT pg_wal_replay_resume()")
    deadline = time.monotonic() + 60
    while not _caught_up(pair):
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.2)
    assert _child(env, "read")["dashboard"] == 200
