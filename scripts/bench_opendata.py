"""Open-data benchmark: prints figures (never a pass/fail test).

In a throwaway SQLite database (or the PostgreSQL of DATABASE_URL — point it at a scratch
database), it publishes --tasks tasks of one issued list (each with two responsible units and
a light), --indicators indicators with 20 verified observations each and --projects projects
with two yearly plans and six accepted monthly reports each, then times each download of
/gongkai/data/ and a page of the public API through Django's test client (the whole body
read, as a client would).

Run: `.venv/bin/python scripts/bench_opendata.py [--tasks 3000 --indicators 100 --projects 300]`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup() -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["PLANWATCH_VAR_DIR"] = tempfile.mkdtemp(prefix="planwatch-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planwatch.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _publish_all(kind: str, objects: list[Any]) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from planwatch.publication.models import Publication

    if not objects:
        return
    ct = ContentType.objects.get_for_model(type(objects[0]))
    now = timezone.now()
    Publication.objects.bulk_create(
        Publication(
            kind=kind, subject_type=ct, subject_id=o.pk, label=str(o)[:500], published_at=now
        )
        for o in objects
    )


def _tasks(n: int, units: Any, plan: Any) -> None:
    from planwatch.supervision.models import TaskLight
    from planwatch.tasks.models import AnnualList, Task

    alist = AnnualList.objects.create(plan=plan, year=2024, status="issued", issued_number=1)
    node = plan.current_version.nodes.filter(kind="provision").first()
    Task.objects.bulk_create(
        Task(
            annual_list=alist,
            plan=plan,
            year=2024,
            seq=i + 1,
            title=f"重点任务 {i + 1}：推进川南城际铁路建设",
            content="推进宜宾至泸州城际铁路建设，年内完成投资目标。" * 3,
            lead_unit=units.ndrc,
            deadline=date(2024, 12, 31),
            criterion="完成年度目标",
            status="active",
            clause=node,
            clause_key=node.key if node else "",
        )
        for i in range(n)
    )
    tasks = list(Task.objects.filter(annual_list=alist))
    through = Task.responsible_units.through
    through.objects.bulk_create(
        through(task_id=t.pk, orgunit_id=u.pk) for t in tasks for u in (units.yibin, units.luzhou)
    )
    today = date(2024, 6, 30)
    TaskLight.objects.bulk_create(
        TaskLight(
            task=t, light="green", expected=50, actual=55, computed_on=today, changed_on=today
        )
        for t in tasks
    )
    _publish_all("list", [alist])


def _observations(n: int, units: Any, plan: Any) -> None:
    from django.utils import timezone

    from planwatch.indicators.models import Indicator, Observation

    now = timezone.now()
    indicators = Indicator.objects.bulk_create(
        Indicator(
            plan=plan, name=f"指标 {i + 1}", unit="亿元", status="confirmed", target_value=100
        )
        for i in range(n)
    )
    Observation.objects.bulk_create(
        Observation(
            indicator=ind,
            place=place,
            year=year,
            value=50 + year - 2015,
            source="统计公报",
            entered_at=now,
            verified_at=now,
        )
        for ind in indicators
        for place in (units.yibin, units.luzhou)
        for year in range(2016, 2026)
    )
    _publish_all("indicator", indicators)


def _projects(n: int, units: Any) -> None:
    from planwatch.projects.models import AnnualInvestmentPlan, MonthlyReport, Project

    projects = Project.objects.bulk_create(
        Project(
            name=f"重大项目 {i + 1}", status="confirmed", zone=units.chuannan, lead_unit=units.yibin
        )
        for i in range(n)
    )
    AnnualInvestmentPlan.objects.bulk_create(
        AnnualInvestmentPlan(project=p, year=y, amount=Decimal(1200))
        for p in projects
        for y in (2024, 2025)
    )
    MonthlyReport.objects.bulk_create(
        MonthlyReport(
            project=p,
            unit=units.yibin,
            year=2024,
            month=m,
            due=date(2024, m, 5),
            invested_ytd=Decimal(100 * m),
            status="accepted",
        )
        for p in projects
        for m in range(1, 7)
    )
    _publish_all("project", projects)


def _editions(units: Any, plan: Any) -> None:
    """One index edition (the zone's places × 6 years × 40 codes) and one result edition."""
    from django.utils import timezone

    from planwatch.assessment.models import (
        AssessmentScheme,
        IndexEdition,
        IndexMethod,
        IndexValue,
        ResultEdition,
        UnitScore,
    )

    now = timezone.now()
    method = IndexMethod.objects.create(plan=plan, version="b1", title="一体化指数", base_year=2020)
    edition = IndexEdition.objects.create(
        method=method,
        number=1,
        status="published",
        year_from=2020,
        year_to=2025,
        computed_at=now,
        published_at=now,
    )
    places = [units.yibin, units.luzhou, units.cuiping, units.chuannan]
    IndexValue.objects.bulk_create(
        IndexValue(edition=edition, place=p, year=y, code=f"I{c}", value=100 + c / 10)
        for p in places
        for y in range(2020, 2026)
        for c in range(40)
    )
    scheme = AssessmentScheme.objects.create(year=2024, series="prefectures", title="考核")
    result = ResultEdition.objects.create(
        scheme=scheme,
        number=1,
        status="published",
        as_of=now.date(),
        computed_at=now,
        published_at=now,
    )
    UnitScore.objects.bulk_create(
        UnitScore(edition=result, unit=u, total=90 - i, grade="良好", rank=i + 1)
        for i, u in enumerate(places)
    )
    _publish_all("index_edition", [edition])
    _publish_all("result_edition", [result])


def _time(client: Any, url: str) -> tuple[float, int, int]:
    t0 = time.perf_counter()
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return time.perf_counter() - t0, len(body), response.status_code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=3000)
    parser.add_argument("--indicators", type=int, default=100)
    parser.add_argument("--projects", type=int, default=300)
    args = parser.parse_args()
    _setup()

    from django.test import Client

    from planwatch.portal.opendata.datasets import DATASETS
    from tests.factories import implementation as f

    units = f.make_units()
    plan = f.make_plan(units)
    _tasks(args.tasks, units, plan)
    _observations(args.indicators, units, plan)
    _projects(args.projects, units)
    _editions(units, plan)

    client = Client(HTTP_HOST="127.0.0.1")
    _time(client, "/gongkai/data/datapackage.json")  # warm up: the first request loads the URLs
    print(f"open data, {os.environ.get('DATABASE_URL', 'SQLite').split('@')[-1]}")
    for name, dataset in DATASETS.items():
        rows = dataset.count()
        for fmt in ("csv", "json", "xlsx"):
            seconds, size, status = _time(client, f"/gongkai/data/{name}.{fmt}")
            assert status == 200, (name, fmt, status)
            ms, kib = seconds * 1000, size / 1024
            print(f"  {name}.{fmt:<4} {rows:>6} rows  {ms:8.0f} ms  {kib:8.0f} KiB")
    for url in (
        "/gongkai/data/",
        "/gongkai/data/datapackage.json",
        "/api/v1/public/tasks?limit=500",
        "/api/v1/public/observations?limit=500&offset=1500",
        "/api/v1/public/projects?limit=100",
        "/api/v1/public/datasets",
    ):
        seconds, size, status = _time(client, url)
        assert status == 200, (url, status)
        print(f"  {url:<52} {seconds * 1000:8.0f} ms  {size / 1024:8.0f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
