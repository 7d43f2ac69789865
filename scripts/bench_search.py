"""Search benchmark: prints figures (never a pass/fail test).

Latency of `search_nodes` (segment the query, run it on the index, fetch one page of 20
hits, build highlighted snippets) over a few hundred one- to three-word queries, median and
p95, on:
  * the five bundled plans, ingested (the real index: every node of each current version);
  * 100 plan-sized documents: the bundled plans' nodes copied under 100 synthetic plan
    titles (20 copies of each plan) and indexed like an ingest does.
Also the time to build each index and its size. SQLite always; PostgreSQL when reachable.

Queries are drawn with a fixed seed from the plans' own words (one to three words of one
node, so most have hits), plus the acceptance words (成自宜高铁, 成德眉资, 天府新区,
成渝地区双城经济圈) and a few that find nothing.

Each database runs in a child process (Django reads its settings once per process).
Run: `make bench` or `.venv/bin/python scripts/bench_search.py [--queries 300] [--copies 100]
[--pg URL]`. PostgreSQL: PLANWATCH_TEST_POSTGRES_URL (default
postgresql://postgres@127.0.0.1:5432/postgres) must let the user create databases.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_web import fresh_postgres, fresh_sqlite, postgres_reachable  # noqa: E402

BUNDLED = ROOT / "data" / "plans" / "sichuan-2021-five-regional-plans.txt"
DEFAULT_PG = os.environ.get(
    "PLANWATCH_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
ACCEPTANCE = ["成自宜高铁", "成德眉资", "天府新区", "成渝地区双城经济圈"]
NOTHING = ["量子引力", "火星基地 殖民", 'NEAR(宜宾 "*']


# --- the worker (child process) ----------------------------------------------------------


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planwatch.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _queries(n: int, seed: int) -> list[str]:
    from planwatch.plans.models import Node, Plan
    from planwatch.search.segment import tokens_for_query

    rng = random.Random(seed)
    current = Plan.objects.values("current_version_id")
    texts = [
        t
        for t in Node.objects.filter(version_id__in=current).values_list("text", flat=True)
        if len(t) > 20
    ]
    queries: list[str] = []
    while len(queries) < n - len(ACCEPTANCE) - len(NOTHING):
        words = [w for w in tokens_for_query(rng.choice(texts)) if len(w) >= 2]
        if not words:
            continue
        k = rng.randint(1, min(3, len(words)))
        start = rng.randrange(len(words) - k + 1)
        queries.append(" ".join(words[start : start + k]))
    return [*queries, *ACCEPTANCE, *NOTHING]


def _measure(queries: list[str]) -> dict[str, Any]:
    from planwatch.search.selectors import search_nodes

    for q in queries[:20]:  # warm the segmenter, caches and the database's pages
        search_nodes(viewer=None, q=q)
    times: list[float] = []
    hits: list[int] = []
    for q in queries:
        t0 = time.perf_counter()
        results = search_nodes(viewer=None, q=q, limit=20)
        times.append(time.perf_counter() - t0)
        hits.append(results.total)
    times.sort()
    return {
        "queries": len(queries),
        "median_ms": statistics.median(times) * 1000,
        "p95_ms": times[int(len(times) * 0.95) - 1] * 1000,
        "max_ms": times[-1] * 1000,
        "with_hits": sum(1 for h in hits if h),
        "median_total_hits": statistics.median(hits),
        "acceptance_hits": dict(
            zip(ACCEPTANCE, hits[-len(ACCEPTANCE) - len(NOTHING) :], strict=False)
        ),
    }


def _index_size() -> int:
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT pg_total_relation_size('search_node_index')")
            return int(cur.fetchone()[0])
        try:
            cur.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_node_fts%'")
            return int(cur.fetchone()[0] or 0)
        except Exception:
            return -1


def _copy_plans(copies: int) -> tuple[int, float]:
    """`copies` synthetic plans, each a copy of one bundled plan's current version;
    returns the number of nodes and the seconds spent indexing them."""
    import hashlib

    from django.db import transaction

    from planwatch.plans.models import Node, Plan, PlanVersion, SourceDocument
    from planwatch.search.services import index_plan_version

    sources = list(Plan.objects.exclude(current_version=None).select_related("current_version"))
    fields = ["kind", "number", "label", "title", "text", "level", "line", "end_line", "page"]
    indexing = 0.0
    nodes = 0
    for i in range(copies):
        src = sources[i % len(sources)]
        with transaction.atomic():
            body = f"synthetic plan {i}".encode()
            doc = SourceDocument.objects.create(
                sha256=hashlib.sha256(body).hexdigest(),
                name=f"synthetic-{i}.txt",
                format="text",
                content=body,
            )
            plan = Plan.objects.create(title=f"合成规划 {i:03d} · {src.title}", slug=f"syn-{i:03d}")
            assert src.current_version is not None
            version = PlanVersion.objects.create(
                plan=plan, document=doc, number=1, title=plan.title, line=1
            )
            rows = src.current_version.nodes.order_by("seq").values(
                "seq", "key", "projects", *fields
            )
            Node.objects.bulk_create(
                [Node(version=version, **row) for row in rows], batch_size=1000
            )
            t0 = time.perf_counter()
            nodes += index_plan_version(version=version)
            indexing += time.perf_counter() - t0
            plan.current_version = version
            plan.save(update_fields=["current_version"])
    return nodes, indexing


def worker(args: argparse.Namespace) -> None:
    _setup_django()
    from planwatch.orgunits.services import orgunits_load_reference
    from planwatch.plans.services import plan_ingest
    from planwatch.search.backends import get_backend
    from planwatch.search.services import reindex_all

    orgunits_load_reference(actor=None)
    plan_ingest(data=BUNDLED.read_bytes(), name=BUNDLED.name, actor=None)
    t0 = time.perf_counter()
    plans, docs = reindex_all()
    build = time.perf_counter() - t0
    queries = _queries(args.queries, seed=2021)
    five = {"plans": plans, "nodes": docs, "build_s": build, "index_bytes": _index_size()}
    five.update(_measure(queries))
    copied, indexing = _copy_plans(args.copies)
    hundred = {
        "plans": args.copies,
        "nodes": copied,
        "build_s": indexing,
        "index_bytes": _index_size(),
        "documents_in_index": get_backend().count_all(),
    }
    hundred.update(_measure(queries))
    print(json.dumps({"five": five, "hundred": hundred}, ensure_ascii=False))


# --- the parent ---------------------------------------------------------------------------


def run_child(env_extra: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    env = {**os.environ, **env_extra}
    cmd = [
        sys.executable,
        __file__,
        "--worker",
        "--queries",
        str(args.queries),
        "--copies",
        str(args.copies),
    ]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"benchmark worker failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def report(vendor: str, figures: dict[str, Any]) -> None:
    for label, key in (
        ("5 bundled plans", "five"),
        (f"{figures['hundred']['plans']} plan-sized documents", "hundred"),
    ):
        f = figures[key]
        print(
            f"  {vendor:<10} {label:<26} {f['nodes']:>6} nodes  build {f['build_s']:6.2f} s  "
            f"index {f['index_bytes'] / 1e6:6.1f} MB  "
            f"median {f['median_ms']:6.2f} ms  p95 {f['p95_ms']:6.2f} ms  "
            f"max {f['max_ms']:6.1f} ms  "
            f"({f['with_hits']}/{f['queries']} queries with hits)"
        )
    accepted = figures["five"]["acceptance_hits"]
    print(f"  {vendor:<10} acceptance words (hits on the 5 plans): {accepted}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--pg", default=DEFAULT_PG)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    print(
        f"search latency: search_nodes, one page of 20 hits with snippets, "
        f"{args.queries} queries of one to three words"
    )
    with fresh_sqlite() as env:
        report("SQLite", run_child(env, args))
    if postgres_reachable(args.pg):
        with fresh_postgres(args.pg) as env:
            report("PostgreSQL", run_child(env, args))
    else:
        print(f"  NOTICE: PostgreSQL not reachable at {args.pg}: skipped")


if __name__ == "__main__":
    main()
