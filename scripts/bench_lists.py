"""Signed-in list pages benchmark (issue 15 item 3): the heaviest pages of the load test —
the task list, the review queue and the 督办 cases — as the load test's users open them
(the 川南 planner; a city reporter), one after the other through Django's test client on the
database scripts/bench_load.py prepared. Prints, per page, the queries of one request, the
page's size and the median and p95 wall and CPU time of `--runs` requests (figures, never a
pass/fail).

The database and the accounts come from a `bench_load.py` preparation: DATABASE_URL names the
database (default: bench_load's `pw_bench_load` on the local server) and `--fixture` the
fixture.json it wrote. `--profile PAGE` (e.g. `planner:/tasks/`) prints cProfile's top
functions (cumulative) of `--runs` requests instead of timing them; `--queries` lists the
queries of one request with their times.

To measure another checkout (say main, before a change), put it first:
`PLANWATCH_BENCH_TREE=/work/main .venv/bin/python scripts/bench_lists.py`.

Run: `.venv/bin/python scripts/bench_lists.py [--fixture /tmp/pw-bench-load/fixture.json]
[--runs 30] [--only planner:/tasks/] [--profile planner:/tasks/] [--queries]`.
"""

from __future__ import annotations

import argparse

from benchkit import (
    add_load_fixture_argument,
    load_clients,
    measure_page,
    measure_tree,
    print_database,
    print_profile,
    setup_on_load_database,
)

TREE = measure_tree()

# who opens which page in scripts/locust_planwatch.py
PAGES = (
    "planner:/tasks/",
    "reporter:/tasks/",
    "planner:/reports/queue/",
    "planner:/cases/",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_load_fixture_argument(parser)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--only", action="append", default=[], help="who:path (repeatable)")
    parser.add_argument("--profile", default="", help="profile this who:path instead")
    parser.add_argument("--queries", action="store_true", help="list one request's queries")
    args = parser.parse_args()
    fixture = setup_on_load_database(args.fixture)
    client_of = load_clients(fixture)

    if args.profile:
        who, path = args.profile.split(":", 1)
        client = client_of(who)
        print_profile(lambda: client.get(path), args.runs)
        return
    print_database(TREE)
    for page in args.only or PAGES:
        who, path = page.split(":", 1)
        figures = measure_page(client_of(who), path, args.runs)
        if args.queries:
            for sql, ms in figures.queries:
                print(f"  {ms:6.1f} ms  {sql[:110]}")
        print(figures.line(page, 26))


if __name__ == "__main__":
    main()
