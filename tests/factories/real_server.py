"""The real server in a test: `planwatch setup` on a new SQLite database in a temporary var
directory, then `planwatch serve` (gunicorn with several workers, no queue worker) on the
test's own port, stopped with its workers at the end."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

PLANWATCH = str(Path(sys.executable).parent / "planwatch")


def clean_env(**values: str) -> dict[str, str]:
    """This process's environment without any planwatch or database setting, plus `values`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLANWATCH_", "DATABASE"))}
    env.update(values)
    return env


def wait_for(check: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@dataclass(frozen=True)
class RunningServer:
    base: str  # http://127.0.0.1:PORT
    admin_password: str  # as `setup` printed it, once
    var_dir: Path


@contextmanager
def real_server(var_dir: Path, port: int, *, workers: int = 4) -> Iterator[RunningServer]:
    env = clean_env(
        DATABASE_URL=f"sqlite:///{var_dir}/planwatch.sqlite3",
        PLANWATCH_VAR_DIR=str(var_dir),
        PLANWATCH_SERVE_WORKER="off",
    )
    setup = subprocess.run(
        [PLANWATCH, "setup", "--no-plans", "--no-static"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    password = re.search(r"password: (\S+)", setup.stdout)
    assert password, setup.stdout
    log = (var_dir / "serve.log").open("w+")
    server = subprocess.Popen(
        [PLANWATCH, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:

        def up() -> bool:
            try:
                return requests.get(f"{base}/accounts/login/", timeout=30).status_code == 200
            except requests.RequestException:  # not listening yet, or still starting up
                return False

        wait_for(up, 120, "the server")
        yield RunningServer(base, password.group(1), var_dir)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(60)
        log.close()
