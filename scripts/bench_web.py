"""Web benchmark: prints figures (never a pass/fail test).

Ingest of the bundled five-plan file into a fresh SQLite database and a fresh PostgreSQL
database: parse, store (nodes, targets, places, node–place links, search index, audit) in one
transaction, median of several runs, each run on a newly created and migrated database.

Each measurement runs in a child process (Django reads its database settings once per
process), started with `--worker NAME` and a DATABASE_URL for the fresh database; the child
prints one JSON line of figures. Other benchmarks add a worker function to WORKERS and a
section to main().

Run: `make bench` or `.venv/bin/python scripts/bench_web.py [--runs 3] [--pg URL]`.
PostgreSQL: PLANWATCH_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres)
must let the user create databases; it is skipped with a notice when unreachable.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUNDLED = ROOT / "data" / "plans" / "sichuan-2021-five-regional-plans.txt"
DEFAULT_PG = os.environ.get(
    "PLANWATCH_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


# --- fresh databases --------------------------------------------------------------------


@contextmanager
def fresh_sqlite() -> Iterator[dict[str, str]]:
    with tempfile.TemporaryDirectory(prefix="planwatch-bench-") as tmp:
        yield {"DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3", "PLANWATCH_VAR_DIR": tmp}


@contextmanager
def fresh_postgres(admin_url: str) -> Iterator[dict[str, str]]:
    import psycopg

    name = f"planwatch_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin_url.rsplit("/", 1)[0]
    try:
        with tempfile.TemporaryDirectory(prefix="planwatch-bench-") as tmp:
            yield {"DATABASE_URL": f"{base}/{name}", "PLANWATCH_VAR_DIR": tmp}
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_reachable(url: str) -> bool:
    try:
        import psycopg

        psycopg.connect(url, connect_timeout=3).close()
        return True
    except Exception:
        return False


def run_worker(worker: str, env: dict[str, str], *args: str) -> dict[str, Any]:
    """Run `worker` in a child process against the database in `env`; its JSON figures."""
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", worker, *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"worker {worker} failed:\n{proc.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


# --- workers (run inside the child, with Django set up on the fresh database) -------------


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planwatch.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


class _QueryCounter:
    """A database execute wrapper that counts the statements run (without DEBUG's cost)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def worker_ingest() -> dict[str, Any]:
    """Reference data, then the bundled file: parse alone, then the whole ingest."""
    _django_setup()
    from django.db import connection

    from planwatch.orgunits.services import orgunits_load_reference
    from planwatch.parsing import parse_bytes
    from planwatch.plans.models import Node, NodePlace
    from planwatch.plans.services import plan_ingest

    t0 = time.perf_counter()
    orgunits_load_reference(actor=None)
    reference = time.perf_counter() - t0
    data = BUNDLED.read_bytes()
    t0 = time.perf_counter()
    parsed = parse_bytes(data, name=BUNDLED.name)
    parse = time.perf_counter() - t0
    queries = _QueryCounter()
    t0 = time.perf_counter()
    with connection.execute_wrapper(queries):
        result = plan_ingest(data=data, name=BUNDLED.name, actor=None, parsed=parsed)
    store = time.perf_counter() - t0
    assert result.created
    t0 = time.perf_counter()
    again = plan_ingest(data=data, name=BUNDLED.name, actor=None)
    already = time.perf_counter() - t0
    assert not again.created
    return {
        "reference": reference,
        "parse": parse,
        "store": store,
        "store_queries": queries.count,
        "ingest": parse + store,
        "already_present": already,
        "plans": len(result.versions),
        "nodes": Node.objects.count(),
        "node_places": NodePlace.objects.count(),
    }


WORKERS: dict[str, Callable[[], dict[str, Any]]] = {"ingest": worker_ingest}


# --- report -----------------------------------------------------------------------------


def _median(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(float(r[key]) for r in runs)


def bench_ingest(backends: list[tuple[str, Callable[[], Any]]], runs: int) -> None:
    size = BUNDLED.stat().st_size
    print(f"Ingest of {BUNDLED.name} ({size / 1024:.0f} KiB), median of {runs} fresh databases")
    print(
        f"{'backend':<12}{'parse s':>9}{'store s':>9}{'ingest s':>10}{'again ms':>10}"
        f"{'ref data s':>12}  content"
    )
    for name, fresh in backends:
        results = []
        for _ in range(runs):
            with fresh() as env:
                results.append(run_worker("ingest", env))
        r0 = results[0]
        again_ms = _median(results, "already_present") * 1000
        print(
            f"{name:<12}{_median(results, 'parse'):>9.2f}{_median(results, 'store'):>9.2f}"
            f"{_median(results, 'ingest'):>10.2f}{again_ms:>10.1f}"
            f"{_median(results, 'reference'):>12.2f}  {r0['plans']} plans, {r0['nodes']} nodes, "
            f"{r0['node_places']} node–place links, {r0['store_queries']} queries to store"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL URL allowed to create DBs")
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(WORKERS[args.worker]()))
        return 0
    backends: list[tuple[str, Callable[[], Any]]] = [("SQLite", fresh_sqlite)]
    if postgres_reachable(args.pg):
        backends.append(("PostgreSQL", lambda: fresh_postgres(args.pg)))
    else:
        print(f"NOTICE: PostgreSQL not reachable at {args.pg}: its figures are skipped")
    bench_ingest(backends, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
