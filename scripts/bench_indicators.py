"""Indicator benchmark: prints figures (never a pass/fail test).

Builds, in a scratch database (PostgreSQL: CREATE DATABASE on the server of --pg, dropped at
the end; or a temporary SQLite file with --sqlite), the reference units, one plan per zone,
--indicators confirmed indicators (default 200) on the 成都平原 plan and their verified
observations for the zone and each of the 21 prefectures over --years years (default 10),
each with its status computed under the default method. Then it times, through Django's test
Client, --requests requests (default 30) of the zone matrix page and of a prefecture matrix
page (median and p95), and the import of a statistics-office xlsx (indicators down, the 21
prefectures across) for a new year, then the same file again (every value a revision), in
rows per second.

Every page is printed with its median and p95 beside the goal of issue 15 (p95 <= 150 ms):
the indicators index, the zone and a prefecture matrix (the indicator list of a place), as a
signed-in user without a role and as a clerk; an indicator's page (its path and the
prefecture map, 22 places × --years observations) as both; the statistics-office import page
(the form) and the import itself through that page (an upload of --indicators × 21 values,
printed beside the goal too, with its rows per second).

Run: `.venv/bin/python scripts/bench_indicators.py [--indicators 200 --years 10]`
(`--pg postgresql://postgres@127.0.0.1:5432/postgres` by default; `--sqlite` for SQLite).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@contextmanager
def scratch_database(server: str | None) -> Iterator[str]:
    if server is None:
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.sqlite3"
        return
    import psycopg

    name = f"planwatch_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server.rsplit('/', 1)[0]}/{name}"
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build(n_indicators: int, n_years: int) -> dict[str, object]:
    from django.contrib.auth import get_user_model

    from planwatch.accounts.choices import Role
    from planwatch.accounts.models import Membership
    from planwatch.indicators import methods as m
    from planwatch.indicators.models import ComputedStatus, Indicator, Observation
    from planwatch.orgunits.choices import OrgUnitKind
    from planwatch.orgunits.models import OrgUnit
    from planwatch.orgunits.services import orgunits_load_reference
    from planwatch.plans.models import Plan

    orgunits_load_reference(actor=None)
    zones = list(OrgUnit.objects.filter(kind=OrgUnitKind.ZONE).order_by("code"))
    plans = [Plan.objects.create(title=f"{z.name}规划", slug=z.code[5:], org_unit=z) for z in zones]
    zone = OrgUnit.objects.get(name="成都平原经济区")
    plan = next(p for p in plans if p.org_unit_id == zone.pk)
    prefectures = list(OrgUnit.objects.filter(kind=OrgUnitKind.PREFECTURE))
    places = [zone, *prefectures]
    year0, year1 = 2020, 2020 + n_years
    indicators = Indicator.objects.bulk_create(
        Indicator(
            plan=plan,
            place=zone,
            name=f"指标{i:03d}",
            unit="亿元",
            kind="level",
            baseline_year=year0,
            baseline_value=1000.0 + i,
            target_year=year1,
            target_value=1600.0 + i,
            status="confirmed",
            target_line=1,
            target_page=1,
        )
        for i in range(n_indicators)
    )
    user = get_user_model().objects.create_user(username="bench_clerk", password=None)
    province = OrgUnit.objects.get(code="510000")
    for role in (Role.PLANNER, Role.DATA_CLERK, Role.UNIT_REVIEWER):
        Membership.objects.create(user=user, org_unit=province, role=role)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [
        Observation(
            indicator=ind,
            place=p,
            year=y,
            value=1000.0 + ind.pk + 55 * (y - year0) * (1 + k % 3) / 2,
            source="bench",
            entered_by=user,
            entered_at=now,
            verified_by=user,
            verified_at=now,
        )
        for ind in indicators
        for k, p in enumerate(places)
        for y in range(year0 + 1, year1 + 1)
    ]
    Observation.objects.bulk_create(rows, batch_size=5000)
    statuses = []
    for o in Observation.objects.select_related("indicator").iterator(chunk_size=5000):
        i = o.indicator
        a = m.assess(
            kind=i.kind,
            direction=i.direction,
            comparator=i.comparator,
            baseline=i.baseline_value,
            year0=i.baseline_year,
            target=i.target_value,
            year1=i.target_year,
            actual=o.value,
            year=o.year,
        )
        statuses.append(
            ComputedStatus(
                observation=o,
                indicator=i,
                place_id=o.place_id,
                year=o.year,
                status=a.status,
                expected=a.expected,
                ratio=a.ratio,
                required_growth=a.required_growth,
                method_version=a.method_version,
                computed_at=now,
            )
        )
    ComputedStatus.objects.bulk_create(statuses, batch_size=5000)
    return {
        "plan": plan,
        "zone": zone,
        "user": user,
        "prefectures": prefectures,
        "observations": len(rows),
        "year1": year1,
    }


GOAL_MS = 150  # issue 15: the pages of indicators, projects and assessment at p95 <= 150 ms


def print_timing(label: str, median: float, p95: float, n: int, extra: str = "") -> None:
    """One page's line: median and p95 beside the goal."""
    mark = "ok" if p95 * 1000 <= GOAL_MS else "ABOVE GOAL"
    print(
        f"{label}: median {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms over {n} requests "
        f"(goal p95 <= {GOAL_MS} ms: {mark}){extra}"
    )


def time_page(client: object, label: str, path: str, n: int) -> None:
    client.get(path)  # type: ignore[attr-defined]  # warm-up
    median, p95 = time_requests(client, path, n)
    print_timing(label, median, p95, n)


def time_requests(client: object, url: str, n: int) -> tuple[float, float]:
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        response = client.get(url)  # type: ignore[attr-defined]
        samples.append(time.perf_counter() - t0)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[
        min(len(samples) - 1, round(0.95 * (len(samples) - 1)))
    ]


def import_file(n_indicators: int, prefectures: list[object]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["指标", "单位", *[p.name for p in prefectures]])  # type: ignore[attr-defined]
    for i in range(n_indicators):
        ws.append([f"指标{i:03d}", "亿元", *[1234.5 + j for j in range(len(prefectures))]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead")
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    with scratch_database(None if args.sqlite else args.pg) as url:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planwatch.settings")
        os.environ.setdefault("PLANWATCH_ALLOWED_HOSTS", "testserver")
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        t0 = time.perf_counter()
        world = build(args.indicators, args.years)
        print(
            f"data ({'SQLite' if args.sqlite else 'PostgreSQL'}): {args.indicators} indicators × "
            f"{1 + len(world['prefectures'])} places × {args.years} years = "  # type: ignore[arg-type]
            f"{world['observations']:,} observations with statuses, built in "
            f"{time.perf_counter() - t0:.1f} s"
        )
        from django.contrib.auth.models import User
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.test import Client

        from planwatch.indicators.models import Indicator

        # the matrix needs sign-in (issue 13): someone without a role sees verified values only
        visitor = User.objects.get_or_create(username="bench-visitor")[0]
        detail = Indicator.objects.order_by("pk").first()
        assert detail is not None
        for label, who in (("signed in, no role", visitor), ("signed-in clerk", world["user"])):
            client = Client()
            client.force_login(who)  # type: ignore[arg-type]
            pages = [
                ("indicators index", "/indicators/"),
                ("zone matrix (成都平原)", "/indicators/places/zone:chengdu-plain/"),
                ("prefecture matrix (成都)", "/indicators/places/510100/"),
                ("indicator page with the prefecture map", f"/indicators/{detail.pk}/"),
            ]
            if who is world["user"]:
                pages.append(("statistics-office import page (form)", "/indicators/import/"))
            for page, path in pages:
                time_page(client, f"{page}, {label}", path, args.requests)
        data = import_file(args.indicators, world["prefectures"])  # type: ignore[arg-type]
        client = Client()
        client.force_login(world["user"])  # type: ignore[arg-type]
        samples = []
        n_imports = max(3, args.requests // 6)
        for k in range(n_imports):
            # the first a new year, then the same file again: every value a revision
            t0 = time.perf_counter()
            response = client.post(
                "/indicators/import/",
                {
                    "plan": world["plan"].pk,  # type: ignore[attr-defined]
                    "year": int(world["year1"]) + 1,  # type: ignore[call-overload]
                    "source": "bench",
                    "stage": "preliminary",
                    "file": SimpleUploadedFile("bench.xlsx", data),
                },
            )
            samples.append(time.perf_counter() - t0)
            assert response.status_code == 302, (response.status_code, k)
        samples.sort()
        n_values = args.indicators * len(world["prefectures"])  # type: ignore[arg-type]
        median = statistics.median(samples)
        print_timing(
            f"statistics-office import through the page ({n_values:,} values, first a new "
            "year, then revisions)",
            median,
            samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))],
            n_imports,
            f" = {n_values / median:,.0f} values/s at the median",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
