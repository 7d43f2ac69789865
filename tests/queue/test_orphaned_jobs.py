"""A worker killed mid-upload (issue 9 item 14): the job used to stay 解析中 for 30 minutes.
Jobs carry their worker's identity (host:pid) and a heartbeat; a worker that starts resumes
every job left running by a dead worker at once (the ingest is all or nothing, so nothing of
the lost run was kept), or fails it after MAX_ATTEMPTS, leaving it to 重试.

Real processes: a real `planwatch worker` is started and killed with SIGKILL, and the job
rows are left as its claim leaves them; a second real worker then starts on the same SQLite
database and queue file."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.factories.real_server import clean_env, wait_for

PLANWATCH = str(Path(sys.executable).parent / "planwatch")
BUNDLED = Path(__file__).resolve().parents[2] / "data/plans/sichuan-2021-five-regional-plans.txt"


def _db(tmp_path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{tmp_path}/planwatch.sqlite3?mode=ro", uri=True)


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="runs on its own SQLite database, in the SQLite pass",
)
def test_a_restarted_worker_resumes_or_fails_the_jobs_of_a_killed_one(tmp_path: Path) -> None:
    env = clean_env(
        DATABASE_URL=f"sqlite:///{tmp_path}/planwatch.sqlite3",
        PLANWATCH_VAR_DIR=str(tmp_path),
        PLANWATCH_SUPERVISE_AT="23:59",
    )
    subprocess.run([PLANWATCH, "migrate", "-v0"], env=env, check=True, timeout=300)
    first = subprocess.Popen(
        [PLANWATCH, "worker", "--no-periodic"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    time.sleep(3)  # let it start as a real worker would
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(30)
    # Two uploads the killed worker had claimed (as ingest_job_run leaves them), one on its
    # first attempt and one already tried three times.
    rows = (
        "import hashlib, socket; from pathlib import Path; from django.utils import timezone; "
        "from planwatch.plans.models import IngestJob; "
        f"d = Path({str(BUNDLED)!r}).read_bytes(); now = timezone.now(); "
        f"w = socket.gethostname() + ':{first.pid}'; "
        "[IngestJob.objects.create(name=n, sha256=hashlib.sha256(d).hexdigest(), size=len(d), "
        "content=d, status='running', started_at=now, heartbeat_at=now, attempts=a, worker=w) "
        "for n, a in (('five-plans.txt', 1), ('third-time.txt', 3))]"
    )
    subprocess.run([PLANWATCH, "shell", "-c", rows], env=env, check=True, timeout=120)

    log = (tmp_path / "worker.log").open("w+")
    second = subprocess.Popen(
        [PLANWATCH, "worker", "--no-periodic"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:

        def finished() -> dict[str, tuple[str, str, int]] | None:
            with _db(tmp_path) as db:
                jobs = db.execute("select name, status, error, attempts from plans_ingestjob")
                out = {n: (s, e, a) for n, s, e, a in jobs.fetchall()}
            return out if all(s in ("done", "failed") for s, _e, _a in out.values()) else None

        jobs = wait_for(finished, 120, "the orphaned jobs to be resumed or failed")
        assert jobs["five-plans.txt"][0] == "done" and jobs["five-plans.txt"][2] == 2
        status, error, attempts = jobs["third-time.txt"]
        assert status == "failed" and attempts == 3
        assert error == "third-time.txt：作业进程中断，已尝试 3 次仍未完成；可以重试。"
        with _db(tmp_path) as db:
            plans = db.execute("select count(*) from plans_plan").fetchone()[0]
            worker = db.execute(
                "select worker from plans_ingestjob where name = 'five-plans.txt'"
            ).fetchone()[0]
        assert plans == 5
        assert worker.endswith(f":{second.pid}")  # the resumed run names its new worker
        text = (tmp_path / "worker.log").read_text()
        assert "ingest jobs of a worker that died: 1 resumed, 1 failed" in text
    finally:
        os.killpg(second.pid, signal.SIGINT)
        second.wait(60)
