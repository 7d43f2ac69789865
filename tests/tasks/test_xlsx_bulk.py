"""The bulk path of an xlsx list import (issue 15 item 2): new rows are created together by
`task_create_many`, which must leave exactly what `task_create` one row at a time left (the
tasks, their units, one `task.create` audit event each with the same snapshot), still all rows
or none, and name every refused row."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from planwatch.audit.models import AuditEvent
from planwatch.audit.services import audit_verify
from planwatch.plans.models import Plan
from planwatch.tasks.bulk import RowsInvalid, task_create_many
from planwatch.tasks.models import AnnualList, Task
from planwatch.tasks.services import task_create
from planwatch.tasks.xlsx import (
    EXTRA_HEADERS,
    HEADERS,
    ImportFailed,
    annual_list_import,
    parse_list_file,
)
from tests.factories.implementation import Units

ROWS = 40
LEADS = ("省交通运输厅", "省发展改革委、省生态环境厅", "宜宾市、泸州市、省交通运输厅")
RESPONSIBLE = ("宜宾市", "泸州市、宜宾市", "宜宾、泸州市、翠屏区")
DEADLINES = ("2024年12月31日", "2024-06-30", "长期坚持", "2024年9月底", "持续推进")


def _file(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["某规划2024年重点任务清单"])
    ws.append([*HEADERS, *EXTRA_HEADERS])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rows(n: int) -> list[list[Any]]:
    """`n` new rows with one, two or three lead units, several responsible units, dates and
    the ongoing deadlines, some with supporting units and a criterion."""
    return [
        [
            i,
            f"任务{i}",
            f"内容{i}" if i % 2 else "",
            LEADS[i % len(LEADS)],
            RESPONSIBLE[i % len(RESPONSIBLE)],
            DEADLINES[i % len(DEADLINES)],
            "",
            "省生态环境厅" if i % 3 == 0 else "",
            f"标准{i}" if i % 4 else "",
        ]
        for i in range(1, n + 1)
    ]


def _picture(alist: AnnualList) -> list[tuple[Any, ...]]:
    """Everything a task holds that an import sets, by 序号, its units by id."""
    tasks = alist.tasks.prefetch_related("co_lead_units", "responsible_units", "supporting_units")
    return [
        (
            t.seq,
            t.title,
            t.content,
            t.lead_unit_id,
            sorted(u.pk for u in t.co_lead_units.all()),
            sorted(u.pk for u in t.responsible_units.all()),
            sorted(u.pk for u in t.supporting_units.all()),
            t.deadline,
            t.deadline_text,
            t.criterion,
            t.weight,
            t.status,
            t.version,
        )
        for t in tasks.order_by("seq")
    ]


def _created_events(alist: AnnualList) -> list[tuple[str, dict[str, Any]]]:
    """The `task.create` events of the list's tasks in chain order: label and snapshot
    without the id (which differs between two lists)."""
    ids = {str(pk) for pk in alist.tasks.values_list("pk", flat=True)}
    events = AuditEvent.objects.filter(action="task.create", target_id__in=ids).order_by("id")
    return [(e.target_label, {k: v for k, v in e.new.items() if k != "id"}) for e in events]


def test_new_rows_come_out_as_task_create_made_them(
    plan: Plan, units: Units, chuannan_planner_user: Any
) -> None:
    data = _file(_rows(ROWS))
    bulk = AnnualList.objects.create(plan=plan, year=2024)
    one_by_one = AnnualList.objects.create(plan=plan, year=2025)

    result = annual_list_import(annual_list=bulk, actor=chuannan_planner_user, data=data)
    for row in parse_list_file(data):  # what the import did before, row by row
        task_create(
            annual_list=one_by_one, actor=chuannan_planner_user, changes=row.changes, seq=row.seq
        )

    assert (result.created, result.updated, result.unchanged) == (ROWS, 0, 0)
    picture = _picture(bulk)
    assert len(picture) == ROWS
    assert picture == _picture(one_by_one)
    three_leads = bulk.tasks.get(seq=2)
    assert three_leads.lead_unit == units.yibin
    assert set(three_leads.co_lead_units.all()) == {units.luzhou, units.transport}
    events = _created_events(bulk)
    assert len(events) == ROWS
    assert events == _created_events(one_by_one)
    assert audit_verify()[1] == []


def test_a_bad_cell_in_the_last_new_row_leaves_nothing(
    plan: Plan, chuannan_planner_user: Any
) -> None:
    rows = _rows(ROWS)
    rows[-1][4] = "宜宾市、不存在市"
    alist = AnnualList.objects.create(plan=plan, year=2024)
    tasks_before, events_before = Task.objects.count(), AuditEvent.objects.count()

    with pytest.raises(ImportFailed) as exc:
        annual_list_import(annual_list=alist, actor=chuannan_planner_user, data=_file(rows))

    last = ROWS + 2
    assert [str(e) for e in exc.value.errors] == [
        f"第 {last} 行 E 列（责任单位）：未知单位“不存在市”"
    ]
    assert Task.objects.count() == tasks_before
    assert AuditEvent.objects.count() == events_before


def test_create_many_names_every_refused_row_and_writes_none(
    plan: Plan, units: Units, chuannan_planner_user: Any
) -> None:
    alist = AnnualList.objects.create(plan=plan, year=2024)
    rows: list[tuple[int, Any]] = [
        (1, {"title": "好的", "lead_unit": units.ndrc}),
        (2, {"title": "经济区牵头", "lead_unit": units.chuannan}),
        (3, {"title": "好的", "responsible_units": [units.yibin]}),
        (4, {"title": "  ", "lead_unit": units.ndrc}),
    ]
    events_before = AuditEvent.objects.count()

    with pytest.raises(RowsInvalid) as exc:
        task_create_many(annual_list=alist, actor=chuannan_planner_user, rows=rows)

    assert [index for index, _e in exc.value.rows] == [1, 3]
    assert all(isinstance(e, ValidationError) for _i, e in exc.value.rows)
    assert not alist.tasks.exists()
    assert AuditEvent.objects.count() == events_before


def test_update_many_replaces_only_the_changed_units_and_refuses_a_stale_task(
    plan: Plan, units: Units, chuannan_planner_user: Any
) -> None:
    """`task_update_many` reads the stored versions and deletes the changed relations' links
    of the tasks in the batch (one array parameter each on PostgreSQL): a task edited by
    someone else since it was read stops the whole batch; the others' links are untouched."""
    from django.db.models import F

    from planwatch.core.workflow import ConcurrentUpdate
    from planwatch.tasks.bulk import task_update_many

    alist = AnnualList.objects.create(plan=plan, year=2024)
    annual_list_import(annual_list=alist, actor=chuannan_planner_user, data=_file(_rows(6)))
    before = _picture(alist)
    tasks = list(alist.tasks.order_by("seq").prefetch_related(*RELATION_NAMES))
    changes: list[Any] = [{"responsible_units": [units.luzhou]}, {"title": "改名"}]
    task_update_many(
        annual_list=alist,
        actor=chuannan_planner_user,
        updates=[(tasks[0], changes[0]), (tasks[2], changes[1])],
    )
    after = _picture(alist)
    assert after[0][5] == [units.luzhou.pk] and after[0][4] == before[0][4]
    assert after[2][1] == "改名" and after[2][5] == before[2][5]
    assert [row[5] for row in after[3:]] == [row[5] for row in before[3:]]
    assert after[1] == before[1]

    stale = list(alist.tasks.order_by("seq").prefetch_related(*RELATION_NAMES))
    Task.objects.filter(pk=stale[4].pk).update(version=F("version") + 1)  # edited meanwhile
    with pytest.raises(ConcurrentUpdate):
        task_update_many(
            annual_list=alist,
            actor=chuannan_planner_user,
            updates=[(stale[3], {"responsible_units": [units.yibin]}), (stale[4], {"title": "x"})],
        )
    unchanged = _picture(alist)
    assert unchanged[3] == after[3] and unchanged[4][1] == after[4][1]


RELATION_NAMES = ("co_lead_units", "responsible_units", "supporting_units")


def _events(alist: AnnualList, action: str) -> list[tuple[str, Any, Any]]:
    ids = {str(pk) for pk in alist.tasks.values_list("pk", flat=True)}
    events = AuditEvent.objects.filter(action=action, target_id__in=ids).order_by("id")
    return [(e.target_label, e.old, e.new) for e in events]


def _by_path(units: Units, written: str) -> list[str]:
    """The full names of the units a cell names, by path (as snapshots list them)."""
    from planwatch.tasks.xlsx import UnitResolver

    found, problems = UnitResolver().resolve(written)
    assert problems == []
    return [u.name for u in sorted(found, key=lambda u: u.path)]


def test_reimport_adds_or_replaces_units_and_audits_what_changed(
    plan: Plan, units: Units, chuannan_planner_user: Any
) -> None:
    """A re-import where some rows only gain units (only the added links are written), some
    lose units (the links are replaced), some change text or dates, and one stays: the
    tasks end up as the file says, with one `task.update` event each changed task naming
    exactly the fields that changed, old and new, and the chain still verifies."""
    alist = AnnualList.objects.create(plan=plan, year=2024)
    rows = _rows(8)
    annual_list_import(annual_list=alist, actor=chuannan_planner_user, data=_file(rows))
    before = {row[0]: row for row in _picture(alist)}
    changed = [list(r) for r in rows]
    changed[0][4] = "宜宾市"  # 泸州市、宜宾市: loses one
    changed[1][4] = "泸州市"  # 宜宾、泸州市、翠屏区: loses two
    changed[2][4] = "宜宾市、泸州市"  # 宜宾市: gains one
    changed[3][3] = "省发展改革委、省生态环境厅、省交通运输厅"  # a co-lead more
    changed[4][1] = "任务5改"
    changed[5][5] = "2024年10月31日"  # was 2024-06-30
    changed[6][7] = "省生态环境厅、宜宾市"  # no supporting unit before

    result = annual_list_import(annual_list=alist, actor=chuannan_planner_user, data=_file(changed))

    assert (result.created, result.updated, result.unchanged) == (0, 7, 1)
    after = {row[0]: row for row in _picture(alist)}
    assert after[1][5] == [units.yibin.pk]
    assert after[2][5] == [units.luzhou.pk]
    assert after[3][5] == sorted([units.yibin.pk, units.luzhou.pk])
    assert after[4][4] == sorted([*before[4][4], units.transport.pk])
    assert after[5][1] == "任务5改"
    assert str(after[6][7]) == "2024-10-31"
    assert after[7][6] == sorted([units.ecology.pk, units.yibin.pk])
    assert after[8] == before[8]
    assert [after[seq][-1] - before[seq][-1] for seq in range(1, 9)] == [1] * 7 + [0]
    updates = _events(alist, "task.update")
    assert [label for label, _o, _n in updates] == [
        f"{seq}. {'任务5改' if seq == 5 else f'任务{seq}'}" for seq in range(1, 8)
    ]
    keys = ["responsible_units"] * 3 + ["co_lead_units", "title", "deadline", "supporting_units"]
    assert [(list(old), list(new)) for _l, old, new in updates] == [([k], [k]) for k in keys]
    olds_news = [(old[k], new[k]) for (_l, old, new), k in zip(updates, keys, strict=True)]
    assert olds_news == [
        (_by_path(units, "泸州市、宜宾市"), _by_path(units, "宜宾市")),
        (_by_path(units, "宜宾、泸州市、翠屏区"), _by_path(units, "泸州市")),
        (_by_path(units, "宜宾市"), _by_path(units, "宜宾市、泸州市")),
        (_by_path(units, "省生态环境厅"), _by_path(units, "省生态环境厅、省交通运输厅")),
        ("任务5", "任务5改"),
        ("2024-06-30", "2024-10-31"),
        ([], _by_path(units, "省生态环境厅、宜宾市")),
    ]
    assert audit_verify()[1] == []


def test_update_many_checks_versions_before_refusing_a_row_and_writes_nothing(
    plan: Plan, units: Units, chuannan_planner_user: Any
) -> None:
    """The version check rides on the UPDATE itself: a stale task still stops the batch with
    ConcurrentUpdate even when another row would be refused (as when the versions were read
    first), a refused row alone raises RowInvalid naming it, and either way nothing of the
    batch stays: the tasks, their units and the audit log are as before."""
    from datetime import date

    from django.db.models import F

    from planwatch.core.workflow import ConcurrentUpdate
    from planwatch.tasks.bulk import RowInvalid, task_update_many

    alist = AnnualList.objects.create(plan=plan, year=2024)
    annual_list_import(annual_list=alist, actor=chuannan_planner_user, data=_file(_rows(4)))
    before, events = _picture(alist), AuditEvent.objects.count()
    backwards: Any = {"start": date(2024, 12, 1), "deadline": date(2024, 1, 1)}

    def updates() -> list[tuple[Task, Any]]:
        tasks = list(alist.tasks.order_by("seq").prefetch_related(*RELATION_NAMES))
        return [
            (tasks[0], {"responsible_units": [units.luzhou, units.yibin], "title": "新"}),
            (tasks[1], backwards),
            (tasks[2], {"title": "也新"}),
        ]

    stale = updates()
    Task.objects.filter(pk=stale[2][0].pk).update(version=F("version") + 1)  # edited meanwhile
    bumped = _picture(alist)
    assert bumped[:2] == before[:2] and bumped[2][-1] == before[2][-1] + 1
    with pytest.raises(ConcurrentUpdate):
        task_update_many(annual_list=alist, actor=chuannan_planner_user, updates=stale)
    assert _picture(alist) == bumped
    assert AuditEvent.objects.count() == events

    with pytest.raises(RowInvalid) as exc:
        task_update_many(annual_list=alist, actor=chuannan_planner_user, updates=updates())
    assert exc.value.index == 1
    assert _picture(alist) == bumped
    assert AuditEvent.objects.count() == events


def test_the_same_bad_cell_in_several_rows_is_named_in_each(
    plan: Plan, chuannan_planner_user: Any
) -> None:
    """The parser remembers what a unit cell or a deadline resolves to by its text: a bad
    text repeated on several rows is still named on every one of them, and a good one
    repeated gives each task its own list of units."""
    rows = _rows(6)
    for index in (1, 4):
        rows[index][4] = "宜宾市、不存在市"
        rows[index][5] = "2024年13月1日"
    alist = AnnualList.objects.create(plan=plan, year=2024)

    with pytest.raises(ImportFailed) as exc:
        annual_list_import(annual_list=alist, actor=chuannan_planner_user, data=_file(rows))

    assert [str(e) for e in exc.value.errors] == [
        message
        for line in (4, 7)
        for message in (
            f"第 {line} 行 E 列（责任单位）：未知单位“不存在市”",
            f"第 {line} 行 F 列（完成时限）：日期不存在：2024年13月1日",
        )
    ]
    assert not alist.tasks.exists()

    parsed = parse_list_file(_file(_rows(6)))
    same = [r.changes["responsible_units"] for r in parsed if r.seq in (3, 6)]
    assert same[0] == same[1] and same[0] is not same[1]


def test_tasks_read_as_tuples_are_the_tasks_the_queryset_gives(
    plan: Plan, units: Units, chuannan_planner_user: Any
) -> None:
    """A re-import reads the list's tasks as tuples onto bare instances (`_loaded_tasks`):
    each holds every field the queryset's own instance holds, is a saved instance of the
    database read, has its lead unit as the one instance of the unit index, and reading
    any of its fields or its lead unit costs no query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from planwatch.tasks.xlsx import _loaded_tasks, _unit_index

    alist = AnnualList.objects.create(plan=plan, year=2024)
    annual_list_import(annual_list=alist, actor=chuannan_planner_user, data=_file(_rows(9)))
    index = _unit_index()
    listed = alist.tasks.order_by()
    loaded = {t.pk: t for t in _loaded_tasks(listed, index)}
    fields = [f.attname for f in Task._meta.concrete_fields]
    expected = {t.pk: t for t in listed}
    assert set(loaded) == set(expected) and len(loaded) == 9
    with CaptureQueriesContext(connection) as queries:
        for pk, task in loaded.items():
            assert type(task) is Task and task == expected[pk]
            assert [getattr(task, f) for f in fields] == [getattr(expected[pk], f) for f in fields]
            assert not task._state.adding and task._state.db == expected[pk]._state.db
            assert task.lead_unit is index[task.lead_unit_id]  # type: ignore[index]
            assert str(task) == str(expected[pk])
    assert queries.captured_queries == []


def test_a_row_short_of_the_header_and_a_sheet_without_the_extra_columns(
    plan: Plan, units: Units, chuannan_planner_user: Any
) -> None:
    """Each cell's text is taken once a row: a row that ends before the required columns
    has each of them named as empty; a sheet with only the usual seven columns imports
    without touching supporting units or criteria, and a re-import of it with nothing
    changed updates nothing."""
    alist = AnnualList.objects.create(plan=plan, year=2024)
    rows = [r[:7] for r in _rows(3)]
    short = [[*HEADERS], *rows, [4, "任务4"]]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in short:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(ImportFailed) as exc:
        annual_list_import(annual_list=alist, actor=chuannan_planner_user, data=out.getvalue())
    assert [(e.row, e.header) for e in exc.value.errors] == [
        (5, "牵头单位"),
        (5, "责任单位"),
        (5, "完成时限"),
    ]
    assert not alist.tasks.exists()

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in short[:-1]:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    first = annual_list_import(annual_list=alist, actor=chuannan_planner_user, data=out.getvalue())
    assert (first.created, first.updated) == (3, 0)
    picture = _picture(alist)
    assert [row[6] for row in picture] == [[]] * 3 and [row[9] for row in picture] == [""] * 3
    again = annual_list_import(annual_list=alist, actor=chuannan_planner_user, data=out.getvalue())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert _picture(alist) == picture
