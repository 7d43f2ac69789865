"""Load run of the public portal (issue 13): 32 concurrent anonymous visitors for 60 s against
the REAL server (`planwatch serve`, gunicorn) on the loopback, with the demonstration data and
a set of publications; prints requests per second, the median and p95 latency and the errors
(figures, never a pass/fail test).

Without --url, a var dir is prepared as `make run` would (`planwatch setup`, `planwatch demo`),
then the 2024 lists of the five plans, 川南's confirmed indicators (with verified values) and
projects (with yearly plans) and the published index editions are published to the public,
and the server is started on 127.0.0.1:PORT and stopped at the end (--reuse keeps a prepared
var dir). With --url an already running loopback server is used as it is.

Each visitor is a thread with one keep-alive connection, going through the portal's pages in
turn (home, zones, prefectures, lists, tasks, indicators, projects, index editions, the feed:
every /gongkai/ page reachable from the home, found by a crawl first, at most --pages).

Run: `.venv/bin/python scripts/bench_portal.py [--seconds 60] [--users 32] [--workers 4]
[--var /tmp/pw-bench-portal] [--reuse] [--port 8171] [--url http://127.0.0.1:8101]`.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PLANWATCH = [str(Path(sys.executable).with_name("planwatch"))]
HREF = re.compile(r"""href="([^"#]+)""")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

PUBLISH = """
import django; django.setup()
from django.contrib.auth.models import User
from django.utils import timezone
from planwatch.assessment.models import IndexEdition
from planwatch.indicators.models import Indicator, Observation
from planwatch.indicators.services import indicator_confirm, indicator_drafts_generate
from planwatch.plans.models import Plan
from planwatch.projects import services as ps
from planwatch.projects.models import Project
from planwatch.publication.services import publish
from planwatch.tasks.models import AnnualList
actor = User.objects.filter(is_superuser=True).first()
for alist in AnnualList.objects.filter(year=2024, issued_number__gt=0):
    publish(actor=None, subject=alist, note="2024年清单")
south = Plan.objects.get(title__startswith="川南")
indicator_drafts_generate(plan=south, actor=actor)
drafts = Indicator.objects.filter(
    plan=south, status="draft", target_value__isnull=False, baseline_value__isnull=False
)
now = timezone.now()
for ind in drafts[:8]:
    ind = indicator_confirm(indicator=ind, actor=actor)
    for year, factor in ((2021, 1.05), (2022, 1.1)):
        Observation.objects.create(
            indicator=ind, place=ind.place or south.org_unit, year=year,
            value=round(ind.baseline_value * factor, 2), source="bench",
            entered_at=now, verified_at=now,
        )
    publish(actor=None, subject=ind)
ps.project_drafts_generate(plan=south, actor=actor)
for p in Project.objects.filter(plan=south, status="draft")[:20]:
    p = ps.project_confirm(project=p, actor=actor)
    ps.annual_plan_set(project=p, year=2024, amount="50000", actor=actor)
    publish(actor=None, subject=p)
for edition in IndexEdition.objects.filter(status="published"):
    publish(actor=None, subject=edition)
"""


def run(env: dict[str, str], *args: str) -> None:
    proc = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{proc.stderr[-3000:]}")


def prepare(var: Path, reuse: bool) -> dict[str, str]:
    env = {
        **{k: v for k, v in os.environ.items() if k != "PLANWATCH_SECRET_KEY"},
        "PLANWATCH_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "planwatch.settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": "",
        "PLANWATCH_QUEUE_URL": "",
    }
    if reuse and (var / "prepared").exists():
        return env
    var.mkdir(parents=True, exist_ok=True)
    for step, args in (
        ("setup", [*PLANWATCH, "setup"]),
        ("demo", [*PLANWATCH, "demo"]),
        ("publish", [sys.executable, "-c", PUBLISH]),
    ):
        began = time.perf_counter()
        run(env, *args)
        print(f"{step}: {time.perf_counter() - began:.0f} s", file=sys.stderr)
    (var / "prepared").write_text("yes\n")
    return env


def start_server(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen:  # type: ignore[type-arg]
    server = subprocess.Popen(
        [*PLANWATCH, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        env=env,
        cwd=ROOT,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped at start; see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/gongkai/", timeout=5):
                return server
        except OSError:
            time.sleep(0.5)
    stop_server(server)
    raise SystemExit(f"the server did not answer within 90 s; see {log}")


def stop_server(server: subprocess.Popen) -> None:  # type: ignore[type-arg]
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def discover(base: str, limit: int) -> list[str]:
    """Every /gongkai/ page reachable from the portal's home (breadth first, at most `limit`)."""
    queue, seen = ["/gongkai/", "/gongkai/feed.atom"], {"/gongkai/", "/gongkai/feed.atom"}
    found: list[str] = []
    while queue and len(found) < limit:
        path = queue.pop(0)
        with urllib.request.urlopen(base + path, timeout=30) as response:
            text = response.read().decode("utf-8", "replace")
        found.append(path)
        for href in HREF.findall(text):
            link = urlsplit(urljoin(base + path, href.replace("&amp;", "&")))
            if link.netloc == urlsplit(base).netloc and link.path.startswith("/gongkai/"):
                target = link.path + (f"?{link.query}" if link.query else "")
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
    return found


def visitor(
    base: str, paths: list[str], start: int, until: float, out: list[tuple[float, int]]
) -> None:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    i = start
    while time.monotonic() < until:
        path = paths[i % len(paths)]
        i += 1
        began = time.perf_counter()
        try:
            conn.request("GET", path, headers={"Accept-Language": "zh-CN"})
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            status = 0
            conn.close()
            conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
        out.append((time.perf_counter() - began, status))
    conn.close()


def load(base: str, paths: list[str], users: int, seconds: int) -> None:
    results: list[list[tuple[float, int]]] = [[] for _ in range(users)]
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=visitor, args=(base, paths, n * 7, until, results[n]))
        for n in range(users)
    ]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    rows = [r for part in results for r in part]
    times = sorted(t for t, _ in rows)
    errors = sum(1 for _, s in rows if s == 0 or s >= 400)
    p95 = times[int(len(times) * 0.95) - 1] if times else 0.0
    print(
        f"{users} visitors, {elapsed:.0f} s, {len(paths)} portal pages in turn: "
        f"{len(rows)} requests, {len(rows) / elapsed:.1f} requests/s, "
        f"median {statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
        f"errors {errors}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running loopback server (default: start one)")
    parser.add_argument("--var", type=Path, default=Path("/tmp/pw-bench-portal"))
    parser.add_argument("--reuse", action="store_true", help="keep a prepared var dir")
    parser.add_argument("--port", type=int, default=8171)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--pages", type=int, default=300)
    args = parser.parse_args()
    server = None
    if args.url:
        base = args.url.rstrip("/")
        if urlsplit(base).hostname not in LOOPBACK:
            raise SystemExit("the load run goes to the loopback only")
    else:
        env = prepare(args.var, args.reuse)
        server = start_server(env, args.port, args.workers, args.var / "serve.log")
        base = f"http://127.0.0.1:{args.port}"
    try:
        paths = discover(base, args.pages)
        load(base, paths, args.users, args.seconds)
    finally:
        if server is not None:
            stop_server(server)


if __name__ == "__main__":
    main()
