"""The integration-index edition page (issue 15): a fixed number of queries, and its
sensitivity view — computed with the edition and stored on it — gives what computing it
on the page gives (an edition stored before the figures were kept shows the same page)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planwatch.assessment.models import IndexEdition
from planwatch.assessment.services import (
    index_edition_compute,
    sensitivity_compute,
)
from tests.assessment.conftest import World
from tests.factories.personas import logged_in

BUDGET = 14  # measured 11 when set


def test_edition_page_reads_a_fixed_number_of_queries_and_stored_sensitivity(
    world: World,
) -> None:
    edition = index_edition_compute(method=world.method, actor=world.planner, year_to=2021)
    assert edition.sensitivity == sensitivity_compute(
        edition.method_snapshot, edition.places, edition.inputs, 2020, 2021
    )
    assert len(edition.sensitivity) == 4
    client = logged_in(world.planner)
    url = reverse("assessment:edition", args=[edition.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        stored = client.get(url).content.decode()
    assert len(ctx.captured_queries) <= BUDGET, len(ctx.captured_queries)
    # the same page when the edition has no stored figures (computed before they were kept)
    IndexEdition.objects.filter(pk=edition.pk).update(sensitivity=None)
    recomputed = client.get(url).content.decode()
    sens = stored.split('id="sensitivity"')[1].split("</section>")[0]
    assert sens == recomputed.split('id="sensitivity"')[1].split("</section>")[0]
    assert "117.5 · 第 1" in sens
