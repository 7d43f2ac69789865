"""The benchmark scripts of `make bench` still run (at a tiny scale: their figures are not
checked, only that each prints them). They import the application and the test factories,
so a refactor that breaks them fails here rather than at the next `make bench`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


def _run(*args: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PLANWATCH_", "DATABASE"))}
    done = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.skipif(ON_POSTGRES, reason="runs once, in the SQLite pass")
def test_the_implementation_benchmark_runs() -> None:
    out = _run("scripts/bench_tasks.py", "--rows", "5")
    assert "xlsx import, new rows: 5 rows" in out and "xlsx export: 5 rows" in out
    assert "xlsx import, 5 changed rows: 5 rows" in out and "supervise:   5 tasks" in out
    assert "goal 5,000" in out


@pytest.mark.skipif(ON_POSTGRES, reason="runs once, in the SQLite pass")
def test_the_xlsx_benchmark_runs() -> None:
    out = _run(
        "scripts/bench_xlsx.py",
        *("--indicators", "3", "--years", "2", "--projects", "10", "--months", "2"),
    )
    assert "observations xlsx import, new year: 63 rows" in out
    assert "monthly 调度表 xlsx import, same file again, every draft updated: 10 rows" in out
    assert "monthly 台账 xlsx export (the file only): 10 rows" in out and "goal 5,000" in out


@pytest.mark.skipif(ON_POSTGRES, reason="runs once, in the SQLite pass")
def test_the_parser_benchmark_runs() -> None:
    out = _run("scripts/bench_parse.py", "--runs", "1", "--sizes", "1", "--ingest-runs", "1")
    assert "bundled file:" in out and "MB/s" in out
    assert "ratio" in out and "as a text never seen" in out


@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (the PostgreSQL pass)")
def test_the_dashboard_benchmark_runs() -> None:
    server = os.environ["DATABASE_URL"]
    out = _run(
        "scripts/bench_dashboard.py",
        "--pg",
        server,
        "--tasks",
        "200",
        "--reports",
        "2000",
        "--requests",
        "2",
        "--health-requests",
        "1",
    )
    assert "province dashboard: median" in out and "reporting-health partial" in out
    assert "rollup check:" in out and "no difference" in out


def test_the_indicator_benchmark_runs() -> None:
    """SQLite in the SQLite pass, the PostgreSQL server in the PostgreSQL pass."""
    where = ["--pg", os.environ["DATABASE_URL"]] if ON_POSTGRES else ["--sqlite"]
    out = _run(
        "scripts/bench_indicators.py",
        *where,
        "--indicators",
        "3",
        "--years",
        "2",
        "--requests",
        "2",
    )
    assert "zone matrix (成都平原), signed in, no role: median" in out and "values/s" in out


def test_the_project_benchmark_runs() -> None:
    """SQLite in the SQLite pass, the PostgreSQL server in the PostgreSQL pass."""
    where = ["--pg", os.environ["DATABASE_URL"]] if ON_POSTGRES else ["--sqlite"]
    out = _run(
        "scripts/bench_projects.py",
        *where,
        *("--projects", "30", "--months", "14", "--requests", "2", "--rows", "3"),
    )
    assert "台账 page, zone: median" in out and "rows/s" in out


@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (the PostgreSQL pass)")
def test_the_assessment_benchmark_runs() -> None:
    server = os.environ["DATABASE_URL"]
    out = _run(
        "scripts/bench_assessment.py",
        "--pg", server, "--tasks", "200", "--reports", "2000", "--indicators", "3", "--years", "2",
    )  # fmt: skip
    assert "assessment prefectures 2025: 21 units" in out
    assert "assessment departments 2025:" in out and "index edition: 8 cities" in out


def test_the_benchmarks_share_one_percentile() -> None:
    """Every benchmark reports the p95 of scripts/benchkit.py: the nearest rank, so that the
    figures of two scripts mean the same thing."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from benchkit import median_p95, p95
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    assert p95([float(v) for v in range(1, 21)]) == 19.0  # of 20 values, the 19th smallest
    assert p95([float(v) for v in range(100, 0, -1)]) == 95.0  # order does not matter
    assert p95([7.0]) == 7.0
    assert median_p95([1.0, 2.0, 3.0, 50.0]) == (2.5, 50.0)
    with pytest.raises(ValueError):
        p95([])
    for script in (
        "bench_api",
        "bench_lists",
        "bench_load",
        "bench_pages",
        "bench_projects",
        "bench_dashboard",
        "bench_reads",
    ):
        text = (ROOT / "scripts" / f"{script}.py").read_text()
        assert "from benchkit import" in text and "0.95" not in text, script


@pytest.mark.skipif(ON_POSTGRES, reason="runs once, in the SQLite pass")
def test_the_read_benchmark_runs() -> None:
    out = _run("scripts/bench_reads.py", "--runs", "2", "--threads", "2")
    assert "GET /api/v1/plans (anonymous):" in out and "p95" in out
