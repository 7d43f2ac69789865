"""The real worker, as deployed: separate processes, a real queue, a real database.

- Embedded default (SQLite queue file, no server): `planwatch serve` starts the worker
  beside the web workers; it runs the daily job once its time has passed and an upload's
  ingest job when one is enqueued, and it stops with the server.
- Production (Redis queue, PostgreSQL): `planwatch supervise --enqueue` puts a run on the
  queue, where it waits until `planwatch worker` takes it; the worker turns an overdue task
  red and opens its case in the database the web application reads.

The first is here and runs in the SQLite pass of `make test`; the second is
tests/supervision/test_worker_redis.py (it uses that folder's plan fixtures) and runs in
the PostgreSQL pass, where the test database is a server other processes can reach."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import urllib.request
from pathlib import Path

import pytest

from tests.factories.real_server import PLANWATCH, clean_env, wait_for

BUNDLED = Path(__file__).resolve().parents[2] / "data/plans/sichuan-2021-five-regional-plans.txt"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead but not yet reaped.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z")


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the embedded-default test runs in the SQLite pass",
)
def test_serve_runs_the_worker_on_the_embedded_queue_and_stops_it(tmp_path: Path) -> None:
    env = clean_env(
        DATABASE_URL=f"sqlite:///{tmp_path}/planwatch.sqlite3",
        PLANWATCH_VAR_DIR=str(tmp_path),
        PLANWATCH_SUPERVISE_AT="00:00",  # due as soon as the worker looks
    )
    subprocess.run([PLANWATCH, "migrate", "-v0"], env=env, check=True, timeout=120)
    port = _free_port()
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen(
        [PLANWATCH, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:

        def runs() -> int:
            with sqlite3.connect(f"file:{tmp_path}/planwatch.sqlite3?mode=ro", uri=True) as db:
                row = db.execute(
                    "select count(*) from audit_auditevent where action = 'supervise.run'"
                ).fetchone()
            return int(row[0])

        wait_for(runs, 60, "the worker's first supervision run")

        # An upload's ingest job, enqueued as the upload page does, is run by that worker.
        enqueue = (
            "import hashlib; from pathlib import Path; "
            "from planwatch.plans.models import IngestJob; "
            "from planwatch.plans.ingest_jobs import ingest_job_task; "
            f"d = Path({str(BUNDLED)!r}).read_bytes(); "
            "j = IngestJob.objects.create(name='five-plans.txt', "
            "sha256=hashlib.sha256(d).hexdigest(), size=len(d), content=d); "
            "ingest_job_task(j.pk)"
        )
        subprocess.run([PLANWATCH, "shell", "-c", enqueue], env=env, check=True, timeout=60)

        def ingested() -> tuple[str, int] | None:
            with sqlite3.connect(f"file:{tmp_path}/planwatch.sqlite3?mode=ro", uri=True) as db:
                status = db.execute("select status from plans_ingestjob").fetchone()[0]
                plans = db.execute("select count(*) from plans_plan").fetchone()[0]
            return (status, plans) if status in ("done", "failed") else None

        assert wait_for(ingested, 60, "the ingest job") == ("done", 5)
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=10)
        assert page.status == 200
        text = (tmp_path / "serve.log").read_text()
        assert "sqlite queue 'planwatch'" in text and "worker started here" in text
        pid = int(text.split("planwatch worker started (pid ")[1].split(")")[0])
        assert _alive(pid)
        assert runs() == 1
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)
    assert server.returncode == 0
    assert not _alive(pid), "the worker outlived the server"
    assert "planwatch worker stopped" in (tmp_path / "serve.log").read_text()
