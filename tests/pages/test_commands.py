"""The command-line verbs: `planwatch ingest`, `planwatch setup` and `planwatch serve`."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from planwatch.orgunits.models import OrgUnit
from planwatch.pages.management.commands import serve
from planwatch.plans import services
from planwatch.plans.management.commands.ingest import progress_bar
from planwatch.plans.models import SourceDocument
from tests.factories.plans import ROOT, SOUTH_TITLE, db_snapshot, sample_parse

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def sample_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A file whose parse is the hand-made sample (other bytes go to the real parser)."""
    data, parsed = sample_parse()
    real = services.parse_bytes

    def fake(raw: bytes, *, name: str, format: str | None = None) -> Any:
        return parsed if raw == data else real(raw, name=name)

    monkeypatch.setattr(services, "parse_bytes", fake)
    path = tmp_path / "sample.txt"
    path.write_bytes(data)
    return path


def test_ingest_then_again_says_already_present(
    orgunits: dict[str, OrgUnit], sample_file: Path
) -> None:
    out, _ = _run("ingest", str(sample_file))
    assert "sample.txt: ingested" in out and f"{SOUTH_TITLE} v1" in out
    before = db_snapshot()
    out, _ = _run("ingest", str(sample_file))
    assert "already present" in out
    assert db_snapshot() == before


def test_ingest_exits_2_with_one_line_per_bad_file(
    orgunits: dict[str, OrgUnit], sample_file: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.txt"
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "ingest", str(empty), str(sample_file), str(missing), stdout=io.StringIO(), stderr=err
        )
    assert exit_info.value.code == 2
    errors = [line for line in err.getvalue().splitlines() if "error:" in line]
    assert len(errors) == 2
    assert "empty.txt" in errors[0] and "missing.txt" in errors[1]
    assert "Traceback" not in err.getvalue()
    # The good file in the middle was still ingested; progress was shown for three files.
    assert SourceDocument.objects.filter(name="sample.txt").exists()
    assert "3/3" in err.getvalue()


def test_progress_bar() -> None:
    assert progress_bar(0, 4, "a.txt", width=8) == "[--------] 0/4  a.txt"
    assert progress_bar(2, 4, "b.txt", width=8) == "[####----] 2/4  b.txt"


def test_ingest_on_the_command_line_exits_2_without_traceback(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    env = {"PLANWATCH_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    cli = [sys.executable, "-m", "planwatch.cli"]
    subprocess.run([*cli, "migrate", "-v0"], check=True, cwd=ROOT, env=env, timeout=300)
    proc = subprocess.run(
        [*cli, "ingest", str(empty)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert lines == [lines[0]] and "empty.txt" in lines[0]


def test_setup_is_idempotent_and_prints_the_admin_password_once(
    orgunits: dict[str, OrgUnit], settings: Any, tmp_path: Path
) -> None:
    settings.STATIC_ROOT = tmp_path / "static"
    out, _ = _run("setup", "--no-plans")
    assert "password:" in out
    password = out.split("password:")[1].split()[0]
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(password)
    assert (tmp_path / "static" / "css" / "app.css").exists()
    before = db_snapshot()
    out, _ = _run("setup", "--no-plans", "--no-static")
    assert "password:" not in out and "exists" in out
    assert db_snapshot() == before


def test_setup_ingests_the_bundled_plans_when_absent(
    orgunits: dict[str, OrgUnit], bundled_plans: Any
) -> None:
    out, _ = _run("setup", "--no-static")
    assert "already present (5 plans)" in out


def test_serve_runs_gunicorn_with_workers_and_bind(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[list[str]] = []
    envs: list[dict[str, str]] = []
    monkeypatch.setattr(
        serve.os, "execve", lambda path, argv, env: (calls.append(argv), envs.append(env))
    )
    monkeypatch.delenv("DB_CONN_MAX_AGE", raising=False)
    monkeypatch.setenv("PLANWATCH_WORKERS", "3")
    monkeypatch.setenv("PLANWATCH_THREADS", "2")
    monkeypatch.setenv("PLANWATCH_BIND", "0.0.0.0:9000")
    out, _ = _run("serve")
    argv = calls[0]
    assert argv[1:4] == ["-m", "gunicorn", "planwatch.wsgi:application"]
    assert argv[argv.index("--workers") + 1] == "3"
    assert argv[argv.index("--threads") + 1] == "2"
    assert argv[argv.index("--bind") + 1] == "0.0.0.0:9000"
    assert "http://0.0.0.0:9000/" in out
    _run("serve", "--bind", "127.0.0.1:8123", "--workers", "1", "--threads", "4")
    assert calls[1][calls[1].index("--bind") + 1] == "127.0.0.1:8123"
    assert calls[1][calls[1].index("--threads") + 1] == "4"
    # the workers keep their database connection between requests, unless told otherwise
    assert envs[0]["DB_CONN_MAX_AGE"] == "60" and envs[0]["PLANWATCH_BIND"] == "0.0.0.0:9000"
    monkeypatch.setenv("DB_CONN_MAX_AGE", "0")
    _run("serve")
    assert envs[2]["DB_CONN_MAX_AGE"] == "0"


def test_ingest_as_a_named_planner_is_audited_as_them(
    orgunits: dict[str, OrgUnit], sample_file: Path, planner_user: Any, yibin_reporter_user: Any
) -> None:
    from django.core.management.base import CommandError

    from planwatch.audit.models import AuditEvent

    with pytest.raises(CommandError, match="no active planner"):
        _run("ingest", "--user", yibin_reporter_user.username, str(sample_file))
    _run("ingest", "--user", planner_user.username, str(sample_file))
    event = AuditEvent.objects.filter(action="plan.ingest").order_by("-id").first()
    assert event is not None and event.actor == planner_user


def test_load_reference_with_dry_run_changes_nothing(orgunits: dict[str, OrgUnit]) -> None:
    OrgUnit.objects.filter(code="511500").update(name="宜宾地区")
    before = db_snapshot()
    out, _ = _run("load_reference", "--dry-run")
    assert "1 would be updated" in out
    assert OrgUnit.objects.get(code="511500").name == "宜宾地区"
    assert db_snapshot() == before
    out, _ = _run("load_reference")
    assert "1 updated" in out and OrgUnit.objects.get(code="511500").name == "宜宾市"
