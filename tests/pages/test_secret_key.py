"""Signing in holds across gunicorn workers (issue 9 item 1).

Without PLANWATCH_SECRET_KEY each process used to make its own random key, so a session
signed by one worker was refused by the others. Now the first process to start stores one
key in var/secret_key (owner-only) and every process reads it; an explicit environment
variable still wins."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests

from planwatch.env import secret_key, secret_key_from_file
from tests.factories.real_server import clean_env, real_server

PORT = 8110  # this suite's own port


def test_the_key_file_is_made_once_owner_only(tmp_path: Path) -> None:
    first = secret_key_from_file(tmp_path / "var" / "secret_key")
    mode = stat.S_IMODE((tmp_path / "var" / "secret_key").stat().st_mode)
    assert mode == 0o600
    assert len(first) >= 50
    assert secret_key_from_file(tmp_path / "var" / "secret_key") == first
    assert [p.name for p in (tmp_path / "var").iterdir()] == ["secret_key"]


def test_processes_starting_together_agree_on_one_key(tmp_path: Path) -> None:
    keys: list[str] = []
    start = threading.Barrier(8)

    def make() -> None:
        start.wait()
        keys.append(secret_key_from_file(tmp_path / "secret_key"))

    threads = [threading.Thread(target=make) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(keys) == 8 and len(set(keys)) == 1


def test_an_explicit_environment_variable_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANWATCH_SECRET_KEY", "from-the-environment")
    assert secret_key(tmp_path) == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()
    monkeypatch.delenv("PLANWATCH_SECRET_KEY")
    stored = secret_key(tmp_path)
    assert stored != "from-the-environment"
    assert (tmp_path / "secret_key").read_text().strip() == stored
    # A process started with the variable set reads it, not the file.
    out = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SECRET_KEY)"],
        env=clean_env(
            DJANGO_SETTINGS_MODULE="planwatch.settings",
            PLANWATCH_VAR_DIR=str(tmp_path),
            PLANWATCH_SECRET_KEY="explicit-key",
        ),
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "explicit-key"


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the server test runs on its own SQLite database, in the SQLite pass",
)
def test_thirty_signed_in_requests_on_four_workers_all_hold(tmp_path: Path) -> None:
    with real_server(tmp_path, PORT) as server:
        key_file = tmp_path / "secret_key"
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        key = key_file.read_text()
        base = server.base
        session = requests.Session()
        form = session.get(f"{base}/accounts/login/", timeout=60)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        assert token
        signed_in = session.post(
            f"{base}/accounts/login/",
            data={
                "username": "admin",
                "password": server.admin_password,
                "csrfmiddlewaretoken": token.group(1),
            },
            headers={"Referer": f"{base}/accounts/login/"},
            allow_redirects=False,
            timeout=60,
        )
        assert signed_in.status_code == 302, signed_in.text[:500]
        answers = []
        for _ in range(30):
            page = session.get(f"{base}/accounts/password/", allow_redirects=False, timeout=60)
            answers.append((page.status_code, page.headers.get("Location", "")))
        assert answers == [(200, "")] * 30
        # The server's workers read the key setup stored; none made one of its own.
        assert key_file.read_text() == key
