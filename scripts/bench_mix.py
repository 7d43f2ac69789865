"""CPU per request of every signed-in page of the load test's mix (issue 15 item 3): each page
scripts/locust_planwatch.py opens — the planner's, the reporter's (the draft save included)
and the leader's — through Django's test client in this one process, on the database
scripts/bench_load.py prepared. Prints, per page, the queries of one request and the median
and mean process CPU milliseconds (time.process_time: the database server's CPU excluded) of
`--runs` requests, then the mean CPU per request weighted as the scenario's task weights
open them (figures, never a pass/fail).

Detail pages (a task, a case, an indicator, a report in the queue, a dashboard, an edition, a
result) are the first link of that kind on the page that lists them, as the load test's users
gather them. `--html DIR` writes each page's HTML (CSRF tokens masked) to DIR so that two
checkouts can be compared byte for byte (`diff -r`; the draft save, which changes what
the pages show, is left out then); `--profile who:path` prints cProfile's
top functions instead.

To measure another checkout (say main, before a change), put it first:
`PLANWATCH_BENCH_TREE=/work/main .venv/bin/python scripts/bench_mix.py`.

Run: `.venv/bin/python scripts/bench_mix.py [--fixture /tmp/pw-bench-load/fixture.json]
[--runs 30] [--only planner:/tasks/] [--html DIR] [--profile planner:/tasks/]`.
"""

from __future__ import annotations

import argparse
import re
import statistics
from pathlib import Path
from typing import Any

from benchkit import (
    LINK_PATTERNS,
    add_load_fixture_argument,
    load_clients,
    measure_page,
    measure_tree,
    print_database,
    print_profile,
    recorded_queries,
    setup_on_load_database,
    time_calls,
)

TREE = measure_tree()

CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')
CSRF_HTMX = re.compile(r'("X-CSRFToken": ")[^"]+(")')

# (who, page, the locust task's weight within its user, the user's weight, the number of
# pages the task opens); "list>kind" is the first link of `kind` on `list`.
MIX = (
    ("planner", "/workbench/", 2, 8, 1),
    ("planner", "/dashboards/", 2, 8, 2),
    ("planner", "/dashboards/>dashboard", 2, 8, 2),
    ("planner", "/tasks/", 3, 8, 2),
    ("planner", "/tasks/>task", 3, 8, 2),
    ("planner", "/cases/", 1, 8, 2),
    ("planner", "/cases/>case", 1, 8, 2),
    ("planner", "/indicators/", 1, 8, 2),
    ("planner", "/indicators/>indicator", 1, 8, 2),
    ("planner", "/reports/queue/", 2, 8, 2),
    ("planner", "/reports/queue/>report", 2, 8, 2),
    ("reporter", "/workbench/", 2, 8, 1),
    ("reporter", "/tasks/", 2, 8, 2),
    ("reporter", "own task", 2, 8, 2),
    ("reporter", "own report", 3, 8, 2),
    ("reporter", "save draft", 3, 8, 2),
    ("leader", "/workbench/", 1, 4, 1),
    ("leader", "/dashboards/province/", 4, 4, 2),
    ("leader", "/dashboards/province/>dashboard", 4, 4, 2),
    ("leader", "/integration-index/", 1, 4, 2),
    ("leader", "/integration-index/>edition", 1, 4, 2),
    ("leader", "/assessment/results/", 1, 4, 2),
    ("leader", "/assessment/results/>result", 1, 4, 2),
)


def masked(html: str) -> str:
    return CSRF_HTMX.sub(r"\1…\2", CSRF.sub(r"\1…\2", html))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_load_fixture_argument(parser)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--only", action="append", default=[], help="who:page (repeatable)")
    parser.add_argument("--html", type=Path, help="write each page's HTML to this folder")
    parser.add_argument("--profile", default="", help="profile this who:page instead")
    args = parser.parse_args()
    fixture = setup_on_load_database(args.fixture)
    reporter = fixture["reporters"][0]
    client_of = load_clients(fixture)

    def path_of(who: str, page: str) -> str:
        if page == "own task":
            return f"/tasks/{reporter['task']}/"
        if page in ("own report", "save draft"):
            return f"/reports/{reporter['report']}/"
        listing, _, kind = page.partition(">")
        if not kind:
            return listing
        found = LINK_PATTERNS[kind].search(client_of(who).get(listing).content.decode())
        return found.group(1) if found else listing  # as the scenario falls back

    wanted = [
        (w, p, tw, uw, n) for w, p, tw, uw, n in MIX if not args.only or f"{w}:{p}" in args.only
    ]
    if args.profile:
        who, page = args.profile.split(":", 1)
        path = path_of(who, page)
        client = client_of(who)
        print_profile(lambda: client.get(path), args.runs)
        return
    print_database(TREE)
    weighted = weights = 0.0
    width = max(len(f"{w}:{p}") for w, p, *_ in wanted) + 1
    for who, page, task_weight, user_weight, pages in wanted:
        if page == "save draft" and args.html:
            continue  # it changes the report the other pages show: not while comparing
        if page == "save draft":
            queries, cpu = measure_save(client_of("reporter"), path_of(who, page), args.runs)
            size = 0
        else:
            path = path_of(who, page)
            figures = measure_page(client_of(who), path, args.runs)
            queries, cpu, size = figures.queries, figures.cpu, figures.size
            if args.html:
                args.html.mkdir(parents=True, exist_ok=True)
                name = f"{who}{path}".strip("/").replace("/", "_") + ".html"
                text = client_of(who).get(path).content.decode()
                (args.html / name).write_text(masked(text))
        weight = user_weight * task_weight / pages
        weighted += weight * statistics.mean(cpu)
        weights += weight
        print(
            f"{who + ':' + page:<{width}} {len(queries):>3} queries, {size:>7} B; "
            f"CPU ms per request median {statistics.median(cpu):6.1f} "
            f"mean {statistics.mean(cpu):6.1f}"
        )
    print(
        f"CPU ms per request over the mix (weighted as the scenario opens them): "
        f"{weighted / weights:.1f}"
    )


def measure_save(client: Any, path: str, runs: int) -> tuple[list[tuple[str, float]], list[float]]:
    """The reporter's draft save: a POST of the report form with the report's current version
    (302 expected), `runs` times; the version is read from the form before each timed POST
    and the form's GET is not counted."""

    def post() -> Any:
        return client.post(path, data)

    def fresh() -> dict[str, str]:
        form = client.get(path).content.decode()
        version = re.search(r'name="version" value="(\d+)"', form)
        assert version, "no version on the reporter's report form"
        return {
            "version": version.group(1),
            "completion": "50",
            "progress_status": "in_progress",
            "narrative": "已完成可研批复，正在开展初步设计。（负载测试）",
            "action": "save",
        }

    data = fresh()
    assert post().status_code == 302
    data = fresh()
    with recorded_queries() as queries:
        assert post().status_code == 302
    cpu: list[float] = []
    for _ in range(runs):
        data = fresh()
        _, one = time_calls(post, 1)
        cpu += one
    return queries, cpu


if __name__ == "__main__":
    main()
