"""The reference tree (loaded from the parser's gazetteer files and the departments file) and
the place pages: every mention of a prefecture or county across the plans, and zone pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from planwatch.audit.models import AuditEvent
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.orgunits.services import department_specs, orgunits_load_reference
from planwatch.parsing.gazetteer import load_gazetteer
from planwatch.plans.models import Plan
from planwatch.plans.places import snippet
from planwatch.plans.services import IngestResult

pytestmark = pytest.mark.django_db


def test_reference_tree_has_the_province_zones_prefectures_counties_and_departments(
    orgunits: dict[str, OrgUnit],
) -> None:
    kinds = [u.kind for u in OrgUnit.objects.filter(is_active=True)]
    assert kinds.count(OrgUnitKind.PROVINCE) == 1
    assert kinds.count(OrgUnitKind.ZONE) == 5
    assert kinds.count(OrgUnitKind.PREFECTURE) == 21
    assert kinds.count(OrgUnitKind.COUNTY) == 183
    assert 40 <= kinds.count(OrgUnitKind.DEPARTMENT) <= 60
    yibin = orgunits["511500"]
    assert yibin.path == "/510000/zone:south-sichuan/511500/"
    assert orgunits["511502"].parent == yibin  # 翠屏区
    assert orgunits["zone:panxi"].name == "攀西经济区"
    assert {u.short_name for u in OrgUnit.objects.filter(parent=orgunits["zone:panxi"])} == {
        "攀枝花",
        "凉山",
    }


def test_departments_start_with_the_development_and_reform_commission(
    orgunits: dict[str, OrgUnit],
) -> None:
    departments = list(OrgUnit.objects.filter(kind=OrgUnitKind.DEPARTMENT).order_by("sort_order"))
    assert departments[0].short_name == "省发展改革委"
    assert departments[0].name == "四川省发展和改革委员会"
    assert departments[0].parent == orgunits["510000"]
    names = {d.short_name for d in departments}
    for expected in (
        "省教育厅",
        "省科技厅",
        "省经济和信息化厅",
        "省财政厅",
        "省自然资源厅",
        "省生态环境厅",
        "省住房城乡建设厅",
        "省交通运输厅",
        "省水利厅",
        "省农业农村厅",
        "省商务厅",
        "省文化和旅游厅",
        "省卫生健康委",
        "省应急管理厅",
        "省市场监管局",
        "省统计局",
        "省大数据中心",
    ):
        assert expected in names
    codes = [s.code for s in department_specs()]
    assert len(codes) == len(set(codes))


def test_one_source_of_truth_every_gazetteer_unit_is_an_org_unit(
    orgunits: dict[str, OrgUnit],
) -> None:
    gaz = load_gazetteer()
    for unit in gaz.prefectures() + gaz.counties():
        stored = orgunits[unit.adcode]
        assert (stored.name, stored.adcode, stored.short_name) == (
            unit.name,
            unit.adcode,
            unit.short_name,
        )
    for zone in gaz.zones():
        assert orgunits[f"zone:{zone.code}"].name == zone.name


def test_loading_again_changes_nothing_and_records_nothing(orgunits: dict[str, OrgUnit]) -> None:
    events = AuditEvent.objects.count()
    result = orgunits_load_reference(actor=None)
    assert not result.changed
    assert AuditEvent.objects.count() == events


def test_loading_repairs_edits_and_deactivates_units_no_longer_listed(
    orgunits: dict[str, OrgUnit],
) -> None:
    OrgUnit.objects.filter(code="511500").update(name="宜宾地区")
    stale = OrgUnit.objects.create(
        code="dept:abolished",
        name="已撤销机构",
        kind=OrgUnitKind.DEPARTMENT,
        parent=orgunits["510000"],
        path="/510000/dept:abolished/",
    )
    events = AuditEvent.objects.count()
    result = orgunits_load_reference(actor=None)
    assert (result.created, result.updated, result.deactivated) == (0, 1, 1)
    assert OrgUnit.objects.get(code="511500").name == "宜宾市"
    stale.refresh_from_db()
    assert not stale.is_active
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None and event.action == "orgunit.load_reference"


def test_snippet_marks_the_first_name() -> None:
    before, match, after = snippet("推动宜宾、泸州组团发展", ["宜宾市", "宜宾"], radius=2)
    assert (before, match, after) == ("推动", "宜宾", "、泸…")
    assert snippet("无关文字", ["宜宾"]) == ("", "", "无关文字")


# --- pages ------------------------------------------------------------------------------

READERS = ["anon", "yibin_reporter", "luzhou_reporter", "planner"]


@pytest.mark.parametrize("persona", READERS)
def test_place_list_for_everyone(
    request: pytest.FixtureRequest,
    persona: str,
    sample_plans: IngestResult,
    django_assert_max_num_queries: Any,
) -> None:
    client: Client = request.getfixturevalue(persona)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("place_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "川南经济区" in html and "宜宾市" in html and "翠屏区" in html and "省发展改革委" in html


@pytest.mark.parametrize("persona", READERS)
def test_prefecture_page_lists_mentions_grouped_by_plan(
    request: pytest.FixtureRequest,
    persona: str,
    sample_plans: IngestResult,
    django_assert_max_num_queries: Any,
) -> None:
    client: Client = request.getfixturevalue(persona)
    plan = sample_plans.versions[0].plan
    with django_assert_max_num_queries(10):
        response = client.get(reverse("place_detail", args=["511500"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>宜宾市</h1>" in html
    assert plan.title in html
    assert "<mark>宜宾</mark>" in html
    # Linked to the section page at the provision's anchor.
    assert reverse("node_detail", args=[plan.slug, "c2.s1"]) + "#n-c2.s1.p1" in html
    assert reverse("place_detail", args=["511502"]) in html  # its counties


def test_county_page(anon: Client, sample_plans: IngestResult) -> None:
    html = anon.get(reverse("place_detail", args=["511502"])).content.decode()
    assert "翠屏区" in html and "宜宾市" in html  # breadcrumb up to its prefecture


def test_zone_page_lists_its_prefectures_and_its_plan(
    anon: Client,
    yibin_reporter: Client,
    sample_plans: IngestResult,
    django_assert_max_num_queries: Any,
) -> None:
    plan = Plan.objects.get(pk=sample_plans.versions[0].plan_id)
    for client in (anon, yibin_reporter):
        with django_assert_max_num_queries(10):
            response = client.get(reverse("zone_detail", args=["south-sichuan"]))
        html = response.content.decode()
        assert response.status_code == 200
        assert plan.title in html
        for name in ("自贡市", "泸州市", "内江市", "宜宾市"):
            assert name in html
    # The zone's unit code also leads to the zone page.
    assert anon.get(reverse("place_detail", args=["zone:south-sichuan"])).status_code == 200


def test_unknown_or_inactive_places_are_404(
    anon: Client, planner: Client, orgunits: dict[str, OrgUnit]
) -> None:
    OrgUnit.objects.filter(code="511502").update(is_active=False)
    for client in (anon, planner):
        assert client.get(reverse("place_detail", args=["999999"])).status_code == 404
        assert client.get(reverse("place_detail", args=["511502"])).status_code == 404
        assert client.get(reverse("zone_detail", args=["nowhere"])).status_code == 404


def test_yibin_page_lists_mentions_in_several_bundled_plans(
    anon: Client, bundled_plans: list[Plan]
) -> None:
    html = anon.get(reverse("place_detail", args=["511500"])).content.decode()
    found = [p.title for p in bundled_plans if p.current_version and p.title in html]
    assert len(found) >= 3


def test_reference_values_fit_their_columns() -> None:
    """SQLite does not enforce lengths; PostgreSQL does."""
    from planwatch.orgunits.services import reference_specs

    limits = {f: OrgUnit._meta.get_field(f).max_length for f in ("code", "name", "short_name")}
    for spec in reference_specs():
        for field, limit in limits.items():
            assert limit is not None and len(getattr(spec, field)) <= limit, spec


def test_orgunit_update_is_audited_and_refuses_reference_fields(
    orgunits: dict[str, OrgUnit], admin_user: Any
) -> None:
    from planwatch.orgunits.services import orgunit_update

    unit = orgunits["dept:big-data"]
    events = AuditEvent.objects.count()
    orgunit_update(unit=unit, actor=admin_user, short_name="省大数据中心", is_active=True)
    assert AuditEvent.objects.count() == events  # nothing changed, nothing recorded
    orgunit_update(unit=unit, actor=admin_user, is_active=False)
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None and event.action == "orgunit.update"
    assert event.old == {"is_active": True} and event.new == {"is_active": False}
    with pytest.raises(ValueError):
        orgunit_update(unit=unit, actor=admin_user, name="别的名字")


def test_admin_edits_units_through_the_service(
    admin: Client, yibin_reporter: Client, orgunits: dict[str, OrgUnit]
) -> None:
    unit = orgunits["511502"]
    url = reverse("admin:orgunits_orgunit_change", args=[unit.pk])
    assert yibin_reporter.get(url).status_code == 302  # to the admin login
    assert admin.get(reverse("admin:orgunits_orgunit_changelist")).status_code == 200
    assert admin.get(url).status_code == 200
    response = admin.post(
        url, {"short_name": "翠屏", "former_names": "宜宾县城", "sort_order": 5, "is_active": "on"}
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.former_names == "宜宾县城" and unit.name == "翠屏区"
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None and event.action == "orgunit.update"
    assert admin.get(reverse("admin:orgunits_orgunit_add")).status_code == 403


def test_plan_admin_is_read_only(admin: Client, sample_plans: IngestResult) -> None:
    plan = sample_plans.versions[0].plan
    assert admin.get(reverse("admin:plans_plan_changelist")).status_code == 200
    assert admin.get(reverse("admin:plans_node_changelist")).status_code == 200
    url = reverse("admin:plans_plan_change", args=[plan.pk])
    assert admin.get(url).status_code == 200  # view only
    assert admin.post(url, {"title": "改名"}).status_code == 403


def test_a_composite_mention_is_highlighted_whole(anon: Client, sample_plans: IngestResult) -> None:
    html = anon.get(reverse("place_detail", args=["511000"])).content.decode()  # 内江
    assert "<mark>内自</mark>同城化" in html
    assert "第一节 做强中心城市" in html  # the section page the provision is shown on


def test_place_page_queries_do_not_grow_with_mentions(
    anon: Client, bundled_plans: list[Plan], django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(10):
        response = anon.get(reverse("place_detail", args=["511500"]))
    assert response.content.decode().count("<li>") > 50
