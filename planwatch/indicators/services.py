"""Writes for indicators: draft from a plan, edit, merge duplicates, confirm; split targets
by place; enter, revise and verify observations; compute statuses (a lagging binding
indicator raises a warning that opens a 督办 case). Each service checks who acts and
writes one audit event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from planwatch.audit.services import audit_record
from planwatch.core.workflow import ServiceError, conditional_update
from planwatch.indicators import methods as m
from planwatch.indicators.choices import (
    Attribute,
    BenchmarkScope,
    Comparator,
    Direction,
    IndicatorStatus,
    Kind,
    Origin,
    Stage,
)
from planwatch.indicators.drafting import draft_from_target
from planwatch.indicators.models import (
    Benchmark,
    ComputedStatus,
    Indicator,
    IndicatorTarget,
    IndicatorWarning,
    Method,
    Observation,
)
from planwatch.indicators.permissions import (
    can_enter,
    can_manage_indicator,
    can_verify,
    may_confirm_methods,
)
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.choices import QuantityRole
from planwatch.plans.models import Plan
from planwatch.supervision.choices import Light
from planwatch.supervision.services import case_open
from planwatch.tasks.permissions import require_plan_manager

EDITABLE = (
    "name",
    "unit",
    "attribute",
    "direction",
    "kind",
    "baseline_year",
    "baseline_value",
    "target_year",
    "target_value",
    "comparator",
    "frequency",
    "additive",
)


def _audit(actor: Any, action: str, obj: Any, label: str, **kw: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        target_type=f"indicators.{type(obj).__name__.lower()}",
        target_id=obj.pk,
        target_label=label[:200],
        **kw,
    )


def snapshot(ind: Indicator) -> dict[str, Any]:
    return {k: getattr(ind, k) for k in (*EDITABLE, "status")}


def current_method() -> m.Method:
    """The confirmed method edition in force (the built-in default when none is stored)."""
    row = Method.objects.filter(is_current=True).first()
    if row is None:
        return m.DEFAULT_METHOD
    return m.Method(row.version, row.faster, row.on_track, row.amount_path, row.other_path)


def method_confirm(*, actor: Any, version: str, faster: float, on_track: float) -> Method:
    """A planner confirms a new method edition (it becomes the one in force)."""
    if not may_confirm_methods(actor):
        raise PermissionDenied(_("只有规划处室可以确认评估方法。"))
    if not 0 < on_track < faster:
        raise ValidationError({"on_track": _("阈值应满足 0 < 基本符合预期阈值 < 快于预期阈值。")})
    if not version.strip() or Method.objects.filter(version=version.strip()).exists():
        raise ValidationError({"version": _("方法版本号不能为空且不能与已有版本相同。")})
    with transaction.atomic():
        Method.objects.filter(is_current=True).update(is_current=False)
        row = Method.objects.create(
            version=version.strip(),
            faster=faster,
            on_track=on_track,
            is_current=True,
            confirmed_by=actor,
        )
        _audit(
            actor,
            "indicator_method.confirm",
            row,
            row.version,
            new={"faster": faster, "on_track": on_track},
        )
    return row


@dataclass(frozen=True)
class DraftResult:
    created: list[Indicator]
    skipped: int


def indicator_drafts_generate(*, plan: Plan, actor: Any, origin: str = Origin.GOAL) -> DraftResult:
    """Draft one indicator per numeric target of the plan's current version (targets already
    drafted are skipped, so running it twice adds nothing). `origin` chooses which targets:
    the plan's goals (发展目标, the default) or the quantified goals of its action paragraphs
    (任务目标, plans.Quantity role action_target), offered beside them with their clause."""
    require_plan_manager(actor, plan)
    version = plan.current_version
    if version is None:
        raise ServiceError(_("该规划尚未导入正文。"))
    role = QuantityRole.ACTION_TARGET if origin == Origin.ACTION else QuantityRole.TARGET
    quantities = list(version.quantities.order_by("seq"))
    # the year the plan's goals are set for: the latest year of its goal targets
    horizon = max(
        (q.year for q in quantities if q.role == QuantityRole.TARGET and q.year), default=None
    )
    baselines = [q for q in quantities if q.role == QuantityRole.BASELINE]
    done = {
        d.get("target_value", {}).get("quantity")
        for d in Indicator.objects.filter(plan=plan).values_list("drafted_from", flat=True)
    }
    created: list[Indicator] = []
    skipped = 0
    with transaction.atomic():
        for q in quantities:
            if q.role != role or q.value is None:
                continue
            if q.pk in done:
                skipped += 1
                continue
            draft = draft_from_target(q, baselines)
            if draft is None:
                continue
            if draft.fields["target_year"] is None and origin == Origin.ACTION:
                # an action paragraph's goal holds by the plan's horizon unless it says when
                draft.fields["target_year"] = horizon
            created.append(
                Indicator.objects.create(
                    plan=plan,
                    place=plan.org_unit,
                    origin=origin,
                    drafted_from=draft.drafted_from,
                    **draft.fields,
                )
            )
        audit_record(
            actor=actor,
            action="indicator.drafts_generate",
            target_type="plan",
            target_id=plan.pk,
            target_label=plan.title,
            new={"origin": origin, "created": len(created), "skipped": skipped},
        )
    return DraftResult(created, skipped)


def _validate(ind: Indicator) -> None:
    errors: dict[str, str] = {}
    choices = {
        "attribute": Attribute.values,
        "direction": Direction.values,
        "kind": Kind.values,
        "comparator": Comparator.values,
    }
    for field, allowed in choices.items():
        if getattr(ind, field) not in allowed:
            errors[field] = _("取值无效。")
    if not ind.name.strip():
        errors["name"] = _("指标名称不能为空。")
    by, ty = ind.baseline_year, ind.target_year
    if by is not None and ty is not None and ty <= by:
        errors["target_year"] = _("目标年份应晚于基期年份。")
    if errors:
        raise ValidationError(errors)


def indicator_update(*, indicator: Indicator, actor: Any, changes: dict[str, Any]) -> Indicator:
    """A planner edits a drafted or confirmed indicator (a field edited by hand no longer
    shows a clause as its source)."""
    if not can_manage_indicator(actor, indicator):
        raise PermissionDenied(_("只有负责该规划的规划处室人员可以修改指标。"))
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError({k: _("不可修改的字段。") for k in unknown})
    old = snapshot(indicator)
    for key, value in changes.items():
        setattr(indicator, key, value)
    _validate(indicator)
    values = {k: getattr(indicator, k) for k in changes}
    sources = {
        k: v for k, v in indicator.drafted_from.items() if old.get(k) == values.get(k, old.get(k))
    }
    with transaction.atomic():
        indicator.refresh_from_db(fields=["version"])
        conditional_update(indicator, expected={}, values={**values, "drafted_from": sources})
        _audit(
            actor, "indicator.update", indicator, indicator.name, old=old, new=snapshot(indicator)
        )
    return indicator


def indicator_merge(*, keep: Indicator, duplicate: Indicator, actor: Any) -> Indicator:
    """Fold a duplicate draft (经济总量 ≈ 地区生产总值) into `keep`; the duplicate stays, marked
    merged, so its clause is still findable."""
    if not can_manage_indicator(actor, keep) or keep.plan_id != duplicate.plan_id:
        raise PermissionDenied(_("只能合并同一规划中您负责的指标。"))
    if keep.pk == duplicate.pk or duplicate.status == IndicatorStatus.MERGED:
        raise ServiceError(_("不能合并同一指标或已合并的指标。"))
    if duplicate.observations.exists():
        raise ServiceError(_("被合并的指标已有监测数据，不能合并。"))
    with transaction.atomic():
        conditional_update(
            duplicate,
            expected={"status": duplicate.status},
            values={"status": IndicatorStatus.MERGED, "merged_into": keep},
        )
        _audit(actor, "indicator.merge", duplicate, duplicate.name, new={"merged_into": keep.pk})
    return keep


def indicator_confirm(
    *, indicator: Indicator, actor: Any, now: datetime | None = None
) -> Indicator:
    """A planner confirms a draft: from then on it is monitored and shown to the public."""
    if not can_manage_indicator(actor, indicator):
        raise PermissionDenied(_("只有负责该规划的规划处室人员可以确认指标。"))
    if indicator.status != IndicatorStatus.DRAFT:
        raise ServiceError(_("只有待确认的指标可以确认。"))
    # A relative indicator (高于全国平均水平) needs no target value: each year's benchmark
    # stands in for it.
    if indicator.target_year is None or (
        indicator.target_value is None and indicator.kind != Kind.RELATIVE
    ):
        raise ValidationError({"target_value": _("确认前请填写目标值和目标年份。")})
    _validate(indicator)
    with transaction.atomic():
        conditional_update(
            indicator,
            expected={"status": IndicatorStatus.DRAFT},
            values={
                "status": IndicatorStatus.CONFIRMED,
                "confirmed_by": actor,
                "confirmed_at": now or timezone.now(),
            },
        )
        _audit(actor, "indicator.confirm", indicator, indicator.name, new=snapshot(indicator))
    return indicator


@dataclass(frozen=True)
class SplitCheck:
    """Whether the places' shares add back up to the indicator's target."""

    total: float | None
    target: float | None
    ok: bool
    how: str  # "sum", "weighted" or "" (nothing to check)
    missing_weights: list[str]


def decomposition_check(indicator: Indicator) -> SplitCheck:
    """Amounts add up; rates and shares are recomputed as the weighted mean of the places'
    values (weights such as each place's GDP). A split that does not add up is reported."""
    parts = list(indicator.targets.select_related("place"))
    if not parts or indicator.target_value is None:
        return SplitCheck(None, indicator.target_value, True, "", [])
    if indicator.additive:
        total = sum(p.value for p in parts)
        ok = abs(total - indicator.target_value) <= 1e-6 * max(1.0, abs(indicator.target_value))
        return SplitCheck(total, indicator.target_value, ok, "sum", [])
    missing = [p.place.name for p in parts if not p.weight]
    if missing:
        return SplitCheck(None, indicator.target_value, False, "weighted", missing)
    weight = sum(p.weight or 0 for p in parts)
    total = sum(p.value * (p.weight or 0) for p in parts) / weight
    ok = (
        total >= indicator.target_value - 1e-6
        if indicator.direction != "lower"
        else (total <= indicator.target_value + 1e-6)
    )
    return SplitCheck(total, indicator.target_value, ok, "weighted", [])


def indicator_target_set(
    *,
    indicator: Indicator,
    place: OrgUnit,
    value: float,
    actor: Any,
    weight: float | None = None,
    baseline_value: float | None = None,
) -> IndicatorTarget:
    """Set one place's share of the target (a place inside the indicator's zone or city)."""
    if not can_manage_indicator(actor, indicator):
        raise PermissionDenied(_("只有负责该规划的规划处室人员可以分解目标。"))
    parent = indicator.place
    if parent is None or place.pk == parent.pk or not place.path.startswith(parent.path):
        raise ValidationError({"place": _("分解目标的地区应在指标所属地区之内。")})
    with transaction.atomic():
        row, _created = IndicatorTarget.objects.update_or_create(
            indicator=indicator,
            place=place,
            defaults={"value": value, "weight": weight, "baseline_value": baseline_value},
        )
        _audit(
            actor,
            "indicator.target_set",
            indicator,
            indicator.name,
            new={"place": place.name, "value": value, "weight": weight, "base": baseline_value},
        )
    return row


def benchmark_set(
    *,
    indicator: Indicator,
    year: int,
    value: float,
    source: str,
    actor: Any,
    scope: str = BenchmarkScope.NATION,
    source_url: str = "",
    now: datetime | None = None,
) -> Benchmark:
    """A planner records the nation's or the province's figure that a relative indicator is
    measured against in `year`; the statuses of that year's verified values are computed
    again at once (and a binding one falling behind opens its 督办 case)."""
    if not can_manage_indicator(actor, indicator):
        raise PermissionDenied(_("只有负责该规划的规划处室人员可以设置对比基准。"))
    errors: dict[str, str] = {}
    if indicator.kind != Kind.RELATIVE:
        errors["indicator"] = _("只有“相对全省全国”类指标需要对比基准。")
    if not 1949 <= year <= 2100:
        errors["year"] = _("年份 %(y)s 不在有效范围内。") % {"y": year}
    if value != value or value in (float("inf"), float("-inf")):
        errors["value"] = _("数值无效。")
    if scope not in BenchmarkScope.values:
        errors["scope"] = _("取值无效。")
    if not source.strip():
        errors["source"] = _("请注明基准值的来源。")
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    with transaction.atomic():
        old = Benchmark.objects.filter(indicator=indicator, year=year).first()
        row, _created = Benchmark.objects.update_or_create(
            indicator=indicator,
            year=year,
            defaults={
                "value": value,
                "scope": scope,
                "source": source.strip()[:255],
                "source_url": source_url,
                "set_by": actor,
                "set_at": now,
            },
        )
        _audit(
            actor,
            "indicator.benchmark_set",
            indicator,
            f"{indicator.name} {year}",
            old={"value": old.value, "scope": old.scope, "source": old.source} if old else None,
            new={"value": value, "scope": scope, "source": row.source},
        )
        verified = Observation.objects.filter(
            indicator=indicator, year=year, is_current=True, verified_at__isnull=False
        ).select_related("indicator", "place")
        for observation in verified:
            status_compute(observation=observation, actor=actor, now=now)
    return row


def _validate_observation(indicator: Indicator, year: int, value: float, stage: str) -> None:
    errors: dict[str, str] = {}
    if indicator.status != IndicatorStatus.CONFIRMED:
        errors["indicator"] = _("只能为已确认的指标填报数据。")
    if not 1949 <= year <= 2100:
        errors["year"] = _("年份 %(y)s 不在有效范围内。") % {"y": year}
    if value != value or value in (float("inf"), float("-inf")):
        errors["value"] = _("数值无效。")
    if stage not in Stage.values:
        errors["stage"] = _("核算阶段无效。")
    if errors:
        raise ValidationError(errors)


def observation_create(
    *,
    indicator: Indicator,
    place: OrgUnit,
    year: int,
    value: float,
    actor: Any,
    source: str,
    stage: str = Stage.PRELIMINARY,
    source_page: int | None = None,
    source_url: str = "",
    source_line: int | None = None,
    now: datetime | None = None,
) -> Observation:
    """A data clerk of `place` enters a value. A second value for the same indicator, place
    and year is a revision: a new row; the earlier one stays in the history."""
    if not can_enter(actor, place):
        raise PermissionDenied(_("您不是该地区的数据填报人。"))
    _validate_observation(indicator, year, value, stage)
    if not source.strip() and not source_url.strip():
        raise ValidationError({"source": _("请注明数据来源（文件及页码，或网址）。")})
    with transaction.atomic():
        obs = _store(
            indicator,
            place,
            year,
            value,
            stage,
            source,
            source_page,
            source_url,
            actor,
            now or timezone.now(),
            line=source_line,
        )
        _audit(
            actor,
            "observation.create",
            obs,
            f"{indicator.name} {place.name} {year}",
            new={
                "value": value,
                "stage": stage,
                "source": source,
                "source_line": source_line,
                "previous": obs.previous_id,
            },
        )
    return obs


def _store(
    indicator: Indicator,
    place: OrgUnit,
    year: int,
    value: float,
    stage: str,
    source: str,
    page: int | None,
    url: str,
    actor: Any,
    now: datetime,
    line: int | None = None,
) -> Observation:
    previous = (
        Observation.objects.select_for_update()
        .filter(indicator=indicator, place=place, year=year, is_current=True)
        .first()
    )
    if previous is not None:
        Observation.objects.filter(pk=previous.pk).update(is_current=False)
    return Observation.objects.create(
        indicator=indicator,
        place=place,
        year=year,
        value=value,
        stage=stage,
        source=source.strip(),
        source_page=page,
        source_line=line,
        source_url=url.strip(),
        previous=previous,
        entered_by=actor,
        entered_at=now,
    )


def observation_verify(
    *, observation: Observation, actor: Any, now: datetime | None = None
) -> ComputedStatus | None:
    """The place's reviewer verifies a current value; its status is computed at once (and a
    lagging binding indicator opens a 督办 case)."""
    if not can_verify(actor, observation.place):
        raise PermissionDenied(_("您不是该地区的审核人。"))
    if not observation.is_current or observation.verified_at is not None:
        raise ServiceError(_("该数据已审核或已被修订。"))
    now = now or timezone.now()
    with transaction.atomic():
        rows = Observation.objects.filter(
            pk=observation.pk, is_current=True, verified_at__isnull=True
        ).update(verified_by=actor, verified_at=now)
        if rows != 1:
            raise ServiceError(_("该数据已审核或已被修订。"))
        observation.verified_by, observation.verified_at = actor, now
        _audit(
            actor,
            "observation.verify",
            observation,
            f"{observation.indicator.name} {observation.place.name} {observation.year}",
        )
        return status_compute(observation=observation, actor=actor, now=now)


def status_compute(
    *,
    observation: Observation,
    actor: Any,
    method: m.Method | None = None,
    now: datetime | None = None,
    settle: bool = True,
) -> ComputedStatus | None:
    """The status of one observation under `method` (the one in force by default), stored
    with the method version; None when the indicator has no usable target. For a binding
    indicator the place's warning is raised or closed from the latest status (unless
    `settle` is False: the daily job settles every place once, after all statuses)."""
    method = method or current_method()
    ind = observation.indicator
    baseline, base_year, target = _place_figures(ind, observation.place)
    benchmark = None
    if ind.kind == Kind.RELATIVE:
        bench = Benchmark.objects.filter(indicator=ind, year=observation.year).first()
        benchmark = bench.value if bench else None
    try:
        result = m.assess(
            kind=ind.kind,
            direction=ind.direction,
            comparator=ind.comparator,
            baseline=baseline,
            year0=base_year,
            target=target,
            year1=ind.target_year,
            actual=observation.value,
            year=observation.year,
            benchmark=benchmark,
            method=method,
        )
    except m.MethodError:
        return None
    now = now or timezone.now()
    with transaction.atomic():
        row, _created = ComputedStatus.objects.update_or_create(
            observation=observation,
            method_version=result.method_version,
            defaults={
                "indicator": ind,
                "place": observation.place,
                "year": observation.year,
                "status": result.status,
                "expected": result.expected,
                "ratio": result.ratio,
                "required_growth": result.required_growth,
                "computed_at": now,
            },
        )
        if settle and ind.attribute == Attribute.BINDING:
            warning_settle(
                indicator=ind, place=observation.place, method_version=row.method_version, now=now
            )
            row.refresh_from_db(fields=["case"])
    return row


def _place_figures(ind: Indicator, place: OrgUnit) -> tuple[float | None, int | None, float | None]:
    """Baseline, its year and target for `place`: the indicator's own for its place, else
    the place's share of the split target."""
    if ind.place_id is None or ind.place_id == place.pk:
        return ind.baseline_value, ind.baseline_year, ind.target_value
    part = ind.targets.filter(place=place).first()
    if part is None:
        return None, None, None
    return (
        part.baseline_value,
        ind.baseline_year if part.baseline_value is not None else None,
        part.value,
    )


@dataclass(frozen=True)
class WarningChange:
    warning: IndicatorWarning | None
    raised: bool = False
    closed: bool = False


def warning_settle(
    *, indicator: Indicator, place: OrgUnit, method_version: str, now: datetime
) -> WarningChange:
    """Raise or close the warning (预警) of a binding indicator in `place` from its latest
    status (the newest year's verified current value, under `method_version`): behind → a
    warning stays open, with its one 督办 case on the place (raised once: a warning that
    persists keeps its case); no longer behind → the open warning is closed (解除). The case
    itself is closed by the planner through supervision (办结销号)."""
    latest = (
        ComputedStatus.objects.filter(
            indicator=indicator,
            place=place,
            method_version=method_version,
            observation__is_current=True,
            observation__verified_at__isnull=False,
        )
        .order_by("-year")
        .first()
    )
    warning = IndicatorWarning.objects.filter(
        indicator=indicator, place=place, closed_at__isnull=True
    ).first()
    behind = (
        indicator.attribute == Attribute.BINDING
        and latest is not None
        and latest.status in m.BEHIND
    )
    if not behind:
        if warning is None:
            return WarningChange(None)
        with transaction.atomic():
            rows = IndicatorWarning.objects.filter(pk=warning.pk, closed_at__isnull=True).update(
                closed_at=now
            )
            if rows:
                _audit(
                    None,
                    "indicator.warning_close",
                    indicator,
                    indicator.name,
                    new={"warning": warning.pk, "place": place.name, "case": warning.case_id},
                )
        return WarningChange(warning, closed=bool(rows))
    assert latest is not None
    with transaction.atomic():
        raised = warning is None
        if warning is None:
            warning = IndicatorWarning.objects.create(
                indicator=indicator,
                place=place,
                year=latest.year,
                status=latest.status,
                last_year=latest.year,
                raised_at=now,
            )
            reason = _("约束性指标“%(n)s”%(y)s年%(s)s（进度比 %(r)s，方法 %(v)s）。") % {
                "n": indicator.name,
                "y": latest.year,
                "s": latest.status,
                "r": "—" if latest.ratio is None else f"{latest.ratio:.2f}",
                "v": latest.method_version,
            }
            case, _created = case_open(
                subject=warning,
                plan=indicator.plan,
                title=str(warning),
                year=latest.year,
                unit=place,
                light=Light.RED,
                reason=reason,
                actor=None,
                now=now,
            )
            IndicatorWarning.objects.filter(pk=warning.pk).update(case=case)
            warning.case = case
            _audit(
                None,
                "indicator.warning",
                indicator,
                indicator.name,
                new={"warning": warning.pk, "case": case.pk, "place": place.name},
            )
        elif latest.year > warning.last_year:
            IndicatorWarning.objects.filter(pk=warning.pk).update(last_year=latest.year)
            warning.last_year = latest.year
        if warning.case_id is not None and latest.case_id is None:
            ComputedStatus.objects.filter(pk=latest.pk).update(case=warning.case_id)
            latest.case_id = warning.case_id
    return WarningChange(warning, raised=raised)


@dataclass(frozen=True)
class WarningsRun:
    statuses: int
    raised: int
    kept: int
    closed: int

    def __str__(self) -> str:
        return (
            f"{self.statuses} statuses computed, warnings raised {self.raised}, "
            f"still open {self.kept}, closed {self.closed}"
        )


class _DryRun(Exception):
    pass


def indicator_warnings_run(
    *, now: datetime | None = None, today: date | None = None, dry_run: bool = False
) -> WarningsRun:
    """The daily job: recompute the status of every verified current value of the confirmed
    indicators under the method in force, then raise or close each binding indicator's
    warnings (warning_settle). Running it again changes nothing; `dry_run` computes
    everything and rolls it back."""
    now = now or timezone.now()
    method = current_method()
    observations = Observation.objects.filter(
        is_current=True,
        verified_at__isnull=False,
        indicator__status=IndicatorStatus.CONFIRMED,
    ).select_related("indicator__plan", "place")
    statuses = raised = kept = closed = 0
    result: WarningsRun | None = None
    try:
        with transaction.atomic():
            pairs: dict[tuple[int, int], tuple[Indicator, OrgUnit]] = {}
            for obs in observations.order_by("indicator_id", "place_id", "year"):
                statuses += (
                    status_compute(
                        observation=obs, actor=None, method=method, now=now, settle=False
                    )
                    is not None
                )
                pairs[(obs.indicator_id, obs.place_id)] = (obs.indicator, obs.place)
            for warning in IndicatorWarning.objects.filter(closed_at__isnull=True).select_related(
                "indicator__plan", "place"
            ):
                pairs[(warning.indicator_id, warning.place_id)] = (warning.indicator, warning.place)
            for ind, place in pairs.values():
                if (
                    ind.attribute != Attribute.BINDING
                    and not ind.warnings.filter(place=place, closed_at__isnull=True).exists()
                ):
                    continue
                change = warning_settle(
                    indicator=ind, place=place, method_version=method.version, now=now
                )
                raised += change.raised
                closed += change.closed
                kept += change.warning is not None and not change.raised and not change.closed
            result = WarningsRun(statuses, raised, kept, closed)
            if dry_run:
                raise _DryRun
            audit_record(
                actor=None,
                action="indicator.warnings_run",  # WARNINGS_ACTION
                target_type="indicators.indicatorwarning",
                target_label=(today or timezone.localdate(now)).isoformat(),
                new={"summary": str(result)},
            )
    except _DryRun:
        pass
    assert result is not None
    return result


WARNINGS_ACTION = "indicator.warnings_run"
