"""Notices into lists: nothing stored before confirmation, names mapped once and remembered,
the draft made the year's list or merged into it, every step audited."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from planwatch.audit.models import AuditEvent
from planwatch.core.workflow import ServiceError
from planwatch.notices.choices import BatchStatus, UnitGroup
from planwatch.notices.models import NoticeBatch, UnitMapping
from planwatch.notices.resolve import NoticeUnits
from planwatch.notices.selectors import batch_review
from planwatch.notices.services import (
    notice_confirm,
    notice_upload,
    task_changes,
    unit_mapping_set,
)
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit, OrgUnitAlias
from planwatch.plans.models import Plan
from planwatch.tasks.models import Task
from planwatch.tasks.services import annual_list_get_or_create, task_create
from tests.factories.implementation import Units
from tests.factories.notices import UNKNOWN, notice_docx, notice_text


def _upload(
    plan: Plan, actor: Any, data: bytes | None = None, name: str = "notice.docx"
) -> NoticeBatch:
    return notice_upload(plan=plan, year=2025, name=name, data=data or notice_docx(), actor=actor)


def _map_both(plan: Plan, actor: Any, units: Units) -> None:
    unit_mapping_set(name="市发展改革委", org_unit=units.yibin, plan=plan, actor=actor)
    unit_mapping_set(name="各街道", group=UnitGroup.COUNTIES, plan=plan, actor=actor)


def test_upload_proposes_but_stores_no_task(plan: Plan, chuannan_planner_user: Any) -> None:
    batch = _upload(plan, chuannan_planner_user)
    assert batch.status == BatchStatus.UNCONFIRMED
    assert len(batch.result["items"]) == 3
    assert not Task.objects.exists()
    assert AuditEvent.objects.filter(action="notice.upload", target_id=str(batch.pk)).exists()


def test_unknown_names_are_listed_and_known_ones_resolve(
    plan: Plan, chuannan_planner_user: Any, units: Units
) -> None:
    review = batch_review(_upload(plan, chuannan_planner_user))
    assert [r.name for r in review.unknown] == UNKNOWN
    first = review.rows[0].roles
    assert [r.units for r in first["lead_units"]] == [[units.yibin]]
    group = review.rows[1].roles["responsible_units"][0]
    prefectures = OrgUnit.objects.filter(kind=OrgUnitKind.PREFECTURE)
    assert group.status == "group" and set(group.units) == set(prefectures)
    assert {units.yibin, units.luzhou} <= set(group.units)


def test_confirm_refused_while_a_name_is_unmapped(plan: Plan, chuannan_planner_user: Any) -> None:
    batch = _upload(plan, chuannan_planner_user)
    with pytest.raises(ServiceError, match="市发展改革委"):
        notice_confirm(batch=batch, actor=chuannan_planner_user, mode="new")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.UNCONFIRMED and not Task.objects.exists()


def test_confirm_makes_the_years_draft_list_with_sources_and_deadlines(
    plan: Plan, chuannan_planner_user: Any, units: Units
) -> None:
    batch = _upload(plan, chuannan_planner_user)
    _map_both(plan, chuannan_planner_user, units)
    result = notice_confirm(batch=batch, actor=chuannan_planner_user, mode="new")
    assert result.annual_list.year == 2025 and len(result.created) == 3
    rail, river, council = result.created
    assert rail.lead_unit == units.yibin
    assert set(rail.responsible_units.all()) == {units.luzhou, units.transport}
    assert rail.deadline == date(2025, 12, 31)
    assert river.deadline is None and river.deadline_text == "长期坚持"
    assert council.lead_unit == units.yibin and council.deadline == date(2025, 6, 30)
    counties = OrgUnit.objects.filter(kind=OrgUnitKind.COUNTY)  # 各街道 → the counties
    assert set(council.responsible_units.all()) == set(counties) and units.cuiping in counties
    source = council.notice_source
    assert (source.line, source.deadline_as_written) == (11, "6月底前")
    event = AuditEvent.objects.get(action="notice.confirm")
    assert event.new["created"] == [t.pk for t in result.created]
    with pytest.raises(ServiceError):
        notice_confirm(batch=batch, actor=chuannan_planner_user, mode="merge")


def test_mapping_is_remembered_for_the_next_notice(
    plan: Plan, chuannan_planner_user: Any, units: Units
) -> None:
    _map_both(plan, chuannan_planner_user, units)
    second = _upload(plan, chuannan_planner_user, notice_text().encode(), "again.txt")
    assert batch_review(second).unknown == []
    assert AuditEvent.objects.filter(action="notice.unit_map").count() == 2
    unit_mapping_set(name="各街道", org_unit=units.cuiping, plan=plan, actor=chuannan_planner_user)
    assert UnitMapping.objects.get(name="各街道").group == ""
    assert NoticeUnits(plan).resolve("各街道").units == [units.cuiping]


def test_merge_skips_tasks_the_list_already_holds(
    plan: Plan, chuannan_planner_user: Any, units: Units
) -> None:
    _map_both(plan, chuannan_planner_user, units)
    first = notice_confirm(
        batch=_upload(plan, chuannan_planner_user), actor=chuannan_planner_user, mode="new"
    )
    task_create(
        annual_list=first.annual_list, actor=chuannan_planner_user, changes={"title": "另一项任务"}
    )
    again = _upload(plan, chuannan_planner_user)
    with pytest.raises(ServiceError):
        notice_confirm(batch=again, actor=chuannan_planner_user, mode="new")
    merged = notice_confirm(batch=again, actor=chuannan_planner_user, mode="merge")
    assert merged.created == [] and len(merged.skipped) == 3
    assert first.annual_list.tasks.count() == 4


def test_only_the_plans_planner_may_upload_or_map(
    plan: Plan, yibin_reporter_user: Any, units: Units
) -> None:
    with pytest.raises(PermissionDenied):
        _upload(plan, yibin_reporter_user)
    with pytest.raises(PermissionDenied):
        unit_mapping_set(
            name="各街道", org_unit=units.cuiping, plan=plan, actor=yibin_reporter_user
        )


def test_a_file_without_tasks_is_refused_with_what_was_sought(
    plan: Plan, chuannan_planner_user: Any
) -> None:
    with pytest.raises(ValidationError, match="牵头单位"):
        _upload(plan, chuannan_planner_user, "全市实现地区生产总值3000亿元。".encode(), "x.txt")
    assert not NoticeBatch.objects.exists()


def test_aliases_and_short_names_resolve_and_ambiguity_is_shown(plan: Plan, units: Units) -> None:
    OrgUnitAlias.objects.create(org_unit=units.yibin, name="宜宾市人民政府")
    resolver = NoticeUnits(plan)
    assert resolver.resolve("宜宾市人民政府").units == [units.yibin]
    assert resolver.resolve("省交通运输厅").units == [units.transport]  # a short name
    assert resolver.resolve("各县(市、区)人民政府").status == "group"
    OrgUnitAlias.objects.create(org_unit=units.luzhou, name="川南两市")
    OrgUnitAlias.objects.create(org_unit=units.yibin, name="川南两市")
    assert NoticeUnits(plan).resolve("川南两市").status == "ambiguous"


def _task_row(task: Task) -> dict[str, Any]:
    return {
        "seq": task.seq,
        "title": task.title,
        "content": task.content,
        "lead_unit": task.lead_unit_id,
        "co_lead_units": sorted(u.pk for u in task.co_lead_units.all()),
        "responsible_units": sorted(u.pk for u in task.responsible_units.all()),
        "supporting_units": sorted(u.pk for u in task.supporting_units.all()),
        "deadline": task.deadline,
        "deadline_text": task.deadline_text,
        "criterion": task.criterion,
        "weight": task.weight,
        "milestones": list(task.milestones.values_list("title", "due")),
    }


def _created_events(tasks: list[Task]) -> list[dict[str, Any]]:
    events = {
        e.target_id: e
        for e in AuditEvent.objects.filter(
            action="task.create", target_id__in=[str(t.pk) for t in tasks]
        )
    }
    out = []
    for task in tasks:
        event = events[str(task.pk)]
        assert event.new["id"] == task.pk
        out.append(
            {
                "label": event.target_label,
                "old": event.old,
                "new": {k: v for k, v in event.new.items() if k != "id"},
                "actor": event.actor_id,
            }
        )
    return out


def test_confirm_in_bulk_gives_what_task_create_one_at_a_time_gives(
    plan: Plan, chuannan_planner_user: Any, units: Units
) -> None:
    """notice_confirm writes through task_create_many: the tasks, their units and their
    `task.create` audit events are those task_create gives for the same items in turn."""
    _map_both(plan, chuannan_planner_user, units)
    batch = _upload(plan, chuannan_planner_user)
    bulk = notice_confirm(batch=batch, actor=chuannan_planner_user, mode="new").created
    resolver = NoticeUnits(plan)
    other = annual_list_get_or_create(plan=plan, year=2026, actor=chuannan_planner_user)
    one_by_one = [
        task_create(
            annual_list=other, actor=chuannan_planner_user, changes=task_changes(item, resolver)
        )
        for item in batch.result["items"]
    ]
    assert len(bulk) == len(one_by_one) == len(batch.result["items"])
    bulk_rows = [_task_row(Task.objects.get(pk=t.pk)) for t in bulk]
    assert bulk_rows == [_task_row(t) for t in one_by_one]
    assert any(r["responsible_units"] for r in bulk_rows)
    bulk_events = _created_events(bulk)
    single_events = _created_events(one_by_one)
    for event in bulk_events + single_events:  # the label names the year's list
        event["label"] = event["label"].replace("2026", "2025")
    assert bulk_events == single_events
    sources = [t.notice_source.line for t in Task.objects.filter(pk__in=[t.pk for t in bulk])]
    assert sorted(sources) == sorted(i["source"]["line"] for i in batch.result["items"])
