"""Indicator services on the bundled plans: drafting with clauses, merge, confirm, the
worked example through the import and verification, revisions, splits, warnings."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError

from planwatch.audit.models import AuditEvent
from planwatch.indicators import methods as m
from planwatch.indicators.imports import observations_import
from planwatch.indicators.models import ComputedStatus, Indicator, Observation
from planwatch.indicators.services import (
    decomposition_check,
    indicator_confirm,
    indicator_drafts_generate,
    indicator_target_set,
    method_confirm,
    observation_create,
    observation_verify,
    status_compute,
)
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan, Quantity
from planwatch.supervision.models import SupervisionCase
from planwatch.tasks.xlsx import ImportFailed
from tests.indicators.helpers import csv_bytes, south_gdp, xlsx_bytes

pytestmark = pytest.mark.django_db
SOURCE = "四川省统计局：2021年川南经济区地区生产总值（初步核算）"


def test_drafts_carry_their_clauses(south: Plan, chuannan_planner_user: User) -> None:
    result = indicator_drafts_generate(plan=south, actor=chuannan_planner_user)
    numeric = Quantity.objects.filter(
        version=south.current_version, role="target", value__isnull=False
    )
    assert len(result.created) == numeric.count() > 0
    gdp = Indicator.objects.get(plan=south, name="地区生产总值")
    target_q = numeric.get(indicator="地区生产总值")
    base_q = Quantity.objects.get(
        version=south.current_version, role="baseline", indicator="地区生产总值", kind="level"
    )
    # 1.1 万亿元 → 11,000 亿元, the baseline's unit; 7,884 亿元 (2020) attached
    assert (gdp.unit, gdp.target_value, gdp.target_year) == ("亿元", 11000.0, 2025)
    assert (gdp.baseline_value, gdp.baseline_year) == (base_q.value, 2020)
    assert gdp.drafted_from["target_value"]["line"] == target_q.line
    assert gdp.drafted_from["baseline_value"]["line"] == base_q.line
    assert all("line" in src and src["text"] for src in gdp.drafted_from.values())
    assert (gdp.kind, gdp.direction, gdp.additive, gdp.status) == ("level", "higher", True, "draft")
    again = indicator_drafts_generate(plan=south, actor=chuannan_planner_user)
    assert (again.created, again.skipped) == ([], len(result.created))


def test_merge_and_confirm(south: Plan, chuannan_planner_user: User) -> None:
    gdp = south_gdp(south, chuannan_planner_user)
    assert gdp.status == "confirmed" and gdp.confirmed_by == chuannan_planner_user
    merged = Indicator.objects.get(plan=south, name="经济总量")
    assert (merged.status, merged.merged_into_id) == ("merged", gdp.pk)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"indicator.drafts_generate", "indicator.merge", "indicator.confirm"} <= actions


def test_only_the_zones_planner_drafts(south: Plan, yibin_clerk_user: User) -> None:
    with pytest.raises(PermissionDenied):
        indicator_drafts_generate(plan=south, actor=yibin_clerk_user)


def test_worked_example_through_import_and_verification(
    south: Plan,
    zone: OrgUnit,
    chuannan_planner_user: User,
    chuannan_clerk_user: User,
    chuannan_reviewer_user: User,
) -> None:
    gdp = south_gdp(south, chuannan_planner_user)
    data = csv_bytes([["指标", "单位", zone.name], ["地区生产总值", "亿元", "8761.0"]])
    result = observations_import(
        data=data,
        filename="2021.csv",
        plan=south,
        actor=chuannan_clerk_user,
        source=SOURCE,
        year=2021,
    )
    assert (result.created, result.revised) == (1, 0)
    obs = Observation.objects.get(indicator=gdp, place=zone, year=2021)
    assert obs.verified_at is None and obs.entered_by == chuannan_clerk_user
    status = observation_verify(observation=obs, actor=chuannan_reviewer_user)
    assert status is not None
    assert status.status == m.FASTER and status.method_version == m.DEFAULT_METHOD.version
    assert round(status.ratio or 0, 2) == 1.61 and round(status.expected or 0, 1) == 8427.1
    assert round((status.required_growth or 0) * 100, 2) == 5.85
    assert status.case is None  # expected (预期性) and ahead anyway


def test_bad_cell_refuses_the_whole_file(
    south: Plan, zone: OrgUnit, chuannan_planner_user: User, chuannan_clerk_user: User
) -> None:
    south_gdp(south, chuannan_planner_user)
    data = xlsx_bytes(
        [
            ["指标", 2020, 2021, 2022],
            ["地区生产总值", 7884, "8761.0", "九千"],
            ["人均GDP", 1, 2, 3],
        ],
        title="川南经济区主要指标",
    )
    with pytest.raises(ImportFailed) as failed:
        observations_import(
            data=data,
            filename="x.xlsx",
            plan=south,
            actor=chuannan_clerk_user,
            source=SOURCE,
            place=zone,
        )
    messages = [str(e) for e in failed.value.errors]
    assert len(messages) == 2
    assert "第 3 行 D 列（2022）" in messages[0] and "九千" in messages[0]
    assert "第 4 行" in messages[1] and "人均GDP" in messages[1]
    assert not Observation.objects.exists()


def test_revision_keeps_the_earlier_value(
    south: Plan, zone: OrgUnit, chuannan_planner_user: User, chuannan_clerk_user: User
) -> None:
    gdp = south_gdp(south, chuannan_planner_user)
    first = observation_create(
        indicator=gdp, place=zone, year=2021, value=8761.0, actor=chuannan_clerk_user, source=SOURCE
    )
    second = observation_create(
        indicator=gdp,
        place=zone,
        year=2021,
        value=8770.5,
        actor=chuannan_clerk_user,
        source="最终核实",
        stage="final",
    )
    first.refresh_from_db()
    assert (first.value, first.is_current, second.previous_id) == (8761.0, False, first.pk)
    assert Observation.objects.filter(indicator=gdp, is_current=True).get() == second
    with pytest.raises(ValidationError):
        observation_create(
            indicator=gdp, place=zone, year=2021, value=1.0, actor=chuannan_clerk_user, source=""
        )


def test_clerk_only_for_their_place(
    south: Plan, zone: OrgUnit, yibin: OrgUnit, chuannan_planner_user: User, yibin_clerk_user: User
) -> None:
    gdp = south_gdp(south, chuannan_planner_user)
    with pytest.raises(PermissionDenied):
        observation_create(
            indicator=gdp, place=zone, year=2021, value=1.0, actor=yibin_clerk_user, source="x"
        )
    data = csv_bytes([["指标", "泸州市", "宜宾市"], ["地区生产总值", "2406", "3148"]])
    with pytest.raises(ImportFailed) as failed:
        observations_import(
            data=data, filename="a.csv", plan=south, actor=yibin_clerk_user, source="x", year=2021
        )
    assert [e.column for e in failed.value.errors] == ["B"]


def test_split_adds_up_or_is_shown(south: Plan, zone: OrgUnit, chuannan_planner_user: User) -> None:
    gdp = south_gdp(south, chuannan_planner_user)
    cities = {c.name: c for c in zone.children.all()}
    shares = {"自贡市": 2000.0, "泸州市": 3000.0, "内江市": 2000.0, "宜宾市": 4000.0}
    for name, value in shares.items():
        indicator_target_set(
            indicator=gdp, place=cities[name], value=value, actor=chuannan_planner_user
        )
    check = decomposition_check(gdp)
    assert (check.how, check.total, check.ok) == ("sum", 11000.0, True)
    indicator_target_set(
        indicator=gdp, place=cities["宜宾市"], value=3900.0, actor=chuannan_planner_user
    )
    check = decomposition_check(gdp)
    assert (check.total, check.ok) == (10900.0, False)
    with pytest.raises(ValidationError):
        indicator_target_set(
            indicator=gdp,
            place=OrgUnit.objects.get(name="成都市"),
            value=1.0,
            actor=chuannan_planner_user,
        )


def test_weighted_split_of_a_share(south: Plan, zone: OrgUnit, chuannan_planner_user: User) -> None:
    gdp = south_gdp(south, chuannan_planner_user)
    gdp.additive = False
    gdp.target_value = 50.0
    gdp.save()
    zigong, yibin = zone.children.get(name="自贡市"), zone.children.get(name="宜宾市")
    indicator_target_set(indicator=gdp, place=zigong, value=40.0, actor=chuannan_planner_user)
    indicator_target_set(
        indicator=gdp, place=yibin, value=60.0, actor=chuannan_planner_user, weight=3
    )
    assert decomposition_check(gdp).missing_weights == ["自贡市"]
    indicator_target_set(
        indicator=gdp, place=zigong, value=40.0, actor=chuannan_planner_user, weight=1
    )
    check = decomposition_check(gdp)  # (40·1 + 60·3)/4 = 55 ≥ 50
    assert (check.how, check.total, check.ok) == ("weighted", 55.0, True)


def test_lagging_binding_indicator_opens_a_case(
    south: Plan,
    zone: OrgUnit,
    yibin: OrgUnit,
    chuannan_planner_user: User,
    yibin_clerk_user: User,
    yibin_reviewer_user: User,
) -> None:
    gdp = south_gdp(south, chuannan_planner_user, binding=True)
    indicator_target_set(indicator=gdp, place=yibin, value=4000.0, actor=chuannan_planner_user)
    part = gdp.targets.get()
    part.baseline_value = 2802.1
    part.save()
    obs = observation_create(
        indicator=gdp, place=yibin, year=2021, value=2850.0, actor=yibin_clerk_user, source="x"
    )
    status = observation_verify(observation=obs, actor=yibin_reviewer_user)
    assert status is not None and status.status == m.LAGGING
    case = SupervisionCase.objects.get()
    assert status.case == case and case.unit == yibin and case.light == "red"
    assert "地区生产总值" in case.reason and "滞后" in case.reason
    # computing again opens nothing new
    status_compute(observation=obs, actor=None)
    assert SupervisionCase.objects.count() == 1


def test_a_new_method_version_is_stored_beside_the_old(
    south: Plan, zone: OrgUnit, chuannan_planner_user: User, chuannan_clerk_user: User
) -> None:
    gdp = south_gdp(south, chuannan_planner_user)
    obs = observation_create(
        indicator=gdp, place=zone, year=2021, value=8761.0, actor=chuannan_clerk_user, source="x"
    )
    status_compute(observation=obs, actor=None)
    method_confirm(actor=chuannan_planner_user, version="strict-2", faster=2.0, on_track=1.7)
    status_compute(observation=obs, actor=None)
    rows = dict(ComputedStatus.objects.values_list("method_version", "status"))
    assert rows == {m.DEFAULT_METHOD.version: m.FASTER, "strict-2": m.LAGGING}
    with pytest.raises(ValidationError):
        method_confirm(actor=chuannan_planner_user, version="bad", faster=0.9, on_track=1.0)


def test_confirm_needs_a_target(south: Plan, chuannan_planner_user: User) -> None:
    indicator_drafts_generate(plan=south, actor=chuannan_planner_user)
    gdp = Indicator.objects.get(plan=south, name="地区生产总值")
    gdp.target_value = None
    gdp.save()
    with pytest.raises(ValidationError):
        indicator_confirm(indicator=gdp, actor=chuannan_planner_user)


def test_numbers_with_thousands_separators(
    south: Plan, zone: OrgUnit, chuannan_planner_user: User, chuannan_clerk_user: User
) -> None:
    south_gdp(south, chuannan_planner_user)
    bad = csv_bytes([["指标", zone.name], ["地区生产总值", "8761，0"]])
    with pytest.raises(ImportFailed):
        observations_import(
            data=bad, filename="a.csv", plan=south, actor=chuannan_clerk_user, source="x", year=2021
        )
    good = csv_bytes([["指标", zone.name], ["地区生产总值", "8,761.0"]])
    observations_import(
        data=good, filename="a.csv", plan=south, actor=chuannan_clerk_user, source="x", year=2021
    )
    assert Observation.objects.get().value == 8761.0


def test_import_revisions_replace_only_the_cells_the_file_fills(
    south: Plan,
    zone: OrgUnit,
    yibin: OrgUnit,
    chuannan_planner_user: User,
    chuannan_clerk_user: User,
) -> None:
    """A re-import revises the values it carries (each keeps its predecessor) and leaves the
    current value of a cell it leaves empty as it was."""
    gdp = south_gdp(south, chuannan_planner_user)

    def load(cells: list[str], source: str) -> tuple[int, int]:
        data = xlsx_bytes(
            [["指标", "单位", zone.name, yibin.name], ["地区生产总值", "亿元", *cells]]
        )
        result = observations_import(
            data=data,
            filename="2021.xlsx",
            plan=south,
            actor=chuannan_clerk_user,
            source=source,
            year=2021,
        )
        return result.created, result.revised

    assert load(["8761.0", "3148.1"], "初步核算") == (2, 0)
    zone_first = Observation.objects.get(place=zone, is_current=True)
    yibin_first = Observation.objects.get(place=yibin, is_current=True)
    assert load(["8770.5", "—"], "最终核实") == (0, 1)
    zone_second = Observation.objects.get(place=zone, is_current=True)
    assert (zone_second.value, zone_second.previous_id) == (8770.5, zone_first.pk)
    assert zone_second.entered_by == chuannan_clerk_user and zone_second.source == "最终核实"
    assert Observation.objects.get(place=yibin, is_current=True) == yibin_first
    assert load(["8771.0", "3150.0"], "再次核实") == (0, 2)
    current = {o.place_id: o for o in Observation.objects.filter(indicator=gdp, is_current=True)}
    assert (current[zone.pk].value, current[zone.pk].previous_id) == (8771.0, zone_second.pk)
    assert (current[yibin.pk].value, current[yibin.pk].previous_id) == (3150.0, yibin_first.pk)
    assert Observation.objects.filter(indicator=gdp).count() == 5
    assert not Observation.objects.filter(
        pk__in=[zone_first.pk, zone_second.pk, yibin_first.pk], is_current=True
    ).exists()
