"""The job queue's configuration and the scheduled supervision job, in process (huey's
immediate mode, tests/conftest.py). The worker processes themselves: test_worker_process.py."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management.base import CommandError
from django.test import override_settings
from huey import MemoryHuey, RedisHuey, SqliteHuey
from huey.contrib.djhuey import HUEY

from planwatch.audit.models import AuditEvent
from planwatch.core.queue import QueueConfigError, describe, huey_from_url, is_embedded
from planwatch.pages.management.commands.serve import gunicorn_argv, serve_worker_wanted
from planwatch.supervision import scheduled

BEIJING = ZoneInfo("Asia/Shanghai")


def _runs() -> list[str]:
    return list(
        AuditEvent.objects.filter(action="supervise.run").values_list("target_label", flat=True)
    )


def test_sqlite_url_gives_a_file_queue_that_needs_no_server(tmp_path: Path) -> None:
    huey = huey_from_url(f"sqlite:///{tmp_path}/q/queue.sqlite3", name="t")
    assert isinstance(huey, SqliteHuey)
    assert huey.storage.filename == f"{tmp_path}/q/queue.sqlite3"
    assert (tmp_path / "q" / "queue.sqlite3").exists()
    assert is_embedded(huey)
    assert describe(huey) == f"sqlite queue 't' at {tmp_path}/q/queue.sqlite3"


def test_redis_url_gives_a_redis_queue() -> None:
    huey = huey_from_url("redis://127.0.0.1:6379/3", name="prod")
    assert isinstance(huey, RedisHuey)
    assert not is_embedded(huey)
    assert describe(huey) == "redis queue 'prod' at 127.0.0.1:6379/3"


def test_memory_url_runs_jobs_immediately() -> None:
    huey = huey_from_url("memory://")
    assert isinstance(huey, MemoryHuey)
    assert huey.immediate


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("amqp://guest@127.0.0.1//", "unsupported queue"),
        ("sqlite://", "no file path"),
        ("redis:///0", "no host"),
        ("", "unsupported queue"),
    ],
)
def test_a_queue_url_planwatch_cannot_use_is_refused_by_name(url: str, message: str) -> None:
    with pytest.raises(QueueConfigError, match=message) as info:
        huey_from_url(url)
    assert repr(url) in str(info.value)


def test_serve_runs_the_worker_itself_only_for_a_queue_without_server(tmp_path: Path) -> None:
    sqlite = huey_from_url(f"sqlite:///{tmp_path}/queue.sqlite3")
    redis = huey_from_url("redis://127.0.0.1:6379/0")
    with override_settings(HUEY=sqlite, PLANWATCH_SERVE_WORKER="auto"):
        assert serve_worker_wanted()
    with override_settings(HUEY=redis, PLANWATCH_SERVE_WORKER="auto"):
        assert not serve_worker_wanted()
    with override_settings(HUEY=redis, PLANWATCH_SERVE_WORKER="on"):
        assert serve_worker_wanted()
    with override_settings(HUEY=sqlite, PLANWATCH_SERVE_WORKER="off"):
        assert not serve_worker_wanted()
    with (
        override_settings(HUEY=sqlite, PLANWATCH_SERVE_WORKER="sometimes"),
        pytest.raises(CommandError, match="PLANWATCH_SERVE_WORKER 'sometimes'"),
    ):
        serve_worker_wanted()
    with_worker = gunicorn_argv(
        bind="127.0.0.1:1", workers=1, threads=1, extra=[], with_worker=True
    )
    without = gunicorn_argv(bind="127.0.0.1:1", workers=1, threads=1, extra=[], with_worker=False)
    assert with_worker[with_worker.index("--config") + 1] == "python:planwatch.core.gunicorn_worker"
    assert "--config" not in without


@pytest.mark.django_db
@override_settings(PLANWATCH_SUPERVISE_AT="06:30")
def test_the_daily_job_runs_once_after_its_time_and_not_before() -> None:
    before = datetime(2024, 5, 6, 6, 29, tzinfo=BEIJING)
    assert scheduled.supervise_if_due(before) is None
    assert _runs() == []

    after = datetime(2024, 5, 6, 6, 40, tzinfo=BEIJING)
    summary = scheduled.supervise_if_due(after)
    assert summary is not None and summary.startswith("2024-05-06: lights:")
    assert _runs() == ["2024-05-06"]

    # Later checks the same day find the day's run and do nothing.
    assert scheduled.supervise_if_due(datetime(2024, 5, 6, 23, 50, tzinfo=BEIJING)) is None
    assert _runs() == ["2024-05-06"]

    # The next day it runs again: a worker that was down at 06:30 catches up at 09:00.
    assert scheduled.supervise_if_due(datetime(2024, 5, 7, 9, 0, tzinfo=BEIJING)) is not None
    assert sorted(_runs()) == ["2024-05-06", "2024-05-07"]


@pytest.mark.django_db
def test_the_day_is_the_local_day_not_utc() -> None:
    # 23:30 UTC on the 6th is 07:30 on the 7th in Beijing.
    with override_settings(PLANWATCH_SUPERVISE_AT="07:00"):
        assert scheduled.supervise_if_due(datetime(2024, 5, 6, 23, 30, tzinfo=ZoneInfo("UTC")))
    assert _runs() == ["2024-05-07"]


@pytest.mark.django_db
def test_a_run_already_held_by_another_worker_is_skipped() -> None:
    with HUEY.lock_task(scheduled.LOCK_NAME):
        assert scheduled.supervise_if_due(datetime(2024, 5, 6, 12, 0, tzinfo=BEIJING)) is None
    assert _runs() == []
    # The lock is released afterwards.
    assert scheduled.supervise_if_due(datetime(2024, 5, 6, 12, 0, tzinfo=BEIJING)) is not None


@pytest.mark.django_db
def test_an_enqueued_run_always_runs() -> None:
    scheduled.supervise_now("2024-05-06")
    scheduled.supervise_now("2024-05-06")
    assert _runs() == ["2024-05-06", "2024-05-06"]


@override_settings(PLANWATCH_SUPERVISE_AT="half past six")
def test_a_bad_supervise_time_is_named() -> None:
    with pytest.raises(ValueError, match="PLANWATCH_SUPERVISE_AT 'half past six'"):
        scheduled.supervise_time()


def test_the_worker_knows_the_periodic_check() -> None:
    names = [task.name for task in HUEY._registry.periodic_tasks]
    assert "supervise.check" in names
