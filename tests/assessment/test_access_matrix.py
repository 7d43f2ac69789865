"""Every page of the assessment app, checked three ways: an anonymous visitor, a planner of
another zone, and the persona the page is for. A published index edition is public; methods
and draft editions are for the plan's planners (404 to others, nothing changed). A new URL in
the `assessment` namespace fails `test_every_page_is_in_the_matrix` until it is added here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from planwatch.assessment import results
from planwatch.assessment.models import (
    AssessmentScheme,
    IndexEdition,
    Objection,
    ResultEdition,
    Series,
)
from planwatch.assessment.schemes import default_scheme, scheme_copy, scheme_freeze
from planwatch.assessment.services import index_edition_compute, index_edition_publish
from planwatch.audit.models import AuditEvent
from tests.assessment.conftest import World
from tests.factories.personas import logged_in

pytestmark = pytest.mark.django_db


@dataclass
class Editions:
    world: World
    draft: IndexEdition
    published: IndexEdition
    province: User
    default: AssessmentScheme
    draft_scheme: AssessmentScheme
    result_draft: ResultEdition
    result_published: ResultEdition
    unit_user: User
    objection: Objection


@dataclass(frozen=True)
class Page:
    name: str
    args: Callable[[Editions], list[Any]]
    allowed: str
    denied: str | None  # None: a public page
    method: str = "get"


PAGES = [
    Page("index", lambda e: [], "outsider", None),
    Page("edition", lambda e: [e.published.pk], "outsider", None),
    Page("edition", lambda e: [e.draft.pk], "planner", "outsider"),
    Page("edition_publish", lambda e: [e.draft.pk], "planner", "outsider", "post"),
    Page("method", lambda e: [e.world.method.pk], "planner", "outsider"),
    Page("method_attach", lambda e: [e.world.method.pk], "planner", "outsider", "post"),
    Page("method_compute", lambda e: [e.world.method.pk], "planner", "outsider", "post"),
    Page("method_copy", lambda e: [e.world.method.pk], "planner", "outsider", "post"),
    Page("method_weight", lambda e: [e.world.method.pk], "planner", "outsider", "post"),
    Page("method_create_default", lambda e: [e.world.plan.slug], "planner", "outsider", "post"),
    # Schemes: signed-in users read frozen ones; drafts and writing are the province's planners'.
    Page("schemes", lambda e: [], "outsider", None),
    Page("scheme", lambda e: [e.default.pk], "outsider", None),
    Page("scheme", lambda e: [e.draft_scheme.pk], "province", "outsider"),
    Page("scheme_copy", lambda e: [e.default.pk], "province", "outsider", "post"),
    Page("scheme_item", lambda e: [e.draft_scheme.pk], "province", "outsider", "post"),
    Page("scheme_freeze", lambda e: [e.draft_scheme.pk], "province", "outsider", "post"),
    # Results: published ones for every signed-in user; drafts for the province's planners and,
    # each unit its own; computing, reviewing, publishing and answering for the planners.
    Page("results", lambda e: [], "outsider", None),
    Page("result", lambda e: [e.result_published.pk], "outsider", None),
    Page("result", lambda e: [e.result_draft.pk], "province", "outsider"),
    Page("result", lambda e: [e.result_draft.pk], "unit", "outsider"),
    Page("result_xlsx", lambda e: [e.result_published.pk], "outsider", None),
    Page("result_xlsx", lambda e: [e.result_draft.pk], "unit", "outsider"),
    Page("score_card", lambda e: [e.result_published.pk, e.world.cities[1].pk], "outsider", None),
    Page("score_card", lambda e: [e.result_draft.pk, e.world.cities[0].pk], "unit", "outsider"),
    Page("result_compute", lambda e: [], "province", "outsider", "post"),
    Page("result_recompute", lambda e: [e.result_draft.pk], "province", "outsider", "post"),
    Page("result_review", lambda e: [e.result_draft.pk], "province", "outsider", "post"),
    Page("result_publish", lambda e: [e.result_draft.pk], "province", "outsider", "post"),
    Page("adjustment_add", lambda e: [e.result_draft.pk], "province", "outsider", "post"),
    Page(
        "objection_file",
        lambda e: [e.result_draft.pk, e.world.cities[0].pk],
        "unit",
        "outsider",
        "post",
    ),
    Page("objection_answer", lambda e: [e.objection.pk], "province", "outsider", "post"),
]


@pytest.fixture
def eds(world: World, planner_user: User, chengdu_reporter_user: User) -> Editions:
    published = index_edition_compute(method=world.method, actor=world.planner, year_to=2021)
    index_edition_publish(edition=published, actor=world.planner)
    draft = index_edition_compute(method=world.method, actor=world.planner, year_to=2021)
    province = planner_user
    default = default_scheme(Series.PREFECTURES)
    draft_scheme = scheme_copy(source=default, year=2024, actor=province)
    frozen = scheme_freeze(
        scheme=scheme_copy(source=default, year=2023, actor=province), actor=province
    )
    result_published = results.result_compute(scheme=frozen, actor=province, zone=world.zone)
    results.result_review(edition=result_published, actor=province)
    results.result_publish(edition=result_published, actor=province)
    result_draft = results.result_compute(
        scheme=frozen, actor=province, zone=world.zone, reason="更正"
    )
    unit_user = chengdu_reporter_user  # a reporter of world.cities[0], 成都市
    objection = results.objection_file(
        edition=result_draft, unit=world.cities[0], actor=unit_user, reason="数据有误"
    )
    return Editions(
        world,
        draft,
        published,
        province,
        default,
        draft_scheme,
        result_draft,
        result_published,
        unit_user,
        objection,
    )


def _client(e: Editions, who: str) -> Client:
    users = {
        "planner": e.world.planner,
        "outsider": e.world.outsider,
        "province": e.province,
        "unit": e.unit_user,
    }
    return Client() if who == "anonymous" else logged_in(users[who])


def _call(client: Client, page: Page, e: Editions) -> Any:
    url = reverse(f"assessment:{page.name}", args=page.args(e))
    return client.post(url, {}) if page.method == "post" else client.get(url)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: f"{p.method}-{p.name}-{p.allowed}")
def test_page_access(page: Page, eds: Editions) -> None:
    if page.denied is not None:
        before = AuditEvent.objects.count()
        anonymous = _call(Client(), page, eds)
        assert anonymous.status_code in (302, 404)
        assert _call(_client(eds, page.denied), page, eds).status_code == 404
        assert AuditEvent.objects.count() == before  # nothing changed
    response = _call(_client(eds, page.allowed), page, eds)
    assert response.status_code in (200, 302)


def test_drafts_are_not_listed_for_outsiders(eds: Editions) -> None:
    url = reverse("assessment:edition", args=[eds.draft.pk])
    outsider = logged_in(eds.world.outsider)
    assert url not in outsider.get(reverse("assessment:index")).content.decode()
    assert url in logged_in(eds.world.planner).get(reverse("assessment:index")).content.decode()
    public = reverse("assessment:edition", args=[eds.published.pk])
    assert public in outsider.get(reverse("assessment:index")).content.decode()
    # anonymous visitors sign in first (the public reads editions on the portal)
    assert Client().get(reverse("assessment:index")).status_code == 302
    assert Client().get(public).status_code == 302


def test_every_page_is_in_the_matrix() -> None:
    resolver = next(
        p
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and p.namespace == "assessment"
    )
    names = {p.name for p in resolver.url_patterns}
    assert names == {p.name for p in PAGES}


def test_unit_sees_only_its_own_draft_results(eds: Editions) -> None:
    page = logged_in(eds.unit_user).get(reverse("assessment:result", args=[eds.result_draft.pk]))
    body = page.content.decode()
    assert eds.world.cities[0].name in body and eds.world.cities[1].name not in body
    other = reverse("assessment:score_card", args=[eds.result_draft.pk, eds.world.cities[1].pk])
    assert logged_in(eds.unit_user).get(other).status_code == 404
    listing = logged_in(eds.world.outsider).get(reverse("assessment:results")).content.decode()
    assert reverse("assessment:result", args=[eds.result_published.pk]) in listing
    assert reverse("assessment:result", args=[eds.result_draft.pk]) not in listing
