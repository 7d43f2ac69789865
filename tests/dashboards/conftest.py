"""Fixtures of the dashboard tests: the reference unit tree, two plans (川南, 成都平原) with
issued tasks whose statuses, lights and reports are known, and the extra personas a
dashboard needs (a 川南 leader in scope, a 成都平原 leader out of it: `chuannan_leader` and
`chengdu_leader` of tests/factories/personas.py).

| task (川南 2024) | status    | light  | responsible | lead    |
|------------------|-----------|--------|-------------|---------|
| 1–3              | active    | green  | 宜宾, 泸州   | 省发改委 |
| 4                | active    | blue   | 宜宾        | 省发改委 |
| 5, 6             | active    | yellow | 泸州        | 省交通厅 |
| 7                | active    | red    | 翠屏区       | 省发改委 |
| 8, 9             | completed | green  | 宜宾        | 省发改委 |
| 10               | active    | —      | 泸州        | 省发改委 |
| 11 (draft list)  | draft     | —      | 宜宾        | 省发改委 |

成都平原 2024: one active red task of 成都市."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.reports.models import ProgressReport
from planwatch.rollups.services import rollup_rebuild
from planwatch.supervision.models import TaskLight
from planwatch.tasks.models import AnnualList, Task
from tests.factories.plans import build_plan

TODAY = date(2024, 10, 20)


@dataclass
class Board:
    chuannan: Plan
    chengdu: Plan
    tasks: list[Task]
    chengdu_task: Task
    draft_task: Task


def _plan(slug: str, title: str, zone: OrgUnit) -> Plan:
    """A published plan of `zone` with no provisions (the tasks below name none), made with
    the one plan builder."""
    return build_plan(title, slug, [], zone=zone, index=False).plan


def _list(plan: Plan, year: int, *, issued: bool) -> AnnualList:
    return AnnualList.objects.create(
        plan=plan, year=year, status="issued" if issued else "draft", issued_number=int(issued)
    )


def make_task(
    alist: AnnualList,
    seq: int,
    *,
    status: str = "active",
    light: str | None = None,
    units: list[OrgUnit],
    lead: OrgUnit,
    actual: str = "50",
) -> Task:
    task = Task.objects.create(
        annual_list=alist,
        plan=alist.plan,
        year=alist.year,
        seq=seq,
        title=f"任务{seq}",
        lead_unit=lead,
        start=date(alist.year, 1, 1),
        deadline=date(alist.year, 12, 31),
        criterion="完成",
        status=status,
    )
    task.responsible_units.set(units)
    if light is not None:
        TaskLight.objects.create(
            task=task,
            light=light,
            expected=Decimal("80"),
            actual=Decimal(actual),
            computed_on=TODAY,
            changed_on=TODAY,
        )
    # Written directly, past the services: the slice's summaries are recomputed, as the
    # services would.
    rollup_rebuild(only=[(task.plan_id, task.year)])
    return task


def make_report(task: Task, unit: OrgUnit, quarter: int, completion: str, **kw: Any) -> None:
    start = date(task.year, 3 * quarter - 2, 1)
    end = {1: date(task.year, 3, 31), 2: date(task.year, 6, 30), 3: date(task.year, 9, 30)}
    due = end[quarter].replace(day=5, month=end[quarter].month + 1)
    status = kw.pop("status", "accepted")
    stamp = None if status == "draft" else timezone.make_aware(datetime.combine(due, time(9)))
    ProgressReport.objects.create(
        task=task,
        unit=unit,
        period_start=start,
        period_end=end[quarter],
        period_label=f"{task.year}Q{quarter}",
        due=due,
        completion=Decimal(completion),
        status=status,
        first_submitted_at=stamp,
        submitted_at=stamp,
        **kw,
    )
    rollup_rebuild(only=[(task.plan_id, task.year)])


@pytest.fixture
def board(orgunits: dict[str, OrgUnit]) -> Board:
    u = orgunits
    yibin, luzhou, cuiping = u["511500"], u["510500"], u["511502"]
    ndrc, transport = u["dept:ndrc"], u["dept:transport"]
    cn = _plan("south-sichuan", "川南经济区“十四五”一体化发展规划", u["zone:south-sichuan"])
    cd = _plan("chengdu-plain", "成都平原经济区“十四五”一体化发展规划", u["zone:chengdu-plain"])
    alist = _list(cn, 2024, issued=True)
    spec: list[tuple[str, str | None, list[OrgUnit], OrgUnit, str]] = [
        ("active", "green", [yibin, luzhou], ndrc, "70"),
        ("active", "green", [yibin, luzhou], ndrc, "70"),
        ("active", "green", [yibin, luzhou], ndrc, "70"),
        ("active", "blue", [yibin], ndrc, "95"),
        ("active", "yellow", [luzhou], transport, "30"),
        ("active", "yellow", [luzhou], transport, "40"),
        ("active", "red", [cuiping], ndrc, "60"),
        ("completed", "green", [yibin], ndrc, "100"),
        ("completed", "green", [yibin], ndrc, "100"),
        ("active", None, [luzhou], ndrc, "0"),
    ]
    tasks = [
        make_task(alist, i, status=s, light=lt, units=us, lead=ld, actual=a)
        for i, (s, lt, us, ld, a) in enumerate(spec, start=1)
    ]
    draft = make_task(_list(cn, 2025, issued=False), 1, status="draft", units=[yibin], lead=ndrc)
    cd_task = make_task(
        _list(cd, 2024, issued=True), 1, light="red", units=[u["510100"]], lead=ndrc
    )
    # Q1: 宜宾 40 and 泸州 60 on task 1 (mean 50); Q2: 宜宾 80 on task 1; a draft is not counted.
    make_report(tasks[0], yibin, 1, "40")
    make_report(tasks[0], luzhou, 1, "60")
    make_report(tasks[0], yibin, 2, "80")
    make_report(tasks[1], yibin, 2, "10", status="draft")
    return Board(chuannan=cn, chengdu=cd, tasks=tasks, chengdu_task=cd_task, draft_task=draft)
