"""Drafting tasks from a plan, editing them, and who may do either."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from planwatch.audit.models import AuditEvent
from planwatch.core.workflow import ConcurrentUpdate, ServiceError
from planwatch.plans.models import Node, Plan
from planwatch.tasks.models import Task
from planwatch.tasks.permissions import access_task, can_view_task
from planwatch.tasks.selectors import task_list_for
from planwatch.tasks.services import (
    annual_list_reopen,
    task_create,
    task_delete,
    task_drafts_generate,
    task_update,
)
from planwatch.tasks.suggest import is_action_clause, lead_mapping
from tests.factories.implementation import Units


def _by_key(plan: Plan) -> dict[str, Task]:
    return {t.clause_key: t for t in Task.objects.filter(plan=plan)}


def test_generate_drafts_one_task_per_provision_and_box_item(
    plan: Plan, chuannan_planner_user: Any, units: Units
) -> None:
    result = task_drafts_generate(plan=plan, year=2024, actor=chuannan_planner_user)
    tasks = _by_key(plan)
    assert sorted(tasks) == ["c3.p1", "c5.b1.i1", "c5.p1", "c9.p1"]
    assert [t.seq for t in sorted(tasks.values(), key=lambda t: t.seq)] == [1, 2, 3, 4]
    rail = tasks["c3.p1"]
    assert rail.title == "建设川南城际铁路网。"
    assert rail.content == "推进宜宾至泸州城际铁路建设。"
    assert rail.clause is not None and rail.clause.key == "c3.p1"
    assert (rail.year, rail.start, rail.deadline) == (2024, date(2024, 1, 1), date(2024, 12, 31))
    assert rail.status == "draft" and rail.criterion == ""
    assert result.annual_list.year == 2024 and len(result.created) == 4


def test_goals_principles_and_safeguards_are_not_drafted(
    plan: Plan, chuannan_planner_user: Any
) -> None:
    task_drafts_generate(plan=plan, year=2024, actor=chuannan_planner_user)
    drafted = set(_by_key(plan))
    # 基本原则 and 发展目标 under 总体要求, and the 保障措施 chapter, are the plan's frame.
    assert not drafted & {"c2.s2.p1", "c2.s4.p1", "c10.p1"}
    assert {"c3.p1", "c5.p1", "c5.b1.i1", "c9.p1"} <= drafted


@pytest.mark.parametrize(
    ("chapter", "section", "action"),
    [
        ("总体要求", "发展目标", False),
        ("第二章 总体要求", "", False),
        ("规划背景", "发展基础", False),
        ("发展背景", "机遇挑战", False),
        ("强化规划实施保障", "加强组织领导", False),
        ("加强规划组织实施", "完善政策措施", False),
        ("第九章 保障措施", "", False),
        # A goal section is recognised wherever it sits, with or without its label.
        ("构建一体化发展新格局", "第四节 主要目标", False),
        ("协同塑造产业竞争新优势", "战略定位", False),
        # Action headings that merely contain a framing word stay actions.
        ("协同提升基础设施内联外畅水平", "强化水安全保障", True),
        ("坚守安全发展底线", "强化经济安全保障", True),
        ("协同打造南向开放高地", "共创国际一流营商环境", True),
        ("打造国际阳光康养旅游目的地", "做亮攀西阳光康养旅游品牌", True),
        ("深化改革", "优化发展环境，落实年度目标", True),
    ],
)
def test_action_clause_rule(chapter: str, section: str, action: bool) -> None:
    c = Node(pk=1, kind="chapter", title=chapter)
    s = Node(pk=2, kind="section", title=section, parent_id=1)
    p = Node(pk=3, kind="provision", title="某条款", parent_id=2 if section else 1)
    assert is_action_clause(p, {1: c, 2: s}) is action


def test_generate_suggests_units_visibly(
    plan: Plan, chuannan_planner_user: Any, units: Units
) -> None:
    task_drafts_generate(plan=plan, year=2024, actor=chuannan_planner_user)
    tasks = _by_key(plan)
    # The clause names 翠屏区, a county of 宜宾: the prefecture is the responsible subject;
    # it also names 攀枝花, which lies outside the plan's zone and cannot be made responsible.
    assert list(tasks["c3.p1"].responsible_units.all()) == [units.yibin]
    # No place named: the plan's covered prefectures (its zone's).
    assert set(tasks["c5.p1"].responsible_units.all()) == {units.yibin, units.luzhou}
    assert tasks["c3.p1"].lead_unit == units.transport
    assert "交通" in tasks["c3.p1"].lead_suggestion
    assert tasks["c5.b1.i1"].lead_unit == units.ecology
    assert tasks["c9.p1"].lead_unit == units.ndrc
    assert "省发展改革委职能" in tasks["c9.p1"].lead_suggestion
    # A 专栏 item is named from its box and itself, not by its category alone.
    assert tasks["c5.b1.i1"].title.startswith("专栏1 生态保护重点工程 — 赤水河流域生态修复工程")
    assert ("交通", "省交通运输厅") in lead_mapping()


def test_generate_again_adds_only_missing_and_is_audited(
    plan: Plan, chuannan_planner_user: Any
) -> None:
    task_drafts_generate(plan=plan, year=2024, actor=chuannan_planner_user)
    again = task_drafts_generate(plan=plan, year=2024, actor=chuannan_planner_user)
    assert again.created == [] and again.skipped == 4
    assert Task.objects.count() == 4
    events = AuditEvent.objects.filter(action="task.drafts_generate")
    assert events.count() == 2
    assert AuditEvent.objects.filter(action="annual_list.create").count() == 1


def test_generate_denied_to_other_zone_planner_and_reporter(
    plan: Plan, panxi_planner_user: Any, yibin_reporter_user: Any
) -> None:
    for actor in (panxi_planner_user, yibin_reporter_user):
        with pytest.raises(PermissionDenied):
            task_drafts_generate(plan=plan, year=2024, actor=actor)
    assert Task.objects.count() == 0


def test_generate_rejects_bad_year_and_plan_without_version(
    plan: Plan, chuannan_planner_user: Any
) -> None:
    with pytest.raises(ValidationError):
        task_drafts_generate(plan=plan, year=1024, actor=chuannan_planner_user)
    plan.current_version = None
    plan.save()
    with pytest.raises(ValidationError):
        task_drafts_generate(plan=plan, year=2024, actor=chuannan_planner_user)


def test_update_changes_fields_and_audits_before_after(
    plan: Plan, chuannan_planner_user: Any, units: Units
) -> None:
    task_drafts_generate(plan=plan, year=2024, actor=chuannan_planner_user)
    task = _by_key(plan)["c3.p1"]
    task_update(
        task=task,
        actor=chuannan_planner_user,
        version=task.version,
        changes={
            "criterion": "开工建设 50 公里",
            "responsible_units": [units.yibin, units.luzhou],
            "supporting_units": [units.ecology],
            "deadline": date(2024, 10, 31),
            "milestones": [("完成可研批复", date(2024, 6, 30))],
        },
    )
    task.refresh_from_db()
    assert task.criterion == "开工建设 50 公里" and task.version == 2
    assert set(task.responsible_units.all()) == {units.yibin, units.luzhou}
    assert [m.title for m in task.milestones.all()] == ["完成可研批复"]
    event = AuditEvent.objects.filter(action="task.update").get()
    assert event.old is not None and event.new is not None
    assert event.old["criterion"] == "" and event.new["criterion"] == "开工建设 50 公里"
    assert event.new["responsible_units"] == ["泸州市", "宜宾市"] or event.new[
        "responsible_units"
    ] == ["宜宾市", "泸州市"]


def test_update_with_stale_version_is_refused(plan: Plan, chuannan_planner_user: Any) -> None:
    task_drafts_generate(plan=plan, year=2024, actor=chuannan_planner_user)
    task = _by_key(plan)["c3.p1"]
    stale = Task.objects.get(pk=task.pk)
    task_update(task=task, actor=chuannan_planner_user, changes={"criterion": "A"}, version=1)
    with pytest.raises(ConcurrentUpdate):
        task_update(task=stale, actor=chuannan_planner_user, changes={"criterion": "B"}, version=1)
    with pytest.raises(ConcurrentUpdate):  # without a version, the stored one still guards
        task_update(task=stale, actor=chuannan_planner_user, changes={"criterion": "B"})
    task.refresh_from_db()
    assert task.criterion == "A"


def test_update_validates(plan: Plan, chuannan_planner_user: Any, units: Units) -> None:
    task_drafts_generate(plan=plan, year=2024, actor=chuannan_planner_user)
    task = _by_key(plan)["c3.p1"]
    bad: list[Any] = [
        {"title": "  "},
        {"start": date(2024, 6, 1), "deadline": date(2024, 5, 1)},
        {"responsible_units": [units.chuannan]},
        {"nonsense": 1},
    ]
    for changes in bad:
        with pytest.raises(ValidationError):
            task_update(task=task, actor=chuannan_planner_user, changes=changes)
    task.refresh_from_db()
    assert task.version == 1 and not AuditEvent.objects.filter(action="task.update").exists()


def test_update_denied_to_reporter_and_other_planner(
    plan: Plan, chuannan_planner_user: Any, yibin_reporter_user: Any, panxi_planner_user: Any
) -> None:
    task_drafts_generate(plan=plan, year=2024, actor=chuannan_planner_user)
    task = _by_key(plan)["c3.p1"]
    for actor in (yibin_reporter_user, panxi_planner_user):
        with pytest.raises(PermissionDenied):
            task_update(task=task, actor=actor, changes={"criterion": "x"})


def test_create_and_delete_draft_task(plan: Plan, chuannan_planner_user: Any, units: Units) -> None:
    alist = task_drafts_generate(plan=plan, year=2024, actor=chuannan_planner_user).annual_list
    task = task_create(
        annual_list=alist,
        actor=chuannan_planner_user,
        changes={"title": "新增任务", "lead_unit": units.ndrc},
    )
    assert task.seq == 5 and task.plan == plan
    task_delete(task=task, actor=chuannan_planner_user)
    assert not Task.objects.filter(title="新增任务").exists()
    assert AuditEvent.objects.filter(action__in=["task.create", "task.delete"]).count() == 2
    with pytest.raises(ValidationError):
        task_create(annual_list=alist, actor=chuannan_planner_user, changes={"content": "无标题"})


def test_issued_tasks_are_locked(issued: Any, chuannan_planner_user: Any) -> None:
    task = issued.tasks.first()
    with pytest.raises(ServiceError):
        task_update(task=task, actor=chuannan_planner_user, changes={"criterion": "改"})
    with pytest.raises(ServiceError):
        task_delete(task=task, actor=chuannan_planner_user)


def test_visibility_by_unit(
    issued: Any,
    chuannan_planner_user: Any,
    panxi_planner_user: Any,
    yibin_reporter_user: Any,
    luzhou_reporter_user: Any,
    chuannan_leader_user: Any,
    units: Units,
) -> None:
    rail = issued.tasks.get(clause_key="c3.p1")
    # Only 宜宾 is responsible for this task now.
    annual_list_reopen(annual_list=issued, actor=chuannan_planner_user, reason="调整责任单位")
    task_update(
        task=rail, actor=chuannan_planner_user, changes={"responsible_units": [units.yibin]}
    )
    assert can_view_task(yibin_reporter_user, rail)
    assert not can_view_task(luzhou_reporter_user, rail)
    assert can_view_task(chuannan_leader_user, rail) and can_view_task(chuannan_planner_user, rail)
    assert not can_view_task(panxi_planner_user, rail)
    assert access_task(yibin_reporter_user, rail.pk, action="report") == rail
    for user, action in (
        (luzhou_reporter_user, "view"),
        (yibin_reporter_user, "edit"),
        (chuannan_leader_user, "report"),
    ):
        with pytest.raises(Http404):
            access_task(user, rail.pk, action=action)
    with pytest.raises(Http404):
        access_task(yibin_reporter_user, 999999, action="view")
    assert rail in task_list_for(user=yibin_reporter_user)
    assert rail not in task_list_for(user=luzhou_reporter_user)
    assert task_list_for(user=chuannan_planner_user).count() == 4
    assert task_list_for(user=panxi_planner_user).count() == 0


def test_drafts_are_the_planners_until_issued(
    plan: Plan, chuannan_planner_user: Any, yibin_reporter_user: Any, chuannan_leader_user: Any
) -> None:
    task_drafts_generate(plan=plan, year=2024, actor=chuannan_planner_user)
    task = _by_key(plan)["c3.p1"]
    assert can_view_task(chuannan_planner_user, task)
    assert not can_view_task(yibin_reporter_user, task) and not can_view_task(
        chuannan_leader_user, task
    )
    assert task_list_for(user=yibin_reporter_user).count() == 0
    assert task_list_for(user=chuannan_leader_user).count() == 0
    assert task_list_for(user=chuannan_planner_user).count() == 4
