"""The quarterly 红黑榜 (red and black lists) of project scheduling, per series (市州,
省直部门), stored with the method version it was computed under (methods.md §4).

A province-wide planner computes a quarter's list (a draft: recomputed as often as wanted,
e.g. after stating an exemption), states the reason for each exemption (force majeure), then
publishes it to signed-in users. A zone's planners do the same for the list of their zone's
prefectures (a list with `zone` set). Publishing opens a 约谈 case for each black-listed unit
through the supervision services, on a 「红黑榜约谈」 task of the plan that carries most of
the unit's projects (cases are opened on tasks, as the red project lights do). A published
list is never changed: it is corrected by a new edition, computed afresh with the reason
for the correction, published in its turn, the old edition kept beside it (`list_changes`
says what differs).

A unit's figures are the sums over the reporting parts it is responsible for: the segments
whose unit lies in its subtree, and the unsegmented projects whose 第一责任单位 does; the
YTD is that of the latest accepted report up to the quarter's last month."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role, role_paths
from planwatch.audit.services import audit_record
from planwatch.core.workflow import ConcurrentUpdate, ServiceError, conditional_update
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.projects import methods as m
from planwatch.projects.choices import ListSeries, ListVerdict, ProjectStatus
from planwatch.projects.models import (
    AnnualInvestmentPlan,
    MonthlyReport,
    Project,
    QuarterList,
    QuarterListEntry,
    Segment,
)
from planwatch.reports.choices import ReportStatus
from planwatch.supervision.choices import Light
from planwatch.supervision.services import case_open

SERIES_KINDS = {
    ListSeries.PREFECTURES: OrgUnitKind.PREFECTURE,
    ListSeries.DEPARTMENTS: OrgUnitKind.DEPARTMENT,
}


def can_run_lists(user: Any, zone: OrgUnit | None = None) -> bool:
    """A province-wide planner (or a superuser) computes and publishes the province's lists;
    a planner whose scope covers `zone` those of the zone."""
    if zone is not None:
        return has_role(user, Role.PLANNER, zone)
    return any(p.count("/") <= 2 for p in role_paths(user, Role.PLANNER))


def _require(user: Any, zone: OrgUnit | None = None) -> None:
    if not can_run_lists(user, zone):
        if zone is not None:
            raise PermissionDenied(_("只有该区域的规划处室人员可以编制和发布本区域红黑榜。"))
        raise PermissionDenied(_("只有省级规划处室人员可以编制和发布红黑榜。"))


def series_units(series: str, zone: OrgUnit | None = None) -> list[OrgUnit]:
    units = OrgUnit.objects.filter(kind=SERIES_KINDS[ListSeries(series)])
    if zone is not None:
        units = units.filter(path__startswith=zone.path)
    return list(units.order_by("path"))


def latest_edition(
    series: str, year: int, quarter: int, zone: OrgUnit | None = None
) -> QuarterList | None:
    """The newest edition of the quarter's list of `series` (of `zone`, or the province's)."""
    return (
        QuarterList.objects.filter(series=series, year=year, quarter=quarter, zone=zone)
        .order_by("-edition")
        .first()
    )


@dataclass
class UnitFigures:
    annual_plan: Decimal
    ytd: Decimal
    plans: Counter[int]  # plan id → number of the unit's parts from that plan


def unit_figures(
    series: str, year: int, quarter: int, zone: OrgUnit | None = None
) -> dict[int, UnitFigures]:
    """Each unit of the series (in `zone`, if given) with its parts' annual plans and YTD at
    the quarter's end."""
    units = series_units(series, zone)
    month = quarter * 3
    projects = {
        p.pk: p
        for p in Project.objects.filter(
            status=ProjectStatus.CONFIRMED, merged_into=None
        ).select_related("lead_unit")
    }
    segments = {
        s.pk: s for s in Segment.objects.filter(project_id__in=projects).select_related("unit")
    }
    segmented = {s.project_id for s in segments.values()}
    # (project id, segment id or None) → responsible unit path
    parts: dict[tuple[int, int | None], str] = {}
    for s in segments.values():
        parts[(s.project_id, s.pk)] = s.unit.path
    for p in projects.values():
        if p.pk not in segmented and p.lead_unit is not None:
            parts[(p.pk, None)] = p.lead_unit.path
    plan_of: dict[tuple[int, int | None], Decimal] = {}
    for a in AnnualInvestmentPlan.objects.filter(project_id__in=projects, year=year).values(
        "project_id", "segment_id", "amount"
    ):
        plan_of[(a["project_id"], a["segment_id"])] = a["amount"]
    ytd_of: dict[tuple[int, int | None], Decimal] = {}
    for r in (
        MonthlyReport.objects.filter(
            project_id__in=projects, year=year, month__lte=month, status=ReportStatus.ACCEPTED
        )
        .order_by("month")
        .values("project_id", "segment_id", "invested_ytd")
    ):
        ytd_of[(r["project_id"], r["segment_id"])] = r["invested_ytd"] or Decimal(0)
    out: dict[int, UnitFigures] = {}
    for unit in units:
        fig = UnitFigures(Decimal(0), Decimal(0), Counter())
        for key, path in parts.items():
            if not path.startswith(unit.path):
                continue
            fig.annual_plan += plan_of.get(key, Decimal(0))
            fig.ytd += ytd_of.get(key, Decimal(0))
            plan_id = projects[key[0]].plan_id
            if plan_id is not None:
                fig.plans[plan_id] += 1
        out[unit.pk] = fig
    return out


def quarter_list_compute(
    *,
    series: str,
    year: int,
    quarter: int,
    actor: Any,
    exemptions: dict[int, str] | None = None,
    now: datetime | None = None,
    method: m.Method = m.DEFAULT_METHOD,
    zone: OrgUnit | None = None,
    correction_reason: str = "",
) -> QuarterList:
    """Compute (or recompute) the draft list of `series` for (`year`, `quarter`) — of the
    zone's prefectures when `zone` is given. Exemption reasons already stated are kept;
    `exemptions` (unit id → reason, an empty reason lifts the exemption) changes them.
    With `correction_reason`, a published list is corrected: a new draft edition is
    computed (the exemptions of the published one carried over), to be published in turn."""
    _require(actor, zone)
    if series not in ListSeries.values:
        raise ValidationError({"series": _("序列无效。")})
    if zone is not None and series != ListSeries.PREFECTURES:
        raise ValidationError({"series": _("区域红黑榜只排列本区域的市州。")})
    if not 1 <= quarter <= 4:
        raise ValidationError({"quarter": _("季度应为 1 到 4。")})
    now = now or timezone.now()
    with transaction.atomic():
        latest = (
            QuarterList.objects.select_for_update()
            .filter(series=series, year=year, quarter=quarter, zone=zone)
            .order_by("-edition")
            .first()
        )
        previous: QuarterList | None = None
        existing = latest
        if correction_reason.strip():
            if latest is None or latest.published_at is None:
                raise ServiceError(_("只有已发布的红黑榜可以更正；草稿可直接重新计算。"))
            previous, existing = latest, None
        elif latest is not None and latest.published_at is not None:
            raise ServiceError(_("该季度红黑榜已发布，不能重新计算；如需更正，请说明理由。"))
        reasons: dict[int, str] = {}
        source = existing or previous
        if source is not None:
            reasons = dict(
                source.entries.exclude(exempt_reason="").values_list("unit_id", "exempt_reason")
            )
        units = {u.pk: u for u in series_units(series, zone)}
        for unit_id, reason in (exemptions or {}).items():
            if unit_id not in units:
                raise ValidationError({"unit": _("该单位不属于此序列。")})
            if reason.strip():
                reasons[unit_id] = reason.strip()
            else:
                reasons.pop(unit_id, None)
        figures = unit_figures(series, year, quarter, zone)
        result = m.red_black_list(
            (
                m.ListEntry(
                    str(uid),
                    ytd=float(f.ytd),
                    annual_plan=float(f.annual_plan),
                    exempt_reason=reasons.get(uid, ""),
                )
                for uid, f in figures.items()
            ),
            quarter=quarter,
            method=method,
        )
        values = {
            "target": result.target,
            "method_version": result.method_version,
            "computed_at": now,
            "computed_by": actor,
        }
        if existing is None:
            qlist = QuarterList.objects.create(
                series=series,
                year=year,
                quarter=quarter,
                zone=zone,
                edition=previous.edition + 1 if previous is not None else 1,
                previous=previous,
                correction_reason=correction_reason.strip(),
                **values,
            )
        else:
            qlist = existing
            conditional_update(qlist, expected={"published_at": None}, values=values)
            qlist.entries.all().delete()
        rank = {int(k): i for i, (k, _rate) in enumerate(result.ranking, 1)}
        red = {int(k) for k in result.red}
        black = {int(k) for k in result.black}
        exempt = {int(k) for k, _r in result.exempt}
        entries = []
        for uid, f in figures.items():
            verdict = ListVerdict.NONE
            if uid in red:
                verdict = ListVerdict.RED
            elif uid in black:
                verdict = ListVerdict.BLACK
            elif uid in exempt:
                verdict = ListVerdict.EXEMPT
            entries.append(
                QuarterListEntry(
                    quarter_list=qlist,
                    unit_id=uid,
                    rank=rank.get(uid),
                    annual_plan=f.annual_plan,
                    ytd=f.ytd,
                    rate=m.completion_rate(ytd=float(f.ytd), annual_plan=float(f.annual_plan)),
                    verdict=verdict,
                    exempt_reason=reasons.get(uid, "") if uid in exempt or uid in reasons else "",
                )
            )
        QuarterListEntry.objects.bulk_create(entries)
        audit_record(
            actor=actor,
            action="project_list.correct" if previous is not None else "project_list.compute",
            target_type="projects.quarterlist",
            target_id=qlist.pk,
            target_label=_list_label(qlist),
            old={"edition": previous.edition} if previous is not None else None,
            new={
                "edition": qlist.edition,
                "reason": qlist.correction_reason,
                "method": result.method_version,
                "red": [units[int(k)].name for k in result.red],
                "black": [units[int(k)].name for k in result.black],
                "exempt": {units[int(k)].name: r for k, r in result.exempt},
            },
        )
    return qlist


def _list_label(qlist: QuarterList) -> str:
    label = _("%(s)s红黑榜 %(y)s年第%(q)s季度") % {
        "s": ListSeries(qlist.series).label,
        "y": qlist.year,
        "q": qlist.quarter,
    }
    if qlist.zone is not None:
        label = f"{qlist.zone.name}{label}"
    if qlist.edition > 1:
        label += _("（第%(e)s版）") % {"e": qlist.edition}
    return label


def quarter_list_correct(
    *, quarter_list: QuarterList, actor: Any, reason: str, now: datetime | None = None
) -> QuarterList:
    """Start the correction of a published list: a new draft edition with its reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("更正红黑榜必须说明理由。")})
    return quarter_list_compute(
        series=quarter_list.series,
        year=quarter_list.year,
        quarter=quarter_list.quarter,
        actor=actor,
        zone=quarter_list.zone,
        correction_reason=reason,
        now=now,
    )


@dataclass
class ListChange:
    """A unit whose place differs between an edition and the one it corrects."""

    unit: OrgUnit
    old_verdict: str
    new_verdict: str
    old_rank: int | None
    new_rank: int | None
    old_rate: float | None
    new_rate: float | None

    @property
    def old_label(self) -> str:
        return str(ListVerdict(self.old_verdict).label)

    @property
    def new_label(self) -> str:
        return str(ListVerdict(self.new_verdict).label)


def list_changes(quarter_list: QuarterList) -> list[ListChange]:
    """The differences of an edition from the one it corrects (verdict, rank or 完成率)."""
    if quarter_list.previous_id is None:
        return []
    old = {
        e.unit_id: e
        for e in QuarterListEntry.objects.filter(quarter_list_id=quarter_list.previous_id)
    }
    out = []
    for e in quarter_list.entries.select_related("unit"):
        before = old.get(e.unit_id)
        was = (
            (before.verdict, before.rank, before.rate)
            if before is not None
            else (ListVerdict.NONE, None, None)
        )
        if was != (e.verdict, e.rank, e.rate):
            out.append(ListChange(e.unit, was[0], e.verdict, was[1], e.rank, was[2], e.rate))
    return out


def quarter_list_exempt(
    *, quarter_list: QuarterList, unit: OrgUnit, reason: str, actor: Any
) -> QuarterList:
    """State (or, with an empty reason, lift) a unit's exemption, and recompute the list."""
    return quarter_list_compute(
        series=quarter_list.series,
        year=quarter_list.year,
        quarter=quarter_list.quarter,
        actor=actor,
        exemptions={unit.pk: reason},
        zone=quarter_list.zone,
    )


def quarter_list_publish(
    *, quarter_list: QuarterList, actor: Any, version: int, now: datetime | None = None
) -> QuarterList:
    """Publish the list to signed-in users; each black-listed unit gets a 约谈 case (a
    correction's black-listed unit keeps the case still open from the edition before)."""
    _require(actor, quarter_list.zone)
    if quarter_list.published_at is not None:
        raise ServiceError(_("该季度红黑榜已发布。"))
    if version != quarter_list.version:
        raise ConcurrentUpdate(_("该红黑榜已被他人重新计算，请刷新后重试。"))
    now = now or timezone.now()
    figures = unit_figures(
        quarter_list.series, quarter_list.year, quarter_list.quarter, quarter_list.zone
    )
    with transaction.atomic():
        conditional_update(
            quarter_list,
            expected={"published_at": None},
            values={"published_at": now, "published_by": actor},
        )
        opened = []
        for entry in quarter_list.entries.filter(verdict=ListVerdict.BLACK).select_related("unit"):
            # the plan most of the unit's investment is under manages the case; a unit
            # whose projects belong to no plan: the province-wide planners
            plans = figures.get(entry.unit_id)
            plan = None
            if plans is not None and plans.plans:
                plan_id = sorted(plans.plans.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
                plan = Plan.objects.get(pk=plan_id)
            title = _("红黑榜约谈：%(u)s（%(y)s年第%(q)s季度）") % {
                "u": entry.unit.name,
                "y": quarter_list.year,
                "q": quarter_list.quarter,
            }
            reason = _("列入%(l)s黑榜：完成率 %(r)s，低于季度目标 %(t)s（方法 %(v)s），约谈。") % {
                "l": _list_label(quarter_list),
                "r": "—" if entry.rate is None else f"{entry.rate:.1%}",
                "t": f"{quarter_list.target:.1%}",
                "v": quarter_list.method_version,
            }
            case, _created = case_open(
                subject=entry,
                plan=plan,
                title=title,
                year=quarter_list.year,
                unit=entry.unit,
                light=Light.RED,
                reason=reason,
                actor=None,
                now=now,
            )
            QuarterListEntry.objects.filter(pk=entry.pk).update(case=case)
            opened.append(case.pk)
        audit_record(
            actor=actor,
            action="project_list.publish",
            target_type="projects.quarterlist",
            target_id=quarter_list.pk,
            target_label=_list_label(quarter_list),
            new={"cases": opened},
        )
    return quarter_list
