"""绩效考核 results on the 川南 slice: the 2024 list issued (quarterly), 宜宾 files one report
late, the default prefectures scheme copied for 2024 and frozen, results computed for the
川南 prefectures as of 2024-12-31. Everything is checked against a hand computation from the
records made here: item points add to the total, lines add to item points."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError

from planwatch.assessment import results, schemes
from planwatch.assessment.models import AdjustmentKind, ResultEdition, ResultStatus, Series
from planwatch.audit.models import AuditEvent
from planwatch.projects.models import AnnualInvestmentPlan, MonthlyReport, Project
from planwatch.supervision.models import SupervisionCase
from planwatch.tasks.models import AnnualList
from tests.factories import implementation as f
from tests.factories.implementation_fixtures import *  # noqa: F403

AS_OF = datetime(2024, 12, 31).date()


@pytest.fixture
def scheme(planner_user: User):  # type: ignore[no-untyped-def]
    s = schemes.scheme_copy(
        source=schemes.default_scheme(Series.PREFECTURES), year=2024, actor=planner_user
    )
    return schemes.scheme_freeze(scheme=s, actor=planner_user)


@pytest.fixture
def late_report(issued: AnnualList, units: f.Units, yibin_reporter_user: User):  # type: ignore[no-untyped-def]
    task = issued.tasks.order_by("seq").first()
    # Q1 is due 2024-04-05; filed on 2024-04-20
    return f.report_filed(
        task, units.yibin, yibin_reporter_user, 50,
        submitted_at=datetime(2024, 4, 20, 2, tzinfo=UTC),
    )  # fmt: skip


def _check_sums(edition: ResultEdition) -> None:
    for s in edition.scores.all():
        items = list(s.items.all())
        assert sum(i.points for i in items) == pytest.approx(s.total, abs=1e-6)
        for i in items:
            assert sum(ln.points for ln in i.lines.all()) == pytest.approx(i.points, abs=1e-6)


def test_compute_hand_checked(
    scheme, late_report, units: f.Units, planner_user: User, issued: AnnualList
) -> None:  # type: ignore[no-untyped-def]
    task = issued.tasks.order_by("seq").first()
    case = SupervisionCase.objects.create(
        task=task, light="red", reason="逾期未完成", unit=units.yibin,
        opened_at=datetime(2024, 6, 1, tzinfo=UTC),
    )  # fmt: skip
    ed = results.result_compute(scheme=scheme, actor=planner_user, zone=units.chuannan, as_of=AS_OF)
    assert ed.status == ResultStatus.DRAFT and ed.number == 1
    scores = {s.unit_id: s for s in ed.scores.all()}
    assert set(scores) == {units.yibin.pk, units.luzhou.pk}
    _check_sums(ed)
    n = issued.tasks.count()
    yb = scores[units.yibin.pk]
    tasks = yb.items.get(code="tasks")
    # the task's lead filed nothing, so its progress is the mean of 宜宾 50 and 泸州 0 = 25 %;
    # 序时进度 is 100 % at year end; equal weights: 40 × 0.25 / n
    assert tasks.points == pytest.approx(40 * 0.25 / n, abs=1e-9)
    assert scores[units.luzhou.pk].items.get(code="tasks").points == pytest.approx(40 * 0.25 / n)
    # reporting: Q1–Q3 × n tasks due by 12-31 (Q4 is due 2025-01-05); one late (宜宾 Q1 of
    # the first task), the rest missing
    rep = yb.items.get(code="reporting")
    late = rep.lines.get(kind="late_report")
    assert late.ref == f"report:{late_report.pk}"
    assert late.url == f"/reports/{late_report.pk}/"
    assert late.points == -10
    assert rep.lines.filter(kind="missing_report").count() == 3 * n - 1
    assert rep.points == 0  # floored; the floor line carries what it absorbed
    assert rep.lines.get(kind="base").points == 15
    # one red case on 宜宾: 10 − 2; 泸州 keeps its 10; satisfaction has no source yet
    red = yb.items.get(code="red_cases")
    assert red.points == 8
    assert red.lines.get(kind="red_case").url == f"/cases/{case.pk}/"
    assert scores[units.luzhou.pk].items.get(code="red_cases").points == 10
    # no survey response from 宜宾, no indicator statuses, no projects: nothing to
    # assess, 未承担该项工作的，该项按满分计 (when_nothing "full"): 5, 15, 15, one line each
    sat = yb.items.get(code="satisfaction")
    assert sat.points == 5
    assert [(ln.kind, ln.label, ln.points) for ln in sat.lines.all()] == [
        ("nothing", "本年度无该地的问卷答卷，按满分计", 5)
    ]
    for code in ("indicators", "projects"):
        item = yb.items.get(code=code)
        assert item.points == 15
        assert [(ln.kind, ln.label) for ln in item.lines.all()] == [
            ("nothing", "无考核对象，按满分计")
        ]
    # 40 × 0.25 / n + 0 + 8 + 15 + 15 + 5 (n = 4 tasks on the slice: 2.5 + 43 = 45.5)
    assert yb.total == pytest.approx(40 * 0.25 / n + 8 + 15 + 15 + 5)
    assert yb.grade == "poor" and yb.rank == 2 and scores[units.luzhou.pk].rank == 1
    assert AuditEvent.objects.filter(action="result.compute").count() == 1


def _project(units: f.Units, name: str, plan: int, reports: dict[int, int]) -> Project:
    """A confirmed project led by 宜宾 with a 2024 plan and accepted monthly YTD figures."""
    p = Project.objects.create(
        name=name, zone=units.chuannan, lead_unit=units.yibin, status="confirmed"
    )
    AnnualInvestmentPlan.objects.create(project=p, year=2024, amount=Decimal(plan))
    for month, ytd in reports.items():
        MonthlyReport.objects.create(
            project=p, unit=units.yibin, year=2024, month=month, due=date(2024, month, 28),
            invested_ytd=Decimal(ytd), status="accepted",
        )  # fmt: skip
    return p


def test_projects_by_completion_rate_and_double_half(
    scheme, units: f.Units, planner_user: User
) -> None:  # type: ignore[no-untyped-def]
    port = _project(units, "宜宾港扩能", 1000, {6: 400, 9: 600})  # June 40 %: 双过半 failed
    rail = _project(units, "宜宾铁路专线", 500, {6: 300, 9: 300})  # June 60 %
    _project(units, "宜宾储备项目", 0, {})  # no 2024 plan: not assessed
    # as of 2024-10-15 the last month ended is September: 时间进度 9/12 = 0.75
    ed = results.result_compute(
        scheme=scheme, actor=planner_user, zone=units.chuannan, as_of=date(2024, 10, 15)
    )
    _check_sums(ed)
    assert ed.inputs["counts"]["projects"] == 2 and ed.inputs["counts"]["project_month"] == 9
    item = ed.scores.get(unit=units.yibin).items.get(code="projects")
    # 完成率 (600 + 300) / 1500 = 0.6; ÷ 0.75 = 0.8 → 15 × 0.8 = 12 (港口 8 + 铁路 4);
    # 港口 was under half at the end of June: −2 → 10
    assert item.points == pytest.approx(10)
    lines = [(ln.kind, ln.url, round(ln.points, 6)) for ln in item.lines.order_by("pk")]
    assert lines == [
        ("project", f"/projects/{port.pk}/", 8.0),
        ("project", f"/projects/{rail.pk}/", 4.0),
        ("below_half", f"/projects/{port.pk}/", -2.0),
    ]
    assert "完成率 60.0%" in item.lines.get(kind="project", ref=f"project:{rail.pk}").label
    assert "40.0%" in item.lines.get(kind="below_half").label
    # the score card links each line to its project
    from django.urls import reverse

    from tests.factories.personas import logged_in

    card = logged_in(planner_user).get(
        reverse("assessment:score_card", args=[ed.pk, units.yibin.pk])
    )
    body = card.content.decode()
    assert f'href="/projects/{port.pk}/"' in body and "双过半未达：宜宾港扩能" in body
    # 泸州 leads no project: nothing to assess, full points
    assert ed.scores.get(unit=units.luzhou).items.get(code="projects").points == 15
    # as of 2024-06-30 (June ended): 时间进度 0.5, on the June figures:
    # (400 + 300) / 1500 ÷ 0.5 = 0.9333… → 15 × 0.9333 = 14; no 双过半 deduction yet
    ed2 = results.result_compute(
        scheme=scheme, actor=planner_user, zone=units.chuannan, as_of=date(2024, 6, 30)
    )
    _check_sums(ed2)
    item2 = ed2.scores.get(unit=units.yibin).items.get(code="projects")
    assert item2.points == pytest.approx(15 * 700 / 1500 / 0.5)
    assert not item2.lines.filter(kind="below_half").exists()


def test_adjustment_recompute_objection_publish(
    scheme,
    late_report,
    units: f.Units,
    planner_user: User,
    yibin_reporter_user: User,
    luzhou_reporter_user: User,
) -> None:  # type: ignore[no-untyped-def]
    ed1 = results.result_compute(
        scheme=scheme, actor=planner_user, zone=units.chuannan, as_of=AS_OF
    )
    yb1 = ed1.scores.get(unit=units.yibin)
    # a unit sees its own draft result only
    assert results.can_see_score(yibin_reporter_user, yb1)
    assert not results.can_see_score(luzhou_reporter_user, yb1)
    assert list(
        results.visible_scores(luzhou_reporter_user, ed1).values_list("unit", flat=True)
    ) == [units.luzhou.pk]
    with pytest.raises(PermissionDenied):
        results.objection_file(
            edition=ed1, unit=units.yibin, actor=luzhou_reporter_user, reason="x"
        )
    obj = results.objection_file(
        edition=ed1, unit=units.yibin, actor=yibin_reporter_user, reason="一季度报告因系统故障延迟"
    )
    with pytest.raises(ValidationError):  # evidence required
        results.adjustment_add(
            edition=ed1,
            unit=units.yibin,
            actor=planner_user,
            kind=AdjustmentKind.BONUS,
            points=3,
            reason="获国家表彰",
        )
    results.adjustment_add(
        edition=ed1,
        unit=units.yibin,
        actor=planner_user,
        kind=AdjustmentKind.BONUS,
        points=3,
        reason="获国家表彰",
        evidence_text="国务院通报（2024）第 5 号",
    )
    results.adjustment_add(
        edition=ed1,
        unit=units.luzhou,
        actor=planner_user,
        kind=AdjustmentKind.VETO,
        points=0,
        reason="发生重大安全事故",
        evidence_text="应急厅通报",
    )
    ed2 = results.result_compute(
        scheme=scheme, actor=planner_user, zone=units.chuannan, as_of=AS_OF, reason="录入加分与否决"
    )
    assert ed2.corrects == ed1 and ed2.number == 2
    _check_sums(ed2)
    yb2 = ed2.scores.get(unit=units.yibin)
    lz2 = ed2.scores.get(unit=units.luzhou)
    assert yb2.total == pytest.approx(yb1.total + 3)
    assert yb2.items.get(code="bonus").points == 3
    bonus_line = yb2.items.get(code="bonus").lines.get()
    assert bonus_line.url.endswith(f"/units/{units.yibin.pk}/#{bonus_line.ref.replace(':', '-')}")
    assert lz2.vetoed and lz2.grade == "vetoed" and lz2.rank == 2 and yb2.rank == 1
    diff = results.differences(ed2)
    assert diff[units.yibin.pk]["delta"] == pytest.approx(3)
    assert diff[units.yibin.pk]["items"]["bonus"] == (0.0, pytest.approx(3))
    # publication: reviewed first, objections answered
    with pytest.raises(ValidationError):
        results.result_publish(edition=ed1, actor=planner_user)
    results.result_review(edition=ed1, actor=planner_user)
    with pytest.raises(ValidationError):
        results.result_publish(edition=ed1, actor=planner_user)
    results.objection_answer(objection=obj, actor=planner_user, answer="已核实，按规定不予调整")
    ed1 = results.result_publish(edition=ed1, actor=planner_user)
    assert ed1.is_published
    assert results.can_see_score(luzhou_reporter_user, ed1.scores.get(unit=units.yibin))
    with pytest.raises(ValidationError):
        results.objection_file(edition=ed1, unit=units.yibin, actor=yibin_reporter_user, reason="x")
    with pytest.raises(PermissionDenied):
        results.result_review(edition=ed2, actor=yibin_reporter_user)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"result.compute", "result.review", "result.publish", "result.objection_file",
            "result.objection_answer", "result.adjustment_add"} <= actions  # fmt: skip


def test_draft_scheme_refused(units: f.Units, planner_user: User) -> None:
    s = schemes.scheme_copy(
        source=schemes.default_scheme(Series.PREFECTURES), year=2024, actor=planner_user
    )
    with pytest.raises(ValidationError):
        results.result_compute(scheme=s, actor=planner_user, zone=units.chuannan)
    assert not ResultEdition.objects.exists()


def test_pages_drill_down_and_export(
    scheme, late_report, units: f.Units, planner_user: User, yibin_reporter_user: User
) -> None:  # type: ignore[no-untyped-def]
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    from tests.factories.personas import logged_in

    planner = logged_in(planner_user)
    r = planner.post(
        reverse("assessment:result_compute"),
        {"scheme": scheme.pk, "zone": units.chuannan.pk, "as_of": "2024-12-31"},
    )
    ed = ResultEdition.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("assessment:result", args=[ed.pk])
    yb = ed.scores.get(unit=units.yibin)
    page = planner.get(reverse("assessment:result", args=[ed.pk])).content.decode()
    assert "grade-poor" in page and f"{yb.total:.2f}" in page
    card = logged_in(yibin_reporter_user).get(
        reverse("assessment:score_card", args=[ed.pk, units.yibin.pk])
    )
    body = card.content.decode()
    assert f'href="/reports/{late_report.pk}/"' in body
    # a correction: a bonus entered with evidence, recomputed; the new edition shows the change
    planner.post(
        reverse("assessment:adjustment_add", args=[ed.pk]),
        {"unit": units.yibin.pk, "kind": "bonus", "points": "2", "reason": "创新经验推广",
         "evidence_text": "省政府办公厅通报"},
    )  # fmt: skip
    r = planner.post(reverse("assessment:result_recompute", args=[ed.pk]), {"reason": "加分"})
    ed2 = ResultEdition.objects.get(number=2)
    page2 = planner.get(r["Location"]).content.decode()
    assert "+2.00" in page2 and f"{yb.total:.2f}" in page2
    wb = load_workbook(
        io.BytesIO(planner.get(reverse("assessment:result_xlsx", args=[ed2.pk])).content)
    )
    ws = wb.active
    assert ws.print_title_rows == "$1:$2" or ws.print_title_rows == "1:2"
    rows = {row[1]: row for row in ws.iter_rows(min_row=3, values_only=True)}
    assert rows["宜宾市"][-2] == pytest.approx(round(yb.total + 2, 2))
    assert ws.page_setup.orientation == "landscape"
