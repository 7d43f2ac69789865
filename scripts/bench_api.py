"""API read benchmark (issue 15 item 3): the /api/v1 reads of the load test's API client, one
after the other through Django's test client with its bearer token, on the database
scripts/bench_load.py prepared. Prints, per endpoint, the queries of one request and the
median and p95 wall and CPU time of `--runs` requests (figures, never a pass/fail).

The database and the token come from a `bench_load.py` preparation: DATABASE_URL names the
database (default: bench_load's `pw_bench_load` on the local server) and `--fixture` the
fixture.json it wrote (the token, the API paths). `--profile PATH` prints cProfile's top
functions (cumulative) of `--runs` requests to that path instead of timing them all.

To measure another checkout (say main, before a change), put it first:
`PLANWATCH_BENCH_TREE=/work/main .venv/bin/python scripts/bench_api.py`.

Run: `.venv/bin/python scripts/bench_api.py [--fixture /tmp/pw-bench-load/fixture.json]
[--runs 50] [--only /api/v1/tasks] [--profile /api/v1/tasks]`.
"""

from __future__ import annotations

import argparse

from benchkit import (
    add_load_fixture_argument,
    measure_page,
    measure_tree,
    print_database,
    print_profile,
    setup_on_load_database,
)

TREE = measure_tree()

# the heaviest reads of the load test first
HEAVY = (
    "/api/v1/tasks",
    "/api/v1/reports",
    "/api/v1/cases",
    "/api/v1/public/tasks",
    "/api/v1/tasks/{id}",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_load_fixture_argument(parser)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--only", action="append", default=[], help="this path (repeatable)")
    parser.add_argument("--all", action="store_true", help="every path of the fixture")
    parser.add_argument("--profile", default="", help="profile this path instead")
    args = parser.parse_args()
    fixture = setup_on_load_database(args.fixture)
    from django.test import Client

    client = Client(headers={"Authorization": f"Bearer {fixture['token']}"})
    paths = list(fixture["api"])
    if args.only:
        paths = args.only
    elif not args.all:
        paths = [p for p in paths if p.split("/")[-1].isdigit() or p in HEAVY]
        paths = [p for p in paths if not p.startswith("/api/v1/reports/")]
    if args.profile:
        print_profile(lambda: client.get(args.profile), args.runs)
        return
    print_database(TREE)
    for path in paths:
        print(measure_page(client, path, args.runs).line(path, 28))


if __name__ == "__main__":
    main()
