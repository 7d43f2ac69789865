"""Project services on the bundled plans: drafts from the 专栏 items, confirm / merge /
discard, segments and annual plans, the monthly report's review path with locking, audit and
history, lights computed from stored reports (a red one opens a 督办 case), 双过半."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from planwatch.audit.models import AuditEvent
from planwatch.core.workflow import ConcurrentUpdate, InvalidTransition, ServiceError
from planwatch.plans.models import Node
from planwatch.projects import methods as m
from planwatch.projects import services as s
from planwatch.projects.choices import ProjectStatus
from planwatch.projects.models import MonthlyReport, Project
from planwatch.reports.choices import ReportStatus
from planwatch.supervision.models import SupervisionCase
from tests.projects.helpers import filed_and_accepted

pytestmark = pytest.mark.django_db


def test_drafts_from_box_items_link_clause_page_and_cities(south, chuannan_planner_user):
    result = s.project_drafts_generate(plan=south, actor=chuannan_planner_user)
    names = [
        n
        for node in Node.objects.filter(version_id=south.current_version_id)
        for n in node.projects
    ]
    assert result.created == len(Project.objects.filter(plan=south)) > 100
    assert result.created <= len(names)
    p = Project.objects.get(plan=south, name="成自宜高铁")
    assert p.status == ProjectStatus.DRAFT and p.zone == south.org_unit
    assert p.source_node is not None and "成自宜高铁" in p.source_node.projects
    assert (p.source_line, p.source_page) == (p.source_node.line, p.source_node.page)
    assert {"自贡市", "宜宾市"} <= set(p.places.values_list("name", flat=True))
    # Running it again drafts nothing twice.
    again = s.project_drafts_generate(plan=south, actor=chuannan_planner_user)
    assert (again.created, again.skipped) == (0, result.created)
    assert AuditEvent.objects.filter(action="project.drafts_generate").count() == 2


def test_only_the_zone_planner_drafts(south, yibin_reporter_user):
    with pytest.raises(PermissionDenied):
        s.project_drafts_generate(plan=south, actor=yibin_reporter_user)


def test_confirm_merge_discard(south, chuannan_planner_user):
    s.project_drafts_generate(plan=south, actor=chuannan_planner_user)
    a, b, c = Project.objects.filter(plan=south)[:3]
    s.project_confirm(project=a, actor=chuannan_planner_user)
    s.project_merge(keep=a, duplicate=b, actor=chuannan_planner_user)
    s.project_discard(project=c, actor=chuannan_planner_user)
    a.refresh_from_db(), b.refresh_from_db(), c.refresh_from_db()
    assert (a.status, b.status, b.merged_into, c.status) == (
        ProjectStatus.CONFIRMED,
        ProjectStatus.DISCARDED,
        a,
        ProjectStatus.DISCARDED,
    )
    with pytest.raises(ServiceError):
        s.project_confirm(project=c, actor=chuannan_planner_user)
    assert (
        AuditEvent.objects.filter(
            action__in=["project.confirm", "project.merge", "project.discard"]
        ).count()
        == 3
    )


def test_create_by_hand_validates_every_field(zone, chuannan_planner_user, yibin):
    with pytest.raises(ValidationError) as e:
        s.project_create(
            actor=chuannan_planner_user,
            zone=zone,
            values={"name": " ", "code": "2021-51000-48-01-00012", "total_investment": "abc"},
        )
    assert set(e.value.message_dict) == {"name", "code", "total_investment"}
    assert not Project.objects.exists()
    p = s.project_create(
        actor=chuannan_planner_user,
        zone=zone,
        values={
            "name": "宜宾港志城作业区",
            "code": "2021-511500-55-01-000123",
            "total_investment": "1,200,000",
        },
        places=[yibin],
    )
    assert p.status == ProjectStatus.CONFIRMED and p.total_investment == Decimal("1200000.00")
    with pytest.raises(ValidationError):
        s.project_create(
            actor=chuannan_planner_user, zone=zone, values={"name": "重复", "code": p.code}
        )
    stale = p.version
    s.project_update(
        project=p, actor=chuannan_planner_user, version=stale, changes={"stage": "new"}
    )
    with pytest.raises(ConcurrentUpdate):
        s.project_update(
            project=p, actor=chuannan_planner_user, version=stale, changes={"stage": "continuing"}
        )


def test_segments_sum_checked(cheng_zi_yi, chuannan_planner_user):
    p, zg, _yb = cheng_zi_yi
    assert s.segments_check(p).ok
    s.segment_set(
        project=p, place=zg.place, unit=zg.unit, investment="1400000", actor=chuannan_planner_user
    )
    check = s.segments_check(p)
    assert not check.ok and check.segments == Decimal("3400000")


def test_march_report_review_path_and_figures_by_hand(
    cheng_zi_yi,
    chuannan_planner_user,
    yibin_reporter_user,
    yibin_reviewer_user,
    zigong_reporter_user,
    zigong_reviewer_user,
):
    p, zg, yb = cheng_zi_yi
    r = filed_and_accepted(
        project=p,
        segment=yb,
        year=2026,
        month=3,
        ytd=31000,
        filler=yibin_reporter_user,
        reviewer=yibin_reviewer_user,
        planner=chuannan_planner_user,
    )
    assert r.status == ReportStatus.ACCEPTED and r.due == dt.date(2026, 4, 8) and r.due_official
    assert list(r.history.values_list("to_status", flat=True)) == [
        "submitted",
        "unit_approved",
        "accepted",
    ]
    assert r.issues.get().text == "征地拆迁需省级协调"
    filed_and_accepted(
        project=p,
        segment=zg,
        year=2026,
        month=3,
        ytd=17000,
        filler=zigong_reporter_user,
        reviewer=zigong_reviewer_user,
        planner=chuannan_planner_user,
    )
    # By hand: (31,000 + 17,000) / (120,000 + 80,000) = 24 %; 3/12 = 25 %; gap −1 point; green.
    light = s.light_compute(project=p, year=2026, month=3)
    assert light.rate == pytest.approx(0.24)
    assert light.time_progress == pytest.approx(0.25)
    assert light.gap == pytest.approx(-1.0)
    assert (light.light, light.method_version, light.case) == (
        "green",
        m.DEFAULT_METHOD.version,
        None,
    )


def test_review_rules_and_locking(
    cheng_zi_yi,
    chuannan_planner_user,
    yibin_reporter_user,
    yibin_reviewer_user,
    zigong_reporter_user,
):
    p, _zg, yb = cheng_zi_yi
    with pytest.raises(PermissionDenied):
        s.monthly_report_start(
            project=p, segment=yb, year=2026, month=3, actor=zigong_reporter_user
        )
    with pytest.raises(ValidationError):
        s.monthly_report_start(project=p, year=2026, month=3, actor=yibin_reporter_user)
    r = s.monthly_report_start(project=p, segment=yb, year=2026, month=3, actor=yibin_reporter_user)
    with pytest.raises(ServiceError):
        s.monthly_report_start(project=p, segment=yb, year=2026, month=3, actor=yibin_reporter_user)
    with pytest.raises(ValidationError) as e:
        s.monthly_report_submit(report=r, actor=yibin_reporter_user)
    assert {"invested_month", "invested_ytd", "invested_total", "progress_text"} == set(
        e.value.message_dict
    )
    with pytest.raises(ValidationError) as e:
        s.monthly_report_update(
            report=r,
            actor=yibin_reporter_user,
            version=r.version,
            values={
                "invested_month": "50",
                "invested_ytd": "40",
                "invested_total": "30",
                "funds_in_place": "x",
            },
        )
    assert set(e.value.message_dict) == {"invested_month", "invested_ytd", "funds_in_place"}
    stale = MonthlyReport.objects.get(pk=r.pk)
    s.monthly_report_update(
        report=r,
        actor=yibin_reporter_user,
        version=r.version,
        values={
            "invested_month": "10",
            "invested_ytd": "10",
            "invested_total": "10",
            "progress_text": "开工",
        },
    )
    with pytest.raises(ConcurrentUpdate):
        s.monthly_report_update(
            report=stale, actor=yibin_reporter_user, version=stale.version, values={}
        )
    s.monthly_report_submit(report=r, actor=yibin_reporter_user)
    with pytest.raises(InvalidTransition):
        s.monthly_report_accept(report=r, actor=chuannan_planner_user)
    with pytest.raises(ValidationError):
        s.monthly_report_return(report=r, actor=yibin_reviewer_user, reason=" ")
    s.monthly_report_return(report=r, actor=yibin_reviewer_user, reason="数字不对")
    assert r.status == ReportStatus.RETURNED and r.return_reason == "数字不对"
    assert AuditEvent.objects.filter(action="monthly_report.returned").count() == 1


def test_red_light_opens_a_case_and_an_issue_escalates(
    cheng_zi_yi, chuannan_planner_user, yibin_reporter_user, yibin_reviewer_user
):
    p, _zg, yb = cheng_zi_yi
    r = filed_and_accepted(
        project=p,
        segment=yb,
        year=2026,
        month=6,
        ytd=20000,
        filler=yibin_reporter_user,
        reviewer=yibin_reviewer_user,
        planner=chuannan_planner_user,
    )
    # 20,000 / 200,000 = 10 %, June 50 %: 40 points behind → red.
    light = s.light_compute(project=p, year=2026, month=6)
    assert (light.light, light.gap) == ("red", pytest.approx(-40.0))
    assert light.case is not None and light.case.plan == p.plan and light.case.task is None
    assert light.case.subject == light and "项目预警" in light.case.title
    assert light.case.unit == p.lead_unit
    again = s.light_compute(project=p, year=2026, month=6)
    assert again.case == light.case and SupervisionCase.objects.count() == 1
    issue = r.issues.get()
    with pytest.raises(PermissionDenied):
        s.issue_escalate(issue=issue, actor=yibin_reporter_user)
    case = s.issue_escalate(issue=issue, actor=chuannan_planner_user)
    assert case.reason == "征地拆迁需省级协调" and SupervisionCase.objects.count() == 2
    assert case.subject == issue and case.task is None and case.plan == p.plan


def test_not_started_project_turns_yellow_then_red(zone, chuannan_planner_user, yibin):
    p = s.project_create(
        actor=chuannan_planner_user,
        zone=zone,
        values={"name": "宜宾三江口大桥", "lead_unit": yibin, "planned_start": dt.date(2026, 2, 1)},
    )
    s.annual_plan_set(project=p, year=2026, amount="10000", actor=chuannan_planner_user)
    assert s.light_compute(project=p, year=2026, month=3).reason == "not_started"
    assert s.light_compute(project=p, year=2026, month=3).light == "yellow"
    red = s.light_compute(project=p, year=2026, month=6)
    # A hand-made project belongs to no plan: red, but no case to open it on.
    assert (red.light, red.case) == ("red", None)


def test_double_half_names_projects_below_half(
    cheng_zi_yi,
    zone,
    chuannan_planner_user,
    yibin,
    yibin_reporter_user,
    yibin_reviewer_user,
    zigong_reporter_user,
    zigong_reviewer_user,
):
    p, zg, yb = cheng_zi_yi
    for seg, ytd, filler, reviewer in (
        (yb, 70000, yibin_reporter_user, yibin_reviewer_user),
        (zg, 30000, zigong_reporter_user, zigong_reviewer_user),
    ):
        filed_and_accepted(
            project=p,
            segment=seg,
            year=2026,
            month=6,
            ytd=ytd,
            filler=filler,
            reviewer=reviewer,
            planner=chuannan_planner_user,
        )
    q = s.project_create(
        actor=chuannan_planner_user,
        zone=zone,
        values={"name": "宜宾临港物流园", "lead_unit": yibin, "planned_start": dt.date(2026, 3, 1)},
    )
    s.annual_plan_set(
        project=q, year=2026, amount="50000", actor=chuannan_planner_user, planned_start=True
    )
    filed_and_accepted(
        project=q,
        segment=None,
        year=2026,
        month=6,
        ytd=10000,
        filler=yibin_reporter_user,
        reviewer=yibin_reviewer_user,
        planner=chuannan_planner_user,
    )
    dh = s.double_half_check(projects=[p, q], year=2026)
    # (70,000 + 30,000 + 10,000) / (200,000 + 50,000) = 44 % < 50 %.
    assert dh.investment_rate == pytest.approx(110000 / 250000)
    assert not dh.investment_ok
    assert dh.below_half == ("宜宾临港物流园",)
    assert dh.not_started == ("宜宾临港物流园",) and not dh.starts_ok


def test_annual_plan_monthly_must_be_cumulative(cheng_zi_yi, chuannan_planner_user):
    p, _zg, yb = cheng_zi_yi
    with pytest.raises(ValidationError):
        s.annual_plan_set(
            project=p,
            segment=yb,
            year=2027,
            amount="120",
            actor=chuannan_planner_user,
            monthly=[10] * 11 + [100],
        )
    with pytest.raises(ValidationError):
        s.annual_plan_set(
            project=p,
            segment=yb,
            year=2027,
            amount="120",
            actor=chuannan_planner_user,
            monthly=[10 * i for i in range(1, 13)][::-1],
        )
    plan = s.annual_plan_set(
        project=p,
        segment=yb,
        year=2027,
        amount="120",
        actor=chuannan_planner_user,
        monthly=[10 * i for i in range(1, 13)],
    )
    assert plan.monthly[2] == "30.00"
