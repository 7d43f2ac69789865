"""Parser benchmark: prints throughput figures (never a pass/fail test).

Measures in-process, median of several runs:
  * the bundled five-plan file: parse + extract + serialise to the contract's JSON, against
    a baseline measured in the same run and interleaved with it: one pass that any reader of
    the text must make (UTF-8 decode, NFKC, split into lines, one compiled heading regex
    searched on each line). The ratio of the two is the figure (issue 15 item 9: goal ≤ 3×);
    it holds still on a loaded machine, where the absolute times do not. The parser keeps
    caches keyed by a text's content (normalised clauses, heading numbers, place mentions),
    which every run after the first hits; a second ratio empties them before each parse, as
    for a document the process has never seen — the honest figure for a new upload;
  * ingest of the bundled file into a fresh, migrated SQLite database (parse + store, as
    `scripts/bench_web.py` measures it; goal ≤ 1 s), with the number of queries the store ran;
  * corpora made by repeating the bundled file up to 50 MB, to show cost grows linearly.

Run: `make bench` or `.venv/bin/python scripts/bench_parse.py [--sizes 5,10,25,50] [--runs 5]
[--no-ingest]`.
"""

from __future__ import annotations

import argparse
import re
import resource
import statistics
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planwatch.parsing import parse_bytes  # noqa: E402
from planwatch.parsing.render import to_json  # noqa: E402

BUNDLED = ROOT / "data" / "plans" / "sichuan-2021-five-regional-plans.txt"
RATIO_GOAL = 3.0
INGEST_GOAL = 1.0  # seconds, SQLite
# The baseline's regex: a heading's numbering at the start of a line (第…章, 一、, （一）).
_HEADING = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零〇\d]+[篇章节]|[一二三四五六七八九十]+、"
    r"|[（(][一二三四五六七八九十]+[)）])"
)


def baseline_pass(data: bytes) -> int:
    """One decode + NFKC + split + regex pass over the text: the floor any parse stands on."""
    text = unicodedata.normalize("NFKC", data.decode("utf-8"))
    return sum(1 for line in text.splitlines() if _HEADING.search(line))


def forget_texts() -> None:
    """Empty the parser's caches keyed by a text's content (normalised clauses, heading
    numbers, place mentions), as for a document the process has never seen. The caches of
    the process's fixed data (gazetteer, place matcher, compiled patterns) stay warm, as they
    are in a running server."""
    from planwatch.parsing import numbering, places
    from planwatch.parsing.quantities import text

    for cached in (text.normalise, numbering._match_candidates, places._mentions):
        cached.cache_clear()


def ratio_runs(
    data: bytes, name: str, runs: int, *, first_sight: bool = False
) -> tuple[float, float, list[float]]:
    """Median baseline seconds, median parse+extract+serialise seconds, and the ratio of each
    run's pair (interleaved, so a burst of load on the machine hits both alike). With
    `first_sight`, the caches keyed by the text are emptied before each parse."""
    base, full, ratios = [], [], []
    for _ in range(runs):
        if first_sight:
            forget_texts()
        t0 = time.perf_counter()
        baseline_pass(data)
        t1 = time.perf_counter()
        to_json(parse_bytes(data, name=name), indent=None)
        t2 = time.perf_counter()
        base.append(t1 - t0)
        full.append(t2 - t1)
        ratios.append((t2 - t1) / (t1 - t0))
    return statistics.median(base), statistics.median(full), ratios


def ingest_sqlite(runs: int) -> None:
    """The bundled file ingested into fresh SQLite databases (bench_web's worker)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_web import fresh_sqlite, run_worker

    results = []
    for _ in range(runs):
        with fresh_sqlite() as env:
            results.append(run_worker("ingest", env))

    def median(key: str) -> float:
        return statistics.median(float(r[key]) for r in results)

    print(
        f"ingest on SQLite (fresh database, median of {runs}): "
        f"{median('ingest'):.2f} s [goal <= {INGEST_GOAL:.0f} s] = parse {median('parse'):.2f} s "
        f"(first in its process) + store {median('store'):.2f} s "
        f"({results[0].get('store_queries', '?')} queries)"
    )


def timed(data: bytes, name: str, runs: int) -> tuple[float, int]:
    """Median seconds of parse+serialise over `runs`, and the JSON size."""
    times = []
    size = 0
    for _ in range(runs):
        t0 = time.perf_counter()
        result = parse_bytes(data, name=name)
        size = len(to_json(result, indent=None))
        times.append(time.perf_counter() - t0)
    return statistics.median(times), size


def corpus(megabytes: int) -> bytes:
    """The bundled text repeated (each copy still five complete plans) to `megabytes` MB."""
    text = BUNDLED.read_bytes().rstrip(b" ")
    copies = max(1, round(megabytes * 1_000_000 / len(text)))
    return (text + b"\n\n") * copies


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", default="5,10,25,50", help="corpus sizes in MB")
    ap.add_argument("--ingest-runs", type=int, default=3)
    ap.add_argument("--no-ingest", action="store_true", help="skip the SQLite ingest figure")
    args = ap.parse_args()

    data = BUNDLED.read_bytes()
    timed(data, BUNDLED.name, 1)  # warm caches (gazetteer, regexes)
    base, full, ratios = ratio_runs(data, BUNDLED.name, args.runs)
    print(
        f"bundled file vs one decode+NFKC+split+regex pass (median of {args.runs}, interleaved): "
        f"baseline {base * 1000:.1f} ms, parse+extract+serialise {full * 1000:.0f} ms, "
        f"ratio {statistics.median(ratios):.1f}x [goal <= {RATIO_GOAL:.0f}x] "
        f"(runs: {', '.join(f'{r:.1f}' for r in sorted(ratios))})"
    )
    base, full, ratios = ratio_runs(data, BUNDLED.name, args.runs, first_sight=True)
    print(
        f"  the same, as a text never seen (the caches keyed by text emptied before each parse): "
        f"parse+extract+serialise {full * 1000:.0f} ms, ratio {statistics.median(ratios):.1f}x "
        f"[goal <= {RATIO_GOAL:.0f}x] (runs: {', '.join(f'{r:.1f}' for r in sorted(ratios))})"
    )
    if not args.no_ingest:
        ingest_sqlite(args.ingest_runs)
    sec, out = timed(data, BUNDLED.name, args.runs)
    print(
        f"bundled file: {len(data) / 1e6:.2f} MB, {len(data.decode()):,} chars -> "
        f"median {sec * 1000:.0f} ms over {args.runs} runs "
        f"({len(data) / 1e6 / sec:.2f} MB/s), JSON {out / 1e6:.2f} MB"
    )

    print("repeated corpus (parse + extract + serialise):")
    rows = []
    for mb in (int(s) for s in args.sizes.split(",")):
        big = corpus(mb)
        runs = max(1, min(args.runs, 3 if mb >= 25 else args.runs))
        sec, _ = timed(big, f"corpus-{mb}MB.txt", runs)
        rows.append((len(big), sec))
        print(
            f"  {len(big) / 1e6:6.1f} MB: median {sec:6.2f} s over {runs} run(s), "
            f"{len(big) / 1e6 / sec:5.2f} MB/s, {sec / (len(big) / 1e6) * 1000:6.1f} ms/MB"
        )
    if len(rows) >= 2:
        (s0, t0), (s1, t1) = rows[0], rows[-1]
        print(
            f"  cost ratio {t1 / t0:.2f} for size ratio {s1 / s0:.2f} "
            f"(1.00 per unit = linear: {t1 / t0 / (s1 / s0):.2f})"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
