"""绩效考核 results (methods.md §3): a frozen scheme computed over its series' units from the
stored records, through the pure ``scoring`` module, as an edition that is drafted, reviewed
and published; objections (申诉) and hand-entered bonuses, deductions and 一票否决.

Sources, per unit and the scheme's year, as of the edition's date:
- key tasks: the year's tasks the unit leads or is responsible for; progress as reported
  (``supervision.lights.reported_progress``), 序时进度 from start..deadline at the date; a
  task completed after its deadline earns × late_factor;
- reporting: each report slot (task × the unit × period) due by the date: never submitted →
  missing; first submitted after its due date → late, deducted as missing at its due date
  (per_missing); submitted with no narrative and no evidence → empty (per_empty);
- red cases: the year's 督办 cases opened red, on the unit (承办单位, else the task's lead);
- indicators: the unit's indicator statuses of the year (current method): each on track
  (提前实现, 快于预期, 基本符合预期, 已达标) earns points ÷ their number;
- projects: the confirmed projects the unit leads with an annual investment plan for the year;
  their YTD investment and plan at the cut-off month (the last month ended by the date) from
  the projects app's stored figures (``projects.services.figures_all``: accepted monthly
  reports, segments summed), and their YTD at the end of June for 双过半
  (``scoring.project_item``: points × min(1, 完成率 ÷ 时间进度), −per_below_half per project
  under half at the end of June when the cut-off is after June);
- satisfaction (公众满意度): the unit's satisfaction rate in the year's surveys (问卷), from
  the responses whose respondent named the unit's prefecture, submitted by the date
  (``surveys.selectors.satisfaction_by_prefecture``): points × rate (``scoring.ratio_item``),
  rate = share of 非常满意, 满意 and 基本满意 (methods.md §5); no such response (departments
  never have any), or fewer than the item's ``min_responses`` (default 1): nothing to
  assess;
- bonus / deduction / 一票否决: the scheme's adjustments entered by hand.
An item without anything to assess it on (tasks, indicators, projects, satisfaction) earns its
full points (未承担该项工作的，该项按满分计) or nothing, by its ``when_nothing`` parameter
("full" by default), with one line saying why (``scoring.nothing_item``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from planwatch.accounts.permissions import _memberships, is_admin
from planwatch.assessment import scoring
from planwatch.assessment.models import (
    Adjustment,
    AdjustmentKind,
    AssessmentScheme,
    ItemPoints,
    Objection,
    ResultEdition,
    ResultStatus,
    Rule,
    ScoreLine,
    Series,
    UnitScore,
)
from planwatch.assessment.schemes import can_manage_schemes
from planwatch.audit.services import audit_record
from planwatch.indicators import methods as im
from planwatch.indicators.models import ComputedStatus
from planwatch.indicators.services import current_method
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.projects.choices import ProjectStatus
from planwatch.projects.models import AnnualInvestmentPlan, Project
from planwatch.projects.services import figures_all
from planwatch.reports.models import Evidence, ProgressReport
from planwatch.reports.periods import periods_between
from planwatch.supervision.lights import expected_progress, reported_progress
from planwatch.supervision.models import SupervisionCase
from planwatch.surveys.selectors import satisfaction_by_prefecture
from planwatch.tasks.models import Task

GOOD_STATUSES = (im.AHEAD, im.FASTER, im.ON_TRACK, im.MET)
BASE = "base"  # the line a deduction item starts from


def series_units(series: str, zone: OrgUnit | None = None) -> list[OrgUnit]:
    """The units ranked in a series: prefectures (川西北's own scheme: the prefectures of the
    川西北 zone), provincial departments; optionally only those under ``zone``."""
    kind = OrgUnitKind.DEPARTMENT if series == Series.DEPARTMENTS else OrgUnitKind.PREFECTURE
    qs = OrgUnit.objects.filter(kind=kind)
    if zone is not None:
        qs = qs.filter(path__startswith=zone.path)
    elif series == Series.CHUANXIBEI:
        qs = qs.filter(parent__name__startswith="川西北")
    if kind == OrgUnitKind.PREFECTURE and zone is None:
        # a prefecture may sit under several zones' trees; count it once (by name)
        seen: dict[str, OrgUnit] = {}
        for u in qs.order_by("sort_order", "path"):
            seen.setdefault(u.name, u)
        return list(seen.values())
    return list(qs.order_by("sort_order", "path"))


# ---------------------------------------------------------------- gathering the records


@dataclass
class _Data:
    tasks: dict[int, list[scoring.TaskRecord]]
    reports: dict[int, list[scoring.Deduction]]
    cases: dict[int, list[scoring.Deduction]]
    indicators: dict[int, list[tuple[str, str, bool]]]
    projects: dict[int, list[scoring.ProjectRecord]]
    month: int  # the cut-off month of the project figures (0: none ended yet)
    urls: dict[str, str]
    counts: dict[str, int]
    # unit id → (satisfied responses, responses) of the year's surveys (公众满意度)
    satisfaction: dict[int, tuple[int, int]] = field(default_factory=dict)


def cutoff_month(as_of: date) -> int:
    """The last month ended by ``as_of`` (its own month when it is the month's last day)."""
    return as_of.month if (as_of + timedelta(days=1)).month != as_of.month else as_of.month - 1


def _url_pattern(name: str) -> str:
    """The path of ``name`` for any id, as a format string (one reverse() for all rows)."""
    marker = 987654321
    return reverse(name, args=[marker]).replace(str(marker), "{}")


def _local_day(dt: Any) -> date:
    return timezone.localtime(dt).date()


def _gather(scheme: AssessmentScheme, units: list[OrgUnit], as_of: date) -> _Data:
    year = scheme.year or as_of.year
    unit_ids = {u.pk for u in units}
    params = {i.rule: i.params for i in scheme.items.all()}
    rep = params.get(Rule.REPORTING, {})
    per_missing = float(rep.get("per_missing", scoring.MISSING_REPORT_POINTS))
    per_empty = float(rep.get("per_empty", scoring.EMPTY_REPORT_POINTS))
    per_case = float(params.get(Rule.RED_CASES, {}).get("per_case", scoring.RED_CASE_POINTS))
    urls: dict[str, str] = {}
    task_url, report_url, case_url, indicator_url, project_url = (
        _url_pattern(name)
        for name in (
            "tasks:task_detail",
            "reports:report_detail",
            "supervision:case_detail",
            "indicators:detail",
            "projects:detail",
        )
    )
    through = Task.responsible_units.through
    links = through.objects.filter(task__year=year, orgunit_id__in=unit_ids)
    task_units: dict[int, set[int]] = defaultdict(set)
    for task_id, unit_id in links.values_list("task_id", "orgunit_id"):
        task_units[task_id].add(unit_id)
    task_qs = (
        Task.objects.filter(year=year)
        .filter(Q(lead_unit_id__in=unit_ids) | Q(pk__in=links.values("task_id")))
        .exclude(status="draft")
    )
    tasks = list(task_qs.select_related("annual_list"))
    for t in tasks:
        if t.lead_unit_id in unit_ids:
            task_units[t.pk].add(t.lead_unit_id)
        urls[f"task:{t.pk}"] = task_url.format(t.pk)
    progress = reported_progress(tasks)
    # the day each task first reported 100 %
    done_on: dict[int, date] = {}
    for task_id, at in (
        ProgressReport.objects.filter(
            task__in=task_qs, completion__gte=100, first_submitted_at__isnull=False
        )
        .order_by("first_submitted_at")
        .values_list("task_id", "first_submitted_at")
    ):
        done_on.setdefault(task_id, _local_day(at))
    out_tasks: dict[int, list[scoring.TaskRecord]] = defaultdict(list)
    for t in tasks:
        start = t.start or date(year, 1, 1)
        deadline = t.deadline or date(year, 12, 31)
        expected = float(expected_progress(start, deadline, as_of))
        actual = float(progress.get(t.pk, 0))
        late = actual >= 100 and t.pk in done_on and done_on[t.pk] > deadline
        rec = scoring.TaskRecord(
            f"task:{t.pk}", t.title[:255], float(t.weight), actual, expected, late
        )
        for u in task_units[t.pk]:
            out_tasks[u].append(rec)
    # reporting: slots due by as_of
    current = ProgressReport.objects.filter(task__in=task_qs, unit_id__in=unit_ids, is_current=True)
    reports: dict[tuple[int, int, date], tuple[int, Any, bool]] = {}
    for pk, task_id, unit_id, start, first, blank in current.annotate(
        blank=Q(narrative="")
    ).values_list("pk", "task_id", "unit_id", "period_start", "first_submitted_at", "blank"):
        reports[(task_id, unit_id, start)] = (pk, first, blank)
    with_evidence = set(
        Evidence.objects.filter(report__in=current).values_list("report_id", flat=True)
    )
    out_reports: dict[int, list[scoring.Deduction]] = defaultdict(list)
    missing_fmt, late_fmt, empty_fmt = _("未报送：%s"), _("逾期报送：%s"), _("空报：%s")
    slots = 0
    for t in tasks:
        for per in periods_between(year, t.annual_list.frequency, t.start, t.deadline):
            if per.due > as_of:
                continue
            label = f"{t.title[:200]} · {per.label}"
            for u in task_units[t.pk]:
                slots += 1
                found = reports.get((t.pk, u, per.start))
                day = _local_day(found[1]) if found and found[1] else None
                if found is None or day is None or day > as_of:
                    out_reports[u].append(
                        scoring.Deduction(
                            "missing_report", f"task:{t.pk}", missing_fmt % label, per_missing
                        )
                    )
                    continue
                pk, _first, blank = found
                ref = f"report:{pk}"
                urls[ref] = report_url.format(pk)
                if day > per.due:
                    out_reports[u].append(
                        scoring.Deduction("late_report", ref, late_fmt % label, per_missing)
                    )
                elif blank and pk not in with_evidence:
                    out_reports[u].append(
                        scoring.Deduction("empty_report", ref, empty_fmt % label, per_empty)
                    )
    # red cases
    out_cases: dict[int, list[scoring.Deduction]] = defaultdict(list)
    for c in SupervisionCase.objects.filter(
        light="red", opened_at__year=year, opened_at__date__lte=as_of
    ).select_related("task"):
        # the unit it was assigned to, else the lead of its task (a case may stand on
        # another subject, e.g. an indicator: then only its assigned unit answers for it)
        cu = c.unit_id or (c.task.lead_unit_id if c.task is not None else None)
        if cu in unit_ids:
            ref = f"case:{c.pk}"
            urls[ref] = case_url.format(c.pk)
            title = c.title or (c.task.title if c.task is not None else "")
            out_cases[cu].append(
                scoring.Deduction("red_case", ref, _("红灯督办：%s") % title[:200], per_case)
            )
    # indicators
    out_ind: dict[int, list[tuple[str, str, bool]]] = defaultdict(list)
    for s in ComputedStatus.objects.filter(
        place_id__in=unit_ids, year=year, method_version=current_method().version
    ).select_related("indicator"):
        ref = f"indicator:{s.indicator_id}"
        urls[ref] = indicator_url.format(s.indicator_id)
        out_ind[s.place_id].append(
            (ref, f"{s.indicator.name} · {s.status}", s.status in GOOD_STATUSES)
        )
    # projects: the unit's confirmed projects with an annual plan for the year
    month = cutoff_month(as_of) if as_of.year == year else (12 if as_of.year > year else 0)
    out_proj: dict[int, list[scoring.ProjectRecord]] = defaultdict(list)
    planned_ids = AnnualInvestmentPlan.objects.filter(year=year, amount__gt=0).values("project_id")
    projects = list(
        Project.objects.filter(
            lead_unit_id__in=unit_ids,
            status=ProjectStatus.CONFIRMED,
            merged_into=None,
            pk__in=planned_ids,
        ).order_by("code", "pk")
    )
    if projects and month >= 1:
        figs = figures_all(projects, year, month)
        june = figures_all(projects, year, 6) if month > 6 else {}
        rate_fmt, half_fmt = (
            _("%(name)s · 完成率 %(rate)s"),
            _("双过半未达：%(name)s（6 月末完成率 %(rate)s）"),
        )
        for pj in projects:
            fig = figs[pj.pk]
            ref = f"project:{pj.pk}"
            urls[ref] = project_url.format(pj.pk)
            jf = june.get(pj.pk)
            june_ytd = float(jf.ytd) if jf is not None else 0.0
            annual = float(fig.annual_plan)
            rate = fig.assessment.rate
            june_rate = jf.assessment.rate if jf is not None else None
            out_proj[pj.lead_unit_id or 0].append(
                scoring.ProjectRecord(
                    ref,
                    rate_fmt % {"name": pj.name[:200], "rate": f"{(rate or 0):.1%}"},
                    float(fig.ytd),
                    annual,
                    june_ytd,
                    half_fmt % {"name": pj.name[:200], "rate": f"{(june_rate or 0):.1%}"},
                )
            )
    out_sat: dict[int, tuple[int, int]] = {}
    if Rule.SATISFACTION in params:
        by_name = satisfaction_by_prefecture(year, as_of)
        surveys_url = reverse("surveys:public_index")
        for ou in units:
            if ou.name in by_name:
                out_sat[ou.pk] = by_name[ou.name]
                urls[f"surveys:{year}:{ou.code}"] = surveys_url
    return _Data(
        out_tasks,
        out_reports,
        out_cases,
        out_ind,
        out_proj,
        month,
        urls,
        {
            "tasks": len(tasks),
            "report_slots": slots,
            "reports": len(reports),
            "red_cases": sum(len(v) for v in out_cases.values()),
            "projects": len(projects),
            "project_month": month,
            "survey_responses": sum(n for _g, n in out_sat.values()),
        },
        out_sat,
    )


def _share_item(
    code: str,
    max_points: float,
    rows: list[tuple[str, str, bool]],
    when_nothing: str = scoring.FULL,
    nothing_label: str = "",
) -> scoring.ItemScore:
    """Each record earns max_points ÷ their number when it is on track; nothing to assess:
    ``scoring.nothing_item``."""
    item = scoring.ItemScore(code=code, max_points=max_points, points=0.0)
    if not rows:
        return scoring.nothing_item(code, max_points, when_nothing, nothing_label)
    each = max_points / len(rows)
    for ref, label, ok in rows:
        item.lines.append(
            scoring.Line("on_track" if ok else "off_track", ref, label, each if ok else 0.0)
        )
    item.points = sum(line.points for line in item.lines)
    return item


NOTHING_LABELS = {
    scoring.FULL: gettext_lazy("无考核对象，按满分计"),
    scoring.ZERO: gettext_lazy("无考核对象，不得分"),
}
SATISFACTION_LABELS = {
    scoring.FULL: gettext_lazy("本年度无该地的问卷答卷，按满分计"),
    scoring.ZERO: gettext_lazy("本年度无该地的问卷答卷，不得分"),
}
FEW_RESPONSES_LABELS = {
    scoring.FULL: gettext_lazy("该地问卷答卷 %(n)s 份，少于 %(least)s 份，按满分计"),
    scoring.ZERO: gettext_lazy("该地问卷答卷 %(n)s 份，少于 %(least)s 份，不得分"),
}


def _satisfaction_item(
    code: str, max_points: float, unit: OrgUnit, data: _Data, when: str, least: float = 1.0
) -> scoring.ItemScore:
    """公众满意度: points × the unit's satisfaction rate in the year's surveys; no response
    from the unit, or fewer than ``least`` (the item's ``min_responses``): ``when_nothing``."""
    good, n = data.satisfaction.get(unit.pk, (0, 0))
    no_data = str(SATISFACTION_LABELS.get(when, ""))
    if n and n < least:
        no_data = str(FEW_RESPONSES_LABELS.get(when, "")) % {"n": n, "least": int(least)}
    if not n or n < least:
        return scoring.ratio_item(code, max_points, None, "", when, no_data)
    label = _("问卷满意率 %(rate)s（%(good)s / %(n)s 份答卷）") % {
        "rate": f"{good / n:.1%}",
        "good": good,
        "n": n,
    }
    ref = next(
        (r for r in data.urls if r.startswith("surveys:") and r.endswith(f":{unit.code}")), ""
    )
    return scoring.ratio_item(code, max_points, good / n, ref, when, no_data, label)


def _score_unit(
    scheme: AssessmentScheme, unit: OrgUnit, data: _Data, adjustments: list[Adjustment]
) -> scoring.UnitResult:
    items: list[scoring.ItemScore] = []
    bonuses: list[scoring.Bonus] = []
    vetoes = [a for a in adjustments if a.kind == AdjustmentKind.VETO]
    for si in scheme.items.all():
        pts = si.points
        when = str(si.params.get("when_nothing", scoring.FULL))
        nothing = str(NOTHING_LABELS.get(when, ""))
        if si.rule == Rule.KEY_TASKS:
            late = float(si.params.get("late_factor", scoring.LATE_FACTOR))
            item = scoring.task_item(si.code, pts, data.tasks.get(unit.pk, []), late, when, nothing)
        elif si.rule == Rule.REPORTING:
            item = scoring.deduction_item(si.code, pts, data.reports.get(unit.pk, []))
        elif si.rule == Rule.RED_CASES:
            item = scoring.deduction_item(si.code, pts, data.cases.get(unit.pk, []))
        elif si.rule == Rule.INDICATORS:
            item = _share_item(si.code, pts, data.indicators.get(unit.pk, []), when, nothing)
        elif si.rule == Rule.PROJECTS:
            per = float(si.params.get("per_below_half", scoring.BELOW_HALF_POINTS))
            item = scoring.project_item(
                si.code, pts, data.projects.get(unit.pk, []), data.month, per, when, nothing
            )
        elif si.rule == Rule.SATISFACTION:
            least = float(si.params.get("min_responses", 1))
            item = _satisfaction_item(si.code, pts, unit, data, when, least)
        elif si.rule == Rule.DEDUCTION:
            # hand-entered deductions come off the total: no floor at the item's points
            item = scoring.ItemScore(code=si.code, max_points=pts, points=pts)
            for a in adjustments:
                if a.kind == AdjustmentKind.DEDUCTION:
                    item.lines.append(
                        scoring.Line(
                            "manual_deduction", f"adjustment:{a.pk}", a.reason[:255], -a.points
                        )
                    )
            item.points = pts + sum(line.points for line in item.lines)
        elif si.rule == Rule.BONUS:
            bonuses += [
                scoring.Bonus(f"adjustment:{a.pk}", a.reason[:255], a.points)
                for a in adjustments
                if a.kind == AdjustmentKind.BONUS
            ]
            continue
        else:  # veto: no points
            continue
        items.append(item)
    bonus, bonus_lines = scoring.bonus_total(bonuses, scheme.bonus_cap)
    return scoring.UnitResult(
        unit=str(unit.pk),
        items=items,
        bonus=bonus,
        bonus_lines=bonus_lines,
        vetoed=bool(vetoes),
        veto_reason="；".join(a.reason for a in vetoes),
    )


# ---------------------------------------------------------------- editions


def _require_planner(user: Any) -> None:
    if not can_manage_schemes(user):
        raise PermissionDenied(_("只有省级规划处室人员可以计算和发布考核结果。"))


def _audit(actor: Any, action: str, edition: ResultEdition, **kw: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        target_type="assessment.resultedition",
        target_id=edition.pk,
        target_label=str(edition)[:200],
        **kw,
    )


def default_as_of(year: int) -> date:
    return min(timezone.localdate(), date(year, 12, 31))


@transaction.atomic
def result_compute(
    *,
    scheme: AssessmentScheme,
    actor: Any,
    zone: OrgUnit | None = None,
    as_of: date | None = None,
    reason: str = "",
) -> ResultEdition:
    """A new draft edition of the scheme's results. When an earlier edition exists for the
    same scheme and zone, the new one corrects the latest (which must not be published
    unless a reason is given)."""
    _require_planner(actor)
    scheme = AssessmentScheme.objects.select_for_update().get(pk=scheme.pk)
    if not scheme.is_frozen or scheme.is_default or scheme.year is None:
        raise ValidationError(_("只能用已定稿的年度考核方案计算结果。"))
    as_of = as_of or default_as_of(scheme.year)
    units = series_units(scheme.series, zone)
    if not units:
        raise ValidationError(_("该范围内没有参加考核的单位。"))
    previous = ResultEdition.objects.filter(scheme=scheme, zone=zone).order_by("-number").first()
    if previous is not None and previous.is_published and not reason.strip():
        raise ValidationError(_("已发布的结果重新计算须填写更正说明。"))
    number = (ResultEdition.objects.filter(scheme=scheme).aggregate(n=Max("number"))["n"] or 0) + 1
    adjustments = list(Adjustment.objects.filter(scheme=scheme, unit__in=units))
    items = list(scheme.items.all())
    data = _gather(scheme, units, as_of)
    edition = ResultEdition.objects.create(
        scheme=scheme,
        zone=zone,
        number=number,
        as_of=as_of,
        corrects=previous,
        reason=reason.strip(),
        computed_by=actor,
        computed_at=timezone.now(),
        inputs={
            "items": [
                {
                    "code": i.code,
                    "name": i.name,
                    "points": i.points,
                    "rule": i.rule,
                    "params": i.params,
                }
                for i in items
            ],
            "grades": scheme.grades,
            "bonus_cap": scheme.bonus_cap,
            "units": [u.pk for u in units],
            "adjustments": [
                {
                    "id": a.pk,
                    "unit": a.unit_id,
                    "kind": a.kind,
                    "points": a.points,
                    "reason": a.reason,
                }
                for a in adjustments
            ],
            "counts": data.counts,
        },
    )
    by_unit: dict[int, list[Adjustment]] = defaultdict(list)
    for a in adjustments:
        by_unit[a.unit_id].append(a)
    thresholds = [(g[0], float(g[1])) for g in scheme.grades] or list(scoring.DEFAULT_GRADES)
    results = {u.pk: _score_unit(scheme, u, data, by_unit[u.pk]) for u in units}
    ranks = scoring.rank(
        {str(k): r.total for k, r in results.items()},
        [str(k) for k, r in results.items() if r.vetoed],
    )
    names = {i.code: i.name for i in items}
    bonus_item = next((i for i in items if i.rule == Rule.BONUS), None)
    scores = UnitScore.objects.bulk_create(
        UnitScore(
            edition=edition,
            unit_id=uid,
            total=round(r.total, 6),
            grade=r.grade(thresholds),
            rank=ranks[str(uid)],
            vetoed=r.vetoed,
            veto_reason=r.veto_reason,
        )
        for uid, r in results.items()
    )
    score_of = {s.unit_id: s for s in scores}
    item_rows: list[ItemPoints] = []
    line_rows: list[tuple[int, scoring.ItemScore | None, list[scoring.Line]]] = []
    for uid, r in results.items():
        pos = 0
        for it in r.items:
            pos += 1
            item_rows.append(
                ItemPoints(
                    score=score_of[uid],
                    code=it.code,
                    name=names.get(it.code, it.code),
                    max_points=it.max_points,
                    points=it.points,
                    position=pos,
                )
            )
            base: list[scoring.Line] = []
            lines = list(it.lines)
            if _starts_full(items, it.code):
                base = [scoring.Line(BASE, "", _("基础分"), it.max_points)]
            line_rows.append((len(item_rows) - 1, it, base + lines))
        if bonus_item is not None:
            pos += 1
            item_rows.append(
                ItemPoints(
                    score=score_of[uid],
                    code=bonus_item.code,
                    name=bonus_item.name,
                    max_points=scheme.bonus_cap,
                    points=r.bonus,
                    position=pos,
                )
            )
            line_rows.append((len(item_rows) - 1, None, list(r.bonus_lines)))
    created = ItemPoints.objects.bulk_create(item_rows, batch_size=2000)
    card = reverse("assessment:score_card", args=[edition.pk, 987654321]).replace("987654321", "{}")
    for uid in results:  # a hand-entered adjustment is shown with its evidence on the card
        for a in by_unit[uid]:
            data.urls[f"adjustment:{a.pk}"] = card.format(uid) + f"#adjustment-{a.pk}"
    ScoreLine.objects.bulk_create(
        (
            ScoreLine(
                item=created[idx],
                kind=ln.kind,
                ref=ln.ref,
                label=ln.label[:255],
                points=ln.points,
                url=data.urls.get(ln.ref, ""),
            )
            for idx, _it, lines in line_rows
            for ln in lines
        ),
        batch_size=5000,
    )
    _audit(
        actor,
        "result.compute",
        edition,
        new={
            "scheme": scheme.pk,
            "zone": zone.pk if zone else None,
            "as_of": str(as_of),
            "corrects": previous.pk if previous else None,
            "reason": reason.strip(),
        },
    )
    return edition


def _starts_full(items: list[Any], code: str) -> bool:
    """Deduction items start at their points: a base line carries them so the lines add up."""
    return any(
        i.code == code and i.rule in (Rule.REPORTING, Rule.RED_CASES, Rule.DEDUCTION) for i in items
    )


@transaction.atomic
def result_review(*, edition: ResultEdition, actor: Any) -> ResultEdition:
    _require_planner(actor)
    edition = ResultEdition.objects.select_for_update().get(pk=edition.pk)
    if edition.status != ResultStatus.DRAFT:
        raise ValidationError(_("只有草稿结果可以审核。"))
    edition.status = ResultStatus.REVIEWED
    edition.reviewed_by, edition.reviewed_at = actor, timezone.now()
    edition.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    _audit(actor, "result.review", edition)
    return edition


@transaction.atomic
def result_publish(*, edition: ResultEdition, actor: Any) -> ResultEdition:
    """Publish a reviewed edition (frozen from then on). Every objection must be answered."""
    _require_planner(actor)
    edition = ResultEdition.objects.select_for_update().get(pk=edition.pk)
    if edition.status != ResultStatus.REVIEWED:
        raise ValidationError(_("结果须先审核才能发布。"))
    if edition.objections.filter(answered_at__isnull=True).exists():
        raise ValidationError(_("还有未答复的申诉，不能发布。"))
    edition.status = ResultStatus.PUBLISHED
    edition.published_by, edition.published_at = actor, timezone.now()
    edition.save(update_fields=["status", "published_by", "published_at"])
    _audit(actor, "result.publish", edition)
    return edition


# ---------------------------------------------------------------- who sees what


def unit_ids_of(user: Any) -> set[int]:
    """The units a user belongs to (any role) and those above none: the units whose draft
    results they see are those whose path starts with one of their memberships' paths."""
    paths = [p for _r, p in _memberships(user)] if getattr(user, "is_authenticated", False) else []
    if not paths:
        return set()
    q = Q()
    for p in paths:
        q |= Q(path__startswith=p)
    return set(OrgUnit.objects.filter(q).values_list("pk", flat=True))


def can_see_score(user: Any, score: UnitScore) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if score.edition.is_published or can_manage_schemes(user) or is_admin(user):
        return True
    return score.unit_id in unit_ids_of(user)


def visible_scores(user: Any, edition: ResultEdition) -> Any:
    qs = edition.scores.select_related("unit")
    if edition.is_published or can_manage_schemes(user):
        return qs
    return qs.filter(unit_id__in=unit_ids_of(user))


# ---------------------------------------------------------------- objections, adjustments


@transaction.atomic
def objection_file(*, edition: ResultEdition, unit: OrgUnit, actor: Any, reason: str) -> Objection:
    if unit.pk not in unit_ids_of(actor):
        raise PermissionDenied(_("只能为本单位提出申诉。"))
    if edition.is_published:
        raise ValidationError(_("结果已发布，不能再申诉。"))
    if not edition.scores.filter(unit=unit).exists():
        raise ValidationError(_("本单位不在该考核结果中。"))
    if not reason.strip():
        raise ValidationError(_("请填写申诉理由。"))
    obj = Objection.objects.create(
        edition=edition, unit=unit, reason=reason.strip(), filed_by=actor, filed_at=timezone.now()
    )
    _audit(actor, "result.objection_file", edition, new={"unit": unit.pk, "reason": obj.reason})
    return obj


@transaction.atomic
def objection_answer(*, objection: Objection, actor: Any, answer: str) -> Objection:
    _require_planner(actor)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.answered_at is not None:
        raise ValidationError(_("该申诉已答复。"))
    if not answer.strip():
        raise ValidationError(_("请填写答复。"))
    objection.answer, objection.answered_by, objection.answered_at = (
        answer.strip(),
        actor,
        timezone.now(),
    )
    objection.save(update_fields=["answer", "answered_by", "answered_at"])
    _audit(
        actor,
        "result.objection_answer",
        objection.edition,
        new={"objection": objection.pk, "answer": objection.answer},
    )
    return objection


@transaction.atomic
def adjustment_add(
    *,
    edition: ResultEdition,
    unit: OrgUnit,
    actor: Any,
    kind: str,
    points: float,
    reason: str,
    evidence_text: str = "",
    evidence_file: Any = None,
) -> Adjustment:
    """A bonus, deduction or 一票否决 on a draft edition's unit, with its evidence (text or a
    file). It applies from the next computation (a new edition)."""
    _require_planner(actor)
    if edition.status != ResultStatus.DRAFT:
        raise ValidationError(_("只能在草稿结果上录入加减分。"))
    if kind not in AdjustmentKind.values:
        raise ValidationError(_("加减分类型无效。"))
    if not edition.scores.filter(unit=unit).exists():
        raise ValidationError(_("该单位不在该考核结果中。"))
    if kind == AdjustmentKind.VETO:
        points = 0.0
    elif not 0 < points <= 100:
        raise ValidationError(_("分值须大于 0 且不超过 100。"))
    if not reason.strip():
        raise ValidationError(_("请填写事由。"))
    if not evidence_text.strip() and not evidence_file:
        raise ValidationError(_("请附佐证材料（文字说明或文件）。"))
    adj = Adjustment.objects.create(
        scheme=edition.scheme,
        entered_on=edition,
        unit=unit,
        kind=kind,
        points=points,
        reason=reason.strip(),
        evidence_text=evidence_text.strip(),
        evidence_file=evidence_file or "",
        created_by=actor,
    )
    _audit(
        actor,
        "result.adjustment_add",
        edition,
        new={"unit": unit.pk, "kind": kind, "points": points, "reason": adj.reason},
    )
    return adj


# ---------------------------------------------------------------- differences


def differences(edition: ResultEdition) -> dict[int, dict[str, Any]]:
    """Per unit of ``edition``: the old total and per-item old points of the edition it
    corrects, and the differences (empty without a corrected edition)."""
    old = edition.corrects
    if old is None:
        return {}
    old_scores = {s.unit_id: s for s in old.scores.prefetch_related("items")}
    out: dict[int, dict[str, Any]] = {}
    for s in edition.scores.prefetch_related("items"):
        o = old_scores.get(s.unit_id)
        if o is None:
            continue
        old_items = {i.code: i.points for i in o.items.all()}
        items = {
            i.code: (old_items.get(i.code), i.points - old_items.get(i.code, 0.0))
            for i in s.items.all()
        }
        out[s.unit_id] = {
            "old_total": o.total,
            "delta": s.total - o.total,
            "old_rank": o.rank,
            "old_grade": o.grade,
            "items": items,
        }
    return out
