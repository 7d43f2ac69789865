"""Benchmark of the structure stage alone: decode + PDF-text reader + plan splitting + tree +
TOC check, with the target and place extractors switched off (prints figures, never fails).

Run: `.venv/bin/python scripts/bench_structure.py [--sizes 5,50] [--runs 5]`.
The full pipeline (extractors and JSON included) is measured by `scripts/bench_parse.py`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planwatch.parsing import parse_bytes, pipeline  # noqa: E402
from planwatch.parsing.model import Plan, Warning  # noqa: E402

BUNDLED = ROOT / "data" / "plans" / "sichuan-2021-five-regional-plans.txt"


def _no_extractors(plan: Plan) -> list[Warning]:
    return []


def timed(data: bytes, runs: int) -> tuple[float, int]:
    """Median seconds of `runs` structure-only parses, and the number of plans found."""
    times: list[float] = []
    plans = 0
    for _ in range(runs):
        start = time.perf_counter()
        plans = len(parse_bytes(data, name="bench.txt").plans)
        times.append(time.perf_counter() - start)
    return statistics.median(times), plans


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="5,50", help="repeated-corpus sizes in MB")
    args = parser.parse_args()
    pipeline._extract = _no_extractors  # structure only
    data = BUNDLED.read_bytes()
    timed(data, 1)
    seconds, plans = timed(data, args.runs)
    print(f"bundled file {len(data) / 1e6:.2f} MB: median {seconds * 1000:.0f} ms, {plans} plans")
    unit = data.rstrip(b" ") + b"\n"
    for megabytes in (int(size) for size in args.sizes.split(",")):
        big = unit * max(1, round(megabytes * 1e6 / len(unit)))
        seconds, plans = timed(big, max(1, min(args.runs, 2 if megabytes >= 25 else args.runs)))
        rate = len(big) / 1e6 / seconds
        print(f"{len(big) / 1e6:6.1f} MB: median {seconds:6.2f} s, {rate:5.2f} MB/s, {plans} plans")
    return 0


if __name__ == "__main__":
    sys.exit(main())
