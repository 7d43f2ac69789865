"""gunicorn hooks that run the queue's worker (`planwatch worker`) beside the web workers, for
the embedded default (planwatch/core/queue.py). `planwatch serve` passes this module to
gunicorn as its configuration (`-c python:planwatch.core.gunicorn_worker`) when it should.

The worker is a child of gunicorn's master: started when the master starts, restarted within
a few seconds if it dies (a watcher thread in the master), and stopped gracefully (SIGINT,
then SIGKILL after 30 s) when the master exits."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from typing import Any

STOP_TIMEOUT = 30.0
WATCH_SECONDS = 5.0

_state: dict[str, Any] = {"proc": None, "stopping": False, "watcher": None}


def _spawn(server: Any) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "planwatch.cli", "worker"])
    _state["proc"] = proc
    server.log.info("planwatch worker started (pid %s)", proc.pid)


def _watch(server: Any) -> None:
    """Restart the worker if it exits while the server runs."""
    stop = threading.Event()
    _state["watcher"] = stop
    while not stop.wait(WATCH_SECONDS):
        proc = _state["proc"]
        if proc is not None and proc.poll() is not None and not _state["stopping"]:
            server.log.warning("planwatch worker exited with %s; restarting", proc.returncode)
            _spawn(server)


def on_starting(server: Any) -> None:
    _spawn(server)
    threading.Thread(
        target=_watch, args=(server,), name="planwatch-worker-watch", daemon=True
    ).start()


def on_exit(server: Any) -> None:
    _state["stopping"] = True
    if _state["watcher"] is not None:
        _state["watcher"].set()
    proc = _state["proc"]
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    server.log.info("planwatch worker stopped")
