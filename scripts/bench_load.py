"""Load run of the whole system (issue 15 item 3): signed-in planners, reporters and leaders
doing their daily mix, anonymous portal readers and an API script, 32 concurrent users for
60 s (locust, headless, scripts/locust_planwatch.py) against the REAL server — `planwatch
serve`, gunicorn with the queue's worker beside it — on PostgreSQL with Redis as the queue, all
on the loopback. Prints, for each gunicorn configuration tried, requests per second, the median
and p95 per page and per kind of page, and the errors, each beside its goal (figures, never a
pass/fail test).

A database of its own (DATABASE `pw_bench_load` on the given server, dropped and created) is
prepared as `make run` would (`planwatch setup`, `planwatch demo`), then the portal's data is
published (as scripts/bench_portal.py does), and accounts with known passwords are made: a
川南 planner, a province leader, one city reporter per draft report opened for them (so that two
users never save the same report), and an API token. --reuse keeps a prepared database.

Without PostgreSQL or Redis reachable the run is skipped with a notice (exit 0).

Run: `.venv/bin/python scripts/bench_load.py [--pg postgresql://postgres@127.0.0.1:5432/postgres]
[--redis redis://127.0.0.1:6379/0] [--configs 2x1,3x2,4x4] [--users 32] [--seconds 60]
[--think 1-3] [--port 8131] [--var /tmp/pw-bench-load] [--reuse]`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_portal import PUBLISH, discover, start_server, stop_server
from benchkit import p95

ROOT = Path(__file__).resolve().parent.parent
PLANWATCH = [str(Path(sys.executable).with_name("planwatch"))]
LOCUSTFILE = ROOT / "scripts" / "locust_planwatch.py"
DB_NAME = "pw_bench_load"
PASSWORD = "Load-test-2026!"
GOAL_PAGE_MS, GOAL_API_MS = 300, 150

PERSONAS = """
import json, sys
from datetime import date
import django; django.setup()
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from planwatch.accounts.services import user_create
from planwatch.api.services import api_token_create
from planwatch.core.workflow import ServiceError
from planwatch.orgunits.models import OrgUnit
from planwatch.reports.models import ProgressReport
from planwatch.reports.periods import periods_for
from planwatch.reports.services import progress_report_start
from planwatch.tasks.models import Task
from planwatch.tasks.permissions import reporting_units

password, wanted, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]

def person(username, code, role, name):
    user = User.objects.filter(username=username).first()
    return user or user_create(actor=None, username=username, password=password, name=name,
                               org_unit=OrgUnit.objects.get(code=code), role=role)

planner = person("load_planner", "zone:south-sichuan", "planner", "川南规划处室")
person("load_leader", "510000", "leader", "省领导")
today, reporters = date.today(), []
tasks = (Task.objects.exclude(status="draft").select_related("lead_unit", "annual_list")
         .prefetch_related("responsible_units").order_by("-year", "pk"))
for task in tasks.iterator(chunk_size=200):
    if len(reporters) >= wanted:
        break
    for unit in reporting_units(task):
        if unit.kind != "prefecture" or len(reporters) >= wanted:
            continue
        for period in periods_for(task.year, task.annual_list.frequency):
            if period.start > today or ProgressReport.objects.filter(
                task=task, unit=unit, period_start=period.start, is_current=True
            ).exists():
                continue
            user = person(f"load_reporter_{len(reporters)}", unit.code, "reporter",
                          f"{unit.name}填报人")
            try:
                report = progress_report_start(task=task, unit=unit, period_start=period.start,
                                               actor=user)
            except (ServiceError, ValidationError, PermissionDenied):
                continue
            reporters.append({"username": user.username, "report": report.pk, "task": task.pk})
            break
_, secret = api_token_create(user=planner, name="load test", actor=None)
task = Task.objects.filter(plan__title__startswith="川南").exclude(status="draft").first()
report = ProgressReport.objects.filter(task__plan__title__startswith="川南").first()
api = ["/api/v1/plans", "/api/v1/places", "/api/v1/orgunits", "/api/v1/me", "/api/v1/tasks",
       "/api/v1/lists", "/api/v1/reports", "/api/v1/cases", "/api/v1/indicators",
       "/api/v1/projects", "/api/v1/public/tasks", "/api/v1/public/projects"]
api += [f"/api/v1/tasks/{task.pk}"] if task else []
api += [f"/api/v1/reports/{report.pk}"] if report else []
with open(out, "w") as handle:
    json.dump({"password": password, "planner": "load_planner", "leader": "load_leader",
               "reporters": reporters, "token": secret, "api": api, "portal": []}, handle)
print(len(reporters))
"""


def reachable(pg: str, redis_url: str) -> str:
    """'' when both servers answer, else what is missing."""
    import psycopg
    import redis

    try:
        psycopg.connect(pg, connect_timeout=3).close()
    except psycopg.Error as exc:
        return f"PostgreSQL not reachable at {pg} ({str(exc).splitlines()[0]})"
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        return f"Redis not reachable at {redis_url} ({exc})"
    return ""


def database_url(pg: str) -> str:
    parts = urlsplit(pg)
    return urlunsplit(parts._replace(path=f"/{DB_NAME}"))


def run(env: dict[str, str], *args: str) -> str:
    proc = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args[:3])} failed:\n{proc.stderr[-3000:]}")
    return proc.stdout


def prepare(args: argparse.Namespace) -> dict[str, str]:
    import psycopg

    env = {
        **{k: v for k, v in os.environ.items() if k != "PLANWATCH_SECRET_KEY"},
        "PLANWATCH_VAR_DIR": str(args.var),
        "DJANGO_SETTINGS_MODULE": "planwatch.settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url(args.pg),
        "PLANWATCH_QUEUE_URL": args.redis,
        "PLANWATCH_QUEUE_NAME": "pw-bench-load",
        "PLANWATCH_SERVE_WORKER": "on",
    }
    fixture = args.var / "fixture.json"
    if args.reuse and fixture.exists():
        run(env, *PLANWATCH, "migrate", "--no-input")  # the code may have moved on since
        analyze(args.pg)
        return env
    args.var.mkdir(parents=True, exist_ok=True)
    with psycopg.connect(args.pg, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    steps = (
        ("setup", [*PLANWATCH, "setup"]),
        ("demo", [*PLANWATCH, "demo"]),
        ("publish", [sys.executable, "-c", PUBLISH]),
        ("accounts", [sys.executable, "-c", PERSONAS, PASSWORD, "24", str(fixture)]),
    )
    for step, argv in steps:
        began = time.perf_counter()
        said = run(env, *argv).strip().splitlines()
        extra = f" ({said[-1]} draft reports, one per reporter)" if step == "accounts" else ""
        print(f"{step}: {time.perf_counter() - began:.0f} s{extra}", file=sys.stderr)
    analyze(args.pg)
    return env


def analyze(pg: str) -> None:
    """Planner statistics for the freshly loaded tables, as autovacuum would gather them on a
    production server within a minute or so (it may be off on a test server: without them
    PostgreSQL plans the demo's joins for empty tables)."""
    import psycopg

    began = time.perf_counter()
    with psycopg.connect(database_url(pg), autocommit=True) as conn:
        setting = conn.execute("SHOW autovacuum").fetchone()
        conn.execute("ANALYZE")
    took = time.perf_counter() - began
    print(f"analyze: {took:.1f} s (autovacuum {setting[0] if setting else '?'})", file=sys.stderr)


def serve(env: dict[str, str], port: int, workers: int, threads: int, log: Path) -> object:
    return start_server({**env, "PLANWATCH_THREADS": str(threads)}, port, workers, log)


def locust(env: dict[str, str], args: argparse.Namespace, out: Path) -> None:
    argv = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
        "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.seconds}s",
        "--host", f"http://127.0.0.1:{args.port}", "--only-summary", "--loglevel", "WARNING",
        "--stop-timeout", "10",
    ]  # fmt: skip
    env = {
        **env,
        "PLANWATCH_LOAD_FIXTURE": str(args.var / "fixture.json"),
        "PLANWATCH_LOAD_OUT": str(out),
        "PLANWATCH_LOAD_THINK": args.think,
    }
    proc = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True)
    if not out.exists():
        raise SystemExit(
            f"locust wrote no results (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
        )


def server_cpu(server: object) -> float:
    """CPU seconds used so far by the server's processes (a figure the other load on the
    machine does not inflate, unlike the latencies)."""
    import psutil

    try:
        root = psutil.Process(server.pid)  # type: ignore[attr-defined]
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for proc in procs:
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def group_of(name: str) -> str:
    if name.startswith("sign-in"):
        return "sign-in (argon2 by design)"
    if name.startswith("api "):
        return "API /api/v1"
    if name.startswith("/gongkai/"):
        return "portal /gongkai/"
    if "(save" in name:
        return "report save (POST)"
    return "signed-in pages"


def goal_of(group: str) -> str:
    if group.startswith("sign-in"):
        return "— (argon2, once a day)"
    return f"≤ {GOAL_API_MS if group.startswith('API') else GOAL_PAGE_MS} ms"


RAMP_SECONDS = 10.0  # 32 users at 8 a second, then each one's sign-in


def report(label: str, rows: list[list[object]], seconds: float) -> dict[str, float]:
    by_name: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    for name, ms, error, *_ in rows:
        by_name[str(name)].append(float(ms))  # type: ignore[arg-type]
        if error:
            errors[str(name)].append(str(error))
    total = len(rows)
    failed = sum(len(e) for e in errors.values())
    print(f"\n### {label}\n")
    print(
        f"{total} requests in {seconds:.0f} s: **{total / seconds:.1f} requests/s**; "
        f"errors {failed} (goal 0)\n"
    )
    print("| page | requests | median ms | p95 ms | errors | goal p95 |")
    print("|---|---:|---:|---:|---:|---|")
    groups: dict[str, list[float]] = defaultdict(list)
    for name in sorted(by_name, key=lambda n: (group_of(n), n)):
        times = by_name[name]
        groups[group_of(name)] += times
        goal = goal_of(group_of(name))
        print(
            f"| {name} | {len(times)} | {statistics.median(times):.0f} | {p95(times):.0f} "
            f"| {len(errors.get(name, []))} | {goal} |"
        )
    print("\n| kind | requests | median ms | p95 ms | goal p95 |")
    print("|---|---:|---:|---:|---|")
    summary = {"rps": total / seconds, "errors": float(failed)}
    for group, times in sorted(groups.items()):
        goal, limit = goal_of(group), GOAL_API_MS if group.startswith("API") else GOAL_PAGE_MS
        mark = (
            "" if group.startswith("sign-in") else " (met)" if p95(times) <= limit else " (NOT met)"
        )
        print(
            f"| {group} | {len(times)} | {statistics.median(times):.0f} | {p95(times):.0f} "
            f"| {goal}{mark} |"
        )
        summary[group] = p95(times)
    for name, texts in errors.items():
        print(f"\nerrors on {name}: {len(texts)}, e.g. {texts[0]}")
    steady(rows)
    return summary


def steady(rows: list[list[object]], after: float = RAMP_SECONDS) -> None:
    """The same p95s for the requests that started after the first `after` seconds — when
    every user has been started and signed in (20 argon2 hashes, about half a second of CPU
    each, in the first seconds: a burst the rest of the day does not see). Printed beside the
    whole run's, which the goals are judged on."""
    late: dict[str, list[float]] = defaultdict(list)
    for name, ms, _error, *began in rows:
        if began and float(began[0]) >= after:  # type: ignore[arg-type]
            late[group_of(str(name))].append(float(ms))  # type: ignore[arg-type]
    if not late:
        return
    print(f"\nafter the first {after:.0f} s (the ramp and its sign-ins), for comparison:")
    print("\n| kind | requests | median ms | p95 ms |")
    print("|---|---:|---:|---:|")
    for group, times in sorted(late.items()):
        print(f"| {group} | {len(times)} | {statistics.median(times):.0f} | {p95(times):.0f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--configs", default="2x1,3x2,4x4", help="WORKERSxTHREADS,…")
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--spawn-rate", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--think", default="1-3", help="seconds between a user's requests")
    parser.add_argument("--port", type=int, default=8131)
    parser.add_argument("--var", type=Path, default=Path("/tmp/pw-bench-load"))
    parser.add_argument("--reuse", action="store_true", help="keep a prepared database")
    args = parser.parse_args()
    missing = reachable(args.pg, args.redis)
    if missing:
        print(f"NOTICE: {missing}: the load benchmark (bench_load) is SKIPPED")
        return 0
    env = prepare(args)
    fixture_path = args.var / "fixture.json"
    print(
        f"## Load: {args.users} users for {args.seconds} s (think {args.think} s), PostgreSQL "
        f"+ Redis, locust on the same machine; load average before: {os.getloadavg()[0]:.1f}"
    )
    results = {}
    for config in args.configs.split(","):
        workers, threads = (int(n) for n in config.split("x"))
        server = serve(env, args.port, workers, threads, args.var / f"server-{config}.log")
        try:
            fixture = json.loads(fixture_path.read_text())
            if not fixture["portal"]:
                fixture["portal"] = discover(f"http://127.0.0.1:{args.port}", 60)
                fixture_path.write_text(json.dumps(fixture))
            out = args.var / f"requests-{config}.json"
            out.unlink(missing_ok=True)
            cpu_before, began = server_cpu(server), time.perf_counter()
            locust(env, args, out)
            elapsed = min(time.perf_counter() - began, float(args.seconds))
            cpu = server_cpu(server) - cpu_before
        finally:
            stop_server(server)  # type: ignore[arg-type]
        label = f"{workers} workers × {threads} threads (load average {os.getloadavg()[0]:.1f})"
        rows = json.loads(out.read_text())
        results[config] = report(label, rows, elapsed)
        results[config]["cpu_ms"] = 1000 * cpu / max(1, len(rows))
        print(
            f"\nserver CPU (gunicorn, its workers and the queue worker): {cpu:.0f} s in "
            f"{elapsed:.0f} s, {results[config]['cpu_ms']:.0f} ms per request"
        )
    print("\n| gunicorn | requests/s | errors | p95 pages | p95 portal | p95 API | CPU ms/req |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for config, s in results.items():
        print(
            f"| {config} | {s['rps']:.1f} | {s['errors']:.0f} "
            f"| {s.get('signed-in pages', 0):.0f} | {s.get('portal /gongkai/', 0):.0f} "
            f"| {s.get('API /api/v1', 0):.0f} | {s['cpu_ms']:.0f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
