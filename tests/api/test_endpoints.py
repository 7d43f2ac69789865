"""Every endpoint of /api/v1/, its filters and pagination; every response validated against
the committed OpenAPI document."""

from __future__ import annotations

import pytest
from django.test import Client

from planwatch.plans.models import Node
from tests.api.schema import check
from tests.factories.search import PlanFixture, make_corpus, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(persona_units: object) -> dict[str, PlanFixture]:
    return make_corpus()


def test_plans(anon: Client, corpus: dict[str, PlanFixture]) -> None:
    body = check(anon, "/api/v1/plans")
    assert body["count"] == 2
    assert [p["slug"] for p in body["items"]] == ["chuannan", "chengdu-plain"]
    first = body["items"][0]
    assert first["zone"]["name"] == "川南经济区"
    assert first["current_version"]["number"] == 1
    assert len(first["current_version"]["document_sha256"]) == 64
    assert check(anon, "/api/v1/plans?limit=1&offset=1")["items"][0]["slug"] == "chengdu-plain"


def test_plan_detail(anon: Client, corpus: dict[str, PlanFixture]) -> None:
    plan = corpus["chuannan"].plan
    body = check(anon, f"/api/v1/plans/{plan.pk}")
    assert body["title"] == plan.title
    assert body["node_counts"] == {"box": 1, "box_item": 1, "chapter": 1, "provision": 2}
    assert (body["target_count"], body["baseline_count"]) == (1, 0)
    assert body["cities"] == ["宜宾市"]


def test_plan_nodes_flat_with_parent_ids_and_filters(
    anon: Client, corpus: dict[str, PlanFixture]
) -> None:
    fixture = corpus["chuannan"]
    body = check(anon, f"/api/v1/plans/{fixture.plan.pk}/nodes")
    assert [n["key"] for n in body["items"]] == ["c1", "c1.p1", "c1.b1", "c1.b1.i1", "c1.p2"]
    by_key = {n["key"]: n for n in body["items"]}
    assert by_key["c1.b1.i1"]["parent_id"] == by_key["c1.b1"]["id"]
    assert by_key["c1"]["parent_id"] is None
    assert by_key["c1.b1.i1"]["projects"] == ["成自宜高铁", "川南城际铁路内自泸段"]
    items = check(anon, f"/api/v1/plans/{fixture.plan.pk}/nodes?kind=box_item")["items"]
    assert [n["key"] for n in items] == ["c1.b1.i1"]
    top = check(anon, f"/api/v1/plans/{fixture.plan.pk}/nodes?parent=0")["items"]
    assert [n["key"] for n in top] == ["c1"]
    box = fixture.nodes["c1.b1"].pk
    assert [
        n["key"]
        for n in check(anon, f"/api/v1/plans/{fixture.plan.pk}/nodes?parent={box}")["items"]
    ] == ["c1.b1.i1"]
    paged = check(anon, f"/api/v1/plans/{fixture.plan.pk}/nodes?limit=2&offset=2")
    assert paged["count"] == 5 and [n["key"] for n in paged["items"]] == ["c1.b1", "c1.b1.i1"]


def test_node_detail(anon: Client, corpus: dict[str, PlanFixture]) -> None:
    fixture = corpus["chuannan"]
    node = fixture.nodes["c1.p1"]
    body = check(anon, f"/api/v1/nodes/{node.pk}")
    assert body["plan"]["slug"] == "chuannan" and body["is_current"] is True
    assert {p["name"] for p in body["places"]} == {"宜宾市", "泸州市"}
    chapter = check(anon, f"/api/v1/nodes/{fixture.nodes['c1'].pk}")
    assert [c["id"] for c in chapter["children"]] == [
        fixture.nodes[k].pk for k in ("c1.p1", "c1.b1", "c1.p2")
    ]


def test_targets(anon: Client, corpus: dict[str, PlanFixture]) -> None:
    plan = corpus["chuannan"].plan
    body = check(anon, f"/api/v1/plans/{plan.pk}/targets")
    assert body["count"] == 1
    target = body["items"][0]
    assert (target["indicator"], target["value"], target["year"]) == ("地区生产总值", 7.0, 2025)
    assert check(anon, f"/api/v1/plans/{plan.pk}/targets?role=baseline")["count"] == 0


def test_places(anon: Client, corpus: dict[str, PlanFixture]) -> None:
    body = check(anon, "/api/v1/places?level=prefecture")
    by_name = {p["name"]: p for p in body["items"]}
    assert {p["level"] for p in body["items"]} == {"prefecture"}
    assert by_name["宜宾市"]["mentions"] == 2
    assert by_name["泸州市"]["mentions"] == 1
    assert by_name["宜宾市"]["adcode"] == "511500"
    everything = check(anon, "/api/v1/places")
    assert {"province", "zone", "prefecture"} <= {p["level"] for p in everything["items"]}


def test_place_detail_lists_mentions(anon: Client, corpus: dict[str, PlanFixture]) -> None:
    body = check(anon, "/api/v1/places/511500")
    assert body["name"] == "宜宾市" and body["mention_count"] == 2
    assert {(m["plan"]["slug"], m["kind"]) for m in body["items"]} == {
        ("chuannan", "provision"),
        ("chuannan", "box_item"),
    }
    zone = unit("川南经济区")
    body = check(anon, f"/api/v1/places/{zone.code}")
    assert body["mention_count"] == 3  # 宜宾 ×2 and 泸州 ×1 below the zone
    assert check(anon, "/api/v1/places/511500?limit=1")["items"][0]["kind"] == "provision"


def test_orgunits(anon: Client, corpus: dict[str, PlanFixture]) -> None:
    body = check(anon, "/api/v1/orgunits")
    names = {u["name"] for u in body["items"]}
    assert {"四川省", "宜宾市", "泸州市"} <= names
    departments = check(anon, "/api/v1/orgunits?kind=department")["items"]
    assert departments and {u["kind"] for u in departments} == {"department"}


def test_search(anon: Client, corpus: dict[str, PlanFixture]) -> None:
    body = check(anon, "/api/v1/search?q=成自宜高铁")
    assert body["count"] == 1
    [hit] = body["items"]
    assert hit["plan"]["slug"] == "chuannan"
    assert hit["kind"] == "box_item" and hit["kind_label"] == "专栏条目"
    assert "<mark>成自宜高铁</mark>" in hit["snippet"]
    assert hit["title"].startswith("铁路：") and hit["page"] == 6
    assert hit["url"]


def test_search_filters(anon: Client, corpus: dict[str, PlanFixture]) -> None:
    chuannan = corpus["chuannan"].plan.pk
    slugs = {
        h["plan"]["slug"] for h in check(anon, f"/api/v1/search?q=建设&plan={chuannan}")["items"]
    }
    assert slugs == {"chuannan"}
    assert check(anon, "/api/v1/search?q=高铁&kind=provision")["count"] == 0
    assert check(anon, "/api/v1/search?q=建设&place=510500")["count"] == 1
    assert check(anon, "/api/v1/search?q=建设&place=999999")["count"] == 0
    zone = unit("成都平原经济区").code
    assert check(anon, f"/api/v1/search?q=建设&place={zone}")["count"] == 1
    page = check(anon, "/api/v1/search?q=建设&limit=1&offset=1")
    assert page["count"] >= 3 and len(page["items"]) == 1
    assert check(anon, "/api/v1/search")["items"] == []


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/plans/999999",
        "/api/v1/plans/999999/nodes",
        "/api/v1/plans/999999/targets",
        "/api/v1/nodes/999999",
        "/api/v1/places/000000",
    ],
)
def test_missing_objects_are_404_in_the_error_shape(
    anon: Client, corpus: dict[str, PlanFixture], url: str
) -> None:
    assert check(anon, url, 404)["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/plans?limit=0",
        "/api/v1/plans?limit=abc",
        "/api/v1/plans?offset=-1",
        "/api/v1/search?q=x&kind=nonsense",
        "/api/v1/search?q=x&plan=abc",
        "/api/v1/search?limit=1000",
        "/api/v1/plans/abc",
        "/api/v1/nodes/1.5",
    ],
)
def test_invalid_parameters_are_422_in_the_error_shape(anon: Client, url: str) -> None:
    body = check(anon, url, 422)
    assert body["error"]["code"] == "invalid_request" and body["error"]["message"]


@pytest.mark.parametrize("url", ["/api/v1/", "/api/v1/nope", "/api/v1/plans/1/nope", "/api/v2/x"])
def test_unknown_paths(anon: Client, url: str) -> None:
    response = anon.get(url)
    assert response.status_code == 404
    if url.startswith("/api/v1/"):
        assert response.json() == {"error": {"code": "not_found", "message": "no such endpoint"}}


def test_unsupported_method_is_405_in_the_error_shape(anon: Client) -> None:
    response = anon.post("/api/v1/plans", {})
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_a_plan_without_a_current_version(anon: Client, corpus: dict[str, PlanFixture]) -> None:
    plan = corpus["chengdu"].plan
    plan.current_version = None
    plan.save()
    assert check(anon, f"/api/v1/plans/{plan.pk}")["current_version"] is None
    check(anon, f"/api/v1/plans/{plan.pk}/nodes", 404)
    node = Node.objects.filter(version__plan=plan).first()
    assert node is not None
    assert check(anon, f"/api/v1/nodes/{node.pk}")["is_current"] is False


def test_json_is_utf8_with_chinese_as_characters(
    anon: Client, corpus: dict[str, PlanFixture]
) -> None:
    response = anon.get("/api/v1/plans")
    assert "charset=utf-8" in response["Content-Type"]
    assert "川南经济区" in response.content.decode("utf-8")
