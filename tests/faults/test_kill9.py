"""Nothing lost under faults (issue 15, item 4): a process is killed with SIGKILL — no
chance to clean up — in the middle of an xlsx list import, a plan ingest, a report
submission with evidence and a supervision run; the database is then exactly as before or
exactly as after (never part of an operation), every stored evidence file matches its
sha256, and the audit log verifies.

Each operation runs in a child process (tests/faults/child.py) on a SQLite database file of
its own, copied from a prepared one, as a real deployment runs. Two kills per operation:

- **paused**: the child stops inside the operation's transaction, when it writes the
  operation's audit event — after all its other writes — and is killed there, so the kill
  is certainly in the middle; the database must be exactly as before;
- **timed**: the child is killed half-way through the time the operation took when it ran
  to the end; the database must be as before or as after.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

Counts = dict[str, int]


def _env(var: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        PLANWATCH_VAR_DIR=str(var),
        PLANWATCH_SECRET_KEY="fault-test-secret-key-" + "k" * 40,
        PYTHONPATH=str(ROOT),
        PLANWATCH_QUEUE_URL="memory://",
    )
    return env


def _child(op: str, var: Path, **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.faults.child", op, str(var)],
        cwd=ROOT,
        env=_env(var) | extra,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run(op: str, var: Path) -> float:
    """Run `op` to its end; seconds from "go" to "done"."""
    child = _child(op, var)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "go", child.stderr.read() if child.stderr else ""
    start = time.monotonic()
    out, err = child.communicate(timeout=600)
    assert child.returncode == 0 and "done" in out, err
    return time.monotonic() - start


def _wait_for(child: subprocess.Popen[str], line: str) -> None:
    assert child.stdout is not None
    got = child.stdout.readline().strip()
    if got != line:
        child.kill()
        raise AssertionError(f"child said {got!r}, expected {line!r}: {child.communicate()[1]}")


def _kill(child: subprocess.Popen[str]) -> None:
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL


def _counts(var: Path, queries: dict[str, str]) -> Counts:
    db = sqlite3.connect(var / "planwatch.sqlite3")
    try:
        return {name: int(db.execute(sql).fetchone()[0]) for name, sql in queries.items()}
    finally:
        db.close()


def _checks_pass(var: Path) -> None:
    for args in (("audit", "verify"), ("evidence", "verify")):
        done = subprocess.run(
            [str(BIN / "planwatch"), *args],
            env=_env(var),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, f"planwatch {' '.join(args)}: {done.stdout}{done.stderr}"


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two prepared installations: `slice` (the 川南 slice with its lists, the big list file
    and an issued list of the same rows to supervise) and `reference` (the reference tree
    only, for the ingest)."""
    out = {}
    for name, op in (("slice", "prepare"), ("reference", "prepare-reference")):
        var = tmp_path_factory.mktemp(f"template-{name}")
        migrate = subprocess.run(
            [str(BIN / "planwatch"), "migrate", "-v0"],
            env=_env(var),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert migrate.returncode == 0, migrate.stderr
        done = subprocess.run(
            [sys.executable, "-m", "tests.faults.child", op, str(var)],
            cwd=ROOT,
            env=_env(var),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        out[name] = var
    return out


def _copy(template: Path, dest: Path) -> Path:
    shutil.copytree(template, dest)
    return dest


OPERATIONS: dict[str, tuple[str, str, dict[str, str]]] = {
    # op: (template, audit action written last inside the transaction, what to count)
    "import": (
        "slice",
        "annual_list.import",
        {
            "tasks": "SELECT count(*) FROM tasks_task t JOIN tasks_annuallist l "
            "ON l.id = t.annual_list_id WHERE l.year = 2025",
            "events": "SELECT count(*) FROM audit_auditevent WHERE action = 'annual_list.import'",
        },
    ),
    "ingest": (
        "reference",
        "plan.ingest",
        {
            "documents": "SELECT count(*) FROM plans_sourcedocument",
            "plans": "SELECT count(*) FROM plans_plan",
            "nodes": "SELECT count(*) FROM plans_node",
            "events": "SELECT count(*) FROM audit_auditevent WHERE action = 'plan.ingest'",
        },
    ),
    "report": (
        "slice",
        "progress_report.submitted",
        {
            "reports": "SELECT count(*) FROM reports_progressreport",
            "evidence": "SELECT count(*) FROM reports_evidence",
            "submitted": "SELECT count(*) FROM reports_progressreport WHERE status = 'submitted'",
        },
    ),
    "supervise": (
        "slice",
        "supervise.run",
        {
            "lights": "SELECT count(*) FROM supervision_tasklight",
            "events": "SELECT count(*) FROM audit_auditevent WHERE action = 'supervise.run'",
        },
    ),
}


@pytest.mark.parametrize("op", sorted(OPERATIONS))
def test_a_killed_operation_leaves_before_or_after(
    op: str, templates: dict[str, Path], tmp_path: Path
) -> None:
    template, action, queries = OPERATIONS[op]
    before = _counts(templates[template], queries)

    # the reference run: what "after" looks like, and how long the operation takes
    full = _copy(templates[template], tmp_path / "full")
    seconds = _run(op, full)
    after = _counts(full, queries)
    assert after != before
    _checks_pass(full)

    # killed inside its transaction, after all its other writes: exactly as before
    paused = _copy(templates[template], tmp_path / "paused")
    child = _child(op, paused, FAULT_PAUSE_AT=action)
    _wait_for(child, "go")
    _wait_for(child, "paused")
    _kill(child)
    if op == "report":  # the evidence and the figures were stored in steps before
        assert _counts(paused, queries) == {"reports": 1, "evidence": 1, "submitted": 0}
    else:
        assert _counts(paused, queries) == before
    _checks_pass(paused)

    # killed half-way through: as before or as after (for the report: at a step boundary)
    timed = _copy(templates[template], tmp_path / "timed")
    child = _child(op, timed)
    _wait_for(child, "go")
    time.sleep(seconds / 2)
    if child.poll() is None:
        _kill(child)
    state = _counts(timed, queries)
    if op == "report":
        assert _report_step(timed, queries)
    else:
        assert state in (before, after), f"{op} killed half-way left {state}"
    _checks_pass(timed)


def _report_step(var: Path, queries: dict[str, str]) -> bool:
    """A report submission is three steps, each its own transaction as in the report form:
    attach the evidence, save the figures, submit. A kill leaves the report at one of the
    boundaries — never a submitted report without its evidence, never a half-stored file."""
    state = _counts(var, queries)
    allowed: list[Callable[[Counts], bool]] = [
        lambda s: s == {"reports": 0, "evidence": 0, "submitted": 0},
        lambda s: s == {"reports": 1, "evidence": 0, "submitted": 0},
        lambda s: s == {"reports": 1, "evidence": 1, "submitted": 0},
        lambda s: s == {"reports": 1, "evidence": 1, "submitted": 1},
    ]
    assert any(ok(state) for ok in allowed), f"report killed at submit left {state}"
    return True
