"""Production set-up of the job queue: a Redis queue, PostgreSQL, and `planwatch worker` as a
process of its own (the embedded default: tests/queue/test_worker_process.py). Redis is
required when PLANWATCH_REQUIRE_REDIS=1 (CI); elsewhere its absence skips with the reason."""

from __future__ import annotations

import os
import signal
import subprocess
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from planwatch.supervision.models import SupervisionCase, TaskLight
from planwatch.tasks.services import annual_list_issue, annual_list_reopen, task_update
from tests.factories.real_server import PLANWATCH, clean_env, wait_for

REDIS_URL = os.environ.get("PLANWATCH_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_queue() -> Iterator[str]:
    """A queue name of this test's own on the Redis server; emptied afterwards."""
    from planwatch.core.queue import huey_from_url

    name = f"planwatch-test-{uuid.uuid4().hex[:8]}"
    huey = huey_from_url(REDIS_URL, name=name)
    try:
        huey.storage.conn.ping()
    except Exception as exc:
        reason = f"Redis not reachable at {REDIS_URL}: {exc}"
        if os.environ.get("PLANWATCH_REQUIRE_REDIS") == "1":
            pytest.fail(f"{reason} (PLANWATCH_REQUIRE_REDIS=1)", pytrace=False)
        pytest.skip(reason)
    yield name
    huey.flush()


def _pg_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgresql://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_on_redis_runs_the_enqueued_job_against_postgresql(
    redis_queue: str, tmp_path: Path, issued: Any, chuannan_planner_user: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs the test database on PostgreSQL (the PostgreSQL pass)")
    task = issued.tasks.get(clause_key="c3.p1")
    annual_list_reopen(annual_list=issued, actor=chuannan_planner_user, reason="提前完成时限")
    task_update(task=task, actor=chuannan_planner_user, changes={"deadline": date(2024, 3, 31)})
    annual_list_issue(annual_list=issued, actor=chuannan_planner_user)

    env = clean_env(
        DATABASE_URL=_pg_url(),
        PLANWATCH_VAR_DIR=str(tmp_path),
        PLANWATCH_QUEUE_URL=REDIS_URL,
        PLANWATCH_QUEUE_NAME=redis_queue,
    )

    def planwatch(*args: str) -> str:
        done = subprocess.run(
            [PLANWATCH, *args], env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    out = planwatch("supervise", "--enqueue", "--date", "2024-04-10")
    assert f"enqueued on redis queue '{redis_queue}'" in out
    # Nothing runs it until a worker is there: the run waits on the queue.
    assert "pending: 1;" in planwatch("worker", "--check")
    # Issuing stored the lights at once (issue 9 item 8); the 督办 case waits for the job.
    assert not SupervisionCase.objects.filter(task=task).exists()

    worker = subprocess.Popen(
        [PLANWATCH, "worker", "--no-periodic"],
        env=env,
        stdout=(tmp_path / "worker.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        case = wait_for(lambda: SupervisionCase.objects.filter(task=task).first(), 60, "the case")
        assert case.light == "red" and "逾期" in case.reason
        assert TaskLight.objects.get(task=task).light == "red"
    finally:
        worker.send_signal(signal.SIGINT)  # graceful
        worker.wait(60)
    assert worker.returncode == 0, (tmp_path / "worker.log").read_text()
    assert "pending: 0;" in planwatch("worker", "--check")
    log = (tmp_path / "worker.log").read_text()
    assert "planwatch worker: redis queue" in log and "supervise.now" in log
