"""The job queue: huey, configured from one URL (`PLANWATCH_QUEUE_URL`).

- `sqlite:///path/to/queue.sqlite3` (the default, `$PLANWATCH_VAR_DIR/queue.sqlite3`): the
  embedded default. The queue is a SQLite file, so no server is needed; `planwatch serve`
  starts one worker process beside the web workers and stops it with them.
- `redis://host:port/db`: production. Run `planwatch worker` as a service of its own
  (docs/decisions/0013-job-queue.md has a systemd unit); `planwatch serve` then starts none.
- `memory://`: in-process and immediate (a task runs when it is enqueued); for tests.

The jobs themselves live in the apps (`JOB_MODULES`); they are imported by the worker so that
it knows them, and by whoever enqueues one.
"""

from __future__ import annotations

import os
import socket
from importlib import import_module
from pathlib import Path
from urllib.parse import urlsplit

from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey

JOB_MODULES = (
    "planwatch.supervision.scheduled",
    "planwatch.plans.ingest_jobs",
    "planwatch.projects.scheduled",
    "planwatch.indicators.scheduled",
    "planwatch.feedback.scheduled",
    "planwatch.core.mail_jobs",
    "planwatch.documents.scheduled",
    "planwatch.audit.scheduled",
)


class QueueConfigError(ValueError):
    """PLANWATCH_QUEUE_URL names no queue planwatch can use."""


def huey_from_url(url: str, *, name: str = "planwatch") -> Huey:
    """The huey instance for a queue URL (see the module docstring)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        # sqlite:////abs/path or sqlite:///rel/path, as in DATABASE_URL.
        path = parts.path[1:] if parts.path.startswith("/") else parts.path
        if not path:
            raise QueueConfigError(f"PLANWATCH_QUEUE_URL {url!r}: no file path after sqlite://")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(name, filename=path, utc=True)
    if scheme in {"redis", "rediss", "unix"}:
        if scheme != "unix" and not parts.hostname:
            raise QueueConfigError(f"PLANWATCH_QUEUE_URL {url!r}: no host after {scheme}://")
        return RedisHuey(name, url=url, utc=True)
    if scheme == "memory":
        return MemoryHuey(name, immediate=True, utc=True)
    raise QueueConfigError(
        f"PLANWATCH_QUEUE_URL {url!r}: unsupported queue; use sqlite:///FILE, "
        "redis://HOST:PORT/DB or memory://"
    )


def is_embedded(huey: Huey) -> bool:
    """True when the queue needs no server, so the web server should run the worker itself."""
    return isinstance(huey, SqliteHuey)


def describe(huey: Huey) -> str:
    """A one-line description for logs (no password)."""
    kind = type(huey).__name__.removesuffix("Huey").lower() or "huey"
    storage = huey.storage
    where = getattr(storage, "filename", "") or ""
    if not where and hasattr(storage, "conn"):
        kwargs = storage.conn.connection_pool.connection_kwargs
        where = f"{kwargs.get('host', '')}:{kwargs.get('port', '')}/{kwargs.get('db', 0)}"
    return f"{kind} queue {huey.name!r}" + (f" at {where}" if where else "")


def jobs_load() -> None:
    """Import every module that declares jobs, so the worker can run them."""
    for module in JOB_MODULES:
        import_module(module)


def worker_identity() -> str:
    """Who runs a job: `host:pid` of this process (recorded on the jobs it claims)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def identity_alive(identity: str) -> bool | None:
    """Whether the process named by a worker identity still runs: True or False for a process
    on this host, None when it is on another host (or the identity is unreadable)."""
    host, _sep, pid = identity.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    try:  # a zombie has died but was not yet reaped
        return stat.read_text().split(")")[-1].split()[0] != "Z"
    except (OSError, IndexError):
        return True
