"""Computing, publishing and correcting an edition of the 成都平原 integration index from the
observations stored in the indicators app (data set in conftest.py), checked against hand
computations; the default tree checked against the bundled plan text."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from planwatch.assessment import index_methods as im
from planwatch.assessment.defaults import DEFAULT_TREE
from planwatch.assessment.models import IndexNode, IndexValue, MissingInput, NodeLevel
from planwatch.assessment.services import (
    index_edition_compute,
    index_edition_publish,
    index_indicator_attach,
    index_method_copy,
    index_node_set_weight,
)
from planwatch.audit.models import AuditEvent
from planwatch.indicators.models import Observation
from tests.assessment.conftest import World, observe

pytestmark = pytest.mark.django_db

PLAN_TEXT = (
    Path(__file__).resolve().parents[2] / "data" / "plans" / "sichuan-2021-five-regional-plans.txt"
)


def close(a: float | None, b: float) -> bool:
    return a is not None and abs(a - b) < 5e-5


def value(edition: object, place: object, year: int, code: str = im.TOTAL) -> float | None:
    return IndexValue.objects.get(edition=edition, place=place, year=year, code=code).value


def test_default_tree_is_the_plans_chapters_and_sections(world: World) -> None:
    lines = PLAN_TEXT.read_text(encoding="utf-8").split("\n")
    # The plan asks for the index at lines 2460–2462.
    assert "一体化发展评估指标体系" in lines[2459] and "指数" in lines[2461]
    for _code, _name, heading, line, subs in DEFAULT_TREE:
        assert heading.split()[1] in lines[line - 1]
        for _sc, section, sline in subs:
            assert section in lines[sline - 1]
    dims = IndexNode.objects.filter(method=world.method, level=NodeLevel.DIMENSION)
    names = ["同城化", "协同创新", "产业协作", "开放合作"]
    names += ["互联互通", "公共服务", "生态共保", "体制机制"]
    assert [d.name for d in dims] == names
    assert IndexNode.objects.filter(method=world.method, level=NodeLevel.SUBDIMENSION).count() == 24
    assert world.method.base_year == 2020 and world.method.normalisation == im.FIXED_BASE


def test_edition_equals_the_hand_computation(world: World) -> None:
    e = index_edition_compute(method=world.method, actor=world.planner, year_to=2021)
    first, second, last = world.cities[0], world.cities[1], world.cities[-1]
    # City 0: A = 110/100·100 = 110; B (negative) = 50/40·100 = 125; index = (110+125)/2 = 117.5
    assert close(value(e, first, 2021, f"I{world.a.pk}"), 110.0)
    assert close(value(e, first, 2021, f"I{world.b.pk}"), 125.0)
    assert close(value(e, first, 2021, "D1"), 110.0)
    assert close(value(e, first, 2021), 117.5)
    # City 1: A = 120/110·100 = 109.0909; B = 50/41·100 = 121.9512; index = 115.5211
    assert close(value(e, second, 2021), (120 / 110 * 100 + 50 / 41 * 100) / 2)
    assert close(value(e, second, 2021), 115.5211)
    assert close(value(e, first, 2020), 100.0)
    # The last city has no B in 2021: its 协同创新 and its index are not computed, and it is listed.
    assert value(e, last, 2021, "D2") is None and value(e, last, 2021) is None
    assert close(value(e, last, 2021, "D1"), (110 + 70) / (100 + 70) * 100)
    missing = {
        (m.indicator_id, m.place_id, m.year, m.reason)
        for m in MissingInput.objects.filter(edition=e)
    }
    assert (world.b.pk, last.pk, 2021, im.NO_VALUE) in missing
    # The zone has no observation at all: every input of it is missing, for want of a base.
    assert (world.a.pk, world.zone.pk, 2021, im.NO_BASE) in missing
    assert len(missing) == 1 + 2 * 2
    # Convergence 2021 across the 7 cities with an index (the zone is not one of them):
    idx = [((110 + 10 * i) / (100 + 10 * i) * 100 + 50 / (40 + i) * 100) / 2 for i in range(7)]
    mu = sum(idx) / 7
    cv = math.sqrt(sum((x - mu) ** 2 for x in idx) / 7) / mu
    theil = sum((x / mu) * math.log(x / mu) for x in idx) / 7
    conv = {c["year"]: c for c in e.convergence}
    assert conv[2021]["places"] == 7
    assert close(conv[2021]["cv"], cv) and close(conv[2021]["theil"], theil)
    # The inputs are frozen with the edition, with their sources.
    assert len(e.inputs) == 8 * 3 + 7 and e.inputs[0]["source"] == "四川统计年鉴"
    assert (
        e.method_snapshot["dimensions"][0]["children"][0]["children"][0]["code"] == f"I{world.a.pk}"
    )
    assert AuditEvent.objects.filter(action="index.edition_compute").count() == 1


def test_unverified_observations_are_not_inputs(world: World) -> None:
    last = world.cities[-1]
    observe(world.b, last, 2021, 45.0, verified=False)
    e = index_edition_compute(method=world.method, actor=world.planner, year_to=2021)
    assert value(e, last, 2021) is None
    assert MissingInput.objects.filter(edition=e, place=last, indicator=world.b).count() == 1


def test_publish_freeze_and_correct(world: World) -> None:
    first = world.cities[0]
    e1 = index_edition_compute(method=world.method, actor=world.planner, year_to=2021)
    # The method is locked once an edition was computed under it.
    with pytest.raises(ValidationError):
        index_indicator_attach(
            method=world.method,
            parent=IndexNode.objects.get(method=world.method, code="D3.1"),
            indicator=world.a,
            actor=world.planner,
        )
    with pytest.raises(ValidationError):  # a correction needs a published edition
        index_edition_compute(
            method=world.method, actor=world.planner, year_to=2021, corrects=e1, reason="x"
        )
    index_edition_publish(edition=e1, actor=world.planner)
    with pytest.raises(ValidationError):
        index_edition_publish(edition=e1, actor=world.planner)
    # A revised figure: 成都 B 2021 finalised at 50 instead of 40.
    old = Observation.objects.get(indicator=world.b, place=first, year=2021, is_current=True)
    old.is_current = False
    old.save()
    observe(world.b, first, 2021, 50.0)
    with pytest.raises(ValidationError):  # a correction says why
        index_edition_compute(method=world.method, actor=world.planner, year_to=2021, corrects=e1)
    e2 = index_edition_compute(
        method=world.method, actor=world.planner, year_to=2021, corrects=e1, reason="成都最终核实"
    )
    assert e2.number == 2 and e2.corrects == e1
    # New: (110 + 50/50·100)/2 = 105; the published edition keeps 117.5.
    assert close(value(e2, first, 2021), 105.0)
    assert close(value(e1, first, 2021), 117.5)
    e1.refresh_from_db()
    assert e1.is_published and not e2.is_published


def test_only_the_plans_planners_write(world: World) -> None:
    with pytest.raises(PermissionDenied):
        index_edition_compute(method=world.method, actor=world.outsider, year_to=2021)
    with pytest.raises(ValidationError):
        index_edition_compute(method=world.method, actor=world.planner, year_to=2019)
    before = AuditEvent.objects.count()
    e = index_edition_compute(method=world.method, actor=world.planner, year_to=2021)
    with pytest.raises(PermissionDenied):
        index_edition_publish(edition=e, actor=world.outsider)
    assert AuditEvent.objects.count() == before + 1


def test_a_new_method_version_under_min_max_and_entropy(world: World) -> None:
    e1 = index_edition_compute(method=world.method, actor=world.planner, year_to=2021)
    copy = index_method_copy(
        method=world.method,
        actor=world.planner,
        version="2021-entropy",
        normalisation=im.MIN_MAX,
        weighting=im.ENTROPY,
    )
    assert copy.nodes.count() == world.method.nodes.count()
    e2 = index_edition_compute(method=copy, actor=world.planner, year_to=2021)
    assert e2.number == 1 and e1.method_snapshot["weighting"] == im.EQUAL
    # Min–max over the 8 cities × 2 years present (the zone has nothing): A ∈ [100, 180]
    # → city 0 2021 = (110 − 100)/80·100 = 12.5
    assert close(value(e2, world.cities[0], 2021, f"I{world.a.pk}"), 12.5)
    with pytest.raises(ValidationError):
        index_method_copy(method=world.method, actor=world.planner, version="2021-entropy")


def test_set_weights_are_used_under_set_weighting(world: World) -> None:
    copy = index_method_copy(
        method=world.method, actor=world.planner, version="2021-set", weighting=im.SET
    )
    d1 = IndexNode.objects.get(method=copy, code="D1")
    index_node_set_weight(node=d1, actor=world.planner, weight=3.0)
    e = index_edition_compute(method=copy, actor=world.planner, year_to=2021)
    # City 0 2021: (3·110 + 1·125)/4 = 113.75
    assert close(value(e, world.cities[0], 2021), 113.75)
    with pytest.raises(ValidationError):  # locked now
        index_node_set_weight(node=d1, actor=world.planner, weight=1.0)
