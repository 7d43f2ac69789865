"""`/api/v1/integration-index`: the published edition is public with its values, missing
inputs and convergence; a draft is listed and readable only for the plan's planners."""

from __future__ import annotations

import pytest
from django.test import Client

from planwatch.assessment import index_methods as im
from planwatch.assessment.services import index_edition_compute, index_edition_publish
from tests.assessment.conftest import World
from tests.factories.personas import logged_in

pytestmark = pytest.mark.django_db


def test_published_public_draft_for_planners(world: World) -> None:
    published = index_edition_compute(method=world.method, actor=world.planner, year_to=2021)
    index_edition_publish(edition=published, actor=world.planner)
    draft = index_edition_compute(method=world.method, actor=world.planner, year_to=2021)
    # anonymous callers read published values at /api/v1/public/index-values
    assert Client().get("/api/v1/integration-index/editions").status_code == 401
    anon = logged_in(world.outsider)  # signed in, no role
    listed = anon.get("/api/v1/integration-index/editions").json()
    assert [e["id"] for e in listed] == [published.pk]
    mine = logged_in(world.planner).get("/api/v1/integration-index/editions").json()
    assert {e["id"] for e in mine} == {published.pk, draft.pk}
    assert anon.get(f"/api/v1/integration-index/editions/{draft.pk}").status_code == 404
    other = logged_in(world.outsider)
    assert other.get(f"/api/v1/integration-index/editions/{draft.pk}").status_code == 404
    body = anon.get(f"/api/v1/integration-index/editions/{published.pk}").json()
    first = world.cities[0].code
    total = next(
        v for v in body["values"] if (v["place"], v["year"], v["code"]) == (first, 2021, im.TOTAL)
    )
    assert total["value"] == pytest.approx(117.5)  # (110 + 125)/2, as by hand in conftest
    assert {"indicator": world.b.pk, "place": world.cities[-1].code, "year": 2021,
            "reason": im.NO_VALUE} in body["missing"]  # fmt: skip
    assert [c["year"] for c in body["convergence"]] == [2020, 2021]
    assert body["method"]["base_year"] == 2020 and body["status"] == "published"
    assert anon.get("/api/v1/integration-index/editions/99999999").status_code == 404
    assert anon.get(f"/api/v1/integration-index/editions?plan={world.plan.pk}").json() == listed
    assert anon.get(f"/api/v1/integration-index/editions?plan={world.plan.pk + 1}").json() == []
