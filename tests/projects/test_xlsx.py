"""Spreadsheet imports, made with openpyxl and read back by the services: the provincial
key-project list and the monthly 调度表, each all rows or none with every bad cell named."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from planwatch.projects import methods as m
from planwatch.projects import services as s
from planwatch.projects import xlsx
from planwatch.projects.models import AnnualInvestmentPlan, MonthlyReport, Project
from planwatch.tasks.xlsx import ImportFailed

pytestmark = pytest.mark.django_db


def book(title: str, headers: tuple[str, ...], rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append([title])
    ws.append(list(headers))
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD_LIST = [
    [
        1,
        "宜宾港志城作业区二期",
        "2021-511500-55-01-000123",
        "基础设施",
        "续建",
        "宜宾市",
        "宜宾市",
        1200000,
        "2021年3月1日",
        "2025-12-31",
        150000,
    ],
    [
        2,
        "自贡航空产业园",
        "",
        "产业",
        "新开工",
        "自贡市",
        "自贡市",
        "350,000",
        dt.datetime(2026, 4, 1),
        None,
        60000,
    ],
]


def test_key_project_list_imports_all_rows(zone, chuannan_planner_user):
    data = book("2026年川南经济区省重点项目名单", xlsx.LIST_HEADERS, GOOD_LIST)
    result = xlsx.key_projects_import(zone=zone, year=2026, actor=chuannan_planner_user, data=data)
    assert (result.created, result.updated) == (2, 0)
    p = Project.objects.get(code="2021-511500-55-01-000123")
    assert (p.sector, p.stage, p.lead_unit.name, p.planned_start) == (
        "infrastructure",
        "continuing",
        "宜宾市",
        dt.date(2021, 3, 1),
    )
    assert AnnualInvestmentPlan.objects.get(project=p, year=2026).amount == Decimal("150000")
    q = Project.objects.get(name="自贡航空产业园")
    assert q.total_investment == Decimal("350000") and q.planned_start == dt.date(2026, 4, 1)
    again = xlsx.key_projects_import(zone=zone, year=2026, actor=chuannan_planner_user, data=data)
    assert (again.created, again.updated) == (0, 2) and Project.objects.count() == 2


def test_key_project_list_names_every_bad_cell_and_changes_nothing(zone, chuannan_planner_user):
    bad = [
        [
            1,
            "",
            "2021-5115-55-01-000123",
            "交通",
            "在建",
            "无此单位",
            "宜宾市",
            "abc",
            "明年",
            None,
            None,
        ],
        GOOD_LIST[1],
    ]
    data = book("名单", xlsx.LIST_HEADERS, bad)
    with pytest.raises(ImportFailed) as e:
        xlsx.key_projects_import(zone=zone, year=2026, actor=chuannan_planner_user, data=data)
    cells = {(err.row, err.header) for err in e.value.errors}
    assert cells == {
        (3, "项目名称"),
        (3, "项目代码"),
        (3, "领域"),
        (3, "阶段"),
        (3, "第一责任单位"),
        (3, "总投资（万元）"),
        (3, "计划开工"),
        (3, "年度计划投资（万元）"),
    }
    assert all(str(err).startswith("第 3 行") for err in e.value.errors)
    assert not Project.objects.exists()
    with pytest.raises(ImportFailed):
        xlsx.key_projects_import(
            zone=zone, year=2026, actor=chuannan_planner_user, data=b"not xlsx"
        )


def test_monthly_table_files_draft_reports_by_segment(
    cheng_zi_yi,
    yibin_reporter_user,
    zigong_reporter_user,
):
    p, _zg, yb = cheng_zi_yi
    rows = [
        [
            1,
            "成自宜高铁",
            "",
            "宜宾市",
            12000,
            31000,
            131000,
            30000,
            "路基完成 40%",
            "征地需协调；电力迁改",
        ]
    ]
    data = book("2026年3月重大项目调度表", xlsx.MONTHLY_HEADERS, rows)
    result = xlsx.monthly_import(year=2026, month=3, actor=yibin_reporter_user, data=data)
    assert (result.created, result.updated) == (1, 0)
    r = MonthlyReport.objects.get(project=p, segment=yb, year=2026, month=3)
    assert (r.invested_ytd, r.progress_text, r.status) == (
        Decimal("31000"),
        "路基完成 40%",
        "draft",
    )
    assert sorted(r.issues.values_list("text", flat=True)) == ["征地需协调", "电力迁改"]
    # 自贡's filler may not file 宜宾's segment, and a bad row stops the whole file.
    bad = [
        rows[0],
        [2, "不存在的项目", "", "", 1, 1, 1, None, "", ""],
        [3, "成自宜高铁", "", "泸州市", 5, 2, 1, None, "", ""],
    ]
    with pytest.raises(ImportFailed) as e:
        xlsx.monthly_import(
            year=2026,
            month=3,
            actor=zigong_reporter_user,
            data=book("表", xlsx.MONTHLY_HEADERS, bad),
        )
    cells = {(err.row, err.header) for err in e.value.errors}
    assert cells == {
        (3, "项目名称"),  # not 宜宾's filler
        (4, "项目名称"),  # unknown project
        (5, "所在市州"),  # no segment in 泸州
        (5, "本月完成投资（万元）"),
        (5, "年度累计完成投资（万元）"),
    }
    assert MonthlyReport.objects.count() == 1


def test_monthly_table_new_draft_row_as_the_model_builds_it(cheng_zi_yi, yibin_reporter_user):
    """The import COPYs a new draft's row as a tuple: every column is what a MonthlyReport
    built with the file's values gives (defaults, the segment's unit, the filler, now)."""
    from planwatch.audit.models import AuditEvent

    p, _zg, yb = cheng_zi_yi
    row = [1, "成自宜高铁", "", "宜宾市", 12000, 31000, 131000, None, " 路基 40% ", ""]
    xlsx.monthly_import(
        year=2026, month=3, actor=yibin_reporter_user, data=book("表", xlsx.MONTHLY_HEADERS, [row])
    )
    got = MonthlyReport.objects.filter(project=p, segment=yb).values()[0]
    pk, created_at, updated_at = got.pop("id"), got.pop("created_at"), got.pop("updated_at")
    due = m.report_due(2026, 3)
    built = MonthlyReport(
        project=p,
        segment=yb,
        unit=yb.unit,
        year=2026,
        month=3,
        due=due.date,
        due_official=due.official,
        created_by=yibin_reporter_user,
        invested_month=Decimal("12000"),
        invested_ytd=Decimal("31000"),
        invested_total=Decimal("131000"),
        funds_in_place=None,
        progress_text="路基 40%",
    )
    names = [f.attname for f in MonthlyReport._meta.concrete_fields if not f.primary_key]
    expected = {n: getattr(built, n) for n in names if n not in ("created_at", "updated_at")}
    assert got == expected
    assert created_at is not None and created_at == updated_at
    event = AuditEvent.objects.get(action="monthly_report.create")
    assert event.target_id == str(pk)
    assert event.target_label == s._label(MonthlyReport.objects.get(pk=pk))
    assert event.new == {"due": str(due.date)} | {
        f: str(getattr(MonthlyReport.objects.get(pk=pk), f)) for f in xlsx.OLD_FIELDS
    }


def test_monthly_table_again_updates_the_drafts_in_bulk_keeping_escalated_issues(
    cheng_zi_yi, yibin_reporter_user, chuannan_planner_user
):
    from planwatch.audit.models import AuditEvent
    from planwatch.audit.services import audit_verify

    p, _zg, yb = cheng_zi_yi
    row = [1, "成自宜高铁", "", "宜宾市", 12000, 31000, 131000, None, "路基 40%", "征地；电力迁改"]
    xlsx.monthly_import(
        year=2026, month=3, actor=yibin_reporter_user, data=book("表", xlsx.MONTHLY_HEADERS, [row])
    )
    r = MonthlyReport.objects.get(project=p, segment=yb, year=2026, month=3)
    assert r.version == 1 and r.due == m.report_due(2026, 3).date
    s.issue_escalate(issue=r.issues.get(text="征地"), actor=chuannan_planner_user)
    again = [1, "成自宜高铁", "", "宜宾市", 15000, 34000, 134000, 9000, "路基 45%", "征地；用林"]
    result = xlsx.monthly_import(
        year=2026,
        month=3,
        actor=yibin_reporter_user,
        data=book("表", xlsx.MONTHLY_HEADERS, [again]),
    )
    assert (result.created, result.updated) == (0, 1)
    r.refresh_from_db()
    assert (r.invested_ytd, r.funds_in_place, r.progress_text, r.version) == (
        Decimal("34000"),
        Decimal("9000"),
        "路基 45%",
        2,
    )
    texts = sorted(r.issues.values_list("text", flat=True))
    assert texts == ["征地", "用林"] and r.issues.get(text="征地").case is not None
    updates = AuditEvent.objects.filter(action="monthly_report.update", target_id=str(r.pk))
    created = AuditEvent.objects.get(action="monthly_report.create", target_id=str(r.pk))
    assert created.new["invested_ytd"] == "31000.00" and created.new["due"] == str(r.due)
    assert updates.get().old["invested_ytd"] == "31000.00"
    assert updates.get().new["invested_ytd"] == "34000.00"
    # the update's label names the project and segment as the service's does (read from the
    # row's project, not a query per report)
    assert updates.get().target_label == created.target_label == s._label(r)
    assert " · 宜宾市 · 2026-03" in created.target_label
    assert AuditEvent.objects.filter(action="monthly_report.import").count() == 2
    assert audit_verify()[1] == []


def _second_project(south_plan, planner, lead):
    """Another confirmed project of the 川南 plan, built in one piece, led by `lead`."""
    other = (
        Project.objects.filter(plan=south_plan)
        .exclude(name="成自宜高铁")
        .exclude(status="confirmed")
        .order_by("pk")
        .first()
    )
    assert other is not None
    other = s.project_confirm(project=other, actor=planner)
    other.lead_unit = lead
    other.save()
    return other


def _report_state():
    return sorted(
        MonthlyReport.objects.values_list(
            "pk", "version", "status", "invested_ytd", "progress_text", "updated_at"
        )
    )


@pytest.mark.parametrize("meanwhile", ["edited", "submitted"])
def test_monthly_table_again_refuses_a_report_changed_between_read_and_write(
    meanwhile, south, cheng_zi_yi, yibin, yibin_reporter_user, chuannan_planner_user
):
    """The import reads the month's reports without a lock and writes them back only where
    their version is still the one read (the same UPDATE checks it): a report edited or
    submitted after the read and before the write stops the whole import — nothing of it
    is written (not the other report, not a new one, no audit event)."""
    from planwatch.audit.models import AuditEvent
    from planwatch.core.workflow import ConcurrentUpdate

    p, _zg, _yb = cheng_zi_yi
    other = _second_project(south, chuannan_planner_user, yibin)
    first = [
        [1, "成自宜高铁", "", "宜宾市", 100, 300, 900, None, "路基", ""],
        [2, other.name, "", "", 10, 30, 90, None, "前期", ""],
    ]
    xlsx.monthly_import(
        year=2026, month=3, actor=yibin_reporter_user, data=book("表", xlsx.MONTHLY_HEADERS, first)
    )
    target = MonthlyReport.objects.get(project=p, segment__place=yibin, month=3)
    before, events = _report_state(), AuditEvent.objects.count()
    again = [
        [1, "成自宜高铁", "", "宜宾市", 200, 400, 1000, 50, "桥梁", "征地"],
        [2, other.name, "", "", 20, 40, 100, None, "开工", ""],
    ]
    changed_meanwhile = []

    def change_meanwhile(execute, sql, params, many, context):
        # the write of the reports read (PostgreSQL: the scratch table of the COPY;
        # SQLite: the executemany UPDATE) — another user's change lands just before it
        writing = '"projects_monthlyreport"' in sql and (
            sql.startswith("CREATE TEMPORARY") or (many and sql.startswith("UPDATE"))
        )
        if writing and not changed_meanwhile:
            changed_meanwhile.append(True)
            r = MonthlyReport.objects.get(pk=target.pk)
            if meanwhile == "edited":
                s.monthly_report_update(
                    report=r,
                    actor=yibin_reporter_user,
                    version=r.version,
                    values={
                        "invested_month": 1,
                        "invested_ytd": 301,
                        "invested_total": 901,
                        "progress_text": "他人修改",
                    },
                )
            else:
                s.monthly_report_submit(report=r, actor=yibin_reporter_user)
        return execute(sql, params, many, context)

    from django.db import connection

    with connection.execute_wrapper(change_meanwhile), pytest.raises(ConcurrentUpdate):
        xlsx.monthly_import(
            year=2026,
            month=3,
            actor=yibin_reporter_user,
            data=book("表", xlsx.MONTHLY_HEADERS, again),
        )
    assert changed_meanwhile  # the change did land between the read and the write
    # all or nothing: the import's transaction (the change made inside it too) rolled back
    assert _report_state() == before
    assert AuditEvent.objects.count() == events
    assert not target.issues.exists()


def test_monthly_table_again_rewrites_only_the_named_reports_and_audits_each_change(
    south, cheng_zi_yi, yibin, yibin_reporter_user, zigong_reporter_user, chuannan_planner_user
):
    """Reports of the month the file does not name keep their row (version, time stamp);
    each named one is written once, its version bumped, with one update event carrying its
    old and new values; the chain still verifies."""
    from planwatch.audit.models import AuditEvent
    from planwatch.audit.services import audit_verify

    _p, zg, yb = cheng_zi_yi
    other = _second_project(south, chuannan_planner_user, yibin)
    xlsx.monthly_import(
        year=2026,
        month=3,
        actor=zigong_reporter_user,
        data=book(
            "表",
            xlsx.MONTHLY_HEADERS,
            [[1, "成自宜高铁", "", "自贡市", 5, 6, 7, None, "自贡段", ""]],
        ),
    )
    mine = [
        [1, "成自宜高铁", "", "宜宾市", 100, 300, 900, None, "路基", ""],
        [2, other.name, "", "", 10, 30, 90, None, "前期", ""],
    ]
    xlsx.monthly_import(
        year=2026, month=3, actor=yibin_reporter_user, data=book("表", xlsx.MONTHLY_HEADERS, mine)
    )
    zigong_before = MonthlyReport.objects.filter(segment=zg).values().get()
    again = [
        [1, "成自宜高铁", "", "宜宾市", 200, 400, 1000, 50.5, "桥梁", ""],
        [2, other.name, "", "", 20, 40, 100, None, "开工", ""],
    ]
    result = xlsx.monthly_import(
        year=2026, month=3, actor=yibin_reporter_user, data=book("表", xlsx.MONTHLY_HEADERS, again)
    )
    assert (result.created, result.updated) == (0, 2)
    assert MonthlyReport.objects.filter(segment=zg).values().get() == zigong_before
    for report, old, new in (
        (
            MonthlyReport.objects.get(segment=yb, month=3),
            ("100.00", "300.00", "900.00", "None", "路基"),
            ("200.00", "400.00", "1000.00", "50.50", "桥梁"),
        ),
        (
            MonthlyReport.objects.get(project=other, month=3),
            ("10.00", "30.00", "90.00", "None", "前期"),
            ("20.00", "40.00", "100.00", "None", "开工"),
        ),
    ):
        assert report.version == 2 and report.status == "draft"
        assert report.updated_at > report.created_at
        event = AuditEvent.objects.get(action="monthly_report.update", target_id=str(report.pk))
        assert event.old == dict(zip(xlsx.OLD_FIELDS, old, strict=True))
        assert event.new == dict(zip(xlsx.OLD_FIELDS, new, strict=True))
        assert event.new == {f: str(getattr(report, f)) for f in xlsx.OLD_FIELDS}
        assert event.target_label == s._label(report)
    assert AuditEvent.objects.filter(action="monthly_report.update").count() == 2
    assert AuditEvent.objects.filter(action="monthly_report.import").order_by("pk").last().new == {
        "created": 0,
        "updated": 2,
    }
    assert audit_verify()[1] == []


def test_monthly_table_refuses_a_report_already_submitted(cheng_zi_yi, yibin, yibin_reporter_user):
    """A report of the month no longer draft or returned names its row; nothing is written."""
    _p, _zg, yb = cheng_zi_yi
    row = [1, "成自宜高铁", "", "宜宾市", 100, 300, 900, None, "路基", ""]
    xlsx.monthly_import(
        year=2026, month=3, actor=yibin_reporter_user, data=book("表", xlsx.MONTHLY_HEADERS, [row])
    )
    report = MonthlyReport.objects.get(segment=yb, month=3)
    s.monthly_report_submit(report=report, actor=yibin_reporter_user)
    before = _report_state()
    with pytest.raises(ImportFailed) as e:
        xlsx.monthly_import(
            year=2026,
            month=3,
            actor=yibin_reporter_user,
            data=book("表", xlsx.MONTHLY_HEADERS, [[*row[:8], "改", ""]]),
        )
    assert [(err.row, err.header) for err in e.value.errors] == [(3, "项目名称")]
    assert _report_state() == before


def test_a_row_is_filled_when_any_cell_has_text():
    """`_filled` (the blank-row check without a call a cell) agrees with `_text` on every kind
    of value a sheet gives: blank text, whitespace, zero, False, dates, times."""
    from datetime import time

    cases = [
        (),
        (None,),
        ("",),
        ("  ", None),
        (None, " \n\u3000"),
        (0,),
        (0.0,),
        (False,),
        ("x",),
        (None, None, 3.5),
        (dt.datetime(2024, 1, 1),),
        (time(0, 0),),
    ]
    for row in cases:
        assert xlsx._filled(row) == any(xlsx._text(v) for v in row), row
