"""Parser benchmark: prints throughput figures (never a pass/fail test).

Measures in-process, median of several runs:
  * the bundled five-plan file: parse + extract + serialise to the contract's JSON;
  * corpora made by repeating the bundled file up to 50 MB, to show cost grows linearly.

Run: `make bench` or `.venv/bin/python scripts/bench_parse.py [--sizes 5,10,25,50] [--runs 5]`.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planwatch.parsing import parse_bytes  # noqa: E402
from planwatch.parsing.render import to_json  # noqa: E402

BUNDLED = ROOT / "data" / "plans" / "sichuan-2021-five-regional-plans.txt"


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
    args = ap.parse_args()

    data = BUNDLED.read_bytes()
    timed(data, BUNDLED.name, 1)  # warm caches (gazetteer, regexes)
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
