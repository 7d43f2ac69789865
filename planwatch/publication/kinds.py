"""The kinds of object that can be published, each with the zone whose planners publish it
and the condition it must meet first. tasks, indicators and projects are registered here
(they stand below publication); assessment and documents register their own kinds in their
`AppConfig.ready()`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


def _none(subject: Any) -> str | None:
    return None


@dataclass(frozen=True)
class Kind:
    key: str
    # "app_label.ModelName"
    model: str
    title: str | Promise
    # the zone (an orgunits.OrgUnit) whose planners may publish it; None: province-wide planners
    zone_of: Callable[[Any], Any]
    # why it cannot be published yet (None: it can)
    refusal: Callable[[Any], str | Promise | None] = field(default=_none)
    label_of: Callable[[Any], str] = field(default=str)


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.key] = kind
    return kind


def kind_of(subject: Any) -> Kind | None:
    label = subject._meta.label
    return next((k for k in KINDS.values() if k.model == label), None)


def _plan_zone(subject: Any) -> Any:
    return subject.plan.org_unit


def _list_refusal(annual_list: Any) -> str | Promise | None:
    if annual_list.issued_number == 0:
        return _("清单尚未下达，不能公开。")
    if annual_list.plan.status != "published":
        return _("规划尚未发布，不能公开其清单。")
    return None


def _task_refusal(task: Any) -> str | Promise | None:
    return _list_refusal(task.annual_list)


def _indicator_refusal(indicator: Any) -> str | Promise | None:
    if indicator.status != "confirmed":
        return _("指标尚未确认，不能公开。")
    if indicator.plan.status != "published":
        return _("规划尚未发布，不能公开其指标。")
    return None


def _project_refusal(project: Any) -> str | Promise | None:
    if project.status != "confirmed":
        return _("项目尚未确认，不能公开。")
    return None


def _project_zone(project: Any) -> Any:
    if project.zone_id is not None:
        return project.zone
    return project.plan.org_unit if project.plan_id else None


register(Kind("list", "tasks.AnnualList", _("年度重点任务清单"), _plan_zone, _list_refusal))
register(Kind("task", "tasks.Task", _("重点任务"), _plan_zone, _task_refusal))
register(Kind("indicator", "indicators.Indicator", _("指标"), _plan_zone, _indicator_refusal))
register(Kind("project", "projects.Project", _("重大项目"), _project_zone, _project_refusal))
