"""Assessment benchmark (issue 12): prints figures (never a pass/fail test).

On a temporary PostgreSQL database (as scripts/bench_dashboard.py: the reference units, 50,000
tasks of 25 issued lists with 2 responsible prefectures each, a stored light, 1,000,000
monthly progress reports built with COPY), it times:
- one year's 绩效考核 (2025, data as of 2025-12-31) for the 21 prefectures and for the 49
  provincial departments: a frozen scheme copied from the default, an edition computed from
  the tasks, report slots, red cases, indicator statuses and projects, with every score line
  stored (results.result_compute);
- one 一体化发展指数 edition of the 成都平原 plan for its 8 cities (and the zone) × 40
  indicators × 10 years (2020–2029) of verified observations (services.index_edition_compute).

Then it times, through Django's test Client as a province planner, --requests requests
(default 30) of the 一体化发展指数 pages — the index list, the method page and the edition
page (its tables, sensitivity ranks and the charts' data, which the page carries) — and,
unless --index-only, of the 绩效考核 result pages of both editions (the list, an edition and a
unit's score card), each with median and p95 beside the goal of issue 15 (p95 <= 150 ms).
--index-only builds the reference units and the plans only (no tasks or reports) and skips
the 绩效考核.

Run: `.venv/bin/python scripts/bench_assessment.py [--tasks 50000 --reports 1000000]
[--index-only]` (`--pg postgresql://postgres@127.0.0.1:5432/postgres` by default).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_dashboard import build, scratch_database  # noqa: E402
from bench_indicators import time_page  # noqa: E402


def bench_assessment(user: object) -> list[object]:
    from django.db import connection

    from planwatch.assessment import results, schemes
    from planwatch.assessment.models import ScoreLine, Series

    editions = []
    for series in (Series.PREFECTURES, Series.DEPARTMENTS):
        scheme = schemes.scheme_copy(source=schemes.default_scheme(series), year=2025, actor=user)
        schemes.scheme_freeze(scheme=scheme, actor=user)
        t0 = time.perf_counter()
        edition = results.result_compute(scheme=scheme, actor=user, as_of=date(2025, 12, 31))
        editions.append(edition)
        took = time.perf_counter() - t0
        units = edition.scores.count()
        lines = ScoreLine.objects.filter(item__score__edition=edition).count()
        counts = edition.inputs["counts"]
        print(
            f"assessment {series} 2025: {units} units, {counts['tasks']:,} tasks, "
            f"{counts['report_slots']:,} report slots, {counts['reports']:,} reports, "
            f"{lines:,} score lines stored in {took:.1f} s"
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return editions


def bench_index(user: object, n_indicators: int, years: int) -> object:
    from django.utils import timezone

    from planwatch.assessment.models import IndexNode, NodeLevel
    from planwatch.assessment.services import (
        index_edition_compute,
        index_indicator_attach,
        index_method_create_default,
    )
    from planwatch.indicators.choices import Direction, IndicatorStatus
    from planwatch.indicators.models import Indicator, Observation
    from planwatch.orgunits.choices import OrgUnitKind
    from planwatch.orgunits.models import OrgUnit
    from planwatch.plans.models import Plan

    zone = OrgUnit.objects.get(kind=OrgUnitKind.ZONE, name__startswith="成都平原")
    plan = Plan.objects.get(org_unit=zone)
    cities = list(OrgUnit.objects.filter(parent=zone, kind=OrgUnitKind.PREFECTURE))
    method = index_method_create_default(plan=plan, actor=user)
    subs = list(IndexNode.objects.filter(method=method, level=NodeLevel.SUBDIMENSION))
    rng = random.Random(2)
    now = timezone.now()
    observations = []
    for k in range(n_indicators):
        ind = Indicator.objects.create(
            plan=plan,
            place=zone,
            name=f"指标 {k + 1}",
            unit="%",
            direction=Direction.LOWER if k % 5 == 0 else Direction.HIGHER,
            status=IndicatorStatus.CONFIRMED,
            target_year=2025,
            target_value=1.0,
        )
        index_indicator_attach(method=method, parent=subs[k % len(subs)], indicator=ind, actor=user)
        for place in [zone, *cities]:
            level = rng.uniform(50, 150)
            for y in range(method.base_year, method.base_year + years):
                value = level * (1 + 0.05 * rng.random()) ** (y - method.base_year)
                observations.append(
                    Observation(
                        indicator=ind, place=place, year=y, value=value,
                        source="bench", entered_at=now, verified_at=now,
                    )
                )  # fmt: skip
    Observation.objects.bulk_create(observations, batch_size=5000)
    t0 = time.perf_counter()
    edition = index_edition_compute(method=method, actor=user, year_to=method.base_year + years - 1)
    took = time.perf_counter() - t0
    print(
        f"index edition: {len(cities)} cities + zone × {n_indicators} indicators × {years} years "
        f"({len(observations):,} observations) → {edition.values.count():,} values, "
        f"{edition.missing.count()} missing, computed and stored in {took:.1f} s"
    )
    return edition


def time_pages(user: object, index_edition: object, result_editions: list[object], n: int) -> None:
    from django.test import Client

    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    e = index_edition
    pages = [
        ("integration-index list", "/integration-index/"),
        ("integration-index method page", f"/integration-index/methods/{e.method_id}/"),  # type: ignore[attr-defined]
        (
            "integration-index edition page with its charts' data",
            f"/integration-index/editions/{e.pk}/",  # type: ignore[attr-defined]
        ),
    ]
    if result_editions:
        pages.append(("绩效考核 result list", "/assessment/results/"))
    for r in result_editions:
        score = r.scores.order_by("pk").first()  # type: ignore[attr-defined]
        label = f"绩效考核 {r.scheme.series}"  # type: ignore[attr-defined]
        pages.append((f"{label} edition page", f"/assessment/results/{r.pk}/"))  # type: ignore[attr-defined]
        if score is not None:
            pages.append(
                (
                    f"{label} score card",
                    f"/assessment/results/{r.pk}/units/{score.unit_id}/",  # type: ignore[attr-defined]
                )
            )
    for label, path in pages:
        time_page(client, label, path, n)


def build_index_only() -> None:
    """The reference units and one plan per zone: what the index edition needs."""
    from planwatch.orgunits.choices import OrgUnitKind
    from planwatch.orgunits.models import OrgUnit
    from planwatch.orgunits.services import orgunits_load_reference
    from planwatch.plans.models import Plan

    orgunits_load_reference(actor=None)
    for z in OrgUnit.objects.filter(kind=OrgUnitKind.ZONE).order_by("code"):
        Plan.objects.create(title=f"{z.name}规划", slug=z.code[5:], org_unit=z)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--tasks", type=int, default=50_000)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument(
        "--index-only",
        action="store_true",
        help="build the units and plans only and time the 一体化发展指数 alone (no 绩效考核)",
    )
    args = parser.parse_args()
    with scratch_database(args.pg) as url:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planwatch.settings")
        os.environ.setdefault("PLANWATCH_ALLOWED_HOSTS", "testserver")
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        t0 = time.perf_counter()
        if args.index_only:
            build_index_only()
            print(f"data: units and plans built in {time.perf_counter() - t0:.1f} s")
        else:
            timings = build(args.tasks, args.reports)
            print(
                f"data: {timings['n_tasks']:,.0f} tasks, {timings['n_reports']:,.0f} reports "
                f"built in {time.perf_counter() - t0:.1f} s"
            )
        from django.contrib.auth import get_user_model

        from planwatch.accounts.choices import Role
        from planwatch.accounts.models import Membership
        from planwatch.orgunits.models import OrgUnit

        user = get_user_model().objects.create_user(username="bench_planner", password=None)
        Membership.objects.create(
            user=user, org_unit=OrgUnit.objects.get(code="510000"), role=Role.PLANNER
        )
        results = [] if args.index_only else bench_assessment(user)
        edition = bench_index(user, args.indicators, args.years)
        time_pages(user, edition, results, args.requests)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
