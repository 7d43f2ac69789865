"""The demo's account, the plans it loads on, and the planner's edits that make each drafted
annual list complete enough to issue."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from planwatch.accounts.choices import Role
from planwatch.accounts.services import user_create
from planwatch.audit.services import AuditEntry, audit_record_many
from planwatch.core.types import Actor
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.orgunits.services import orgunits_load_reference
from planwatch.pages.demo.common import (
    BUNDLED,
    DEMO_USERNAME,
    DemoError,
    demo_values,
    mark,
)
from planwatch.plans.models import Plan
from planwatch.plans.services import plan_ingest
from planwatch.tasks.models import AnnualList, Task


def demo_planner() -> Any:
    """The demo's account: a provincial planner without a usable password, created (and
    audited) by the accounts service; the actor of every event the demo writes."""
    if get_user_model().objects.filter(username__iexact=DEMO_USERNAME).exists():
        raise DemoError(_("已存在名为 %(u)s 的账号，无法创建演示账号。") % {"u": DEMO_USERNAME})
    province = OrgUnit.objects.get(kind=OrgUnitKind.PROVINCE)
    user = user_create(
        actor=None, username=DEMO_USERNAME, password=None, org_unit=province, role=Role.PLANNER
    )
    mark([user])
    return user


def ensure_plans() -> list[Plan]:
    if not OrgUnit.objects.filter(kind=OrgUnitKind.PROVINCE).exists():
        orgunits_load_reference(actor=None)
    plans = list(Plan.objects.filter(current_version__isnull=False).order_by("pk"))
    if not plans and BUNDLED.exists():
        plan_ingest(data=BUNDLED.read_bytes(), name=BUNDLED.name, actor=None, publish=True)
        plans = list(Plan.objects.filter(current_version__isnull=False).order_by("pk"))
    if not plans:
        raise DemoError(_("没有可用的规划：请先导入规划文本。"))
    return plans


def complete_drafts(
    alist: AnnualList, rng: random.Random, fallback: list[OrgUnit], actor: Actor, as_of: date
) -> None:
    """Fill what the completeness check asks for (a demo planner's edits, in bulk), with a
    `task.update` event for each task edited, as `task_update` would write it."""
    tasks = Task.objects.filter(annual_list=alist)
    edits: dict[int, dict[str, tuple[Any, Any]]] = {}  # task → field → (old, new)
    ndrc = OrgUnit.objects.filter(code="dept:ndrc").first() or fallback[0]
    criterion = _("完成年度目标任务（演示）")
    for pk in tasks.filter(lead_unit__isnull=True).values_list("pk", flat=True):
        edits.setdefault(pk, {})["lead_unit"] = (None, ndrc.name)
    tasks.filter(lead_unit__isnull=True).update(lead_unit=ndrc)
    for pk in tasks.filter(criterion="").values_list("pk", flat=True):
        edits.setdefault(pk, {})["criterion"] = ("", criterion)
    tasks.filter(criterion="").update(criterion=criterion)
    through = Task.responsible_units.through
    chosen = [(t.pk, rng.choice(fallback)) for t in tasks.filter(responsible_units__isnull=True)]
    through.objects.bulk_create([through(task_id=pk, orgunit_id=u.pk) for pk, u in chosen])
    for pk, u in chosen:
        edits.setdefault(pk, {})["responsible_units"] = ([], [u.name])
    if alist.year == as_of.year:  # some tasks due soon (blue) or already overdue (red) as of demo
        old = dict(tasks.values_list("pk", "deadline"))
        ids = list(old)
        first, last = date(as_of.year, 1, 31), date(as_of.year, 12, 31)
        soon = min(last, as_of + timedelta(days=11))
        overdue = max(first, as_of - timedelta(days=20))
        for day, k in ((soon, len(ids) // 20), (overdue, len(ids) // 25)):
            picked = rng.sample(ids, k=k)
            Task.objects.filter(pk__in=picked).update(deadline=day)
            for pk in picked:
                before = d.isoformat() if (d := old[pk]) else None
                edits.setdefault(pk, {})["deadline"] = (before, day.isoformat())
    labels = {pk: f"{seq}. {title}" for pk, seq, title in tasks.values_list("pk", "seq", "title")}
    audit_record_many(
        actor=actor,
        entries=(
            AuditEntry(
                "task.update",
                "tasks.task",
                pk,
                labels[pk],
                old={f: v[0] for f, v in fields.items()},
                new=demo_values({f: v[1] for f, v in fields.items()}),
            )
            for pk, fields in sorted(edits.items())
        ),
    )


def fallback_units(plan: Plan) -> list[OrgUnit]:
    units = list(OrgUnit.objects.filter(parent=plan.org_unit, kind=OrgUnitKind.PREFECTURE))
    return units or list(OrgUnit.objects.filter(kind=OrgUnitKind.PREFECTURE)[:4])
