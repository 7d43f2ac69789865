"""The ingest service: one transaction, idempotent by sha256, versions with diffs, links to
organisation units, and nothing left behind by a failure."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from planwatch.audit.models import AuditEvent
from planwatch.core import hooks
from planwatch.orgunits.models import OrgUnit
from planwatch.parsing import ParseError
from planwatch.parsing.model import Node as ParsedNode
from planwatch.plans import services
from planwatch.plans.keys import keyed_nodes
from planwatch.plans.models import Node, NodePlace, PlaceMention, Plan, Quantity, SourceDocument
from tests.factories.plans import (
    PLAIN_TITLE,
    SOUTH_TITLE,
    bundled_bytes,
    db_snapshot,
    ingest_sample,
    node,
    plain_plan,
    sample_parse,
)

pytestmark = pytest.mark.django_db


def test_ingest_stores_plans_versions_nodes_and_links(orgunits: dict[str, OrgUnit]) -> None:
    result = ingest_sample()
    assert result.created
    assert [v.title for v in result.versions] == [SOUTH_TITLE, PLAIN_TITLE]
    south = Plan.objects.get(title=SOUTH_TITLE)
    assert south.current_version == result.versions[0]
    assert south.org_unit == orgunits["zone:south-sichuan"]
    assert Plan.objects.get(title=PLAIN_TITLE).org_unit == orgunits["zone:chengdu-plain"]
    version = result.versions[0]
    assert version.number == 1 and version.diff == {}
    keys = list(version.nodes.order_by("seq").values_list("key", flat=True))
    assert keys == ["c1", "c1.g1", "c2", "c2.s1", "c2.s1.p1", "c2.s1.b1", "c2.s1.b1.i1", "c2.s1.p2"]
    item = version.nodes.get(key="c2.s1.b1.i1")
    assert item.parent is not None and item.parent.key == "c2.s1.b1"
    assert item.projects == ["成自宜高铁", "渝昆高铁"]
    assert item.page == 4 and item.line == 132


def test_ingest_links_quantities_to_the_node_holding_them(orgunits: dict[str, OrgUnit]) -> None:
    version = ingest_sample().versions[0]
    target = Quantity.objects.get(version=version, indicator="森林覆盖率")
    assert target.role == "target" and target.attribute == "约束性" and target.value == 45.0
    assert target.node is not None and target.node.key == "c2.s1.p1"
    baseline = Quantity.objects.get(version=version, role="baseline")
    assert baseline.node is not None and baseline.node.key == "c1.g1"


def test_ingest_links_places_to_org_units(orgunits: dict[str, OrgUnit]) -> None:
    version = ingest_sample().versions[0]
    yibin = orgunits["511500"]
    mentions = {m.name: m for m in PlaceMention.objects.filter(version=version)}
    assert mentions["宜宾"].org_unit == yibin and mentions["宜宾"].count == 3
    assert mentions["成渝地区双城经济圈"].org_unit is None
    # Per node, by the gazetteer's matcher: the provision and the box item name 宜宾.
    linked = set(
        NodePlace.objects.filter(org_unit=yibin, node__version=version).values_list(
            "node__key", flat=True
        )
    )
    assert {"c1.g1", "c2.s1.p1"} <= linked
    # A composite abbreviation counts for each place it names (内自 → 内江, 自贡).
    p2 = Node.objects.get(version=version, key="c2.s1.p2")
    assert set(p2.place_links.values_list("org_unit__adcode", flat=True)) >= {"511000", "510300"}


def test_same_bytes_again_change_nothing(orgunits: dict[str, OrgUnit]) -> None:
    first = ingest_sample()
    before = db_snapshot()
    again = ingest_sample()
    assert not again.created
    assert "已存在" in again.message
    assert again.document == first.document
    assert [v.pk for v in again.versions] == [v.pk for v in first.versions]
    assert db_snapshot() == before


def test_revised_document_creates_a_new_version_with_a_diff(
    orgunits: dict[str, OrgUnit],
) -> None:
    first = ingest_sample()
    revised = ingest_sample(revised=True)
    assert revised.created and len(revised.versions) == 1
    v2 = revised.versions[0]
    assert v2.plan == first.versions[0].plan and v2.number == 2
    assert Plan.objects.get(pk=v2.plan_id).current_version == v2
    diff = v2.diff
    assert diff["previous"] == 1
    assert [e["key"] for e in diff["added"]] == ["c3", "c3.p1"]
    assert [e["key"] for e in diff["removed"]] == ["c1.g1"]
    assert [e["key"] for e in diff["changed"]] == ["c2.s1.p1", "c2.s1.p2"]
    # The other plan of the first document keeps its version.
    assert Plan.objects.get(title=PLAIN_TITLE).current_version == first.versions[1]


def test_a_revision_that_leaves_a_plan_alone_adds_no_version_of_it(
    orgunits: dict[str, OrgUnit],
) -> None:
    first = ingest_sample()
    data, parsed = sample_parse(revised=True)
    parsed.plans.append(plain_plan())  # same tree as the current version
    result = services.plan_ingest(data=data, name="rev.txt", actor=None, parsed=parsed)
    assert [v.number for v in result.versions] == [2]
    assert [p.title for p in result.unchanged] == [PLAIN_TITLE]
    assert "未生成新版本" in result.message
    plain = Plan.objects.get(title=PLAIN_TITLE)
    assert plain.current_version == first.versions[1]


def test_ingest_is_audited_in_the_same_transaction(orgunits: dict[str, OrgUnit]) -> None:
    count = AuditEvent.objects.count()
    data, parsed = sample_parse()
    # Without publish=True (which the test factory passes) the ingest is one event.
    result = services.plan_ingest(data=data, name="sample.txt", actor=None, parsed=parsed)
    assert AuditEvent.objects.count() == count + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None and event.action == "plan.ingest"
    assert event.target_id == str(result.document.pk)
    assert [v["number"] for v in event.new["versions"]] == [1, 1]


@pytest.mark.parametrize("where", ["index", "node_places", "second_plan"])
def test_a_crash_part_way_leaves_the_database_as_before(
    orgunits: dict[str, OrgUnit], monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    ingest_sample()  # an earlier version exists, so the crash hits an update too
    before = db_snapshot()
    current = {p.pk: p.current_version_id for p in Plan.objects.all()}
    calls: list[Any] = []

    def boom(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if where != "second_plan" or len(calls) == 2:
            raise RuntimeError("injected failure")

    if where in ("node_places", "second_plan"):
        # second_plan: the first plan is stored whole, the second fails half-way.
        monkeypatch.setattr(services, "_store_node_places", boom)
    else:  # the search index, written through the hook the ingest calls
        monkeypatch.setattr(hooks.plan_versions_stored, "_receivers", [boom])
    # A revision of the 川南 plan (new version) and a plan not seen before (new plan).
    data, parsed = sample_parse(revised=True, text="另一份文件\n" * 50)
    newcomer = plain_plan()
    newcomer.title = "攀西经济区“十四五”转型升级发展规划（样例）"
    parsed.plans.append(newcomer)
    with pytest.raises(RuntimeError, match="injected"):
        services.plan_ingest(data=data, name="crash.txt", actor=None, parsed=parsed)
    assert db_snapshot() == before
    assert {p.pk: p.current_version_id for p in Plan.objects.all()} == current
    assert not SourceDocument.objects.filter(name="crash.txt").exists()


def test_unparseable_input_raises_and_changes_nothing(orgunits: dict[str, OrgUnit]) -> None:
    before = db_snapshot()
    with pytest.raises(ParseError):
        services.plan_ingest(data=b"", name="empty.txt", actor=None)
    assert db_snapshot() == before


def test_only_planners_may_ingest(
    orgunits: dict[str, OrgUnit], yibin_reporter_user: Any, planner_user: Any
) -> None:
    data, parsed = sample_parse()
    with pytest.raises(PermissionDenied):
        services.plan_ingest(data=data, name="x.txt", actor=yibin_reporter_user, parsed=parsed)
    result = services.plan_ingest(data=data, name="x.txt", actor=planner_user, parsed=parsed)
    assert result.document.ingested_by == planner_user


def test_a_parse_of_other_bytes_is_refused(orgunits: dict[str, OrgUnit]) -> None:
    _data, parsed = sample_parse()
    with pytest.raises(ValueError):
        services.plan_ingest(data=b"other", name="x.txt", actor=None, parsed=parsed)


def test_keys_are_unique_even_when_numbers_repeat() -> None:
    nodes: list[ParsedNode] = [
        node("chapter", "一", line=1, number=1),
        node("chapter", "重复", line=5, number=1),
        node(
            "chapter",
            "",
            line=9,
            children=[node("provision", "甲", line=10), node("provision", "乙", line=11)],
        ),
    ]
    keys = [k.key for k in keyed_nodes(nodes)]
    assert keys == ["c1", "c1~2", "c3", "c3.p1", "c3.p2"]


def test_keys_stay_within_the_column() -> None:
    deep = node("provision", "底", line=99)
    for i in range(40):
        deep = node("section", f"{i}", line=i + 1, number=1000 + i, children=[deep])
    keys = [k.key for k in keyed_nodes([deep])]
    assert len(set(keys)) == len(keys)
    assert max(len(k) for k in keys) <= 64


# --- the bundled document (needs the parser) ---------------------------------------------


def test_bundled_document_holds_the_five_zone_plans(bundled_plans: list[Plan]) -> None:
    titles = [p.title for p in bundled_plans if p.current_version is not None]
    assert len([t for t in titles if "十四五" in t and "样例" not in t]) >= 5
    zones = {p.org_unit.code for p in bundled_plans if p.org_unit is not None}
    assert {
        "zone:chengdu-plain",
        "zone:south-sichuan",
        "zone:northeast-sichuan",
        "zone:panxi",
        "zone:northwest-sichuan",
    } <= zones


def test_bundled_document_again_is_already_present(bundled_plans: list[Plan]) -> None:
    before = db_snapshot()
    result = services.plan_ingest(data=bundled_bytes(), name="again.txt", actor=None)
    assert not result.created and len(result.versions) == 5
    assert db_snapshot() == before


def test_yibin_is_named_in_several_bundled_plans(
    bundled_plans: list[Plan], orgunits: dict[str, OrgUnit]
) -> None:
    plans = set(
        NodePlace.objects.filter(
            org_unit=orgunits["511500"], node__version__plan__in=bundled_plans
        ).values_list("node__version__plan", flat=True)
    )
    assert len(plans) >= 3


def test_a_revised_bundled_document_versions_only_the_plan_that_changed(
    bundled_plans: list[Plan],
) -> None:
    text = bundled_bytes().decode("utf-8")
    assert text.count("富顺县、长宁县") == 1
    revised = text.replace("富顺县、长宁县", "富顺县、江安县、长宁县").encode("utf-8")
    result = services.plan_ingest(data=revised, name="revised.txt", actor=None)
    assert result.created
    assert [v.title for v in result.versions] == ["川南经济区“十四五”一体化发展规划"]
    assert len(result.unchanged) == 4
    diff = result.versions[0].diff
    assert diff["previous"] == 1 and not diff["added"] and not diff["removed"]
    assert len(diff["changed"]) == 1


def test_untitled_and_overlong_plans_are_still_kept(orgunits: dict[str, OrgUnit]) -> None:
    data, parsed = sample_parse(text="无题\n" * 30)
    parsed.plans[0].title = ""
    parsed.plans[1].title = "很长的规划名称" * 60
    result = services.plan_ingest(data=data, name="untitled.txt", actor=None, parsed=parsed)
    titles = [v.plan.title for v in result.versions]
    assert titles[0] == "untitled.txt"
    assert len(titles[1]) == 255


def test_losing_a_race_to_store_the_same_bytes_reports_already_present(
    orgunits: dict[str, OrgUnit], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two uploads of the same bytes at once: both pass the "already present?" check, the
    unique sha256 stops the second insert, and the loser reports "already present"."""
    first = ingest_sample()
    real = services._document_with
    calls: list[str] = []

    def not_yet_then_real(sha: str) -> Any:
        calls.append(sha)
        return None if len(calls) == 1 else real(sha)

    monkeypatch.setattr(services, "_document_with", not_yet_then_real)
    before = db_snapshot()
    again = ingest_sample()
    assert not again.created and again.document == first.document
    assert len(calls) == 2
    assert db_snapshot() == before
