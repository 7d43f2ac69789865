"""Writes for notices: upload (a proposal only), map a unit name once, confirm the draft
into the year's list. Every write checks the actor's role and is audited."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from planwatch.audit.services import audit_record
from planwatch.core.types import Actor, actor_user
from planwatch.core.workflow import ServiceError
from planwatch.notices.choices import BatchStatus, ConfirmMode, UnitGroup
from planwatch.notices.models import NoticeBatch, NoticeTaskSource, UnitMapping
from planwatch.notices.resolve import NoticeUnits
from planwatch.orgunits.models import OrgUnit
from planwatch.parsing.errors import ParseError
from planwatch.parsing.extract.tasks import extract
from planwatch.plans.models import Plan
from planwatch.tasks.bulk import task_create_many
from planwatch.tasks.choices import OngoingDeadline
from planwatch.tasks.models import AnnualList, Task
from planwatch.tasks.permissions import require_plan_manager
from planwatch.tasks.services import TaskChanges, annual_list_get_or_create, lock_list_for_edit

UNIT_ROLES = ("lead_units", "responsible_units", "supporting_units")


def notice_upload(*, plan: Plan, year: int, name: str, data: bytes, actor: Actor) -> NoticeBatch:
    """Read a task-division notice and keep what it proposes as an unconfirmed batch (no task
    is created). Refuses a file that holds no task-division items, saying what was sought."""
    require_plan_manager(actor, plan)
    if not 2000 <= year <= 2100:
        raise ValidationError(_("年度 %(year)s 不在有效范围内。") % {"year": year})
    safe_name = PurePath(name).name or "notice"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / safe_name
        path.write_bytes(data)
        try:
            result = extract(path)
        except ParseError as exc:
            raise ValidationError(
                _("未能从该文件中识别出任务分解条目：%(problem)s") % {"problem": exc.problem}
            ) from None
    with transaction.atomic():
        batch = NoticeBatch.objects.create(
            plan=plan,
            year=year,
            name=safe_name,
            sha256=hashlib.sha256(data).hexdigest(),
            format=result.get("format", ""),
            result=result,
            uploaded_by=actor_user(actor),
        )
        audit_record(
            actor=actor,
            action="notice.upload",
            target_type="notices.noticebatch",
            target_id=batch.pk,
            target_label=str(batch),
            new={
                "plan": plan.pk,
                "year": year,
                "items": len(result["items"]),
                "sha256": batch.sha256,
            },
        )
    return batch


def unit_mapping_set(
    *, name: str, actor: Actor, plan: Plan, org_unit: OrgUnit | None = None, group: str = ""
) -> UnitMapping:
    """Remember what a notice's unit name stands for: one unit, or a group of units."""
    require_plan_manager(actor, plan)
    name = name.strip()
    if not name or len(name) > 64:
        raise ValidationError(_("单位名称无效。"))
    if (org_unit is None) == (not group):
        raise ValidationError(_("请选择一个组织单位或一个单位组（二者选一）。"))
    if group and group not in UnitGroup.values:
        raise ValidationError(_("未知的单位组。"))
    with transaction.atomic():
        mapping = UnitMapping.objects.select_for_update().filter(name=name).first()
        old = _mapping_value(mapping) if mapping else None
        if mapping is None:
            mapping = UnitMapping(name=name, created_by=actor_user(actor))
        mapping.org_unit, mapping.group = org_unit, group
        mapping.save()
        audit_record(
            actor=actor,
            action="notice.unit_map",
            target_type="notices.unitmapping",
            target_id=mapping.pk,
            target_label=name,
            old=old,
            new=_mapping_value(mapping),
        )
    return mapping


def _mapping_value(mapping: UnitMapping) -> dict[str, Any]:
    return {"org_unit": mapping.org_unit_id, "group": mapping.group}


@dataclass(frozen=True)
class ConfirmResult:
    annual_list: AnnualList
    created: list[Task]
    skipped: list[str]


def notice_confirm(*, batch: NoticeBatch, actor: Actor, mode: str) -> ConfirmResult:
    """Turn the batch's items into draft tasks of the plan's list for its year — a new draft
    list (`new`, refused when the year's list already has tasks) or added to it (`merge`,
    items whose title the list already holds are skipped). Every unit name must resolve."""
    require_plan_manager(actor, batch.plan)
    if mode not in ConfirmMode.values:
        raise ValidationError(_("请选择确认方式。"))
    units = NoticeUnits(batch.plan)
    unknown = sorted(unresolved_names(batch, units))
    if unknown:
        raise ServiceError(
            _("以下单位名称尚未对应到组织单位：%(names)s") % {"names": _("、").join(unknown)}
        )
    with transaction.atomic():
        claimed = NoticeBatch.objects.filter(pk=batch.pk, status=BatchStatus.UNCONFIRMED).update(
            status=BatchStatus.CONFIRMED, confirmed_at=timezone.now(), mode=mode
        )
        if claimed != 1:
            raise ServiceError(_("该通知已经确认过。"))
        alist = annual_list_get_or_create(plan=batch.plan, year=batch.year, actor=actor)
        if mode == ConfirmMode.NEW and alist.tasks.exists():
            raise ServiceError(_("该年度清单已有任务，请选择“并入该年度已有清单”。"))
        have = set(alist.tasks.values_list("title", flat=True))
        chosen: list[tuple[dict[str, Any], TaskChanges]] = []
        skipped: list[str] = []
        for item in batch.result["items"]:
            changes = task_changes(item, units)
            if changes["title"] in have:
                skipped.append(changes["title"])
                continue
            have.add(changes["title"])
            chosen.append((item, changes))
        # The list is locked (its version bumped) before the next 序号 is read, so no task
        # added meanwhile can take one of them; task_create_many locks it again, harmlessly.
        lock_list_for_edit(alist)
        first = (alist.tasks.aggregate(m=Max("seq"))["m"] or 0) + 1
        created = task_create_many(
            annual_list=alist,
            actor=actor,
            rows=[(first + i, changes) for i, (_item, changes) in enumerate(chosen)],
        )
        NoticeTaskSource.objects.bulk_create(
            NoticeTaskSource(
                batch=batch,
                task=task,
                number=item["number"][:32],
                line=item["source"]["line"],
                page=item["source"]["page"],
                deadline_as_written=(item["deadline"] or {}).get("text", "")[:64],
            )
            for task, (item, _changes) in zip(created, chosen, strict=True)
        )
        NoticeBatch.objects.filter(pk=batch.pk).update(
            annual_list=alist, confirmed_by=actor_user(actor)
        )
        audit_record(
            actor=actor,
            action="notice.confirm",
            target_type="notices.noticebatch",
            target_id=batch.pk,
            target_label=str(batch),
            old={"status": BatchStatus.UNCONFIRMED},
            new={
                "status": BatchStatus.CONFIRMED,
                "mode": mode,
                "annual_list": alist.pk,
                "created": [t.pk for t in created],
                "skipped": len(skipped),
            },
        )
    batch.refresh_from_db()
    return ConfirmResult(alist, created, skipped)


def unresolved_names(batch: NoticeBatch, units: NoticeUnits) -> set[str]:
    return {
        name
        for item in batch.result["items"]
        for role in UNIT_ROLES
        for name in item[role]
        if not units.resolve(name).resolved
    }


def task_changes(item: dict[str, Any], units: NoticeUnits) -> TaskChanges:
    """A draft task from an extracted item: units resolved (a notice giving no 牵头单位
    has its first responsible unit lead; one giving only leads has them carry it out), the
    deadline as the date its period ends, or 长期坚持/持续推进, and the item's words as the
    completion criterion."""
    named = {role: _resolved(item[role], units) for role in UNIT_ROLES}
    lead = named["lead_units"] or named["responsible_units"][:1]
    responsible = named["responsible_units"] or list(lead)
    supporting = [u for u in named["supporting_units"] if u not in lead and u not in responsible]
    end, ongoing = _deadline(item.get("deadline"))
    title = item["title"][:255] or item["text"][:255]
    return TaskChanges(
        title=title,
        content=item["text"],
        lead_unit=lead[0] if lead else None,
        co_lead_units=lead[1:],
        responsible_units=responsible,
        supporting_units=supporting,
        deadline=end,
        deadline_text=ongoing,
        criterion=item["text"],
    )


def _resolved(names: list[str], units: NoticeUnits) -> list[OrgUnit]:
    found: list[OrgUnit] = []
    for name in names:
        for unit in units.resolve(name).units:
            if unit not in found:
                found.append(unit)
    return found


def _deadline(value: dict[str, Any] | None) -> tuple[date | None, str]:
    if not value:
        return None, ""
    if value.get("period_end"):
        return date.fromisoformat(value["period_end"]), ""
    if value.get("ongoing"):
        if "长期" in value["text"]:
            return None, OngoingDeadline.LONG_TERM
        return None, OngoingDeadline.ONGOING
    return None, ""
